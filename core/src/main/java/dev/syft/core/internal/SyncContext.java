package dev.syft.core.internal;

import dev.syft.core.Home;
import dev.syft.transport.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  private E2e e2e;

  /** End-to-end encryption: keys, bundles, sealing and opening of messages. */
  synchronized E2e e2e() {
    if (e2e == null) {
      e2e = new E2e(this);
    }
    return e2e;
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

  private Path blobDir;

  /**
   * The home's folder for message contents on their way ({@code .syft/blobs}: snapshots, spooled
   * contents, encoded messages). Created on first use, when whatever a process that died left there
   * is deleted (the home lock keeps other processes out; everything there is used within one step).
   */
  synchronized Path blobDir() {
    if (blobDir == null) {
      Path dir = home.stateDir().resolve("blobs");
      try {
        Files.createDirectories(dir);
        try (var s = Files.list(dir)) {
          for (Path p : s.toList()) {
            Files.deleteIfExists(p);
          }
        }
      } catch (IOException e) {
        throw DiskErrors.classify(e, dir, x -> new dev.syft.protocol.SyftException("spool-failed",
            "cannot create " + dir + ": " + x.getMessage(), x));
      }
      blobDir = dir;
    }
    return blobDir;
  }

  /**
   * Size bounds on what we accept from peers. Every message is read and written streamed (contents
   * through files in the home), so none of these bounds is about memory.
   *
   * @param maxMessageBytes a message archive as stored (compressed): 256 MiB, the reference's limit
   * @param maxArchiveUncompressedBytes the JSON member inside, for the few payloads still decoded in
   *     memory (none on the sync paths); 256 MiB
   * @param maxStreamedBytes the JSON member inside, for messages read streamed: 6 GiB (a 4 GiB binary
   *     file is 5.4 GiB of base64); it bounds the disk a message may take while it is read
   * @param maxFileBytes the largest file a proposal may bring; larger ones are refused (quarantined,
   *     with a notice) as "above this owner's limit": default 4 GiB, system property {@value
   *     #MAX_FILE_PROPERTY}
   */
  record Limits(long maxMessageBytes, long maxArchiveUncompressedBytes, long maxStreamedBytes, long maxFileBytes) {
    static final String MAX_FILE_PROPERTY = "syft.limits.maxFileBytes";

    static Limits defaults() {
      return new Limits(256L << 20, 256L << 20, 6L << 30, Long.getLong(MAX_FILE_PROPERTY, 4L << 30));
    }

    dev.syft.protocol.archive.ArchiveLimits streamed() {
      return new dev.syft.protocol.archive.ArchiveLimits(maxMessageBytes, maxStreamedBytes);
    }
  }
}
