package dev.syft.interop;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds a Python that can run the reference (3.10+ with pydantic 2) the way a build machine would:
 * {@code $SYFT_INTEROP_PYTHON}, then {@code PATH}, then the usual install folders (pyenv, /usr/local,
 * /opt). The first one that passes a probe wins.
 */
final class PythonFinder {
  /** A usable interpreter, or why there is none. */
  record Result(Path python, String description, String whyNot) {
    boolean found() {
      return python != null;
    }
  }

  private static final String PROBE = "import sys, pydantic; "
      + "print('%d.%d %s' % (sys.version_info[0], sys.version_info[1], pydantic.VERSION))";

  private PythonFinder() {}

  static Result find() {
    List<String> rejected = new ArrayList<>();
    for (Path p : candidates()) {
      Optional<String> probe = probe(p);
      if (probe.isEmpty()) {
        rejected.add(p + " (no pydantic or not runnable)");
        continue;
      }
      String[] v = probe.get().split(" ");
      String[] mm = v[0].split("\\.");
      int major = Integer.parseInt(mm[0]);
      int minor = Integer.parseInt(mm[1]);
      boolean recent = major > 3 || (major == 3 && minor >= 10);
      if (recent && v.length > 1 && v[1].startsWith("2.")) {
        return new Result(p, p + " (Python " + v[0] + ", pydantic " + v[1] + ")", null);
      }
      rejected.add(p + " (Python " + v[0] + ", pydantic " + (v.length > 1 ? v[1] : "?") + ")");
    }
    return new Result(null, null, "no Python 3.10+ with pydantic 2 found (set SYFT_INTEROP_PYTHON); tried: "
        + (rejected.isEmpty() ? "nothing on PATH or in the usual folders" : String.join(", ", rejected)));
  }

  private static Set<Path> candidates() {
    Set<Path> out = new LinkedHashSet<>();
    String forced = System.getenv("SYFT_INTEROP_PYTHON");
    if (forced != null && !forced.isBlank()) {
      out.add(Path.of(forced));
    }
    List<String> names = List.of("python3", "python3.13", "python3.12", "python3.11", "python3.10", "python");
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        for (String n : names) {
          addIfExecutable(out, Path.of(dir.isEmpty() ? "." : dir, n));
        }
      }
    }
    String home = System.getProperty("user.home");
    for (String root : List.of(home + "/.pyenv/versions", "/root/.pyenv/versions", "/opt/pyenv/versions")) {
      for (Path v : children(Path.of(root))) {
        addIfExecutable(out, v.resolve("bin/python3"));
      }
    }
    for (Path v : children(Path.of("/opt"))) {
      addIfExecutable(out, v.resolve("bin/python3"));
    }
    for (String n : names) {
      addIfExecutable(out, Path.of("/usr/local/bin", n));
      addIfExecutable(out, Path.of("/usr/bin", n));
    }
    return out;
  }

  private static List<Path> children(Path dir) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(out::add);
    } catch (IOException e) {
      return out;
    }
    out.sort(java.util.Comparator.reverseOrder()); // newest version first
    return out;
  }

  private static void addIfExecutable(Set<Path> out, Path p) {
    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
      out.add(p);
    }
  }

  private static Optional<String> probe(Path python) {
    try {
      Process p = new ProcessBuilder(python.toString(), "-c", PROBE).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      String s = new String(out, StandardCharsets.UTF_8).trim();
      return p.exitValue() == 0 && s.matches("\\d+\\.\\d+ \\S+") ? Optional.of(s) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
