package dev.syft.jobs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Facts about the machine jobs run on: executables, the Python interpreter, the effective uid. */
public final class Host {
  private static final Logger LOG = LoggerFactory.getLogger(Host.class);
  private static volatile Optional<Python> python;

  private Host() {}

  /** The interpreter behind {@code python3}: its real executable and its installation prefix. */
  public record Python(Path executable, Path prefix, String version) {
    public Path binDir() {
      return executable.getParent();
    }
  }

  /** Finds an executable on the runner's PATH (then the usual folders). */
  public static Optional<Path> which(String name) {
    String path = System.getenv("PATH");
    List<String> dirs = new java.util.ArrayList<>();
    if (path != null) {
      dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The effective uid of this process (-1 when it cannot be told). */
  public static int euid() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer i ? i : -1;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** The Python 3 interpreter jobs use, found once per process. */
  public static Optional<Python> python() {
    Optional<Python> p = python;
    if (p == null) {
      synchronized (Host.class) {
        if (python == null) {
          python = findPython();
        }
        p = python;
      }
    }
    return p;
  }

  private static Optional<Python> findPython() {
    Optional<Path> exe = which("python3");
    if (exe.isEmpty()) {
      return Optional.empty();
    }
    try {
      Process pr = new ProcessBuilder(exe.get().toString(), "-c",
          "import os, sys; print(os.path.realpath(sys.executable)); print(sys.base_prefix);"
              + " print('%d.%d.%d' % sys.version_info[:3])")
          .redirectErrorStream(true).start();
      pr.getOutputStream().close();
      byte[] out = pr.getInputStream().readNBytes(64 * 1024);
      if (!pr.waitFor(30, TimeUnit.SECONDS)) {
        pr.destroyForcibly();
        return Optional.empty();
      }
      List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
      if (pr.exitValue() != 0 || lines.size() < 3) {
        return Optional.empty();
      }
      return Optional.of(new Python(Path.of(lines.get(0)), Path.of(lines.get(1)).toRealPath(), lines.get(2)));
    } catch (IOException e) {
      LOG.debug("python3 could not be started: {}", e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The Java installation jobs of kind java use: the runner's own. */
  public static Path javaHome() {
    return Path.of(System.getProperty("java.home"));
  }
}
