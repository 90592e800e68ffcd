package dev.syft.jobs.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.jobs.JobConfig;
import dev.syft.jobs.JobKind;
import dev.syft.jobs.JobsException;
import dev.syft.jobs.SubmitRequest;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.paths.PathFilters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a job folder in the reference's format (JOBS-DATASETS 2.5): {@code config.yaml},
 * {@code run.sh} and {@code code/}, so a Python data owner runs a syft-java job and the reverse.
 */
public final class Submitter {
  private static final Logger LOG = LoggerFactory.getLogger(Submitter.class);
  /** The install source baked into run.sh when nothing better is known. */
  public static final String DEFAULT_INSTALL_SOURCE = "syft-client==0.1.117";
  static final long MAX_BYTES = 64L * 1024 * 1024;
  static final int MAX_FILES = 5000;

  private Submitter() {}

  /** The submission, resolved and validated, before anything is written. */
  public record Prepared(String name, JobKind kind, String entrypoint, Map<String, byte[]> code, boolean folder,
      boolean pyproject, String codePath, List<String> skipped) {}

  /** The job name to use: the given one (validated), or {@code job-<8 hex>}. */
  public static String jobName(String given) {
    if (given == null || given.isBlank()) {
      return "job-" + UUID.randomUUID().toString().substring(0, 8); // no spaces: easy to type and quote-free
    }
    return Names.checkJobName(given);
  }

  public static Prepared prepare(SubmitRequest r) throws IOException {
    String name = jobName(r.name());
    if (r.script() != null) {
      Map<String, byte[]> code = new LinkedHashMap<>();
      code.put("script.sh", r.script().getBytes(StandardCharsets.UTF_8));
      return new Prepared(name, JobKind.BASH, null, code, false, false, null, List.of());
    }
    Path src = r.path().toAbsolutePath().normalize();
    if (!Files.exists(src)) {
      throw new JobsException(ErrorCode.INVALID_JOB, "code path " + src + " does not exist");
    }
    boolean folder = Files.isDirectory(src);
    JobKind kind = r.kind() != null ? r.kind() : infer(src, folder);
    List<String> skipped = new ArrayList<>();
    Map<String, byte[]> code = new TreeMap<>();
    if (folder) {
      if (kind == JobKind.BASH) {
        throw new JobsException(ErrorCode.INVALID_JOB, "a bash job is one script file, not a folder");
      }
      for (String link : DatasiteFiles.links(src)) {
        skipped.add(link + " (a link)");
      }
      long total = 0;
      for (var e : DatasiteFiles.files(src, rel -> !PathFilters.isExcluded(rel)).entrySet()) {
        if (e.getKey().equals("syft.pub.yaml") || e.getKey().endsWith("/syft.pub.yaml")) {
          skipped.add(e.getKey() + " (permission files cannot be submitted)");
          continue;
        }
        byte[] b = Files.readAllBytes(e.getValue());
        total += b.length;
        code.put(e.getKey(), b);
        if (total > MAX_BYTES || code.size() > MAX_FILES) {
          throw new JobsException(ErrorCode.INVALID_JOB, "the folder " + src + " is too large for a job (more than "
              + MAX_BYTES / (1024 * 1024) + " MiB or " + MAX_FILES + " files)");
        }
      }
      if (code.isEmpty()) {
        throw new JobsException(ErrorCode.INVALID_JOB, "the folder " + src + " has no files to submit");
      }
    } else {
      code.put(src.getFileName().toString(), Files.readAllBytes(src));
    }
    String entrypoint = entrypoint(kind, src, folder, r.entrypoint(), code);
    if (kind == JobKind.BASH) {
      byte[] script = code.values().iterator().next();
      code = new LinkedHashMap<>();
      code.put("script.sh", script);
      entrypoint = null;
    }
    boolean pyproject = folder && kind == JobKind.PYTHON && code.containsKey("pyproject.toml");
    if (!skipped.isEmpty()) {
      LOG.warn("not submitted: {}", String.join(", ", skipped));
    }
    return new Prepared(name, kind, entrypoint, code, folder, pyproject, src.toString(), skipped);
  }

