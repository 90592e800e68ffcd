package dev.syft.jobs.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.jobs.JobsException;
import dev.syft.jobs.RunLimits;
import dev.syft.jobs.RunOptions;
import dev.syft.protocol.ErrorCode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each approved job as one {@code sbatch} submission. The work folder is staged in the shared
 * staging folder; the batch script checks the content hash again on the compute node, then starts
 * exactly the isolated command of the local executor ({@link Runner#prepare}) under a wall-clock
 * {@code timeout}, and records the exit code. The state comes from {@code squeue}/{@code scontrol}
 * (and {@code sacct} once the controller forgot the job). Cancelling is {@code scancel}.
 *
 * <p>The sandbox probe is made on this machine: compute nodes are expected to have the same
 * bubblewrap/namespace support (a run without it fails on the node with the sandbox's error).
 */
public final class SlurmExecutor implements JobExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(SlurmExecutor.class);
  /** Exit code of the batch script when the content hash does not match on the compute node. */
  static final int CONTENT_CHANGED_RC = 96;
  private static final int TIMEOUT_RC = 124;

  private final RunOptions options;
  private final SlurmSettings settings;
  private final SlurmMonitor monitor;

  public SlurmExecutor(RunOptions options, SlurmSettings settings) {
    this(options, settings, null, null);
  }

  /**
   * @param scheduler runs the polling task (null: one shared daemon thread)
   * @param finishers collects finished jobs (null: virtual threads, {@value SlurmMonitor#MAX_FINISHING} at a time)
   */
  public SlurmExecutor(RunOptions options, SlurmSettings settings, java.util.concurrent.ScheduledExecutorService scheduler,
      java.util.concurrent.Executor finishers) {
    this.options = options;
    this.settings = settings;
    this.monitor = new SlurmMonitor(this::states, scheduler, finishers, java.time.Duration.ofMillis(settings.pollMillis()));
  }

  @Override
  public Sandbox.Probe isolationFor(String jobId) {
    return Runner.sandboxFor(options, jobId);
  }

  @Override
  public Path workRoot(Path local) {
    return settings.stagingDir().resolve("work");
  }

  /** The Slurm job states and what they mean for a syft job. */
  enum SlurmState {
    PENDING, RUNNING, DONE, FAILED, CANCELLED, TIMED_OUT, NODE_FAILURE,
    /** Neither the controller nor accounting knows the job (any more). */
    GONE;

    boolean terminal() {
      return this != PENDING && this != RUNNING;
    }

    /** Maps a Slurm state name ({@code %T} of squeue, {@code JobState} of scontrol, {@code State} of sacct). */
    static SlurmState of(String s) {
      String x = s.trim().split("[ +]")[0];
      return switch (x) {
        case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SUSPENDED",
            "STOPPED", "SPECIAL_EXIT" -> PENDING;
        case "RUNNING", "COMPLETING", "SIGNALING", "STAGE_OUT", "RESIZING" -> RUNNING;
        case "COMPLETED" -> DONE;
        case "CANCELLED", "REVOKED", "PREEMPTED", "DEADLINE" -> CANCELLED;
        case "TIMEOUT" -> TIMED_OUT;
        case "NODE_FAIL", "BOOT_FAIL" -> NODE_FAILURE;
        default -> FAILED; // FAILED, OUT_OF_MEMORY and anything new
      };
    }
  }

  @Override
  public boolean detached() {
    return true;
  }

  @Override
  public Runner.Outcome run(Runner.Plan plan, Sandbox.Probe isolation) throws IOException {
    Submitted s = submit(List.of(plan), isolation).get(0);
    if (s.failure() != null) {
      throw s.failure();
    }
    try {
      return watch(s.ticket()).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** One staged plan: its prepared command, script and limits. */
  private record Staged(int index, Runner.Plan plan, Runner.Prepared prep, Path script, RunLimits lim,
      Sandbox.Probe isolation) {}

  /**
   * Stages every plan and submits them with one {@code sbatch}: a single job, or an array whose task
   * {@code i} runs plan {@code i}. A plan that cannot be staged (e.g. its content changed) fails alone.
   */
  @Override
  public List<Submitted> submit(List<Runner.Plan> plans, Sandbox.Probe isolation) {
    Submitted[] out = new Submitted[plans.size()];
    List<Staged> staged = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      Runner.Plan plan = plans.get(i);
      try {
        Runner.Prepared prep = Runner.prepare(plan, isolation);
        RunLimits lim = limits(plan);
        staged.add(new Staged(i, plan, prep, writeScript(plan, prep, plan.workDir().resolve("ctl"), lim), lim,
            isolation));
      } catch (IOException e) {
        out[i] = new Submitted(null, new JobsException(ErrorCode.JOBS_IO, "cannot stage " + plan.id() + " for Slurm: "
            + e.getMessage(), e));
      } catch (RuntimeException e) {
        out[i] = new Submitted(null, e);
      }
    }
    if (!staged.isEmpty()) {
      try {
        String id = sbatch(staged);
        for (int k = 0; k < staged.size(); k++) {
          Staged st = staged.get(k);
          String sid = staged.size() == 1 ? id : id + "_" + k;
          LOG.info("job {} submitted to Slurm as {}", st.plan().id(), sid);
          out[st.index()] = new Submitted(ticket(st, sid), null);
        }
      } catch (IOException | RuntimeException e) {
        JobsException failure = e instanceof JobsException j ? j : new JobsException(ErrorCode.JOBS_IO, "sbatch failed: "
            + e.getMessage(), e);
        staged.forEach(st -> out[st.index()] = new Submitted(null, failure));
      }
    }
    return List.of(out);
  }

  private RunLimits limits(Runner.Plan plan) {
    RunLimits lim = plan.options().limits();
    if (settings.timeLimitSeconds() > 0) {
      lim = lim.withTimeout(java.time.Duration.ofSeconds(settings.timeLimitSeconds()));
    }
    return lim;
  }

  private SlurmTicket ticket(Staged st, String slurmId) {
    Runner.Prepared p = st.prep();
    return new SlurmTicket(slurmId, st.plan().workDir().toString(), p.jobDir().toString(), p.stdout().toString(),
        p.stderr().toString(), st.isolation().mode().id(), p.isolationNote() + "; on Slurm", p.notes(),
        st.lim().timeout().toSeconds(), st.lim().logBytes(), st.lim().workBytes());
  }

  /** Submits the staged scripts (an array when there are several) and returns the Slurm job id. */
  private String sbatch(List<Staged> staged) throws IOException {
    long maxTimeout = staged.stream().mapToLong(s -> s.lim().timeout().toSeconds()).max().orElse(60);
    // sbatch runs with a scrubbed environment (see exec) and passes that on: not NONE or a list, with
    // which slurmd first loads the user's login environment on the node (seconds per job)
    List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", "--time=" + minutes(maxTimeout),
        "--export=ALL", "--no-requeue"));
    Path script;
    if (staged.size() == 1) {
      Staged s = staged.get(0);
      cmd.addAll(List.of("--job-name=syft-" + safe(s.plan().id()), "--output=" + s.prep().stdout(), "--error="
          + s.prep().stderr(), "--open-mode=append", "--chdir=" + s.plan().workDir()));
      script = s.script();
    } else {
      // one array: task i runs plan i's own script with its own logs
      Path arrays = Files.createDirectories(settings.stagingDir().resolve("arrays"));
      String name = "array-" + java.util.UUID.randomUUID();
      StringBuilder d = new StringBuilder("#!/bin/bash\n# generated by syft-java: one task per approved job\n");
      d.append("case \"${SLURM_ARRAY_TASK_ID:-}\" in\n");
      for (int k = 0; k < staged.size(); k++) {
        Staged s = staged.get(k);
        d.append(k).append(") exec /bin/bash ").append(Runner.q(s.script().toString())).append(" >> ")
            .append(Runner.q(s.prep().stdout().toString())).append(" 2>> ").append(Runner.q(s.prep().stderr().toString()))
            .append(" ;;\n");
      }
      d.append("*) echo \"[syft-java] unknown array task ${SLURM_ARRAY_TASK_ID:-}\" >&2; exit 1 ;;\nesac\n");
      script = arrays.resolve(name + ".sh");
      Files.writeString(script, d);
      cmd.addAll(List.of("--job-name=syft-" + name, "--array=0-" + (staged.size() - 1), "--output="
          + arrays.resolve(name + "_%a.out"), "--chdir=" + arrays));
    }
    if (settings.partition() != null) {
      cmd.add("--partition=" + settings.partition());
    }
    if (settings.account() != null) {
      cmd.add("--account=" + settings.account());
    }
    if (settings.cpus() > 0) {
      cmd.add("--cpus-per-task=" + settings.cpus());
    }
    if (settings.memoryMb() > 0) {
      cmd.add("--mem=" + settings.memoryMb());
    }
    cmd.add(script.toString());
    String out = command(cmd).trim();
    String slurmId = out.split(";")[0];
    if (!slurmId.matches("[0-9]+")) {
      throw new JobsException(ErrorCode.JOBS_IO, "sbatch returned no job id: " + out);
    }
    return slurmId;
  }

  /** Completes with the run's outcome once its Slurm job ended; polling happens elsewhere. */
  @Override
  public java.util.concurrent.CompletableFuture<Runner.Outcome> watch(SlurmTicket t) {
    return monitor.watch(t.slurmId()).thenApply(st -> {
      try {
        return outcome(t, st);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** The run's outcome from the end state Slurm reports and what the batch script left in {@code ctl/}. */
  Runner.Outcome outcome(SlurmTicket t, SlurmState st) throws IOException {
    Path work = Path.of(t.workDir());
    Path ctl = work.resolve("ctl");
    Path job = Path.of(t.jobDir());
    Path stdout = Path.of(t.stdout());
    Path stderr = Path.of(t.stderr());
    List<String> notes = new ArrayList<>(t.notes());
    notes.add("ran on Slurm as job " + t.slurmId());
    Path rcFile = ctl.resolve("rc");
    Integer scriptRc = Files.isRegularFile(rcFile) ? parseInt(Files.readString(rcFile).trim()) : null;
    if (scriptRc != null && scriptRc == CONTENT_CHANGED_RC) {
      throw new Runner.ContentChanged("refused to run it on the compute node (Slurm job " + t.slurmId() + "): its files"
          + " changed after approval");
    }
    long used = DatasiteFiles.usage(job, t.workBytes(), Long.MAX_VALUE)[0]
        + DatasiteFiles.usage(work.resolve("home"), t.workBytes(), Long.MAX_VALUE)[0];
    boolean overQuota = Files.exists(ctl.resolve("quota")) || used > t.workBytes();
    boolean timedOut = !overQuota && (st == SlurmState.TIMED_OUT || (scriptRc != null && scriptRc == TIMEOUT_RC));
    int rc;
    if (overQuota) {
      rc = -1;
      String why = "the job used more than " + t.workBytes() + " bytes in its work folder and was stopped";
      notes.add(why);
      append(stderr, "\n[syft-java] " + why + "\n");
      trimOutputs(job.resolve("code/outputs"), t.workBytes(), notes);
    } else if (timedOut) {
      rc = -1;
      append(stdout, Runner.TIMED_OUT);
      append(stderr, Runner.TIMED_OUT);
      notes.add("stopped after the " + t.timeoutSeconds() + " s time limit");
    } else if (st == SlurmState.DONE || ((st == SlurmState.FAILED || st == SlurmState.GONE) && scriptRc != null)) {
      rc = scriptRc != null ? scriptRc : 0;
    } else {
      rc = -1;
      String why = switch (st) {
        case CANCELLED -> "the Slurm job was cancelled";
        case NODE_FAILURE -> "the Slurm job failed because of a node failure";
        case GONE -> "Slurm no longer knows job " + t.slurmId() + " and it left no exit code";
        default -> "the Slurm job failed (" + st.name().toLowerCase(java.util.Locale.ROOT) + ")";
      };
      notes.add(why);
      append(stderr, "\n[syft-java] " + why + "\n");
    }
    truncate(stdout, t.logBytes());
    truncate(stderr, t.logBytes());
    return new Runner.Outcome(rc, timedOut, t.isolation(), t.isolationNote(), notes, stdout, stderr,
        job.resolve("code/outputs"));
  }

  /** Over the quota nothing beyond it is collected: outputs past the cap (in name order) are deleted. */
  private static void trimOutputs(Path outputs, long cap, List<String> notes) throws IOException {
    long total = 0;
    int dropped = 0;
    for (Map.Entry<String, Path> e : DatasiteFiles.files(outputs, rel -> true).entrySet()) {
      long size = Files.size(e.getValue());
      if (total + size > cap) {
        Files.delete(e.getValue());
        dropped++;
      } else {
        total += size;
      }
    }
    if (dropped > 0) {
      notes.add(dropped + " output file(s) beyond the work-folder quota were not collected");
    }
  }

  /** Cancels the Slurm job of a run ({@code scancel}). */
  @Override
  public boolean cancel(SlurmTicket t) {
    try {
      command(List.of("scancel", t.slurmId()));
      return true;
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot cancel Slurm job " + t.slurmId() + ": " + e.getMessage());
    }
  }

  /** Detaches: stops polling; the Slurm jobs keep running and a later runner re-attaches to them. */
  @Override
  public void close() {
    monitor.close();
  }

  /**
   * The states of several Slurm jobs with one {@code squeue} (array tasks one per line); a job the
   * controller has forgotten is asked of {@code sacct}, and is {@link SlurmState#GONE} when neither knows it.
   *
   * @throws JobsException when Slurm cannot be asked now (e.g. the controller is restarting)
   */
  Map<String, SlurmState> states(List<String> ids) {
    Map<String, SlurmState> out = new LinkedHashMap<>();
    try {
      Result r = exec(List.of("squeue", "--states=all", "--noheader", "--array", "--format=%i|%T", "--jobs="
          + String.join(",", ids)));
      if (r.rc() == 0) {
        for (String line : r.out().lines().toList()) {
          int bar = line.indexOf('|');
          if (bar > 0 && ids.contains(line.substring(0, bar).trim())) {
            out.put(line.substring(0, bar).trim(), SlurmState.of(line.substring(bar + 1)));
          }
        }
      } else if (!unknownJob(r.out())) {
        throw new JobsException(ErrorCode.JOBS_IO, "squeue failed (exit " + r.rc() + "): " + r.out().trim());
      }
      for (String id : ids) {
        if (!out.containsKey(id)) {
          out.put(id, state(id));
        }
      }
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot ask Slurm: " + e.getMessage(), e);
    }
    return out;
  }

  private static boolean unknownJob(String out) {
    return out.contains("Invalid job id");
  }

  /** The state of a Slurm job. */
  SlurmState state(String slurmId) throws IOException {
    Result r = exec(List.of("squeue", "--states=all", "--noheader", "--jobs=" + slurmId, "--format=%T"));
    String s = r.out().trim();
    if (r.rc() == 0 && !s.isEmpty()) {
      return SlurmState.of(s.lines().findFirst().orElse(s));
    }
    // the controller forgot it: accounting knows the end
    Result a = exec(List.of("sacct", "--noheader", "--parsable2", "--jobs=" + slurmId, "--format=State", "-X"));
    if (a.rc() == 0 && !a.out().isBlank()) {
      return SlurmState.of(a.out().lines().findFirst().orElseThrow());
    }
    if (r.rc() == 0 || unknownJob(r.out())) {
      return SlurmState.GONE;
    }
    throw new JobsException(ErrorCode.JOBS_IO, "cannot ask Slurm about job " + slurmId + ": " + r.out().trim());
  }

  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String minutes(long seconds) {
    // Slurm counts whole minutes; the script's own timeout enforces the exact limit first
    long m = (seconds + 59) / 60 + 1;
    return Long.toString(m);
  }

  /** The batch script: content check, then the isolated command under the time limit, then the exit code. */
  private Path writeScript(Runner.Plan plan, Runner.Prepared prep, Path ctl, RunLimits lim) throws IOException {
    Path manifest = ctl.resolve("manifest");
    StringBuilder m = new StringBuilder();
    new java.util.TreeMap<>(prep.fileHashes()).keySet().forEach(p -> m.append(p).append('\0'));
    Files.writeString(manifest, m);
    String q = "'";
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/bash\n# generated by syft-java for job ").append(plan.id().replace('\n', ' ')).append('\n');
    s.append("set -u\nexport LC_ALL=C PATH=/usr/local/bin:/usr/bin:/bin\ncd ").append(Runner.q(prep.jobDir().toString())).append(" || exit 1\n");
    s.append("lines=$(mktemp)\nn=0\n");
    s.append("while IFS= read -r -d '' f; do\n  [ -f \"$f\" ] && [ ! -L \"$f\" ] || { echo \"[syft-java] missing: $f\" >&2;"
        + " exit ").append(CONTENT_CHANGED_RC).append("; }\n");
    s.append("  printf '%s  %s\\n' \"$(sha256sum < \"$f\" | cut -c1-64)\" \"$f\" >> \"$lines\"\n  n=$((n+1))\ndone < ")
        .append(Runner.q(manifest.toString())).append('\n');
    s.append("got=$(sha256sum < \"$lines\" | cut -c1-64)\nrm -f \"$lines\"\n");
    s.append("files=$(find . -type f | wc -l)\n");
    s.append("if [ \"$got\" != ").append(q).append(plan.approvedHash()).append(q).append(" ] || [ \"$files\" != \"$n\" ];"
        + " then\n  echo \"[syft-java] refused: the job's files changed after approval\" >&2\n  echo ")
        .append(CONTENT_CHANGED_RC).append(" > ").append(Runner.q(ctl.resolve("rc").toString())).append("\n  exit ")
        .append(CONTENT_CHANGED_RC).append("\nfi\n");
    long limit = Math.max(1, lim.timeout().toSeconds());
    s.append("start=$SECONDS\n");
    s.append("env -i");
    for (Map.Entry<String, String> e : new LinkedHashMap<>(prep.env()).entrySet()) {
      s.append(' ').append(Runner.q(e.getKey() + "=" + e.getValue()));
    }
    s.append(" timeout --kill-after=3 ").append(limit).append(" ");
    for (String c : prep.command()) {
      s.append(Runner.q(c)).append(' ');
    }
    s.append("< /dev/null &\ncmd=$!\n");
    // the work-folder quota: a watcher stops the command once the job's folders outgrow it
    String homeDir = Runner.q(prep.jobDir().resolveSibling("home").toString());
    s.append("( while sleep 1; do\n  used=$(du -sb . ").append(homeDir)
        .append(" 2>/dev/null | awk '{s+=$1} END {print s+0}')\n  if [ \"$used\" -gt ").append(lim.workBytes())
        .append(" ]; then\n    echo \"$used\" > ").append(Runner.q(ctl.resolve("quota").toString()))
        .append("\n    kill -TERM \"$cmd\" 2>/dev/null; sleep 3; kill -KILL \"$cmd\" 2>/dev/null; exit 0\n  fi\ndone ) &\n");
    s.append("watcher=$!\nwait \"$cmd\"\nrc=$?\nkill \"$watcher\" 2>/dev/null\n");
    // timeout exits 137, not 124, when the job outlived the TERM and needed the KILL
    s.append("if [ \"$rc\" = 137 ] && [ $((SECONDS - start)) -ge ").append(limit).append(" ]; then rc=")
        .append(TIMEOUT_RC).append("; fi\n");
    s.append("echo \"$rc\" > ").append(Runner.q(ctl.resolve("rc.tmp").toString())).append(" && mv ")
        .append(Runner.q(ctl.resolve("rc.tmp").toString())).append(' ').append(Runner.q(ctl.resolve("rc").toString()))
        .append("\nexit \"$rc\"\n");
    Path script = ctl.resolve("slurm.sh");
    Files.writeString(script, s);
    return script;
  }

  private static Integer parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void append(Path f, String text) throws IOException {
    Files.writeString(f, text, java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.CREATE);
  }

  private static void truncate(Path f, long cap) throws IOException {
    if (Files.size(f) > cap) {
      try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
        raf.setLength(cap);
      }
      append(f, "\n--- OUTPUT TRUNCATED: only the first " + cap + " bytes were kept ---\n");
    }
  }

  record Result(int rc, String out) {}

  private String command(List<String> cmd) throws IOException {
    Result r = exec(cmd);
    if (r.rc() != 0) {
      throw new JobsException(ErrorCode.JOBS_IO, cmd.get(0) + " failed (exit " + r.rc() + "): " + r.out().trim());
    }
    return r.out();
  }

  private Result exec(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // none of the daemon's environment (tokens, keys) goes to Slurm, which stores a batch job's environment
    Map<String, String> env = pb.environment();
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    String conf = env.get("SLURM_CONF");
    env.clear();
    env.put("PATH", path);
    if (conf != null) {
      env.put("SLURM_CONF", conf);
    }
    env.put("LC_ALL", "C");
    if (settings.slurmConf() != null) {
      pb.environment().put("SLURM_CONF", settings.slurmConf().toString());
    }
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, cmd.get(0) + " is not available here (is Slurm installed?): "
          + e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new JobsException(ErrorCode.JOBS_IO, cmd.get(0) + " did not answer within 60 s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new JobsException(ErrorCode.JOBS_IO, "interrupted while running " + cmd.get(0));
    }
    return new Result(p.exitValue(), out);
  }
}
