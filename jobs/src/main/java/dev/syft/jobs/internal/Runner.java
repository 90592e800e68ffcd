package dev.syft.jobs.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.jobs.Isolation;
import dev.syft.jobs.JobConfig;
import dev.syft.jobs.JobKind;
import dev.syft.jobs.JobsException;
import dev.syft.jobs.RunLimits;
import dev.syft.jobs.RunOptions;
import dev.syft.jobs.SandboxMode;
import dev.syft.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one approved job in a private work folder under {@code <home>/.syft/jobs/work}, never in
 * the folder the submitter can see: the submission is copied there and its hash checked against the
 * approved one, a generated wrapper applies the limits and starts the job (Python and Java jobs from
 * the validated metadata; {@code run.sh} only for bash jobs), inside the sandbox when there is one,
 * with a scrubbed environment. Output is captured with a size cap; the wall-clock limit and the
 * work-folder quota are enforced independently of what the job prints.
 */
public final class Runner {
  private static final Logger LOG = LoggerFactory.getLogger(Runner.class);
  public static final String TIMED_OUT = "\n--- PROCESS TIMED OUT ---\n";
  /** Exit code of the wrapper when the dependencies cannot be installed. */
  static final int DEPS_FAILED = 97;
  private static final long MAX_WORK_ENTRIES = 100_000;
  /** Environment variable marking the processes of an unsandboxed run that has no PID namespace. */
  static final String RUN_MARKER = "SYFT_JOB_RUN";

  private Runner() {}

  /**
   * @param id display id
   * @param config the job's config
   * @param submission the received submission folder
   * @param approvedHash the content hash the approval is bound to
   * @param owner the data owner (SYFTBOX_EMAIL)
   * @param sb the SyftBox folder (SYFTBOX_FOLDER when not isolated)
   * @param datasets datasets the job may read
   * @param workDir a fresh private folder for this run
   */
  public record Plan(String id, JobConfig config, Path submission, String approvedHash, String owner, Path sb,
      List<DatasetRefs.Mountable> datasets, Path workDir, RunOptions options) {}

  /**
   * What happened.
   *
   * @param returnCode exit code, {@code -1} for a timeout, quota kill or runner error
   * @param timedOut the wall-clock limit was hit
   * @param isolation the {@link Isolation#id()} of the run
   * @param isolationNote details
   * @param notes limits hit and other remarks (also written to stderr)
   * @param stdout captured standard output
   * @param stderr captured standard error (with the runner's remarks)
   * @param outputsDir the job's {@code outputs/} folder in the work folder
   */
  public record Outcome(int returnCode, boolean timedOut, String isolation, String isolationNote, List<String> notes,
      Path stdout, Path stderr, Path outputsDir) {}

  /** Thrown when the copied submission does not match the approved hash. */
  public static final class ContentChanged extends JobsException {
    private static final long serialVersionUID = 1L;

    ContentChanged(String message) {
      super(ErrorCode.CONTENT_CHANGED, message);
    }
  }

  /** The message of a refused run; names the fix and the opt-out. */
  public static final String REFUSAL_FIX = "install bubblewrap (apt-get install bubblewrap) or pass --no-sandbox"
      + " / set jobs.require_sandbox: false";

  /**
   * Chooses this run's isolation: the strongest that works here (or exactly the one the options
   * name); without one, refuses when isolation is required, else runs unsandboxed.
   *
   * @param jobId the job, for the refusal message
   * @throws JobsException {@code sandbox-required} when no isolation works and it is required
   */
  public static Sandbox.Probe sandboxFor(RunOptions o, String jobId) {
    if (o.sandbox() == SandboxMode.OFF || o.isolation() == Isolation.NONE) {
      return Sandbox.none("the sandbox is turned off for this run (--no-sandbox)");
    }
    List<Isolation> modes = o.isolation() != null ? List.of(o.isolation())
        : List.of(Isolation.BUBBLEWRAP, Isolation.NAMESPACES);
    List<Sandbox.Probe> probes = new ArrayList<>();
    for (Isolation m : modes) {
      Sandbox.Probe p = Sandbox.probe(m, o.sandboxUid());
      probes.add(p);
      if (p.available()) {
        break;
      }
    }
    return sandboxFor(o, jobId, probes);
  }

