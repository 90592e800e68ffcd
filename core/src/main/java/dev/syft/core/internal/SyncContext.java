package dev.syft.core.internal;

import dev.syft.core.Home;
import dev.syft.transport.Storage;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/**
 * Everything one sync round needs, wired once per client: the home, the store (as this client's
 * user), the local state, the clock and the bounded I/O executor. Tests inject a settable clock.
 */
final class SyncContext {
  private final Home home;
  private final Storage storage;
  private final StateDb db;
  private final Clock clock;
  private final ExecutorService io;
  private final int ioParallelism;
  private final Folders folders;
  private final Limits limits;
  private volatile dev.syft.core.ProgressListener progress = dev.syft.core.ProgressListener.NONE;

  SyncContext(Home home, Storage storage, StateDb db, Clock clock, ExecutorService io, int ioParallelism,
      String clientVersion, Limits limits) {
    this.home = home;
    this.storage = storage;
    this.db = db;
    this.clock = clock;
    this.io = io;
    this.ioParallelism = ioParallelism;
    this.folders = new Folders(storage, clientVersion);
    this.limits = limits;
  }

  Home home() {
    return home;
  }

  String me() {
    return home.email();
  }

  Storage storage() {
    return storage;
  }

  StateDb db() {
    return db;
  }

  Clock clock() {
    return clock;
  }

  /** Seconds since the epoch as a double, like Python's {@code time.time()}. */
  double now() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() + i.getNano() / 1e9;
  }

  ExecutorService io() {
    return io;
  }

  int ioParallelism() {
    return ioParallelism;
  }

  Folders folders() {
    return folders;
  }

  Limits limits() {
    return limits;
  }

  dev.syft.core.ProgressListener progress() {
    return progress;
  }

  void progress(dev.syft.core.ProgressListener listener) {
    progress = listener == null ? dev.syft.core.ProgressListener.NONE : listener;
  }

  private DeletionGuard deletions;

  /** This round's guard against mass deletions (set by the engine at the start of every round). */
  DeletionGuard deletions() {
    if (deletions == null) {
      deletions = new DeletionGuard(db, home.config().massDeleteMinFiles(), home.config().massDeleteFraction(), false);
    }
    return deletions;
  }

  void deletions(DeletionGuard guard) {
    deletions = guard;
  }

  /** Reports progress only for work big enough to be worth a bar. */
  static final int PROGRESS_MIN_STEPS = 200;

  /**
   * Storage calls this round may still spend on periodic checks (version re-checks, safety-net
   * re-listings): one per accepted peer, so an idle round stays within P + 2 calls. Set by the peer
   * refresh at the start of a round; unlimited until then.
   */
  private int periodicBudget = Integer.MAX_VALUE;

  void periodicBudget(int calls) {
    periodicBudget = calls;
  }

  /** Takes {@code calls} from this round's periodic budget; false (nothing taken) when it is spent. */
  boolean spendPeriodic(int calls) {
    if (periodicBudget < calls) {
      return false;
    }
    periodicBudget -= calls;
    return true;
  }

  /**
   * Size bounds on what we accept from peers.
   *
   * @param maxFileBytes the largest file a proposal may bring: accepted files travel on to every
   *     permitted peer inside events messages, which hold whole files in memory, so the owner refuses
   *     (quarantines) larger ones; default 32 MiB, system property {@value #MAX_FILE_PROPERTY}
   */
  record Limits(long maxMessageBytes, long maxArchiveUncompressedBytes, long maxFileBytes) {
    static final String MAX_FILE_PROPERTY = "syft.limits.maxFileBytes";

    static Limits defaults() {
      return new Limits(256L << 20, 256L << 20, Long.getLong(MAX_FILE_PROPERTY, 32L << 20));
    }
  }
}
