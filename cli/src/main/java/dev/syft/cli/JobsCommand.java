package dev.syft.cli;

import dev.syft.core.SyftClient;
import dev.syft.jobs.ApprovalPolicy;
import dev.syft.jobs.CollectResult;
import dev.syft.jobs.JobDetails;
import dev.syft.jobs.JobFile;
import dev.syft.jobs.JobGroup;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.JobKind;
import dev.syft.jobs.JobLogs;
import dev.syft.jobs.JobStatus;
import dev.syft.jobs.Jobs;
import dev.syft.jobs.Release;
import dev.syft.jobs.ReleaseFile;
import dev.syft.jobs.RunOptions;
import dev.syft.jobs.RunResult;
import dev.syft.jobs.SandboxMode;
import dev.syft.jobs.SubmitRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "jobs", mixinStandardHelpOptions = true,
    description = "Submit code to data owners; review, run and release results of jobs sent to you.",
    subcommands = {JobsCommand.Submit.class, JobsCommand.ListCmd.class, JobsCommand.Show.class,
        JobsCommand.Approve.class, JobsCommand.Reject.class, JobsCommand.Run.class, JobsCommand.Cancel.class,
        JobsCommand.Logs.class,
        JobsCommand.Outputs.class, JobsCommand.Share.class, JobsCommand.Rerun.class, JobsCommand.Deposit.class,
        JobsCommand.Group.class, JobsCommand.Collect.class, JobsCommand.PolicyCmd.class, JobsCommand.SandboxCmd.class},
    footer = {"", "Job ids: <submitter>/<job> on your datasite, <owner>/<submitter>/<job> for jobs you submitted;",
        "any unambiguous part (e.g. the job name) works.", "", "Examples:",
        "  syft jobs submit --to do@hospital.example analysis.py --name mean-age --home ~/ds",
        "  syft sync --home ~/do && syft jobs list --home ~/do",
        "  syft jobs show ds@uni.example/mean-age --home ~/do",
        "  syft jobs approve ds@uni.example/mean-age --reason 'aggregate only' --home ~/do",
        "  syft jobs run ds@uni.example/mean-age --home ~/do",
        "  syft jobs share ds@uni.example/mean-age --home ~/do && syft sync --home ~/do   (outputs; --logs adds logs)",
        "  syft sync --home ~/ds && syft jobs outputs mean-age --home ~/ds"})