  /** The decision for given probe results, strongest first. */
  public static Sandbox.Probe sandboxFor(RunOptions o, String jobId, List<Sandbox.Probe> probes) {
    if (o.sandbox() == SandboxMode.OFF) {
      return Sandbox.none("the sandbox is turned off for this run (--no-sandbox)");
    }
    for (Sandbox.Probe p : probes) {
      if (p.available() && p.mode() != Isolation.NONE) {
        return p;
      }
    }
    String why = String.join("; ", probes.stream().map(p -> p.mode().id() + ": " + p.reason()).toList());
    if (o.sandbox() == SandboxMode.REQUIRE) {
      throw new JobsException(ErrorCode.SANDBOX_REQUIRED, "refusing to run job " + jobId + " on private data without"
          + " isolation (" + why + "): " + REFUSAL_FIX);
    }
    return Sandbox.none("no sandbox works here (" + why + ") and jobs.require_sandbox is false");
  }

  /**
   * A run made ready in its work folder: content copied and checked, wrapper written, sandbox command
   * and scrubbed environment built, log files created. Every executor starts exactly this command.
   *
   * @param marker the value of {@link #RUN_MARKER} in {@code env} when the run has no PID namespace, else null
   */
  public record Prepared(List<String> command, Map<String, String> env, Path jobDir, Path stdout, Path stderr,
      List<String> notes, String isolationNote, String marker, Map<String, String> fileHashes) {}

  public static Outcome run(Plan plan, Sandbox.Probe probe) throws IOException {
    Prepared prep = prepare(plan, probe);
    return runPrepared(plan, probe, prep);
  }

