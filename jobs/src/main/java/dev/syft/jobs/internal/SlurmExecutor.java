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

  public SlurmExecutor(RunOptions options, SlurmSettings settings) {
    this.options = options;
    this.settings = settings;
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
    PENDING, RUNNING, DONE, FAILED, CANCELLED, TIMED_OUT, NODE_FAILURE;

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
  public Runner.Outcome run(Runner.Plan plan, Sandbox.Probe isolation) throws IOException {
    Runner.Prepared prep = Runner.prepare(plan, isolation);
    Path work = plan.workDir();
    Path ctl = work.resolve("ctl");
    RunLimits lim = plan.options().limits();
    if (settings.timeLimitSeconds() > 0) {
      lim = lim.withTimeout(java.time.Duration.ofSeconds(settings.timeLimitSeconds()));
    }
    Path script = writeScript(plan, prep, ctl, lim);
    List<String> sbatch = new ArrayList<>(List.of("sbatch", "--parsable", "--job-name=syft-" + safe(plan.id()),
        "--output=" + prep.stdout(), "--error=" + prep.stderr(), "--open-mode=append", "--chdir=" + work,
        "--time=" + minutes(lim), "--export=NONE", "--no-requeue"));
    if (settings.partition() != null) {
      sbatch.add("--partition=" + settings.partition());
    }
    if (settings.account() != null) {
      sbatch.add("--account=" + settings.account());
    }
    if (settings.cpus() > 0) {
      sbatch.add("--cpus-per-task=" + settings.cpus());
    }
    if (settings.memoryMb() > 0) {
      sbatch.add("--mem=" + settings.memoryMb());
    }
    sbatch.add(script.toString());
    String out = command(sbatch).trim();
    String slurmId = out.split(";")[0];
    if (!slurmId.matches("[0-9_]+")) {
      throw new JobsException(ErrorCode.JOBS_IO, "sbatch returned no job id: " + out);
    }
    Path idFile = idFile(plan.id());
    Files.createDirectories(idFile.getParent());
    DatasiteFiles.writeAtomic(idFile, slurmId);
    LOG.info("job {} submitted to Slurm as {}", plan.id(), slurmId);
    List<String> notes = new ArrayList<>(prep.notes());
    notes.add("ran on Slurm as job " + slurmId);
    SlurmState st;
    try {
      st = await(slurmId);
    } finally {
      Files.deleteIfExists(idFile);
    }
    Path rcFile = ctl.resolve("rc");
    Integer scriptRc = Files.isRegularFile(rcFile) ? parseInt(Files.readString(rcFile).trim()) : null;
    boolean timedOut = st == SlurmState.TIMED_OUT || (scriptRc != null && scriptRc == TIMEOUT_RC);
    int rc;
    if (scriptRc != null && scriptRc == CONTENT_CHANGED_RC) {
      throw new Runner.ContentChanged("refused to run " + plan.id() + " on the compute node: its files changed after"
          + " approval");
    }
    if (timedOut) {
      rc = -1;
      append(prep.stdout(), Runner.TIMED_OUT);
      append(prep.stderr(), Runner.TIMED_OUT);
      notes.add("stopped after the " + lim.timeout().toSeconds() + " s time limit");
    } else if (st == SlurmState.DONE || (st == SlurmState.FAILED && scriptRc != null)) {
      rc = scriptRc != null ? scriptRc : 0;
    } else {
      rc = -1;
      String why = switch (st) {
        case CANCELLED -> "the Slurm job was cancelled";
        case NODE_FAILURE -> "the Slurm job failed because of a node failure";
        default -> "the Slurm job failed (" + st.name().toLowerCase(java.util.Locale.ROOT) + ")";
      };
      notes.add(why);
      append(prep.stderr(), "\n[syft-java] " + why + "\n");
    }
    truncate(prep.stdout(), lim.logBytes());
    truncate(prep.stderr(), lim.logBytes());
    return new Runner.Outcome(rc, timedOut, isolation.mode().id(), prep.isolationNote() + "; on Slurm", notes,
        prep.stdout(), prep.stderr(), prep.jobDir().resolve("code/outputs"));
  }

  /** Cancels the Slurm job of a running syft job; false when none is known. */
  @Override
  public boolean cancel(String jobId) {
    Path f = idFile(jobId);
    try {
      if (!Files.isRegularFile(f)) {
        return false;
      }
      command(List.of("scancel", Files.readString(f).trim()));
      return true;
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot cancel " + jobId + ": " + e.getMessage());
    }
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
    throw new JobsException(ErrorCode.JOBS_IO, "Slurm does not know job " + slurmId + " any more: " + r.out().trim()
        + " " + a.out().trim());
  }

  private SlurmState await(String slurmId) throws IOException {
    while (true) {
      SlurmState st = state(slurmId);
      if (st.terminal()) {
        return st;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(settings.pollMillis());
      } catch (InterruptedException e) {
        // like a local run, the job does not outlive its runner (the flag is set again after scancel)
        Result r = exec(List.of("scancel", slurmId));
        Thread.currentThread().interrupt();
        throw new JobsException(ErrorCode.JOBS_IO, "interrupted while waiting for Slurm job " + slurmId
            + (r.rc() == 0 ? " (cancelled)" : " (scancel failed: " + r.out().trim() + ")"));
      }
    }
  }

  private Path idFile(String jobId) {
    return settings.stagingDir().resolve("slurm-ids").resolve(safe(jobId));
  }

  private static String safe(String id) {
    return id.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  private static String minutes(RunLimits lim) {
    // Slurm counts whole minutes; the script's own timeout enforces the exact limit first
    long m = (lim.timeout().toSeconds() + 59) / 60 + 1;
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
    s.append("< /dev/null\nrc=$?\n");
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