final class JobsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Opens the client of {@code home}, runs {@code work} on its jobs and closes it. */
  static <T> T withJobs(HomeOption home, Function<Jobs, T> work) {
    try (SyftClient c = SyftClient.open(home.resolve())) {
      return work.apply(Jobs.of(c));
    }
  }

  /**
   * Expands what a person typed into a job id: an id the library resolves as it is (full id, name,
   * owner/name) is passed on unchanged; otherwise a unique job whose id or name starts with, or whose
   * name contains, the text (e.g. the 8 hex digits of a default name) is chosen, and several matches are
   * listed in the error.
   */
  static String expand(Jobs jobs, String typed) {
    if (typed == null || typed.isBlank()) {
      return typed;
    }
    String t = typed.strip();
    List<JobInfo> all = jobs.listWithoutHashes();
    boolean exact = all.stream().anyMatch(j -> j.id().equals(t) || j.name().equals(t) || j.id().endsWith("/" + t));
    if (exact) {
      return t;
    }
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    List<JobInfo> hits = all.stream().filter(j -> j.id().toLowerCase(java.util.Locale.ROOT).startsWith(lower)
        || j.name().toLowerCase(java.util.Locale.ROOT).contains(lower)).toList();
    if (hits.size() == 1) {
      return hits.get(0).id();
    }
    if (hits.size() > 1) {
      throw new dev.syft.protocol.SyftException("ambiguous-job", "'" + t + "' matches " + hits.size() + " jobs: "
          + String.join(", ", hits.stream().map(JobInfo::id).toList()) + "; give more of the id");
    }
    return t; // the library names the miss
  }

  static String or(java.time.Instant t, String dflt) {
    return t == null ? dflt : t.toString();
  }

  static String or(String s, String dflt) {
    return s == null || s.isBlank() ? dflt : s;
  }

  static void printInfo(PrintWriter out, JobInfo j) {
    out.println("job        " + j.id());
    out.println("owner      " + j.owner());
    out.println("submitter  " + j.submitter());
    out.println("status     " + j.status() + (j.reviewReason() == null ? "" : "  (" + j.reviewReason() + ")"));
    out.println("kind       " + j.kind() + (j.entrypoint() == null ? "" : ", entrypoint " + j.entrypoint()));
    if (!j.dependencies().isEmpty()) {
      out.println("depends on " + String.join(" ", j.dependencies()));
    }
    out.println("datasets   " + (j.datasets().isEmpty() ? "none" : String.join(", ", j.datasets()))
        + " (" + j.datasetsSource() + ")");
    out.println("submitted  " + or(j.submittedAt(), "?"));
    if (j.approvedAt() != null) {
      out.println("approved   " + j.approvedAt() + " by " + j.approvedBy() + " (" + j.approvalMethod() + ")");
    }
    if (j.rejectedAt() != null) {
      out.println("rejected   " + j.rejectedAt() + " by " + j.rejectedBy());
    }
    if (j.completedAt() != null) {
      out.println("completed  " + j.completedAt() + ", exit code " + j.returnCode());
    }
    if (j.contentHash() != null) {
      out.println("content    " + j.contentHash() + (j.contentChanged() ? "  CHANGED since it was received/approved" : ""));
    }
    if (j.isolation() != null) {
      out.println("last run   " + ("none".equals(j.isolation()) ? "NOT ISOLATED" : "sandboxed") + ": " + j.isolationNote());
    }
    if (!j.outputs().isEmpty() || j.outputsShared() || j.logsShared()) {
      out.println("outputs    " + (j.outputs().isEmpty() ? "none here" : String.join(", ", j.outputs()))
          + (j.owner().equals(j.submitter()) ? "" : "  [outputs " + (j.outputsShared() ? "shared" : "not shared")
              + ", logs " + (j.logsShared() ? "shared" : "not shared") + "]"));
    }
  }

  static void printRun(PrintWriter out, RunResult r) {
    out.println(r.id() + ": " + r.status() + " (exit code " + r.returnCode() + ", "
        + ("none".equals(r.isolation()) ? "NOT isolated" : "isolated with " + r.isolation())
        + (r.timedOut() ? ", timed out" : "") + ")");
    for (String n : r.notes()) {
      out.println("  note: " + n);
    }
    if (!r.outputs().isEmpty()) {
      out.println("  outputs: " + String.join(", ", r.outputs()) + " (hidden from the submitter until 'syft jobs share')");
    }
  }

  // ------------------------------------------------------------------ submit

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = "Submit PATH (a .py, .sh or .java file, or a folder) as a job to one or more data owners; syncs once.",
      footer = {"", "Examples:", "  syft jobs submit --to do@hospital.example main.py --home ~/ds",
          "  syft jobs submit --to do1@a.example,do2@b.example ./analysis --name mr-mean --dep pandas --home ~/ds",
          "  syft jobs submit --to do@hospital.example Count.java --type java --home ~/ds"})
  static final class Submit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--to", required = true, split = ",", paramLabel = "EMAIL",
        description = "Data owner(s); several (comma-separated or repeated) make a map-reduce group.")
    List<String> to;

    @Parameters(paramLabel = "PATH", description = "The code: a file or a folder.")
    Path path;

    @Option(names = "--name", paramLabel = "N", description = "Job name (default: job-<8 hex>).")
    String name;

    @Option(names = "--entrypoint", paramLabel = "F", description = "File to run inside a folder (default: main.py,"
        + " else the only .py; the only .jar).")
    String entrypoint;

    @Option(names = "--type", paramLabel = "TYPE", description = "python, bash or java (default: from the path).")
    JobKind type;

    @Option(names = "--dep", paramLabel = "REQ", description = "A Python requirement (repeatable).")
    List<String> deps = new ArrayList<>();

    @Option(names = "--dataset", paramLabel = "NAME", description = "A dataset of the owner the job reads (repeatable;"
        + " default: the owner detects the names in the code).")
    List<String> datasets = new ArrayList<>();

    @Option(names = "--no-sync", description = "Only write the job; the next sync sends it.")
    boolean noSync;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      JobGroup g = withJobs(home, j -> j.submit(new SubmitRequest(to, path, null, name, entrypoint, type, deps,
          datasets), !noSync));
      if (json) {
        out.println(Json.write(g));
        return Main.EXIT_OK;
      }
      out.println("submitted '" + g.name() + "' to " + String.join(", ", to) + (noSync ? " (sent with the next sync)"
          : "; the data owner sees it after their next sync"));
      if (g.members().size() > 1) {
        out.println("group: " + g.id() + "  ('syft jobs group " + g.id() + "', later 'syft jobs collect " + g.id()
            + " --into DIR')");
      }
      return Main.EXIT_OK;
    }
  }

  // ------------------------------------------------------------------ list / show

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Jobs you received (validating new ones) and jobs you submitted, newest first.")
  static final class ListCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<JobInfo> jobs = withJobs(home, Jobs::list);
      if (json) {
        out.println(Json.write(jobs));
        return Main.EXIT_OK;
      }
      if (jobs.isEmpty()) {
        out.println("no jobs yet (data owners: sync to receive submissions; data scientists: 'syft jobs submit')");
        return Main.EXIT_OK;
      }
      int w = Math.max(20, jobs.stream().mapToInt(j -> j.id().length()).max().orElse(20));
      out.printf("%-" + w + "s  %-9s %-7s %s%n", "ID", "STATUS", "KIND", "SUBMITTED");
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (JobInfo j : jobs) {
        out.printf("%-" + w + "s  %-9s %-7s %s%n", j.id(), j.status(), j.kind(), or(j.submittedAt(), "?"));
        counts.merge(j.status(), 1, Integer::sum);
      }
      List<String> parts = new ArrayList<>();
      counts.forEach((k, v) -> parts.add(v + " " + k));
      out.println(jobs.size() + " job(s): " + String.join(", ", parts));
      return Main.EXIT_OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"Everything to review a job: state, submitter, datasets it reads, what runs, every file"
          + " (size, sha256, text; binary files flagged, never dumped), the content hash an approval binds to,",
          "the logs, and which files 'syft jobs share' would release."})
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      JobDetails d = withJobs(home, j -> j.show(expand(j, id)));
      if (json) {
        out.println(Json.write(d));
        return Main.EXIT_OK;
      }
      JobInfo j = d.info();
      printInfo(out, j);
      out.println("runs       " + d.executes());
      out.println("isolation  " + or(d.info().isolation(), "not run here yet"));
      out.println();
      printFiles(out, d);
      if (d.logs().available()) {
        out.println();
        printLogs(out, d.logs());
      }
      if (j.contentHash() == null) {
        return Main.EXIT_OK; // a job in a replica: its owner decides what is released
      }
      out.println();
      printRelease(out, j, d.release());
      return Main.EXIT_OK;
    }
  }

  /** The file list (the lines the content hash covers), then every file's text or a binary flag. */
  static void printFiles(PrintWriter out, JobDetails d) {
    JobInfo j = d.info();
    out.println("--- files (" + d.files().size() + ", what a run copies and executes)");
    int w = d.files().stream().mapToInt(f -> f.path().length()).max().orElse(10);
    for (JobFile f : d.files()) {
      out.printf("  %-" + w + "s %9d bytes  sha256 %s%s%n", Shown.of(f.path()).text(), f.size(), f.sha256(),
          f.binary() ? "  BINARY" : f.entrypoint() ? "  entrypoint" : "");
    }
    if (j.contentHash() != null) {
      String bound = j.approvedHash() != null ? j.approvedHash() : j.contentHash();
      out.println("content hash " + j.contentHash() + (j.approvedHash() != null
          ? (j.approvedHash().equals(j.contentHash()) ? "  (the approval is bound to it)"
              : "  DIFFERS from the approved " + bound + ": runs are refused")
          : "  (an approval binds to it; runs refuse any other content)"));
    }
    List<JobFile> ordered = new ArrayList<>();
    d.file("config.yaml").ifPresent(ordered::add);
    d.file("run.sh").ifPresent(ordered::add);
    d.files().stream().filter(JobFile::entrypoint).forEach(ordered::add);
    d.files().stream().filter(f -> !ordered.contains(f)).forEach(ordered::add);
    for (JobFile f : ordered) {
      if (f.binary()) {
        out.println("--- " + Shown.of(f.path()).text() + " (" + f.size() + " bytes, BINARY: not shown; sha256 "
            + f.sha256() + ")");
        continue;
      }
      Shown t = Shown.of(f.text());
      List<String> notes = new ArrayList<>();
      notes.add(f.size() + " bytes");
      if (f.entrypoint()) {
        notes.add("entrypoint");
      }
      notes.addAll(t.notes(f.invalidBytes()));
      out.println("--- " + Shown.of(f.path()).text() + " (" + String.join(", ", notes) + ")");
      out.print(t.text().endsWith("\n") || t.text().isEmpty() ? t.text() : t.text() + "\n");
    }
  }

  /** Which files each release would send, and their sizes. */
  static void printRelease(PrintWriter out, JobInfo j, List<ReleaseFile> files) {
    out.println("--- release to " + j.submitter());
    if (files.isEmpty()) {
      out.println("  nothing to release (status " + j.status() + "): results appear after a run and stay hidden"
          + " until 'syft jobs share'");
      return;
    }
    printPart(out, files, Release.OUTPUTS, "'syft jobs share " + j.id() + "' sends");
    printPart(out, files, Release.LOGS, "'--logs' also sends");
  }

  private static void printPart(PrintWriter out, List<ReleaseFile> files, Release part, String label) {
    List<ReleaseFile> mine = files.stream().filter(f -> f.part() == part).toList();
    boolean released = !mine.isEmpty() && mine.stream().allMatch(ReleaseFile::released);
    long total = mine.stream().mapToLong(ReleaseFile::size).sum();
    String what = part == Release.OUTPUTS ? "outputs" : "logs";
    out.println("  " + (released ? what + " ALREADY RELEASED" : label) + " (" + mine.size() + " file(s), " + total
        + " bytes)" + (mine.isEmpty() ? ": no " + what : ":"));
    int w = mine.stream().mapToInt(f -> f.path().length()).max().orElse(10);
    for (ReleaseFile f : mine) {
      out.printf("    %-" + w + "s %9d bytes%n", Shown.of(f.path()).text(), f.size());
    }
  }

  static void printLogs(PrintWriter out, JobLogs l) {
    printStream(out, "stdout", l.stdout(), l.stdoutInvalidBytes());
    printStream(out, "stderr", l.stderr(), l.stderrInvalidBytes());
    out.println("--- exit code " + (l.returnCode() == null ? "?" : l.returnCode()));
  }

  private static void printStream(PrintWriter out, String name, String text, int invalid) {
    Shown t = Shown.of(text == null ? "" : text);
    List<String> notes = t.notes(invalid);
    out.println("--- " + name + (notes.isEmpty() ? "" : " (" + String.join(", ", notes)
        + "; the file itself is released byte for byte)"));
    out.print(t.text().endsWith("\n") || t.text().isEmpty() ? t.text() : t.text() + "\n");
  }

  /**
   * Text made safe for a terminal: control characters (except tab and newline), lone carriage
   * returns and bidirectional overrides could hide or reorder what a reviewer sees, so they are
   * shown as {@code \\u{XX}} escapes and counted.
   */
  record Shown(String text, int escaped) {
    static Shown of(String s) {
      StringBuilder b = new StringBuilder(s.length());
      int escaped = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean crlf = c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n';
        boolean hide = (c < 0x20 && c != '\n' && c != '\t' && !crlf) || (c >= 0x7f && c <= 0x9f)
            || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
            || c == 0x061c;
        if (hide) {
          b.append("\\u{").append(Integer.toHexString(c)).append('}');
          escaped++;
        } else {
          b.append(c);
        }
      }
      return new Shown(b.toString(), escaped);
    }

    List<String> notes(int invalidBytes) {
      List<String> n = new ArrayList<>();
      if (invalidBytes > 0) {
        n.add("NOT VALID UTF-8: " + invalidBytes + " invalid byte sequence(s) shown as U+FFFD");
      }
      if (escaped > 0) {
        n.add(escaped + " control character(s) shown as \\u{..}");
      }
      return n;
    }
  }

  // ------------------------------------------------------------------ review

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve a pending job (bound to the hash of all its files).")
  static final class Approve implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--reason", paramLabel = "R", description = "Recorded in state.yaml; the submitter sees it.")
    String reason;

    @Override
    public Integer call() {
      JobInfo j = withJobs(home, jobs -> jobs.approve(expand(jobs, id), reason));
      spec.commandLine().getOut().println("approved " + j.id() + " (content " + j.approvedHash().substring(0, 12)
          + "); run it with 'syft jobs run " + j.id() + "'");
      return Main.EXIT_OK;
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a pending job with a reason.")
  static final class Reject implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--reason", required = true, paramLabel = "R", description = "Why; the submitter sees it.")
    String reason;

    @Override
    public Integer call() {
      JobInfo j = withJobs(home, jobs -> jobs.reject(expand(jobs, id), reason));
      spec.commandLine().getOut().println("rejected " + j.id() + "; the submitter sees it after your next sync");
      return Main.EXIT_OK;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = {"Cancel a running job of your datasite on its executor (with jobs.executor: slurm, scancel).",
          "The run then ends as failed (cancelled); nothing is released."},
      footer = {"", "Example:", "  syft jobs cancel ds@uni.example/mean-age --home ~/do"})
  static final class Cancel implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      String full = withJobs(home, jobs -> {
        String e = expand(jobs, id);
        jobs.cancel(e);
        return e;
      });
      spec.commandLine().getOut().println("cancel requested for " + full + "; it ends as failed (cancelled)");
      return Main.EXIT_OK;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run an approved job (or every approved job) now, isolated: bubblewrap, else Linux namespaces"
          + " (unshare). Without either the run is refused unless --no-sandbox or jobs.require_sandbox: false.",
          "Exit code 1 when a job failed or was refused. Results stay hidden from the submitter until 'syft jobs share'."},
      footer = {"", "Examples:", "  syft jobs run ds@uni.example/mean-age --home ~/do",
          "  syft jobs run --timeout 60 --home ~/do              every approved job",
          "  syft jobs run mean-age --no-sandbox --home ~/do     no isolation: the job can read your files"})
  static final class Run implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "The job (default: all approved jobs).")
    String id;

    @Option(names = "--timeout", paramLabel = "SECONDS",
        description = "Wall-clock limit (default: $SYFT_DEFAULT_JOB_TIMEOUT_SECONDS, else 600).")
    Long timeout;

    @Option(names = "--require-sandbox",
        description = "Refuse to run without isolation even if config.yaml sets jobs.require_sandbox: false.")
    boolean requireSandbox;

    @Option(names = "--no-sandbox", description = {"Run without isolation: the job can read your files and use the"
        + " network (its processes are still all killed when it ends). For machines with neither bubblewrap nor"
        + " user namespaces; prefer 'apt-get install bubblewrap'."})
    boolean noSandbox;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<RunResult> results = withJobs(home, jobs -> {
        RunOptions o = jobs.options();
        if (timeout != null) {
          if (timeout < 1) {
            throw new UsageException("--timeout must be at least 1 second");
          }
          o = o.withLimits(o.limits().withTimeout(Duration.ofSeconds(timeout)));
        }
        if (requireSandbox && noSandbox) {
          throw new UsageException("--require-sandbox and --no-sandbox contradict each other");
        }
        if (requireSandbox) {
          o = o.withSandbox(SandboxMode.REQUIRE);
        }
        if (noSandbox) {
          o = o.withSandbox(SandboxMode.OFF);
        }
        Jobs j = jobs.withOptions(o);
        return id == null ? j.runApproved() : List.of(j.run(expand(j, id)));
      });
      if (json) {
        out.println(Json.write(results));
      } else if (results.isEmpty()) {
        out.println("no approved jobs to run");
      } else {
        results.forEach(r -> printRun(out, r));
        out.println("sync to send the new state to the submitter(s)");
      }
      return results.stream().allMatch(r -> r.status() == JobStatus.DONE) ? Main.EXIT_OK : Main.EXIT_REFUSED;
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "A job's stdout, stderr and exit code.")
  static final class Logs implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      JobLogs l = withJobs(home, j -> j.logs(expand(j, id)));
      if (json) {
        out.println(Json.write(l));
        return Main.EXIT_OK;
      }
      if (!l.available()) {
        out.println(l.hint());
        return Main.EXIT_OK;
      }
      printLogs(out, l);
      return Main.EXIT_OK;
    }
  }

  @Command(name = "outputs", mixinStandardHelpOptions = true, description = "The output files of a job present here.")
  static final class Outputs implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--json", description = "Print JSON (a list of paths).")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<String> files = withJobs(home, j -> j.outputs(expand(j, id)).stream().map(Path::toString).toList());
      if (json) {
        out.println(Json.write(files));
      } else if (files.isEmpty()) {
        out.println("no outputs here yet (not run, not shared, or not synced)");
      } else {
        files.forEach(out::println);
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "share", mixinStandardHelpOptions = true,
      description = {"Release a finished job's outputs to its submitter; its logs only with --logs (stdout often"
          + " holds raw rows). 'syft jobs show ID' lists the files each would send.",
          "Prints exactly the files that leave with your next sync."},
      footer = {"", "Examples:", "  syft jobs share ds@uni.example/mean-age --home ~/do            (outputs only)",
          "  syft jobs share ds@uni.example/mean-age --logs --home ~/do     (outputs and logs)",
          "  syft jobs share ds@uni.example/mean-age --no-outputs --logs --home ~/do  (logs only)"})
  static final class Share implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID") String id;

    @Option(names = "--outputs", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Release outputs/ (default; --no-outputs to keep them).") boolean outputs = true;

    @Option(names = "--logs", description = "Also release stdout, stderr and the exit code.") boolean logs;

    @Override
    public Integer call() {
      Set<Release> parts = EnumSet.noneOf(Release.class);
      if (outputs) {
        parts.add(Release.OUTPUTS);
      }
      if (logs) {
        parts.add(Release.LOGS);
      }
      if (parts.isEmpty()) {
        throw new UsageException("nothing to release: --no-outputs without --logs");
      }
      JobDetails d = withJobs(home, jobs -> {
        JobInfo j = jobs.share(expand(jobs, id), parts);
        return jobs.show(j.id());
      });
      PrintWriter out = spec.commandLine().getOut();
      JobInfo j = d.info();
      List<ReleaseFile> leaving = d.release().stream().filter(f -> parts.contains(f.part())).toList();
      out.println("released " + String.join(" and ", parts.stream().map(p -> p.name().toLowerCase(java.util.Locale.ROOT))
          .toList()) + " of " + j.id() + " to " + j.submitter() + ": " + leaving.size() + " file(s), "
          + leaving.stream().mapToLong(ReleaseFile::size).sum() + " bytes, leave with your next sync");
      for (ReleaseFile f : leaving) {
        out.printf("  %-30s %9d bytes%n", Shown.of(f.path()).text(), f.size());
      }
      if (!logs && !j.logsShared()) {
        out.println("logs stay here (release them with --logs after reading 'syft jobs logs " + j.id() + "')");
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "rerun", mixinStandardHelpOptions = true,
      description = "Put a finished job back to approved; its results are cleared and hidden again.")
  static final class Rerun implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID") String id;

    @Override
    public Integer call() {
      JobInfo j = withJobs(home, jobs -> jobs.rerun(expand(jobs, id)));
      spec.commandLine().getOut().println(j.id() + " is approved again; run it with 'syft jobs run " + j.id() + "'");
      return Main.EXIT_OK;
    }
  }

  @Command(name = "deposit", mixinStandardHelpOptions = true,
      description = "Complete a pending or approved job with a result you provide (hidden until shared).")
  static final class Deposit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(index = "0", paramLabel = "ID") String id;

    @Parameters(index = "1", paramLabel = "FILE", description = "A file or folder, copied into outputs/.") Path file;

    @Override
    public Integer call() {
      JobInfo j = withJobs(home, jobs -> jobs.deposit(expand(jobs, id), file));
      spec.commandLine().getOut().println(j.id() + " is done with " + String.join(", ", j.outputs())
          + "; share it with 'syft jobs share " + j.id() + "'");
      return Main.EXIT_OK;
    }
  }

  // ------------------------------------------------------------------ groups

  @Command(name = "group", mixinStandardHelpOptions = true,
      description = "A job you submitted to several data owners: every member's state.")
  static final class Group implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "GROUP", arity = "0..1", description = "The group id (default: list groups).")
    String id;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      List<JobGroup> groups = withJobs(home, j -> id == null ? j.groups() : List.of(j.group(id)));
      if (json) {
        out.println(Json.write(id == null ? groups : groups.get(0)));
        return Main.EXIT_OK;
      }
      if (groups.isEmpty()) {
        out.println("no groups: submit with --to E1,E2 to fan a job out");
      }
      for (JobGroup g : groups) {
        out.println(g.id() + " (submitted " + g.submittedAt() + ")");
        for (JobInfo m : g.members()) {
          out.printf("  %-40s %s%s%n", m.owner(), m.status(), m.outputs().isEmpty() ? "" : "  outputs: "
              + String.join(", ", m.outputs()));
        }
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "collect", mixinStandardHelpOptions = true,
      description = "Copy the released outputs of every member of a group into DIR/<owner>/. Exit code 1 if some are missing.")
  static final class Collect implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "GROUP") String id;

    @Option(names = "--into", required = true, paramLabel = "DIR") Path into;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin ProgressOption progress;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      CollectResult r;
      try (SyftClient c = SyftClient.open(home.resolve())) {
        c.onProgress(progress.listener(spec.commandLine().getErr(), json));
        r = Jobs.of(c).collect(id, into);
      }
      if (json) {
        out.println(Json.write(r));
      } else {
        for (CollectResult.Member m : r.members()) {
          out.printf("  %-40s %s%n", m.owner(), m.collected() ? m.files().size() + " file(s) -> " + r.into() + "/"
              + m.owner() : m.note());
        }
      }
      return r.complete() ? Main.EXIT_OK : Main.EXIT_REFUSED;
    }
  }

  // ------------------------------------------------------------------ auto-approval

  @Command(name = "policy", mixinStandardHelpOptions = true,
      description = "Standing approvals: future jobs whose content matches exactly are approved automatically.",
      subcommands = {PolicyCmd.Add.class, PolicyCmd.ListPolicies.class, PolicyCmd.Remove.class},
      footer = {"", "Examples:",
          "  syft jobs policy add --from-job ds@uni.example/mean-age --home ~/do      (that submitter only)",
          "  syft jobs policy add --any --files main.py helper.py --name mean --home ~/do",
          "  syft jobs policy list --home ~/do"})
  static final class PolicyCmd implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a policy.")
    static final class Add implements Callable<Integer> {
      @Spec CommandSpec spec;
      @Mixin HomeOption home;

      @Option(names = "--from-job", paramLabel = "ID", description = "Approve jobs with this job's content.")
      String job;

      @Option(names = "--files", arity = "1..*", paramLabel = "F", description = "Approve jobs made of exactly these files.")
      List<Path> files;

      @Option(names = "--peer", paramLabel = "EMAIL", description = "A submitter it applies to (repeatable;"
          + " with --from-job the default is that job's submitter).")
      List<String> peers = new ArrayList<>();

      @Option(names = "--any", description = "Applies to every submitter.")
      boolean any;

      @Option(names = "--name", paramLabel = "N", description = "Policy name (default: from the entrypoint).")
      String name;

      @Option(names = "--entrypoint", paramLabel = "F", description = "With --files: the file run (default: detected).")
      String entrypoint;

      @Option(names = "--dep", paramLabel = "REQ", description = "With --files: a dependency the jobs declare (repeatable).")
      List<String> deps = new ArrayList<>();

      @Option(names = "--json", description = "Print JSON.")
      boolean json;

      @Override
      public Integer call() {
        if ((job == null) == (files == null)) {
          throw new UsageException("give exactly one of --from-job ID or --files F...");
        }
        if (any && !peers.isEmpty()) {
          throw new UsageException("--any and --peer exclude each other");
        }
        if (files != null && peers.isEmpty() && !any) {
          throw new UsageException("say whose jobs it approves: --peer EMAIL or --any");
        }
        ApprovalPolicy p = withJobs(home, j -> job != null ? j.addPolicyFromJob(name, job, peers, any)
            : j.addPolicyFromFiles(name, files, entrypoint, deps, peers, any));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(Json.write(p));
        } else {
          out.println("added policy " + p.name() + " for " + (p.anyPeer() ? "any submitter" : String.join(", ", p.peers()))
              + ": " + p.kind() + " jobs with " + p.files().size() + " file(s), fingerprint " + p.fingerprint().substring(0, 12));
        }
        return Main.EXIT_OK;
      }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List policies.")
    static final class ListPolicies implements Callable<Integer> {
      @Spec CommandSpec spec;
      @Mixin HomeOption home;

      @Option(names = "--json", description = "Print JSON.")
      boolean json;

      @Override
      public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ApprovalPolicy> all = withJobs(home, Jobs::policies);
        if (json) {
          out.println(Json.write(all));
          return Main.EXIT_OK;
        }
        if (all.isEmpty()) {
          out.println("no policies ('syft jobs policy add --help')");
        }
        for (ApprovalPolicy p : all) {
          out.printf("%-20s %-7s %-30s files: %s  (%s)%n", p.name(), p.kind(),
              p.anyPeer() ? "any submitter" : String.join(",", p.peers()), String.join(", ", new java.util.TreeSet<>(
                  p.files().keySet())), p.source());
        }
        return Main.EXIT_OK;
      }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a policy.")
    static final class Remove implements Callable<Integer> {
      @Spec CommandSpec spec;
      @Mixin HomeOption home;

      @Parameters(paramLabel = "NAME") String name;

      @Override
      public Integer call() {
        withJobs(home, j -> {
          j.removePolicy(name);
          return null;
        });
        spec.commandLine().getOut().println("removed policy " + name);
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "sandbox", mixinStandardHelpOptions = true,
      description = "How jobs are isolated here (bubblewrap, namespaces), and why not when they are not.")
  static final class SandboxCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println("sandbox: " + withJobs(home, Jobs::sandboxStatus));
      return Main.EXIT_OK;
    }
  }
}