  /**
   * Copies the submission into the work folder, checks it still has the approved hash and prepares
   * the isolated command.
   *
   * @throws ContentChanged when the copy does not have the approved hash
   */
  public static Prepared prepare(Plan plan, Sandbox.Probe probe) throws IOException {
    Path work = plan.workDir();
    Path job = work.resolve("job");
    Path home = Files.createDirectories(work.resolve("home"));
    Path ctl = Files.createDirectories(work.resolve("ctl"));
    Path logs = Files.createDirectories(work.resolve("logs"));
    DatasiteFiles.copyTree(plan.submission(), job, TreeHash::content);
    Map<String, String> fileHashes = TreeHash.fileHashes(job);
    String hash = TreeHash.of(fileHashes);
    if (!hash.equals(plan.approvedHash())) {
      throw new ContentChanged("refused to run " + plan.id() + ": its files changed after approval (approved "
          + shortHash(plan.approvedHash()) + ", now " + shortHash(hash) + ")");
    }
    Files.createDirectories(job.resolve("code/outputs"));
    boolean sandboxed = probe.mode() != Isolation.NONE;
    RunLimits lim = plan.options().limits();
    List<String> notes = new ArrayList<>();
    String isolationNote;
    if (sandboxed) {
      isolationNote = (probe.mode() == Isolation.BUBBLEWRAP ? "bubblewrap" : "namespaces (unshare"
          + (probe.root() ? "" : ", user namespace") + ")") + ": no network, only datasets " + names(plan.datasets())
          + " mounted read-only, uid " + probe.insideUid(plan.options().sandboxUid());
    } else {
      isolationNote = "NOT ISOLATED: " + probe.reason() + (probe.contained()
          ? "; its processes ran in a PID namespace" : "; its processes were tracked and killed");
      notes.add("this job ran without a sandbox (" + probe.reason() + "): it could read the data owner's files"
          + " and environment and use the network");
    }
    Optional<Host.Python> python = Host.python();
    JobKind kind = plan.config().kind();
    if (kind == JobKind.PYTHON && python.isEmpty()) {
      throw new JobsException(ErrorCode.NO_PYTHON, "cannot run " + plan.id() + ": python3 is not installed on this machine");
    }
    // paths as the job sees them
    String jobIn = sandboxed ? Sandbox.JOB : job.toString();
    String shimIn = sandboxed ? Sandbox.SHIM : ctl.resolve("python").toString();
    String homeIn = sandboxed ? Sandbox.HOME : home.toString();
    String sbIn = sandboxed ? Sandbox.SYFTBOX : plan.sb().toString();
    Path shim = Files.createDirectories(ctl.resolve("python/syft_client"));
    try (InputStream in = Runner.class.getResourceAsStream("/dev/syft/jobs/python/syft_client/__init__.py")) {
      if (in == null) {
        throw new JobsException(ErrorCode.JOBS_IO, "the bundled syft_client module is missing from the jar");
      }
      Files.write(shim.resolve("__init__.py"), in.readAllBytes());
    }
    Files.writeString(ctl.resolve("run.sh"), wrapper(plan, kind, lim, jobIn, shimIn));
    Path tmpOutside = Files.createDirectories(work.resolve("tmp"));

    List<String> cmd;
    if (sandboxed) {
      Sandbox.writeEtc(ctl, probe.insideUid(plan.options().sandboxUid()));
      List<Sandbox.Mount> ro = new ArrayList<>();
      // interpreters outside /usr only for the jobs that need them (a shell job has the system's)
      python.ifPresent(py -> {
        if (kind == JobKind.PYTHON && !py.prefix().startsWith("/usr")) {
          ro.add(new Sandbox.Mount(py.prefix(), py.prefix().toString()));
        }
      });
      Path jh = Host.javaHome();
      if (kind == JobKind.JAVA && !jh.startsWith("/usr")) {
        ro.add(new Sandbox.Mount(jh, jh.toString()));
      }
      for (DatasetRefs.Mountable d : plan.datasets()) {
        String base = Sandbox.SYFTBOX + "/" + plan.owner() + "/";
        ro.add(new Sandbox.Mount(d.privateDir(), base + "private/syft_datasets/" + d.name()));
        if (d.mockDir() != null) {
          ro.add(new Sandbox.Mount(d.mockDir(), base + "public/syft_datasets/" + d.name()));
        }
      }
      Sandbox.openUp(ctl);
      int owner = probe.ownerUid(plan.options().sandboxUid());
      if (owner > 0) {
        Sandbox.chownTree(job, owner);
        Sandbox.chownTree(home, owner);
      }
      cmd = Sandbox.command(probe, new Sandbox.Spec(job, home, ctl, Files.createDirectories(work.resolve("root")), ro,
          lim.fileBytes(), plan.options().sandboxUid()));
    } else {
      cmd = Sandbox.command(probe, new Sandbox.Spec(job, home, ctl, null, List.of(), lim.fileBytes(),
          plan.options().sandboxUid()));
    }

    Map<String, String> env = new LinkedHashMap<>();
    List<String> path = new ArrayList<>();
    python.ifPresent(py -> path.add(py.binDir().toString()));
    path.add(Host.javaHome().resolve("bin").toString());
    path.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin"));
    env.put("PATH", String.join(":", path));
    env.put("HOME", homeIn);
    env.put("LANG", "C.UTF-8");
    env.put("TMPDIR", sandboxed ? "/tmp" : tmpOutside.toString());
    env.put("SYFT_IS_IN_JOB", "true");
    env.put("SYFTBOX_FOLDER", sbIn);
    env.put("SYFTBOX_EMAIL", plan.owner());
    env.put("PYTHONUNBUFFERED", "1");
    String marker = null;
    if (!probe.contained()) {
      // no PID namespace: processes that left the job's session are found by this inherited variable
      marker = java.util.UUID.randomUUID().toString();
      env.put(RUN_MARKER, marker);
    }

    Path stdout = logs.resolve("stdout.txt");
    Path stderr = logs.resolve("stderr.txt");
    if (!sandboxed) {
      Files.writeString(stderr, "[syft-java] WARNING: " + notes.get(0) + "\n");
    } else {
      Files.writeString(stderr, "");
    }
    Files.writeString(stdout, "");
    return new Prepared(cmd, env, job, stdout, stderr, notes, isolationNote, marker, fileHashes);
  }

