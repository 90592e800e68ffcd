package dev.syft;

import dev.syft.core.Config;
import dev.syft.core.Home;
import dev.syft.core.Peers;
import dev.syft.core.Status;
import dev.syft.core.SyftClient;
import dev.syft.core.SyncReport;
import dev.syft.datasets.Datasets;
import dev.syft.jobs.Jobs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The fluent entry point for programs and JShell: one client (identity, home, transport) with its
 * peers, datasets and jobs.
 *
 * <pre>{@code
 * try (Syft ds = Syft.init("ds@uni.example", "local:/srv/syft", Path.of("ds-home"))) {
 *   ds.peers().add("do@hospital.example");
 *   ds.sync();
 *   var mock = ds.datasets().get("patients", "do@hospital.example").mockFiles();
 *   ds.jobs().submit(SubmitRequest.of(Path.of("mean_age.py"), "do@hospital.example"));
 * }
 * }</pre>
 *
 * <p>Every method delegates to the module that owns it ({@code core}, {@code datasets}, {@code
 * jobs}); nothing here has behaviour of its own. Not thread-safe: use one instance per thread.
 */
public final class Syft implements AutoCloseable {
  private final SyftClient client;
  private @Nullable Datasets datasets; // built on first use
  private @Nullable Jobs jobs;

  private Syft(SyftClient client) {
    this.client = client;
  }

  /** Creates a new client home for {@code email} on {@code transportUri} (e.g. {@code local:/path}) and opens it. */
  public static Syft init(String email, String transportUri, Path home) {
    return new Syft(SyftClient.init(email, transportUri, home));
  }

  /** Opens the client living in {@code home}. */
  public static Syft open(Path home) {
    return new Syft(SyftClient.open(home));
  }

  /**
   * Opens {@code email}'s client in its default home ({@code $SYFT_HOME}, else {@code ~/SyftBox_<email>}),
   * creating the home on {@code transportUri} the first time, like the reference's {@code login}.
   */
  public static Syft login(String email, String transportUri) {
    return login(email, transportUri, Home.defaultDir(Home.normalizeEmail(email)));
  }

  /**
   * Opens the client in {@code home}, creating it for {@code email} on {@code transportUri} when the folder
   * holds no client yet. An existing home of another identity or transport is refused, never changed.
   */
  public static Syft login(String email, String transportUri, Path home) {
    if (!Files.exists(home.resolve(Config.FILE_NAME))) {
      return init(email, transportUri, home);
    }
    SyftClient c = SyftClient.open(home);
    String wantEmail = Home.normalizeEmail(email);
    URI have = c.home().config().transportUri();
    if (!c.email().equals(wantEmail) || !have.equals(URI.create(transportUri))) {
      String found = c.email() + " on " + redact(have);
      c.close();
      throw new IllegalArgumentException(home + " holds " + found + ", not " + wantEmail + " on "
          + redact(URI.create(transportUri)) + "; use Syft.open(home) or another home");
    }
    return new Syft(c);
  }

  /**
   * Builds a client of an existing home with its dependencies injected, each with a default:
   * {@code Syft.builder(home).clock(c).ioExecutor(e).extensions(x).storage(s).progress(p).build()}.
   */
  public static Builder builder(Path home) {
    return new Builder(SyftClient.builder(home));
  }

  /** {@link SyftClient.Builder} that opens a {@link Syft}. */
  public static final class Builder {
    private final SyftClient.Builder client;

    private Builder(SyftClient.Builder client) {
      this.client = client;
    }

    public Builder clock(java.time.Clock c) {
      client.clock(c);
      return this;
    }

    public Builder ioExecutor(java.util.concurrent.ExecutorService e) {
      client.ioExecutor(e);
      return this;
    }

    public Builder extensions(java.util.List<dev.syft.core.SyncExtension> x) {
      client.extensions(x);
      return this;
    }

    public Builder storage(dev.syft.transport.Storage s) {
      client.storage(s);
      return this;
    }

    public Builder progress(dev.syft.core.ProgressListener p) {
      client.progress(p);
      return this;
    }

    public Syft build() {
      return new Syft(client.build());
    }
  }

  /** Wraps an already open client (for example one built over a test store). */
  public static Syft of(SyftClient client) {
    return new Syft(client);
  }

  /** This client's identity. */
  public String email() {
    return client.email();
  }

  /** Contacts: requests, approvals, the list. */
  public Peers peers() {
    return client.peers();
  }

  /** One sync round with every approved peer. */
  public SyncReport sync() {
    return client.sync();
  }

  /** A snapshot of the local state (no transport needed). */
  public Status status() {
    return client.status();
  }

  /** Datasets: create, share, list, read the mock of peers' datasets. */
  public Datasets datasets() {
    Datasets d = datasets;
    if (d == null) {
      d = datasets = Datasets.of(client);
    }
    return d;
  }

  /** Jobs: submit (as data scientist), review, approve, run and release (as data owner). */
  public Jobs jobs() {
    Jobs j = jobs;
    if (j == null) {
      j = jobs = Jobs.of(client);
    }
    return j;
  }

  /** The job with this id (any unambiguous part of it), as a handle with {@code approve()}, {@code run()}... */
  public Job job(String id) {
    return new Job(jobs(), jobs().get(id));
  }

  /** Every job this client sees, read now: {@code jobList().get(0).approve()}. */
  public JobList jobList() {
    return new JobList(jobs(), jobs().list());
  }

  /** The underlying core client, for everything else (checkpoints, progress, extensions). */
  public SyftClient client() {
    return client;
  }

  /** Identity, transport (without query or password: tokens live there) and home. */
  @Override
  public String toString() {
    return "Syft[" + email() + " on " + redact(client.home().config().transportUri()) + ", home " + client.home().dir() + "]";
  }

  static String redact(URI uri) {
    if (uri.isOpaque()) {
      String part = uri.getSchemeSpecificPart();
      int q = part.indexOf('?');
      return uri.getScheme() + ":" + (q < 0 ? part : part.substring(0, q));
    }
    String user = uri.getUserInfo() == null ? "" : uri.getUserInfo().replaceFirst(":.*", "") + "@";
    String host = uri.getHost() == null ? "" : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    String auth = uri.getAuthority() == null ? "" : "//" + user + host;
    return uri.getScheme() + ":" + auth + (uri.getPath() == null ? "" : uri.getPath());
  }

  @Override
  public void close() {
    client.close();
  }
}
