package dev.syft.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.syft.Syft;
import dev.syft.drivefake.FakeDriveServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One test class's world: a Drive fake on loopback, the unpacked reference, a Python to run it, and
 * the actors (Python processes and in-process Java clients) created on it. Closing it stops them all.
 */
final class Interop implements AutoCloseable {
  final Path dir;
  /** Kept after the run (target/interop-logs/&lt;class&gt;): what each Python actor printed. */
  final Path logs;
  final Path referenceDir;
  final Path driver;
  final Path python;
  final FakeDriveServer fake;
  private final List<AutoCloseable> actors = new ArrayList<>();

  private Interop(Path dir, Path logs, Path referenceDir, Path driver, Path python, FakeDriveServer fake) {
    this.dir = dir;
    this.logs = logs;
    this.referenceDir = referenceDir;
    this.driver = driver;
    this.python = python;
    this.fake = fake;
  }

  /** Skips the calling test class (with the reason) when the reference or a suitable Python is missing. */
  static Interop start(Class<?> testClass, Path dir) throws IOException {
    Path archives = Path.of(System.getProperty("syft.reference.archives", "../../shared/reference"));
    Path ref = Path.of(System.getProperty("syft.reference.dir", "target/reference"));
    assumeTrue(Files.isDirectory(ref.resolve("syft-client/syft_client")) && Files.isDirectory(ref.resolve("wcmatch-10.1"))
            && Files.isDirectory(ref.resolve("bracex-2.6")),
        "interop skipped: the reference archives are not unpacked in " + ref + " (the build unpacks them from "
            + archives.toAbsolutePath().normalize() + ", which is " + (Files.isDirectory(archives) ? "there" : "absent")
            + ")");
    PythonFinder.Result py = PythonFinder.find();
    assumeTrue(py.found(), () -> "interop skipped: " + py.whyNot());
    Path driver = Path.of(System.getProperty("syft.interop.driver", "src/test/python/syft_actor.py"));
    FakeDriveServer fake = FakeDriveServer.start();
    Path logs = Path.of(System.getProperty("syft.interop.logs", "target/interop-logs"), testClass.getSimpleName());
    return new Interop(dir, logs.toAbsolutePath(), ref.toAbsolutePath(), driver.toAbsolutePath(), py.python(), fake);
  }

  /** A reference client in its own Python process, logged in as data owner ({@code do}) or scientist ({@code ds}). */
  PyActor python(String email, String role) throws IOException {
    PyActor a = PyActor.start(this, email, dir.resolve("py-" + email));
    synchronized (actors) {
      actors.add(a);
    }
    a.call("login", "role", role, "email", email, "token_path", a.tokenFile().toString());
    return a;
  }

  /** Several reference clients of one role, started and logged in in parallel (most of a start is imports). */
  List<PyActor> pythons(String role, String... emails) throws Exception {
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<PyActor>> started = new ArrayList<>();
      for (String e : emails) {
        started.add(pool.submit(() -> python(e, role)));
      }
      List<PyActor> out = new ArrayList<>();
      for (var f : started) {
        try {
          out.add(f.get());
        } catch (java.util.concurrent.ExecutionException ex) {
          throw ex.getCause() instanceof Exception c ? c : ex;
        }
      }
      return out;
    }
  }

  /** A syft-java client in this JVM over the same fake. */
  Syft java(String email) {
    String uri = "gdrive:?root_url=" + URLEncoder.encode(fake.rootUrl(), StandardCharsets.UTF_8) + "&access_token="
        + URLEncoder.encode(email, StandardCharsets.UTF_8);
    Syft s = Syft.init(email, uri, dir.resolve("java-" + email));
    synchronized (actors) {
      actors.add(s);
    }
    return s;
  }

  /** The content of the one Drive file named {@code name} that {@code owner} owns, read as the owner. */
  byte[] driveFile(String owner, String name) throws IOException, InterruptedException {
    List<FakeDriveServer.FileView> found = fake.files().stream()
        .filter(f -> f.owner().equals(owner) && f.name().equals(name) && !f.trashed()).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one Drive file " + name + " of " + owner + ", found " + found);
    }
    return Exposure.get(fake.rootUrl() + "drive/v3/files/" + found.get(0).id() + "?alt=media", owner);
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (AutoCloseable a : actors.reversed()) {
      try {
        a.close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    fake.close();
    if (first != null) {
      throw first;
    }
  }
}