  private static Outcome runPrepared(Plan plan, Sandbox.Probe probe, Prepared prep) throws IOException {
    List<String> cmd = prep.command();
    Map<String, String> env = prep.env();
    Path job = prep.jobDir();
    Path stdout = prep.stdout();
    Path stderr = prep.stderr();
    List<String> notes = prep.notes();
    String isolationNote = prep.isolationNote();
    String marker = prep.marker();
    Path home = plan.workDir().resolve("home");
    RunLimits lim = plan.options().limits();
    boolean sandboxed = probe.mode() != Isolation.NONE;
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(job.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    LOG.info("running {} ({})", plan.id(), sandboxed ? probe.mode().id() : "NOT isolated");
    Process p = pb.start();
    Pump outPump = new Pump(p.getInputStream(), stdout, lim.logBytes()).start("job-stdout");
    Pump errPump = new Pump(p.getErrorStream(), stderr, lim.logBytes()).start("job-stderr");
    long deadline = System.nanoTime() + lim.timeout().toNanos();
    // without a PID namespace, remember every process the job had: one that leaves its session is still known
    java.util.Set<ProcessHandle> seen = new java.util.HashSet<>();
    boolean timedOut = false;
    String quota = null;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          timedOut = true;
          break;
        }
        if (!probe.contained()) {
          p.descendants().forEach(seen::add);
        }
        if (p.waitFor(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200), TimeUnit.MILLISECONDS)) {
          break;
        }
        long[] used = sum(DatasiteFiles.usage(job, lim.workBytes(), MAX_WORK_ENTRIES), DatasiteFiles.usage(home, lim.workBytes(),
            MAX_WORK_ENTRIES));
        if (used[0] > lim.workBytes() || used[1] > MAX_WORK_ENTRIES) {
          quota = "the job used more than " + lim.workBytes() + " bytes (or " + MAX_WORK_ENTRIES
              + " files) in its work folder and was stopped";
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      quota = "the runner was interrupted";
    }
    // on a limit, and also after a normal exit: stray background processes of the job go too
    if (marker != null) {
      seen.addAll(marked(marker));
    }
    killTree(p, probe.contained(), seen);
    if (marker != null) {
      marked(marker).forEach(ProcessHandle::destroyForcibly); // what was forked while the others died
    }
    // the logs are read only once the pumps have copied everything the job wrote
    finish(outPump, probe.contained(), System::nanoTime);
    finish(errPump, probe.contained(), System::nanoTime);
    int rc;
    if (timedOut) {
      rc = -1;
      append(stdout, TIMED_OUT);
      append(stderr, TIMED_OUT);
      notes.add("stopped after the " + lim.timeout().toSeconds() + " s time limit");
    } else if (quota != null) {
      rc = -1;
      append(stderr, "\n[syft-java] " + quota + "\n");
      notes.add(quota);
    } else {
      rc = p.exitValue();
      if (rc == DEPS_FAILED) {
        notes.add("the job's dependencies could not be installed (jobs run without network)");
      } else if (rc > 128 && rc < 160) {
        String why = switch (rc - 128) {
          case 9 -> "SIGKILL";
          case 24 -> "SIGXCPU: the CPU time limit";
          case 25 -> "SIGXFSZ: the file size limit";
          case 11 -> "SIGSEGV";
          case 6 -> "SIGABRT";
          default -> "signal " + (rc - 128);
        };
        notes.add("the job was killed by " + why);
        append(stderr, "\n[syft-java] the job was killed by " + why + "\n");
      }
    }
    return new Outcome(rc, timedOut, probe.mode().id(), isolationNote, notes, stdout, stderr,
        job.resolve("code/outputs"));
  }

  private static String names(List<DatasetRefs.Mountable> ds) {
    return ds.isEmpty() ? "(none)" : String.join(", ", ds.stream().map(DatasetRefs.Mountable::name).toList());
  }

  /** Processes whose environment holds {@code RUN_MARKER=marker} (readable for the runner's own uid or root). */
  static List<ProcessHandle> marked(String marker) {
    byte[] needle = (RUN_MARKER + "=" + marker).getBytes(StandardCharsets.UTF_8);
    List<ProcessHandle> out = new ArrayList<>();
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : procs) {
        try {
          byte[] env = Files.readAllBytes(d.resolve("environ"));
          if (indexOf(env, needle) >= 0) {
            ProcessHandle.of(Long.parseLong(d.getFileName().toString())).ifPresent(out::add);
          }
        } catch (IOException | NumberFormatException e) {
          // gone, or not ours to read
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list /proc: {}", e.getMessage());
    }
    return out;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (i > 0 && hay[i - 1] != 0) {
        continue; // variables start after a NUL
      }
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static long[] sum(long[] a, long[] b) {
    return new long[] {a[0] + b[0], a[1] + b[1]};
  }

  static String shortHash(String h) {
    return h == null ? "none" : h.substring(0, Math.min(12, h.length()));
  }

  /**
   * Kills the process and everything it started. In a PID namespace that is everything: the
   * namespace dies with its init. Otherwise the job's process group goes, with every descendant seen
   * during the run; a process that left both (double fork and {@code setsid} between two looks) is missed.
   */
  static void killTree(Process p, boolean contained, java.util.Set<ProcessHandle> seen) {
    List<ProcessHandle> kids = new ArrayList<>(p.descendants().toList());
    kids.addAll(seen);
    if (!contained) {
      // the job runs in its own session (setsid): kill the whole process group
      try {
        new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        LOG.debug("kill of the process group failed: {}", e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // through the handle: Process.destroyForcibly() also closes the pipes the pumps are still reading,
    // which dropped output the job had written before it exited (empty stdout under load)
    p.toHandle().destroyForcibly();
    kids.forEach(ProcessHandle::destroyForcibly);
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How long a pump of an uncontained run may sit in one read, with nothing arriving, before it is given up. */
  static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * Waits until a pump has copied what the job wrote; called once every process of the run was
   * killed. With a PID namespace nothing can hold the pipe any more, so its end is certain and is
   * waited for however long a loaded machine takes to schedule the pump (a fixed deadline here lost
   * output). Without one, a process that escaped the kill may hold the pipe open forever: the pump is
   * given up once it has sat in one read with nothing arriving for {@link #IDLE_NANOS} (the pipe is
   * empty then), or once its cap is reached (the rest would be dropped anyway).
   *
   * @param nanoClock the clock the idle time is measured with
   * @return whether the pump reached the end of the pipe (else it was given up and writes nothing more)
   */
  static boolean finish(Pump pump, boolean contained, java.util.function.LongSupplier nanoClock) {
    long lastReads = -1;
    long idleSince = 0;
    try {
      while (true) {
        pump.thread.join(200);
        if (pump.thread.getState() == Thread.State.TERMINATED) {
          return true;
        }
        long now = nanoClock.getAsLong();
        if (contained) {
          continue;
        }
        long reads = pump.reads;
        if (pump.full) {
          break;
        }
        if (!pump.reading || reads != lastReads) {
          lastReads = reads; // busy, or not scheduled yet: not idle
          idleSince = now;
        } else if (now - idleSince >= IDLE_NANOS) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pump.abandon();
    if (!pump.full) {
      LOG.warn("a process of the job still holds its output pipe after the run; stopped reading it");
    }
    return false;
  }

  /**
   * Copies a stream into a file up to {@code cap} bytes, then notes the truncation and drains the
   * rest; says whether it waits in a read, so that the runner can tell an idle pipe from a slow pump.
   */
  static final class Pump implements Runnable {
    private final InputStream in;
    private final Path file;
    private final long cap;
    final Thread thread;
    volatile boolean reading;
    volatile long reads;
    volatile boolean full;
    private boolean abandoned; // guarded by this: nothing is written once the runner gave up

    Pump(InputStream in, Path file, long cap) {
      this.in = in;
      this.file = file;
      this.cap = cap;
      this.thread = Thread.ofVirtual().unstarted(this);
    }

    Pump start(String name) {
      thread.setName(name);
      thread.start();
      return this;
    }

    @Override
    public void run() {
      long written = 0;
      byte[] buf = new byte[16 * 1024];
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
        while (true) {
          reading = true;
          int n = in.read(buf);
          reads++;
          reading = false;
          if (n < 0) {
            break;
          }
          if (full) {
            continue; // drain: the job must not block on a full pipe
          }
          int k = (int) Math.min(n, cap - written);
          synchronized (this) {
            if (abandoned) {
              break;
            }
            out.write(buf, 0, k);
            written += k;
            if (k < n) {
              out.write(("\n--- OUTPUT TRUNCATED: only the first " + cap + " bytes were kept ---\n")
                  .getBytes(StandardCharsets.UTF_8));
              full = true;
            }
            out.flush();
          }
        }
      } catch (IOException e) {
        LOG.debug("job output pipe closed: {}", e.getMessage());
      } finally {
        reading = false;
      }
    }

    /** Stops the pump: it writes nothing more, and a read not yet begun fails. */
    void abandon() {
      synchronized (this) {
        abandoned = true;
      }
      try {
        in.close();
      } catch (IOException e) {
        LOG.debug("closing a job pipe: {}", e.getMessage());
      }
    }
  }

  private static void append(Path f, String text) throws IOException {
    Files.writeString(f, text, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
  }

  // ------------------------------------------------------------------ the wrapper script

  /** Single-quotes a word for bash. */
  static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** The script that applies the limits and starts the job (read-only inside the sandbox). */
  static String wrapper(Plan plan, JobKind kind, RunLimits lim, String jobIn, String shimIn) throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/bash\n# generated by syft-java for job ").append(plan.id().replace('\n', ' ')).append('\n');
    s.append("ulimit -c 0\n");
    s.append("ulimit -t ").append(Math.max(1, lim.cpu().toSeconds())).append('\n');
    s.append("ulimit -f ").append(Math.max(1, lim.fileBytes() / 1024)).append('\n');
    int procs = kind == JobKind.JAVA ? lim.processes() + 256 : lim.processes();
    s.append("ulimit -u ").append(procs).append('\n');
    if (kind != JobKind.JAVA) {
      s.append("ulimit -v ").append(Math.max(16 * 1024, lim.memoryBytes() / 1024)).append('\n');
    }
    s.append("set -euo pipefail\n");
    JobConfig c = plan.config();
    switch (kind) {
      case BASH -> {
        s.append("cd ").append(q(jobIn)).append('\n');
        s.append("unset OLDPWD\nexec /bin/bash ").append(q(jobIn + "/run.sh")).append('\n');
      }
      case JAVA -> {
        long heapMb = Math.max(32, lim.memoryBytes() / (1024 * 1024) / 2);
        s.append("cd ").append(q(jobIn + "/code")).append('\n');
        s.append("unset OLDPWD\nexec java -Xmx").append(heapMb).append("m -XX:+UseSerialGC -XX:TieredStopAtLevel=1")
            .append(" -XX:MaxMetaspaceSize=256m -XX:ReservedCodeCacheSize=64m -Djava.io.tmpdir=\"${TMPDIR:-/tmp}\" ");
        String e = c.entrypoint();
        s.append(e.endsWith(".jar") ? "-jar " + q(e) : q(e)).append('\n');
      }
      case PYTHON -> {
        Path code = plan.submission().resolve("code");
        List<String> deps = new ArrayList<>(pythonDependencies(c));
        if (Files.isRegularFile(code.resolve("pyproject.toml"))) {
          deps.addAll(Pyproject.dependencies(Files.readString(code.resolve("pyproject.toml"))));
        }
        s.append("cd ").append(q(jobIn + "/code")).append('\n');
        s.append("PY=python3\n");
        if (!deps.isEmpty()) {
          // system site-packages: requirements already installed on this machine resolve offline
          s.append("python3 -m venv --without-pip --system-site-packages ").append(q(jobIn + "/.venv")).append('\n');
          s.append("PY=").append(q(jobIn + "/.venv/bin/python")).append('\n');
          s.append("if ! \"$PY\" -m pip install --no-input --disable-pip-version-check --retries 0 --timeout 5 -q --");
          for (String d : deps) {
            s.append(' ').append(q(d));
          }
          s.append("; then\n  echo '[syft-java] installing the dependencies failed: jobs run without network, so only"
              + " packages already installed on the data owner machine can be used' >&2\n  exit ")
              .append(DEPS_FAILED).append("\nfi\n");
        }
        String pp = shimIn + ":" + jobIn + "/code" + (Files.isDirectory(code.resolve("src")) ? ":" + jobIn + "/code/src" : "");
        s.append("export PYTHONPATH=").append(q(pp)).append('\n');
        s.append("unset OLDPWD\nexec \"$PY\" ").append(q(c.entrypoint())).append('\n');
      }
    }
    return s.toString();
  }

  /**
   * The requirements a Python job installs here: its dependencies without the syft-client install
   * source (the first entry), which syft-java replaces with its bundled {@code syft_client} module.
   */
  public static List<String> pythonDependencies(JobConfig c) {
    List<String> d = new ArrayList<>(c.dependencies());
    if (!d.isEmpty() && isInstallSource(d.get(0))) {
      d.remove(0);
    }
    return d;
  }

  static boolean isInstallSource(String dep) {
    String x = dep.toLowerCase(java.util.Locale.ROOT);
    return x.contains("syft-client") || x.contains("syft_client");
  }
}
