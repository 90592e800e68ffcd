package dev.syft.core;

import dev.syft.core.internal.Engine;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageProvider;
import dev.syft.transport.router.RoutingStorage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import dev.syft.transport.layout.FolderNames;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A syft client: one identity, one home folder, one transport. The CLI is built on this class, and
 * programs and JShell use it directly.
 *
 * <pre>{@code
 * try (SyftClient ds = SyftClient.init("ds@uni.example", "local:/srv/syft", Path.of("ds-home"))) {
 *   ds.peers().add("do@hospital.example");
 *   ds.sync();
 * }
 * }</pre>
 *
 * <p>Operations that change state (sync, peer changes) take the home's lock for their duration, so two
 * processes on one home are serialised and the second is told so. Not thread-safe; use one instance
 * per thread.
 */
public final class SyftClient implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SyftClient.class);
  private final Home home;
  private final Engine engine;
  private final Clock clock;
  private final PeerHealthBook peerHealth;
  private String setupNote;

  private SyftClient(Home home, Engine engine, Clock clock, PeerHealthBook peerHealth) {
    this.home = home;
    this.engine = engine;
    this.clock = clock;
    this.peerHealth = peerHealth;
  }

  /**
   * Builds a client of an existing home with what it depends on injected; every part has a default
   * (system UTC clock, own virtual-thread pool, extensions found by {@link ServiceLoader}, the
   * transport named in {@code config.yaml}, no progress listener).
   *
   * <pre>{@code
   * SyftClient c = SyftClient.builder(Path.of("do-home")).clock(testClock).storage(memoryStore).build();
   * }</pre>
   */
  public static Builder builder(Path homeDir) {
    return new Builder(null, homeDir);
  }

  /** {@link #builder(Path)} for an already opened home. */
  public static Builder builder(Home home) {
    return new Builder(home, null);
  }

  /** Collects a client's dependencies; {@link #build} opens it. */
  public static final class Builder {
    private final Home home;
    private final Path homeDir;
    private Clock clock = Clock.systemUTC();
    private java.util.concurrent.ExecutorService io;
    private List<SyncExtension> extensions;
    private Storage storage;
    private ProgressListener progress = ProgressListener.NONE;

    private Builder(Home home, Path homeDir) {
      this.home = home;
      this.homeDir = homeDir;
    }

    /** The clock every part of the client reads (sync, jobs, datasets); default system UTC. */
    public Builder clock(Clock c) {
      this.clock = java.util.Objects.requireNonNull(c, "clock");
      return this;
    }

    /** The executor for I/O fan-out, owned by the caller (not shut down on close); default an own virtual-thread pool. */
    public Builder ioExecutor(java.util.concurrent.ExecutorService e) {
      this.io = java.util.Objects.requireNonNull(e, "ioExecutor");
      return this;
    }

    /** Exactly these sync extensions instead of those {@link ServiceLoader} finds. */
    public Builder extensions(List<SyncExtension> x) {
      this.extensions = List.copyOf(x);
      return this;
    }

    /** This store instead of opening the transport named in {@code config.yaml}. */
    public Builder storage(Storage s) {
      this.storage = java.util.Objects.requireNonNull(s, "storage");
      return this;
    }

    /** Receives progress of long work; also handed to extensions ({@link ClientContext#progress()}). */
    public Builder progress(ProgressListener p) {
      this.progress = p == null ? ProgressListener.NONE : p;
      return this;
    }

    public SyftClient build() {
      Home h = home != null ? home : Home.open(homeDir);
      Storage s = storage;
      Path cache = h.stateDir().resolve("transport-cache"); // ids a new process need not ask for again
      PeerHealthBook book = new PeerHealthBook(h, clock);
      Engine engine = Engine.create(h, s != null ? () -> s : () -> openStorage(h.config(), book, cache), clock,
          extensions != null ? extensions : Engine.discoverExtensions(), io);
      engine.progress(progress);
      return new SyftClient(h, engine, clock, book);
    }
  }

  /**
   * Creates a new client home and opens it. This is the only place a transport may create what it
   * needs (the {@code local:} shared folder); opening it later never does, so a shared folder that
   * went away is reported as unreachable.
   */
  public static SyftClient init(String email, String transportUri, Path homeDir) {
    String e = Home.normalizeEmail(email);
    Config.validateTransport(transportUri);
    Home.refuseExisting(homeDir);
    String note;
    try {
      note = prepareStorage(Config.create(e, transportUri)).orElse(null);
    } catch (IOException ex) {
      throw new SyftException(ErrorCode.TRANSPORT_UNREACHABLE, "cannot prepare the transport " + transportUri + ": "
          + ex.getMessage(), ex);
    }
    Home home = Home.init(homeDir, e, transportUri);
    dev.syft.core.internal.Engine.ensureKeys(home); // end-to-end keys from the start (never synced)
    SyftClient c = open(home);
    c.setupNote = note;
    return c;
  }

  /** What {@link #init} created besides the home (e.g. the shared folder), for the user; else empty. */
  public java.util.Optional<String> setupNote() {
    return java.util.Optional.ofNullable(setupNote);
  }

  static java.util.Optional<String> prepareStorage(Config config) throws IOException {
    return prepareStorage(config, config.transport());
  }

  static java.util.Optional<String> prepareStorage(Config config, String transport) throws IOException {
    URI uri = URI.create(transport);
    for (StorageProvider p : ServiceLoader.load(StorageProvider.class)) {
      if (p.scheme().equalsIgnoreCase(uri.getScheme())) {
        return p.prepare(uri, config.email(), config.transportOptions());
      }
    }
    return java.util.Optional.empty(); // an unknown scheme is reported when the transport is opened
  }

  /** Opens the client living in {@code homeDir}. */
  public static SyftClient open(Path homeDir) {
    return open(Home.open(homeDir));
  }

  static SyftClient open(Home home) {
    return builder(home).build();
  }

  /** For tests and embedders: a client over an explicit store and clock ({@link #builder} for more). */
  public static SyftClient open(Home home, Storage storage, Clock clock) {
    return builder(home).storage(storage).clock(clock).build();
  }

  /**
   * Opens the transport named by a config through the {@link StorageProvider} for its scheme. A home
   * with several transports gets a {@link RoutingStorage} over those that open (preferred first,
   * messages written to all that work); one that cannot be opened now is left out with a warning, and
   * the first error is thrown when none opens. The folders of a peer with chosen transports ({@link
   * Config#peerTransports()}) live on those only. Each transport's per-peer traffic is recorded in
   * {@code book}.
   */
  /** @param cacheDir the home's folder where transports may keep ids between processes, or null */
  static Storage openStorage(Config config, PeerHealthBook book, Path cacheDir) throws IOException {
    if (config.transports().size() == 1) {
      return book.track(config.transport(), openOne(config, config.transport(), cacheDir));
    }
    List<RoutingStorage.Member> members = new java.util.ArrayList<>();
    IOException first = null;
    for (String t : config.transports()) {
      try {
        members.add(new RoutingStorage.Member(t, book.track(t, openOne(config, t, cacheDir == null ? null
            : cacheDir.resolve(Integer.toHexString(t.hashCode()))))));
      } catch (IOException e) {
        LOG.warn("transport {} cannot be opened now, syncing over the others: {}", t, e.getMessage());
        first = first == null ? e : first;
      }
    }
    if (members.isEmpty()) {
      throw first;
    }
    // every message goes to every working transport: SyftLayout caches the folders it found, so a
    // transport that was down then is not read again until the client reopens, and one lost for good
    // must not take messages with it
    String me = config.email();
    Map<String, List<String>> routes = config.peerTransports();
    RoutingStorage.Placement placement = routes.isEmpty() ? RoutingStorage.Placement.EVERYWHERE
        : folder -> FolderNames.peerOfFolder(me, folder).map(routes::get).map(java.util.Set::copyOf);
    return new RoutingStorage(members, RoutingStorage.Writes.ALL, java.time.Clock.systemUTC(), placement);
  }

  static Storage openOne(Config config, String transport, Path cacheDir) throws IOException {
    URI uri = URI.create(transport);
    for (StorageProvider p : ServiceLoader.load(StorageProvider.class)) {
      if (p.scheme().equalsIgnoreCase(uri.getScheme())) {
        return cacheDir == null ? p.open(uri, config.email(), config.transportOptions())
            : p.open(uri, config.email(), config.transportOptions(), cacheDir);
      }
    }
    List<String> known = ServiceLoader.load(StorageProvider.class).stream().map(pr -> pr.get().scheme() + ":").toList();
    throw new SyftException(ErrorCode.UNKNOWN_TRANSPORT, "no transport for '" + uri.getScheme() + ":' (available: "
        + String.join(", ", known) + ")");
  }

  public String email() {
    return home.email();
  }

  public Home home() {
    return home;
  }

  /** The clock this client was built with; modules built on it (jobs, datasets) read it too. */
  public Clock clock() {
    return clock;
  }

  /** Contacts: requests, approvals, the list. */
  public Peers peers() {
    return new Peers(engine);
  }

  /**
   * Runs one sync round (both roles) and reports what happened. Long work an extension deferred
   * (auto-run jobs) runs after the round, outside the home lock; this call waits for it and delivers
   * its results with one more round. Deletions of more than a threshold of
   * one tree's files (config {@code sync.mass_delete_*}) are held back and reported instead.
   */
  public SyncReport sync() {
    return sync(false);
  }

  /**
   * Runs one sync round like {@link #sync()}; {@code allowMassDelete} confirms deletions a round would
   * otherwise hold back ({@code syft sync --allow-mass-delete}). Never set by the daemon.
   */
  public SyncReport sync(boolean allowMassDelete) {
    try {
      return engine.sync(allowMassDelete);
    } finally {
      peerHealth.save();
    }
  }

  /** A round for the daemon: deferred work goes on in the background and the next round delivers it. */
  SyncReport syncKeepGoing() {
    try {
      return engine.sync(false, false);
    } finally {
      peerHealth.save();
    }
  }

  /**
   * Per peer (every contact, and any peer with chosen transports), the transports its traffic uses and
   * per transport the last exchange that worked and the last failure, as recorded by the rounds of any
   * process on this home. Needs no transport.
   */
  public List<PeerTransport> peerTransports() {
    List<String> peers = engine.peerList().stream().map(Peer::email).toList();
    return PeerHealthBook.report(home.config(), peers, peerHealth.current());
  }

  /** Called after deferred work finished (the daemon asks for a round then). */
  void onDeferredDone(Runnable r) {
    engine.onDeferredDone(r);
  }

  /**
   * Runs {@code work} with this client's {@link ClientContext} (store, layout, permissions, peers),
   * holding the home lock. Modules built on core (datasets, jobs) use this.
   */
  public <T> T withContext(java.util.function.Function<ClientContext, T> work) {
    return engine.withContext(work);
  }

  /**
   * The permission engine of the own datasite: the one instance sync rounds use, shared with datasets
   * and jobs. It does not re-check permission files by itself (rounds refresh it and report what they
   * change); call {@link dev.syft.permissions.Datasite#restat()} before deciding on files a user may
   * have edited by hand.
   *
   * @throws SyftException when the datasite folder is missing
   */
  public dev.syft.permissions.Datasite permissions() {
    return engine.permissions();
  }

  /** Where long work reports progress: the listener given to the builder or {@link #onProgress}, else {@link ProgressListener#NONE}. */
  public ProgressListener progress() {
    return engine.progress();
  }

  /** Receives progress of long work in later syncs and transfers (a progress bar, a log line). */
  public void onProgress(ProgressListener listener) {
    engine.progress(listener);
  }

  /** The transport's change notifications, when it has them (used by {@link SyncLoop}). */
  public java.util.Optional<dev.syft.transport.Watcher> watcher() {
    return engine.watcher();
  }

  /**
   * Writes a full checkpoint of the own datasite now and retires the incremental checkpoints and the
   * rolling state it covers.
   */
  public CheckpointInfo createCheckpoint() {
    return engine.createCheckpoint();
  }

  /** Counts and sizes of the checkpoints on the transport and of the local rolling state. */
  public CheckpointStatus checkpointStatus() {
    return engine.checkpointStatus();
  }

  /** A snapshot of the local state; needs no transport. */
  public Status status() {
    return engine.status();
  }

  @Override
  public void close() {
    peerHealth.save();
    engine.close();
  }
}
