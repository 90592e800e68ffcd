package dev.syft.core.internal;

import dev.syft.core.Home;
import dev.syft.core.Peer;
import dev.syft.core.Status;
import dev.syft.core.SyncReport;
import dev.syft.protocol.SyftException;
import dev.syft.transport.Storage;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a client's parts and runs sync rounds. The public facade ({@code SyftClient}) delegates here.
 * The store is opened lazily, so local-only operations ({@code status}) work offline.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  /** The client version we announce; shares major.minor with the reference so Python peers sync with us. */
  public static final String CLIENT_VERSION = "0.1.117";
  /** Parallel downloads per round. */
  static final int IO_PARALLELISM = 16;

  /** Opens the store on first use. */
  @FunctionalInterface
  public interface StorageOpener {
    Storage open() throws IOException;
  }

  private final Home home;
  private final StorageOpener opener;
  private final Clock clock;
  private final StateDb db;
  private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
  private Storage storage;
  private SyncContext ctx;
  private AccessPolicy policy;

  private Engine(Home home, StorageOpener opener, Clock clock) {
    this.home = home;
    this.opener = opener;
    this.clock = clock;
    this.db = StateDb.open(home.stateDbFile());
  }

  public static Engine create(Home home, StorageOpener opener, Clock clock) {
    return new Engine(home, opener, clock);
  }

  private SyncContext ctx() {
    if (ctx == null) {
      try {
        storage = opener.open();
      } catch (IOException e) {
        throw new SyftException("transport-unavailable", "cannot open the transport " + home.config().transport()
            + ": " + e.getMessage(), e);
      }
      if (!storage.identity().equalsIgnoreCase(home.email())) {
        throw new SyftException("identity-mismatch", "the transport is logged in as " + storage.identity()
            + " but this client is " + home.email());
      }
      ctx = new SyncContext(home, storage, db, clock, io, IO_PARALLELISM, CLIENT_VERSION, SyncContext.Limits.defaults());
    }
    return ctx;
  }

  private AccessPolicy policy() {
    if (policy == null) {
      policy = new DatasitePolicy(home.datasite(), home.email());
    }
    return policy;
  }

  private PeerManager peerManager() {
    SyncContext c = ctx();
    return new PeerManager(c, policy(), new VersionFiles(c));
  }

  // ------------------------------------------------------------------ sync

  public SyncReport sync() {
    try (Home.HomeLock lock = home.lock()) {
      return syncLocked();
    }
  }

  private SyncReport syncLocked() {
    SyncContext c = ctx();
    Outgoing outgoing = new Outgoing(c);
    int uploaded = outgoing.flush(); // leftovers of an interrupted round first
    PeerManager peers = peerManager();
    try {
      peers.refresh();
    } catch (IOException e) {
      throw new SyftException("transport-unavailable", "cannot look for peer requests: " + e.getMessage(), e);
    }
    List<String> active = peers.syncable();
    Map<String, String> skipped = new LinkedHashMap<>();
    for (StateDb.PeerRow r : peers.list()) {
      if (r.state().equals(PeerManager.ACCEPTED) && r.skipReason() != null) {
        skipped.put(r.email(), r.skipReason());
      }
    }
    Set<String> backfill = new LinkedHashSet<>();
    for (String p : active) {
      if (db.meta("backfill:" + p).isPresent()) {
        backfill.add(p);
      }
    }
    Map<String, String> errors = new LinkedHashMap<>();
    ScientistEngine ds = new ScientistEngine(c, outgoing);
    int proposed = 0;
    for (String p : active) {
      try {
        proposed += ds.propose(p);
      } catch (RuntimeException e) {
        errors.put(p, e.getMessage());
      }
    }
    OwnerEngine owner = new OwnerEngine(c, policy(), outgoing);
    OwnerEngine.Report r = owner.sync(active, backfill);
    errors.putAll(r.peerErrors());
    for (String p : backfill) {
      db.inTransaction(() -> db.setMeta("backfill:" + p, ""));
    }
    uploaded += outgoing.flush();
    int pulled = 0;
    double now = c.now();
    for (String p : active) {
      try {
        pulled += ds.pull(p);
        StateDb.PeerRow row = db.peer(p).orElseThrow();
        db.upsertPeer(new StateDb.PeerRow(row.email(), row.state(), row.iRequested(), row.theyRequested(),
            row.versionJson(), row.versionCheckedAt(), row.skipReason(), now));
      } catch (IOException | RuntimeException e) {
        LOG.warn("pull from {} failed: {}", p, e.getMessage());
        errors.merge(p, String.valueOf(e.getMessage()), (a, b) -> a + "; " + b);
      }
    }
    uploaded += outgoing.flush();
    db.setMeta("last_sync", Double.toString(now));
    return new SyncReport(r.localChanges(), r.accepted(), r.rejected(), proposed, pulled, uploaded,
        db.pendingOutgoingCount(), errors, skipped);
  }

  // ------------------------------------------------------------------ peers

  public List<Peer> peerList() {
    List<Peer> out = new ArrayList<>();
    for (StateDb.PeerRow r : db.peers()) {
      out.add(toPeer(r));
    }
    out.sort(Comparator.comparingInt(p -> order(p.state())));
    return out;
  }

  private static int order(String state) {
    return switch (state) {
      case PeerManager.ACCEPTED -> 0;
      case PeerManager.REQUESTED_BY_ME -> 1;
      case PeerManager.REQUESTED_BY_PEER -> 2;
      default -> 3;
    };
  }

  private static Peer toPeer(StateDb.PeerRow r) {
    VersionFiles.PeerVersion v = VersionFiles.describe(r.versionJson());
    return new Peer(r.email(), r.state(), v.version(), r.skipReason(), v.warning(), r.lastSync());
  }

  public String addPeer(String email) {
    try (Home.HomeLock lock = home.lock()) {
      PeerManager pm = peerManager();
      pm.refresh();
      return switch (pm.add(email)) {
        case REQUESTED -> "requested";
        case APPROVED -> "approved";
        case ALREADY -> "already";
      };
    } catch (IOException e) {
      throw transport(e);
    }
  }

  public void approvePeer(String email) {
    try (Home.HomeLock lock = home.lock()) {
      peerManager().approve(email);
    } catch (IOException e) {
      throw transport(e);
    }
  }

  public void rejectPeer(String email) {
    try (Home.HomeLock lock = home.lock()) {
      peerManager().reject(email);
    } catch (IOException e) {
      throw transport(e);
    }
  }

  private SyftException transport(IOException e) {
    return new SyftException("transport-error", "transport error: " + e.getMessage(), e);
  }

  public java.util.Optional<dev.syft.transport.Watcher> watcher() {
    return ctx().storage().capabilities().watcher();
  }

  // ------------------------------------------------------------------ status

  public Status status() {
    List<Status.Problem> quarantined = db.quarantined().stream()
        .map(q -> new Status.Problem(q.peer(), q.name(), q.reason(), q.at())).toList();
    List<Status.Problem> rejected = db.rejectedProposals().stream()
        .map(q -> new Status.Problem(q.peer(), q.name(), q.reason(), q.at())).toList();
    List<Status.Revoked> revoked = db.revokedFiles().stream()
        .map(f -> new Status.Revoked(f.owner(), f.path(), f.movedTo(), f.at())).toList();
    Double last = db.meta("last_sync").map(Double::parseDouble).orElse(null);
    return new Status(home.email(), home.config().transport(), home.dir().toString(), peerList(),
        db.pendingOutgoingCount(), quarantined, rejected, revoked, last);
  }

  @Override
  public void close() {
    io.shutdownNow();
    db.close();
    if (storage != null) {
      try {
        storage.close();
      } catch (IOException e) {
        LOG.debug("closing the transport: {}", e.getMessage());
      }
    }
  }
}
