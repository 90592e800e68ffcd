package dev.syft.core.internal;

import dev.syft.core.Home;
import dev.syft.core.Peer;
import dev.syft.core.Status;
import dev.syft.core.SyncReport;
import dev.syft.core.ClientContext;
import dev.syft.core.SyncExtension;
import dev.syft.protocol.ErrorCode;
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
import java.util.Optional;
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
  /** Meta key: when the round last searched for newly shared folders (see ChangeHints). */
  private static final String SHARES_SEARCHED = "hints:shares-searched";
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
  private final ExecutorService io;
  private final boolean ownIo;
  private final DeferredWork deferred = new DeferredWork();
  private Storage storage;
  private SyncContext ctx;
  private DatasitePolicy policy;
  private final Object policyLock = new Object();
  private volatile dev.syft.core.ProgressListener progress = dev.syft.core.ProgressListener.NONE;
  private final List<SyncExtension> extensions;

  private Engine(Home home, StorageOpener opener, Clock clock, List<SyncExtension> extensions, ExecutorService io) {
    this.home = home;
    this.opener = opener;
    this.clock = clock;
    this.ownIo = io == null;
    this.io = io != null ? io : Executors.newVirtualThreadPerTaskExecutor();
    this.db = StateDb.open(home.stateDbFile());
    this.extensions = List.copyOf(extensions);
  }

  /** An engine with the extensions found by {@link java.util.ServiceLoader}. */
  public static Engine create(Home home, StorageOpener opener, Clock clock) {
    return create(home, opener, clock, discoverExtensions());
  }

  public static Engine create(Home home, StorageOpener opener, Clock clock, List<SyncExtension> extensions) {
    return new Engine(home, opener, clock, extensions, null);
  }

  /**
   * An engine with everything injected.
   *
   * @param io the executor for I/O fan-out, owned by the caller (not shut down by {@link #close}); null
   *     for an own pool of virtual threads
   */
  public static Engine create(Home home, StorageOpener opener, Clock clock, List<SyncExtension> extensions,
      ExecutorService io) {
    return new Engine(home, opener, clock, extensions, io);
  }

  /** Creates the home's end-to-end keys unless it has some (also done lazily by the first sync). */
  public static void ensureKeys(Home home) {
    E2e.ensureKeys(home.dir(), home.email());
  }

  public static List<SyncExtension> discoverExtensions() {
    return java.util.ServiceLoader.load(SyncExtension.class).stream().map(java.util.ServiceLoader.Provider::get)
        .toList();
  }

  private SyncContext ctx() {
    if (ctx == null) {
      try {
        storage = opener.open();
      } catch (IOException e) {
        String m = String.valueOf(e.getMessage());
        throw new SyftException(ErrorCode.TRANSPORT_UNAVAILABLE, m.startsWith("transport unreachable") ? m
            : "cannot open the transport " + home.config().transport() + ": " + m, e);
      }
      if (!storage.identity().equalsIgnoreCase(home.email())) {
        throw new SyftException(ErrorCode.IDENTITY_MISMATCH, "the transport is logged in as " + storage.identity()
            + " but this client is " + home.email());
      }
      ctx = new SyncContext(home, storage, db, clock, io, IO_PARALLELISM, CLIENT_VERSION, SyncContext.Limits.defaults());
      ctx.progress(progress);
    }
    return ctx;
  }

  private DatasitePolicy policy() {
    synchronized (policyLock) { // rounds and work outside them (jobs) share this one engine
      if (policy == null) {
        policy = new DatasitePolicy(home.datasite(), home.email());
      }
      return policy;
    }
  }

  /**
   * The one permission engine of the own datasite, shared by sync rounds and the modules built on
   * core. Thread-safe. Refused while the datasite folder is missing (it is not created here).
   */
  public dev.syft.permissions.Datasite permissions() {
    requireDatasite();
    return policy().datasite();
  }

  private PeerManager peerManager() {
    SyncContext c = ctx();
    return new PeerManager(c, policy(), new VersionFiles(c));
  }

  // ------------------------------------------------------------------ sync

  public SyncReport sync() {
    return sync(false);
  }

  /**
   * One round. {@code allowMassDelete} confirms deletions the {@link DeletionGuard} would hold back;
   * the daemon and {@code --watch} never pass it.
   */
  public SyncReport sync(boolean allowMassDelete) {
    return sync(allowMassDelete, true);
  }

  /**
   * One round under the home lock; afterwards, with the lock released, the work extensions deferred
   * ({@link ClientContext#afterRound}) starts. With {@code awaitDeferred} this call waits for it and
   * runs one more round that delivers its results (and defers nothing new); without it (the daemon)
   * the work goes on in the background and the next round delivers.
   */
  public SyncReport sync(boolean allowMassDelete, boolean awaitDeferred) {
    SyncReport first;
    List<java.util.concurrent.CompletableFuture<Void>> started;
    try (Home.HomeLock lock = home.lock()) {
      first = syncLocked(allowMassDelete);
    } finally {
      started = deferred.start();
    }
    if (!awaitDeferred || started.isEmpty()) {
      return first;
    }
    deferred.awaitIdle();
    deferred.accepting(false);
    try (Home.HomeLock lock = home.lock()) {
      return merge(first, syncLocked(allowMassDelete));
    } finally {
      deferred.accepting(true);
    }
  }

  /** Called whenever deferred work finished (the daemon asks for a round then). */
  public void onDeferredDone(Runnable r) {
    deferred.onDone(r);
  }

  private static SyncReport merge(SyncReport a, SyncReport b) {
    Map<String, String> errors = new LinkedHashMap<>(a.peerErrors());
    b.peerErrors().forEach((k, v) -> errors.merge(k, v, (x, y) -> x.equals(y) ? x : x + "; " + y));
    Map<String, String> skipped = new LinkedHashMap<>(a.skippedPeers());
    skipped.putAll(b.skippedPeers());
    List<SyncReport.PartError> parts = new ArrayList<>(a.partErrors());
    b.partErrors().stream().filter(e -> !parts.contains(e)).forEach(parts::add);
    return new SyncReport(a.localChanges() + b.localChanges(), a.accepted() + b.accepted(), a.rejected() + b.rejected(),
        a.proposed() + b.proposed(), a.pulled() + b.pulled(), a.uploaded() + b.uploaded(), b.pendingUploads(), errors,
        skipped, b.heldDeletions(), parts);
  }

  /**
   * Refuses a round whose own datasite is not there to scan: a missing, moved, unreadable or linked
   * root would otherwise read as "every file was deleted" and empty every peer's replica.
   */
  private void requireDatasite() {
    try {
      new LocalTree(home.datasite()).requireRoot();
    } catch (IOException e) {
      throw new SyftException(ErrorCode.DATASITE_MISSING, "your datasite folder " + home.datasite() + " cannot be used ("
          + reason(e) + "); restore it and sync again; nothing was synced, so no peer lost a file");
    }
  }

  /**
   * Checks each peer's replica before the round proposes from it: missing with nothing tracked is a
   * new peer (the folder is created); missing, moved or unreadable with tracked files is a problem of
   * that peer only, and nothing is proposed or pulled for it this round.
   */
  private Map<String, String> checkReplicas(List<String> peers) {
    Map<String, String> problems = new LinkedHashMap<>();
    for (String p : peers) {
      LocalTree tree = new LocalTree(home.replica(p));
      try {
        tree.requireRoot();
      } catch (IOException e) {
        boolean fresh = e instanceof java.nio.file.NoSuchFileException && db.replicaFiles(p).isEmpty();
        if (fresh) {
          try {
            java.nio.file.Files.createDirectories(tree.root());
            continue;
          } catch (IOException ex) {
            e = ex;
          }
        }
        problems.put(p, "your replica of " + p + " (" + tree.root() + ") cannot be used (" + reason(e)
            + "); restore it and sync again; nothing was proposed to or pulled from " + p);
      }
    }
    return problems;
  }

  /**
   * After the state database was lost, takes the replicas on disk as the baseline of their indexes,
   * so the next scan does not propose every file back to its owner as a creation (refused wherever we
   * may only read). Edits not yet proposed when the database was lost are not proposed; the pulls
   * that follow bring the replicas to the owners' state. Runs once, on the first round of a new
   * database (the peers were restored by the refresh before).
   */
  private void adoptReplicas(List<String> peers, Set<String> skip) {
    int adopted = 0;
    for (String p : peers) {
      if (skip.contains(p) || !db.replicaFiles(p).isEmpty()) {
        continue;
      }
      LocalTree tree = new LocalTree(home.replica(p));
      List<StateDb.IndexedFile> rows = new ArrayList<>();
      try {
        for (LocalTree.Seen f : tree.scan(x -> OwnerEngine.syncable(x) && !Notices.isNoticeFile(x, home.email())).values()) {
          rows.add(new StateDb.IndexedFile(f.path(), f.size(), LocalTree.indexMtime(f.mtime()), tree.hash(f.path())));
        }
      } catch (IOException e) {
        LOG.warn("cannot index the replica of {} after the state loss: {}", p, e.getMessage());
        continue;
      }
      db.inTransaction(() -> rows.forEach(r -> db.putReplicaFile(p, r)));
      adopted += rows.size();
    }
    if (adopted > 0) {
      LOG.warn("local state was lost: indexed {} replica file(s) as they are on disk", adopted);
    }
    db.removeMeta(StateDb.ADOPT_REPLICAS);
  }

  private static String reason(IOException e) {
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    if (e instanceof java.nio.file.NotDirectoryException) {
      return "it is not a folder";
    }
    return String.valueOf(e.getMessage());
  }

  private SyncReport syncLocked(boolean allowMassDelete) {
    requireDatasite();
    SyncContext c = ctx();
    DeletionGuard guard = new DeletionGuard(db, home.config().massDeleteMinFiles(), home.config().massDeleteFraction(),
        allowMassDelete);
    c.deletions(guard);
    Outgoing outgoing = new Outgoing(c);
    int uploaded = outgoing.flush(); // leftovers of an interrupted round first
    Checkpoints checkpoints = new Checkpoints(c);
    try {
      checkpoints.bootstrapIfNeeded(); // first sync of an empty home: restore the own datasite
    } catch (IOException e) {
      throw new SyftException(ErrorCode.TRANSPORT_UNAVAILABLE, "cannot restore from checkpoints: " + e.getMessage(), e);
    }
    PeerManager peers = peerManager();
    // the change feed first: the searches for newly shared folders (peer requests here, dataset
    // collections in the extension) run only when it shows something outside the watched folders,
    // and at least every FULL_LISTING_SECONDS as a safety net
    ChangeHints hints = new ChangeHints(c);
    hints.readFeed();
    Set<String> watchedIds = hints.listedBefore();
    watchedIds.addAll(c.folders().discoveredIds());
    double lastSearch = db.meta(SHARES_SEARCHED).map(Double::parseDouble).orElse(Double.NEGATIVE_INFINITY);
    boolean sharesDue = c.now() - lastSearch >= ChangeHints.FULL_LISTING_SECONDS;
    boolean searchShares = hints.othersMayHaveSharedSomething(watchedIds) || !c.folders().discovered() || sharesDue;
    // the safety net where the store lists several folders in one request (Drive): every watched
    // folder that is due, in one query that also answers this round's searches for shared folders
    List<dev.syft.transport.Entry> known = new ArrayList<>();
    for (StateDb.PeerRow r : db.peers()) {
      if (r.state().equals(PeerManager.ACCEPTED)) {
        c.folders().peerOwnedInboxIfKnown(r.email()).ifPresent(known::add);
        c.folders().layout().knownPeerDatasiteFolder(r.email(), dev.syft.transport.layout.BoxType.OUTBOX)
            .ifPresent(known::add);
      }
    }
    if (hints.safetyNet(known, sharesDue)) {
      searchShares = true; // free now: the store answers it from that query
    }
    try {
      peers.refresh(searchShares);
    } catch (IOException e) {
      throw new SyftException(ErrorCode.TRANSPORT_UNAVAILABLE, "cannot look for peer requests: " + e.getMessage(), e);
    }
    List<String> active = peers.syncable();
    List<dev.syft.transport.Entry> watched = new ArrayList<>();
    for (String p : active) {
      c.folders().peerOwnedInboxIfKnown(p).ifPresent(watched::add);
    }
    hints.prepare(watched);
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
    Map<String, String> badReplicas = checkReplicas(active);
    if (db.meta(StateDb.ADOPT_REPLICAS).isPresent()) {
      adoptReplicas(active, badReplicas.keySet());
    }
    Map<String, String> errors = new LinkedHashMap<>(badReplicas);
    ScientistEngine ds = new ScientistEngine(c, outgoing);
    int proposed = 0;
    for (String p : active) {
      if (badReplicas.containsKey(p)) {
        continue;
      }
      try {
        proposed += ds.propose(p);
      } catch (RuntimeException e) {
        errors.put(p, e.getMessage());
      }
    }
    OwnerEngine owner = new OwnerEngine(c, policy(), outgoing);
    OwnerEngine.Report r = owner.sync(active, backfill, hints);
    errors.putAll(r.peerErrors());
    for (String p : backfill) {
      db.inTransaction(() -> db.setMeta("backfill:" + p, ""));
    }
    uploaded += outgoing.flush();
    int pulled = 0;
    double now = c.now();
    for (String p : active) {
      if (badReplicas.containsKey(p)) {
        continue;
      }
      try {
        pulled += ds.pull(p, hints);
        if (ds.heldReason() != null) {
          errors.merge(p, ds.heldReason(), (a, b) -> a + "; " + b);
        }
        StateDb.PeerRow row = db.peer(p).orElseThrow();
        db.upsertPeer(new StateDb.PeerRow(row.email(), row.state(), row.iRequested(), row.theyRequested(),
            row.versionJson(), row.versionCheckedAt(), row.skipReason(), now));
      } catch (IOException | RuntimeException e) {
        LOG.warn("pull from {} failed: {}", p, e.getMessage());
        errors.merge(p, String.valueOf(e.getMessage()), (a, b) -> a + "; " + b);
      }
    }
    uploaded += outgoing.flush();
    ClientContext view = context(active, searchShares);
    List<SyncReport.PartError> partErrors = new ArrayList<>();
    for (SyncExtension x : extensions) {
      try {
        x.onRound(view);
      } catch (IOException | RuntimeException e) {
        LOG.warn("{} failed in this round: {}", x.name(), e.getMessage());
        partErrors.add(SyncReport.PartError.extension(x.name(), String.valueOf(e.getMessage())));
      }
    }
    // an extension may have changed the own datasite (e.g. a job's state): route it now
    if (!extensions.isEmpty()) {
      owner.scanAndRoute(active, Set.of());
      uploaded += outgoing.flush();
    }
    c.e2e().resealPending(); // after a trusted key change: our outbox history, readable by the new key
    try {
      checkpoints.afterRound();
      new OutboxCompactor(c).compactIfNeeded(active);
    } catch (IOException | RuntimeException e) {
      LOG.warn("checkpoint maintenance failed, will retry next round: {}", e.getMessage());
      partErrors.add(new SyncReport.PartError(SyncReport.Part.CHECKPOINTS, "checkpoints", String.valueOf(e.getMessage())));
    }
    if (errors.isEmpty() && partErrors.isEmpty()) {
      hints.commit(); // a failed folder is listed again next round
      if (searchShares) {
        db.setMeta(SHARES_SEARCHED, Double.toString(now));
      }
    }
    db.setMeta("last_sync", Double.toString(now));
    Map<String, Integer> held = new LinkedHashMap<>();
    guard.heldThisRound().forEach((scope, n) -> {
      String datasite = scope.equals(DeletionGuard.OWN) ? home.email() : scope;
      held.put(datasite, n[0]);
      errors.merge(datasite, DeletionGuard.message(scope, n[0], n[1]), (a, b) -> a + "; " + b);
    });
    return new SyncReport(r.localChanges(), r.accepted(), r.rejected(), proposed, pulled, uploaded,
        db.pendingOutgoingCount(), errors, skipped, held, partErrors);
  }

  // ------------------------------------------------------------------ peers

  public List<Peer> peerList() {
    List<Peer> out = new ArrayList<>();
    for (StateDb.PeerRow r : db.peers()) {
      out.add(toPeer(r));
    }
    out.sort(Comparator.comparingInt(p -> order(p.state().wireName())));
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

  private Peer toPeer(StateDb.PeerRow r) {
    VersionFiles.PeerVersion v = VersionFiles.describe(r.versionJson());
    Optional<StateDb.PeerKey> key = db.peerKey(r.email());
    String problem = E2e.problem(db, r.email());
    boolean encrypted = key.isPresent() && problem == null && db.meta("bundle_published:" + r.email()).isPresent();
    return new Peer(r.email(), dev.syft.protocol.model.PeerState.fromWireName(r.state()).orElseThrow(), v.version(),
        r.skipReason(), v.warning(), Epoch.instantOrNull(r.lastSync()),
        key.map(k -> new dev.syft.crypto.Fingerprint(k.fingerprint()).shortForm()).orElse(null), encrypted, problem);
  }

  public Optional<String> pinnedFingerprint(String email) {
    return db.peerKey(Home.normalizeEmail(email)).map(StateDb.PeerKey::fingerprint);
  }

  /**
   * Trusts {@code email}'s current encryption key when {@code fingerprint} (short form or hex) matches
   * it; a changed key then replaces the pinned one and traffic resumes. Returns the trusted key's short form.
   */
  public String trustPeer(String email, String fingerprint) {
    try (Home.HomeLock lock = home.lock()) {
      String peer = Home.normalizeEmail(email);
      if (db.peer(peer).isEmpty()) {
        throw new SyftException("no-peer", "no contact or request for " + peer + " (see 'syft peers list')");
      }
      String trusted = ctx().e2e().trust(peer, fingerprint).shortForm();
      ctx().e2e().resealPending(); // a changed key: our outbox history for them, now (else next round)
      return trusted;
    }
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
      ClientContext view = context(peerManager().syncable());
      for (SyncExtension x : extensions) {
        try {
          x.onPeerApproved(view, Home.normalizeEmail(email));
        } catch (IOException | RuntimeException e) {
          LOG.warn("{} could not finish the approval of {}: {}", x.name(), email, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw transport(e);
    }
  }

  /** See {@link PeerManager#remove}; returns the state the peer had. */
  public String removePeer(String email) {
    try (Home.HomeLock lock = home.lock()) {
      String was = peerManager().remove(email);
      ctx().e2e().unpublishFor(email); // our key bundle for them goes with the contact
      return was;
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
    return new SyftException(ErrorCode.TRANSPORT_ERROR, "transport error: " + e.getMessage(), e);
  }

  public dev.syft.core.ProgressListener progress() {
    return progress;
  }

  public void progress(dev.syft.core.ProgressListener listener) {
    progress = listener == null ? dev.syft.core.ProgressListener.NONE : listener;
    if (ctx != null) {
      ctx.progress(progress);
    }
  }

  public java.util.Optional<dev.syft.transport.Watcher> watcher() {
    return ctx().storage().capabilities().watcher();
  }

  /** Runs {@code work} with the client's context, holding the home lock. */
  public <T> T withContext(java.util.function.Function<ClientContext, T> work) {
    try (Home.HomeLock lock = home.lock()) {
      return work.apply(context(peerManager().syncable()));
    } finally {
      deferred.start();
    }
  }

  private ClientContext context(List<String> peers) {
    return context(peers, true);
  }

  private ClientContext context(List<String> peers, boolean sharesMayHaveChanged) {
    SyncContext c = ctx();
    DatasitePolicy p = policy();
    List<String> accepted = List.copyOf(peers);
    return new ClientContext() {
      @Override
      public Home home() {
        return home;
      }

      @Override
      public Storage storage() {
        return c.storage();
      }

      @Override
      public dev.syft.transport.layout.SyftLayout layout() {
        return c.folders().layout();
      }

      @Override
      public dev.syft.permissions.Datasite permissions() {
        return p.datasite();
      }

      @Override
      public List<String> acceptedPeers() {
        return accepted;
      }

      @Override
      public boolean sharesMayHaveChanged() {
        return sharesMayHaveChanged;
      }

      @Override
      public Clock clock() {
        return clock;
      }

      @Override
      public ExecutorService io() {
        return io;
      }

      @Override
      public dev.syft.core.ProgressListener progress() {
        return progress;
      }

      @Override
      public void afterRound(String key, Runnable work) {
        deferred.add(key, work);
      }

      @Override
      public KeyValue state(String namespace) {
        String prefix = "x:" + namespace + ":";
        return new KeyValue() {
          @Override
          public java.util.Optional<String> get(String key) {
            return db.meta(prefix + key);
          }

          @Override
          public void put(String key, String value) {
            db.setMeta(prefix + key, value);
          }

          @Override
          public void remove(String key) {
            db.removeMeta(prefix + key);
          }

          @Override
          public Map<String, String> all() {
            return db.metaWithPrefix(prefix);
          }
        };
      }
    };
  }

  // ------------------------------------------------------------------ checkpoints

  /** A manual full checkpoint (the rolling state and covered incrementals are retired). */
  public dev.syft.core.CheckpointInfo createCheckpoint() {
    try (Home.HomeLock lock = home.lock()) {
      syncLocked(false); // the snapshot must include edits not yet scanned (and their events must be routed)
      return new Checkpoints(ctx()).createFull();
    } catch (IOException e) {
      throw transport(e);
    } finally {
      deferred.start();
    }
  }

  public dev.syft.core.CheckpointStatus checkpointStatus() {
    try {
      var s = new Checkpoints(ctx()).summary();
      return new dev.syft.core.CheckpointStatus(s.fullCheckpoints(), s.fullBytes(), s.fullTimestamp(), s.incrementals(),
          s.incrementalBytes(), s.rollingPaths(), s.lastEventTimestamp() > 0 ? s.lastEventTimestamp() : null,
          s.eventLogMessages());
    } catch (IOException e) {
      throw transport(e);
    }
  }

  // ------------------------------------------------------------------ status

  public Status status() {
    List<Status.Problem> quarantined = db.quarantined().stream()
        .map(q -> new Status.Problem(q.peer(), q.name(), q.reason(), Epoch.instant(q.at()))).toList();
    List<Status.Problem> rejected = db.rejectedProposals().stream()
        .map(q -> new Status.Problem(q.peer(), q.name(), q.reason(), Epoch.instant(q.at()))).toList();
    List<Status.Revoked> revoked = db.revokedFiles().stream()
        .map(f -> new Status.Revoked(f.owner(), f.path(), f.movedTo(), Epoch.instant(f.at()))).toList();
    java.time.Instant last = db.meta("last_sync").map(Double::parseDouble).map(Epoch::instant).orElse(null);
    List<Status.FailingUpload> failing = db.pendingOutgoing().stream().filter(o -> o.attempts() > 0)
        .map(o -> new Status.FailingUpload(o.target().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), o.peer(),
            o.name(), o.attempts(), o.lastError())).toList();
    List<Status.HeldDeletions> held = new ArrayList<>();
    DeletionGuard.heldInDb(db).forEach((scope, n) -> held.add(new Status.HeldDeletions(
        scope.equals(DeletionGuard.OWN) ? home.email() : scope, n[0], n[1], DeletionGuard.message(scope, n[0], n[1]))));
    List<String> warnings = new ArrayList<>(Writers.warnings(db));
    for (StateDb.PeerRow p : db.peers()) {
      String keyProblem = E2e.problem(db, p.email());
      if (keyProblem != null) {
        warnings.add(keyProblem);
      }
      String waitingForKey = E2e.held(db, p.email());
      if (waitingForKey != null) {
        warnings.add(waitingForKey);
      }
    }
    db.meta(StateDb.RECOVERED).ifPresent(v -> {
      String[] p = v.split("\t", 2);
      warnings.add("the local state database was damaged and replaced" + (p.length > 1 ? "; the old one is " + p[1] : "")
          + " (peers were restored from the transport)");
    });
    return new Status(home.email(), home.config().transport(), home.dir().toString(), peerList(),
        db.pendingOutgoingCount(), failing, quarantined, rejected, revoked, ScientistEngine.rolledBack(db), last, held,
        warnings);
  }

  @Override
  public void close() {
    deferred.close();
    if (ownIo) {
      io.shutdownNow();
    }
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