  private static JobKind infer(Path src, boolean folder) throws IOException {
    if (!folder) {
      String n = src.getFileName().toString().toLowerCase(Locale.ROOT);
      if (n.endsWith(".py")) {
        return JobKind.PYTHON;
      }
      if (n.endsWith(".sh")) {
        return JobKind.BASH;
      }
      if (n.endsWith(".java") || n.endsWith(".jar")) {
        return JobKind.JAVA;
      }
      throw new JobsException(ErrorCode.INVALID_JOB, "cannot tell the job type of " + src.getFileName()
          + ": use a .py, .sh, .java or .jar file, or say --type python|bash|java");
    }
    List<String> top;
    try (var s = Files.list(src)) {
      top = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).map(p -> p.getFileName().toString())
          .toList();
    }
    if (top.stream().anyMatch(n -> n.endsWith(".py") || n.equals("pyproject.toml"))) {
      return JobKind.PYTHON;
    }
    if (top.stream().anyMatch(n -> n.endsWith(".jar") || n.endsWith(".java"))) {
      return JobKind.JAVA;
    }
    throw new JobsException(ErrorCode.INVALID_JOB, "cannot tell the job type of the folder " + src
        + ": it has no .py, pyproject.toml, .jar or .java file at its top; say --type python|java");
  }

  private static String entrypoint(JobKind kind, Path src, boolean folder, String given, Map<String, byte[]> code) {
    if (kind == JobKind.BASH) {
      return null;
    }
    if (!folder) {
      String n = src.getFileName().toString();
      if (given != null && !given.equals(n)) {
        throw new JobsException(ErrorCode.INVALID_JOB, "the entrypoint of a single-file job is the file itself (" + n + ")");
      }
      if (kind == JobKind.PYTHON && !n.endsWith(".py")) {
        throw new JobsException(ErrorCode.INVALID_JOB, "a Python job file must end in .py: " + n);
      }
      if (kind == JobKind.JAVA && !(n.endsWith(".java") || n.endsWith(".jar"))) {
        throw new JobsException(ErrorCode.INVALID_JOB, "a Java job file must end in .java or .jar: " + n);
      }
      return n;
    }
    if (given != null) {
      String e = given.replace('\\', '/');
      if (e.startsWith("/") || e.contains("..") || !code.containsKey(e)) {
        throw new JobsException(ErrorCode.INVALID_JOB, "entrypoint " + given + " is not a file in " + src);
      }
      if (kind == JobKind.PYTHON && !e.endsWith(".py")) {
        throw new JobsException(ErrorCode.INVALID_JOB, "the entrypoint of a Python job must end in .py: " + given);
      }
      if (kind == JobKind.JAVA && !(e.endsWith(".java") || e.endsWith(".jar"))) {
        throw new JobsException(ErrorCode.INVALID_JOB, "the entrypoint of a Java job must end in .java or .jar: " + given);
      }
      return e;
    }
    List<String> top = code.keySet().stream().filter(k -> !k.contains("/")).toList();
    if (kind == JobKind.PYTHON) {
      if (top.contains("main.py")) {
        return "main.py";
      }
      List<String> py = top.stream().filter(k -> k.endsWith(".py")).toList();
      if (py.size() == 1) {
        return py.get(0);
      }
      throw new JobsException(ErrorCode.INVALID_JOB, "Could not auto-detect entrypoint in " + src + ": no main.py and "
          + (py.isEmpty() ? "no .py file" : py.size() + " .py files") + " at the top; use --entrypoint");
    }
    List<String> jars = top.stream().filter(k -> k.endsWith(".jar")).toList();
    if (jars.size() == 1) {
      return jars.get(0);
    }
    if (top.contains("Main.java")) {
      return "Main.java";
    }
    List<String> java = top.stream().filter(k -> k.endsWith(".java")).toList();
    if (jars.isEmpty() && java.size() == 1) {
      return java.get(0);
    }
    throw new JobsException(ErrorCode.INVALID_JOB, "Could not auto-detect entrypoint in " + src
        + ": expected one .jar (or Main.java) at the top; use --entrypoint");
  }

  /** The {@code config.yaml} model for a prepared submission. */
  public static JobConfig config(Prepared p, Instant now, String installSource, List<String> deps,
      Map<String, List<String>> datasets) {
    List<String> files = new ArrayList<>(p.code().keySet());
    files.sort(null);
    Map<String, Object> headers = new LinkedHashMap<>();
    switch (p.kind()) {
      case PYTHON -> {
        List<String> all = new ArrayList<>();
        all.add(installSource);
        all.addAll(deps);
        return new JobConfig(p.name(), "python", null, null, now, p.entrypoint(), all, files, p.folder(), p.codePath(),
            "local", datasets, headers);
      }
      case BASH -> {
        return new JobConfig(p.name(), "bash", null, null, now, null, List.of(), List.of("script.sh"), false,
            p.codePath(), "local", datasets, headers);
      }
      default -> {
        headers.put(dev.syft.jobs.JobKind.RUNTIME_HEADER, "java");
        return new JobConfig(p.name(), "bash", null, null, now, p.entrypoint(), List.of(), files, p.folder(),
            p.codePath(), "local", datasets, headers);
      }
    }
  }

  /** Double-quotes a word for bash (as the reference quotes dependencies). */
  static String dq(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`") + "\"";
  }

  /** A word as is when it is plain, else single-quoted. */
  static String word(String s) {
    return s.matches("[A-Za-z0-9._/+=:@-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** The {@code run.sh} for a prepared submission. */
  public static String runScript(Prepared p, JobConfig c) {
    StringBuilder s = new StringBuilder();
    switch (p.kind()) {
      case BASH -> {
        return new String(p.code().get("script.sh"), StandardCharsets.UTF_8);
      }
      case PYTHON -> {
        StringBuilder install = new StringBuilder();
        for (String d : c.dependencies()) {
          install.append(' ').append(dq(d));
        }
        s.append("#!/bin/bash\nset -euo pipefail\nexport UV_SYSTEM_PYTHON=false\ncd code\n");
        s.append("if command -v uv >/dev/null 2>&1; then\n");
        s.append("  uv venv --python 3.12\n  source .venv/bin/activate\n");
        if (p.pyproject()) {
          s.append("  uv sync --python 3.12\n");
        }
        s.append("  uv pip install").append(install).append('\n');
        s.append("else\n");
        s.append("  python3 -m venv .venv\n  source .venv/bin/activate\n");
        if (p.pyproject()) {
          s.append("  python -m pip install .\n");
        }
        s.append("  python -m pip install").append(install).append('\n');
        s.append("fi\n");
        s.append("export PYTHONPATH=\".:${PYTHONPATH:-}\"\n");
        s.append("python ").append(word(p.entrypoint())).append('\n');
        return s.toString();
      }
      default -> {
        s.append("#!/bin/bash\nset -euo pipefail\ncd code\n");
        String e = p.entrypoint();
        s.append(e.endsWith(".jar") ? "java -jar " + word(e) : "java " + word(e)).append('\n');
        return s.toString();
      }
    }
  }

  /** Writes the job folder; refuses when it exists. */
  public static void write(Prepared p, JobConfig c, String runSh, Path jobDir) throws IOException {
    if (Files.exists(jobDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new JobsException(ErrorCode.DUPLICATE_JOB, "a job named '" + p.name() + "' already exists at "
          + jobDir.getParent().getParent().getParent().getParent().getParent().getFileName()
          + "; choose another --name");
    }
    Files.createDirectories(jobDir.resolve("code"));
    for (var e : p.code().entrySet()) {
      DatasiteFiles.writeAtomic(jobDir.resolve("code").resolve(e.getKey()), e.getValue());
    }
    DatasiteFiles.writeAtomic(jobDir.resolve("run.sh"), runSh);
    try {
      Files.setPosixFilePermissions(jobDir.resolve("run.sh"), java.nio.file.attribute.PosixFilePermissions.fromString(
          "rwxr-xr-x"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the runner calls bash explicitly anyway
    }
    DatasiteFiles.writeAtomic(jobDir.resolve("config.yaml"), c.render());
  }
}
