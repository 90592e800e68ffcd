package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.jobs.internal.Layout;
import dev.syft.jobs.internal.Locks;
import dev.syft.jobs.internal.Runner;
import dev.syft.jobs.internal.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Running jobs at the data owner: results, failures, limits, content binding, races and crashes. */
@Timeout(120)
class RunTest {
  @TempDir Path tmp;
  JobsFixture f;

  @BeforeEach
  void setUp() {
    f = new JobsFixture(tmp).connect(DS, DO);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  /** Submits, receives and approves a job; returns its id at the owner. */
  private String approved(String name, SubmitRequest r) {
    f.jobs(DS).submit(r.withName(name));
    f.sync(DO);
    f.jobs(DO).approve(DS + "/" + name, null);
    return DS + "/" + name;
  }

  private String approvedPy(String name, String code) {
    return approved(name, SubmitRequest.of(f.file(name + "/main.py", code), DO));
  }

  private Path review(String name) {
    return f.c.datasite(DO).resolve("app_data/job/review/" + DS + "/" + name);
  }

  @Test
  void aFailingJobIsFailedWithItsOutputAndTraceback() throws Exception {
    String id = approvedPy("boom", "print('before the error')\nraise ValueError('nope')\n");
    RunResult r = f.jobs(DO).run(id);
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(r.returnCode()).isEqualTo(1);
    assertThat(review("boom").resolve("stdout.txt")).content().contains("before the error");
    assertThat(review("boom").resolve("stderr.txt")).content().contains("Traceback", "ValueError: nope");
    assertThat(review("boom").resolve("returncode.txt")).hasContent("1");
    JobState s = JobState.parse(Files.readString(review("boom").resolve("state.yaml")));
    assertThat(s.status()).isEqualTo(JobStatus.FAILED);
    assertThat(s.returnCode()).isEqualTo(1);
    assertThat(s.completedAt()).isNotNull();
  }

  @Test
  void aJobOverItsTimeLimitIsKilledAndFailed() throws Exception {
    String id = approvedPy("loop", "import time\nprint('started', flush=True)\nwhile True:\n    time.sleep(0.05)\n");
    RunOptions quick = f.options.withLimits(f.options.limits().withTimeout(Duration.ofSeconds(5)));
    RunResult r = f.jobs(DO, quick).run(id);
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(r.timedOut()).isTrue();
    assertThat(r.returnCode()).isEqualTo(-1);
    assertThat(review("loop").resolve("stdout.txt")).content().contains("started", "--- PROCESS TIMED OUT ---");
    assertThat(review("loop").resolve("stderr.txt")).content().contains("--- PROCESS TIMED OUT ---");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
  }

  @Test
  void contentSwappedAfterApprovalIsRefused() throws Exception {
    String id = approvedPy("swap", "print('approved code')\n");
    Path code = f.c.datasite(DO).resolve("app_data/job/inbox/" + DS + "/swap/code/main.py");
    Files.writeString(code, "print('swapped code')\n"); // e.g. a tool writing into the inbox behind sync's back
    RunResult r = f.jobs(DO).run(id);
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(String.join(" ", r.notes())).contains("changed after approval");
    JobState s = JobState.parse(Files.readString(review("swap").resolve("state.yaml")));
    assertThat(s.reviewReason()).contains("changed after approval");
    assertThat(review("swap").resolve("stdout.txt")).content().doesNotContain("swapped code");
  }

  @Test
  void twoConcurrentRunnersRunAJobOnce() throws Exception {
    String id = approvedPy("once", "import os\nos.makedirs('outputs', exist_ok=True)\nprint('ran')\n");
    Jobs a = f.jobs(DO);
    Jobs b = f.jobs(DO);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (Jobs j : List.of(a, b)) {
        results.add(pool.submit(() -> {
          go.await();
          try {
            return j.run(id);
          } catch (JobsException e) {
            return e;
          }
        }));
      }
      go.countDown();
      List<Object> out = new ArrayList<>();
      for (Future<Object> r : results) {
        out.add(r.get());
      }
      assertThat(out).filteredOn(RunResult.class::isInstance).hasSize(1);
      assertThat(out).filteredOn(JobsException.class::isInstance).singleElement()
          .satisfies(e -> assertThat(((JobsException) e).code()).isEqualTo("wrong-status"));
    } finally {
      pool.shutdownNow();
    }
    assertThat(review("once").resolve("stdout.txt")).hasContent("ran");
    assertThat(f.jobs(DO).get(id).status()).isEqualTo("done");
  }

  @Test
  void aJobLeftRunningByACrashIsMarkedFailedButALiveRunIsNot() throws Exception {
    String id = approvedPy("crash", "print(1)\n");
    Path state = review("crash").resolve("state.yaml");
    JobState approvedState = JobState.parse(Files.readString(state));
    Files.writeString(state, approvedState.withStatus(JobStatus.RUNNING).render());
    // a live runner holds the run lock: nothing happens
    Layout layout = new Layout(f.c.client(DO).home().dir(), f.c.client(DO).home().stateDir());
    JobId jid = new JobId(DO, DS, "crash");
    try (Locks.Held h = Locks.run(layout.runLock(jid))) {
      assertThat(h).isNotNull();
      assertThat(f.jobs(DO).recoverStale()).isZero();
      assertThat(f.jobs(DO).get(id).status()).isEqualTo("running");
    }
    // the runner is gone: the next start-up (here a sync round) marks it failed
    f.c.restart(DO);
    f.sync(DO);
    JobInfo j = f.jobs(DO).get(id);
    assertThat(j.status()).isEqualTo("failed");
    assertThat(j.returnCode()).isEqualTo(-1);
    assertThat(j.reviewReason()).contains("runner stopped");
    f.sync(DS);
    assertThat(f.jobs(DS).get("crash").status()).isEqualTo("failed");
  }

  @Test
  void rerunClearsResultsAndHidesThemAgain() throws Exception {
    String id = approvedPy("again", "import os\nos.makedirs('outputs', exist_ok=True)\nopen('outputs/x.txt','w').write('x')\n");
    Jobs owner = f.jobs(DO);
    assertThat(owner.run(id).status()).isEqualTo(JobStatus.DONE);
    owner.share(id, java.util.EnumSet.allOf(Release.class));
    assertThat(owner.get(id).outputsShared()).isTrue();
    assertThatThrownBy(() -> owner.run(id)).hasMessageContaining("done");
    JobInfo j = owner.rerun(id);
    assertThat(j.status()).isEqualTo("approved");
    assertThat(j.outputs()).isEmpty();
    assertThat(j.outputsShared()).isFalse();
    assertThat(j.logsShared()).isFalse();
    assertThat(review("again").resolve("stdout.txt")).doesNotExist();
    assertThat(owner.run(id).status()).isEqualTo(JobStatus.DONE);
    assertThat(owner.get(id).outputs()).containsExactly("x.txt");
  }

  @Test
  void depositedResultsAreHiddenUntilShared() throws Exception {
    f.jobs(DS).submit(SubmitRequest.of(f.file("dep/main.py", "print(1)\n"), DO).withName("dep"));
    f.sync(DO);
    Path result = f.file("result.csv", "a,b\n1,2\n");
    JobInfo j = f.jobs(DO).deposit(DS + "/dep", result);
    assertThat(j.status()).isEqualTo("done");
    assertThat(j.returnCode()).isZero();
    assertThat(j.approvedBy()).isEqualTo(DO);
    assertThat(j.outputs()).containsExactly("result.csv");
    assertThat(j.outputsShared()).isFalse();
    f.sync(DO, DS);
    assertThat(f.jobs(DS).outputs("dep")).isEmpty();
    f.jobs(DO).share(DS + "/dep", java.util.EnumSet.of(Release.OUTPUTS));
    f.sync(DO, DS);
    assertThat(f.jobs(DS).outputs("dep")).singleElement().satisfies(p -> assertThat(p).hasContent("a,b\n1,2"));
  }

  @Test
  void aJobReadsTheNamedPrivateDatasetThroughTheBundledSyftClient() throws Exception {
    f.dataset(DO, "census", "private-row-1\nprivate-row-2\n", "mock\n");
    String code = "import os, json\nimport syft_client as sc\n"
        + "p = sc.resolve_dataset_file_path('census')\n"
        + "os.makedirs('outputs', exist_ok=True)\n"
        + "json.dump({'length': len(open(p).read())}, open('outputs/result.json', 'w'))\n";
    String id = approved("census-len", SubmitRequest.of(f.file("cl/main.py", code), DO));
    JobInfo info = f.jobs(DO).get(id);
    assertThat(info.datasets()).containsExactly("census");
    assertThat(info.datasetsSource()).isEqualTo("detected");
    RunResult r = f.jobs(DO).run(id);
    assertThat(r.status()).as(Files.readString(review("census-len").resolve("stderr.txt"))).isEqualTo(JobStatus.DONE);
    assertThat(review("census-len").resolve("outputs/result.json"))
        .hasContent("{\"length\": " + "private-row-1\nprivate-row-2\n".length() + "}");
    // outputs visible to the submitter only after sharing (test_single_file_job_flow_with_dataset)
    f.sync(DO, DS);
    assertThat(f.jobs(DS).get("census-len").outputs()).isEmpty();
    f.jobs(DO).share(id, java.util.EnumSet.of(Release.OUTPUTS));
    f.sync(DO, DS);
    assertThat(f.jobs(DS).get("census-len").outputs()).containsExactly("result.json");
    // the private data itself never reaches the submitter
    try (var walk = Files.walk(f.c.client(DS).home().dir())) {
      assertThat(walk.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.syft/"))
          .map(p -> { try { return Files.readString(p); } catch (Exception e) { return ""; } }))
          .noneMatch(t -> t.contains("private-row-1"));
    }
  }

  @Test
  void folderAndPyprojectJobsImportTheirOwnModules() throws Exception {
    f.file("fold/main.py", "import os, json\nfrom lib import helper\nos.makedirs('outputs', exist_ok=True)\n"
        + "json.dump({'original': 3, 'processed': helper.double(3), 'multiplier': 2}, open('outputs/r.json','w'))\n");
    f.file("fold/lib/__init__.py", "");
    f.file("fold/lib/helper.py", "def double(x):\n    return 2 * x\n");
    String id = approved("fold", SubmitRequest.of(tmp.resolve("src/fold"), DO));
    assertThat(f.jobs(DO).run(id).status()).isEqualTo(JobStatus.DONE);
    assertThat(review("fold").resolve("outputs/r.json")).hasContent("{\"original\": 3, \"processed\": 6, \"multiplier\": 2}");

    f.file("proj/main.py", "import os\nfrom pkg import mod\nos.makedirs('outputs', exist_ok=True)\n"
        + "open('outputs/r.txt','w').write(mod.VALUE)\n");
    f.file("proj/src/pkg/__init__.py", "");
    f.file("proj/src/pkg/mod.py", "VALUE = 'from src layout'\n");
    f.file("proj/pyproject.toml", "[project]\nname = \"proj\"\nversion = \"0.1\"\ndependencies = []  # none\n");
    String pid = approved("proj", SubmitRequest.of(tmp.resolve("src/proj"), DO));
    RunResult r = f.jobs(DO).run(pid);
    assertThat(r.status()).as(Files.readString(review("proj").resolve("stderr.txt"))).isEqualTo(JobStatus.DONE);
    assertThat(review("proj").resolve("outputs/r.txt")).hasContent("from src layout");
  }

  @Test
  void missingDependenciesFailClearlyOffline() throws Exception {
    String id = approved("deps", SubmitRequest.of(f.file("deps/main.py", "print(1)\n"), DO)
        .withDependencies(List.of("surely-not-installed-package-xyz==9.9.9")));
    RunResult r = f.jobs(DO).run(id);
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(String.join(" ", r.notes())).contains("dependencies could not be installed");
    assertThat(review("deps").resolve("stderr.txt")).content().contains("installing the dependencies failed");
  }

  @Test
  void bashAndJavaJobsRun() throws Exception {
    String b = approved("sh", SubmitRequest.bash("mkdir -p code/outputs\necho bash-ok > code/outputs/b.txt\n", DO));
    assertThat(f.jobs(DO).run(b).status()).isEqualTo(JobStatus.DONE);
    assertThat(review("sh").resolve("outputs/b.txt")).hasContent("bash-ok");

    Path src = f.file("Main.java", "import java.nio.file.*;\nclass Main { public static void main(String[] a) throws Exception {"
        + " Files.writeString(Path.of(\"outputs/j.txt\"), \"java-ok \" + System.getenv(\"SYFT_IS_IN_JOB\")); } }\n");
    String j = approved("java", SubmitRequest.of(src, DO));
    RunResult r = f.jobs(DO).run(j);
    assertThat(r.status()).as(Files.readString(review("java").resolve("stderr.txt"))).isEqualTo(JobStatus.DONE);
    assertThat(review("java").resolve("outputs/j.txt")).hasContent("java-ok true");
  }

  @Test
  void theEnvironmentIsScrubbed() throws Exception {
    String code = "import os, json\nos.makedirs('outputs', exist_ok=True)\n"
        + "json.dump(sorted(os.environ), open('outputs/env.json', 'w'))\n"
        + "print(os.environ['SYFTBOX_EMAIL'], os.environ['SYFT_IS_IN_JOB'])\n";
    for (SandboxMode mode : List.of(SandboxMode.AUTO, SandboxMode.OFF)) {
      String name = "env-" + mode.name().toLowerCase(java.util.Locale.ROOT);
      String id = approvedPy(name, code);
      RunResult r = f.jobs(DO, f.options.withSandbox(mode)).run(id);
      assertThat(r.status()).as(Files.readString(review(name).resolve("stderr.txt"))).isEqualTo(JobStatus.DONE);
      String env = Files.readString(review(name).resolve("outputs/env.json"));
      List<String> keys = List.of(env.replaceAll("[\\[\\]\" ]", "").split(","));
      assertThat(keys).isSubsetOf("HOME", "LANG", "PATH", "PYTHONPATH", "PYTHONUNBUFFERED", "SYFTBOX_EMAIL",
          "SYFTBOX_FOLDER", "SYFT_IS_IN_JOB", "TMPDIR", "PWD", "SHLVL", "_", "LC_CTYPE", "OLDPWD", "VIRTUAL_ENV",
          "SYFT_JOB_RUN");
      assertThat(keys).contains("SYFT_IS_IN_JOB", "SYFTBOX_FOLDER", "SYFTBOX_EMAIL");
      assertThat(review(name).resolve("stdout.txt")).content().contains(DO + " true");
    }
  }

  @Test
  void withoutTheSandboxTheRunSaysItWasNotIsolated() throws Exception {
    String id = approvedPy("open", "print('unisolated')\n");
    RunResult r = f.jobs(DO, f.options.withSandbox(SandboxMode.OFF)).run(id);
    assertThat(r.status()).isEqualTo(JobStatus.DONE);
    assertThat(r.isolation()).isEqualTo("none");
    assertThat(r.notes()).anyMatch(n -> n.contains("without a sandbox"));
    assertThat(review("open").resolve("stderr.txt")).content().contains("WARNING", "without a sandbox");
    JobInfo j = f.jobs(DO).get(id);
    assertThat(j.isolation()).isEqualTo("none");
    assertThat(j.isolationNote()).contains("NOT ISOLATED");
  }

  @Test
  void aRequiredSandboxThatIsMissingRefusesTheRunInOneLineNamingTheFixAndTheOptOut() throws Exception {
    String id = approvedPy("refused", "open('/tmp/should-not-run', 'w')\n");
    Path empty = Files.createDirectories(tmp.resolve("no-tools"));
    System.setProperty(Sandbox.TOOLS_PROPERTY, empty.toString()); // neither bwrap nor unshare here
    try {
      assertThatThrownBy(() -> f.jobs(DO, f.options.withSandbox(SandboxMode.REQUIRE)).run(id))
          .isInstanceOf(JobsException.class)
          .satisfies(e -> assertThat(((JobsException) e).code()).isEqualTo("sandbox-required"))
          .hasMessageNotContaining("\n")
          .hasMessageStartingWith("refusing to run job " + DS + "/refused on private data without isolation")
          .hasMessageContaining("bubblewrap (bwrap) is not installed")
          .hasMessageContaining("apt-get install bubblewrap").hasMessageContaining("--no-sandbox")
          .hasMessageContaining("jobs.require_sandbox: false");
      assertThat(f.jobs(DO).get(id).status()).isEqualTo("approved"); // nothing ran, it can run later
      assertThat(f.jobs(DO, f.options.withSandbox(SandboxMode.REQUIRE)).isolation()).isEqualTo(Isolation.NONE);
      assertThat(f.jobs(DO, f.options.withSandbox(SandboxMode.REQUIRE)).sandboxStatus())
          .contains("runs are refused", "apt-get install bubblewrap");

      // the opt-out in config (AUTO) runs it, unisolated and saying so
      RunResult r = f.jobs(DO, f.options.withSandbox(SandboxMode.AUTO)).run(id);
      assertThat(r.status()).isEqualTo(JobStatus.DONE);
      assertThat(r.isolation()).isEqualTo("none");
      assertThat(f.jobs(DO).get(id).isolation()).isEqualTo("none");
      assertThat(f.jobs(DO).get(id).isolationNote()).contains("NOT ISOLATED", "require_sandbox is false");
    } finally {
      System.clearProperty(Sandbox.TOOLS_PROPERTY);
    }
    // and the config switch maps to it; a new home requires isolation
    assertThat(RunOptions.defaults(true).sandbox()).isEqualTo(SandboxMode.REQUIRE);
    assertThat(f.c.client(DO).home().config().requireSandbox()).isTrue();
  }

  @Test
  void withoutASandboxTheJobsBackgroundProcessesStillDieWithTheRun() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("no-tools"));
    for (boolean pidNamespace : List.of(true, false)) {
      if (pidNamespace && !Sandbox.none("").contained()) {
        continue; // no unshare here: only the fallback can be tested
      }
      String marker = Long.toString(800_000 + new java.util.Random().nextInt(99_999));
      String name = "bg-" + (pidNamespace ? "pidns" : "tracked");
      String id = approved(name, SubmitRequest.bash("setsid nohup sleep " + marker + " >/dev/null 2>&1 &\n"
          + "for i in $(seq 200); do if grep -qs " + marker + " /proc/[0-9]*/cmdline; then echo bg-running; break; fi;"
          + " sleep 0.05; done\n", DO));
      if (!pidNamespace) {
        System.setProperty(Sandbox.TOOLS_PROPERTY, empty.toString()); // no unshare: session, group and marker
      }
      try {
        RunResult r = f.jobs(DO, f.options.withSandbox(SandboxMode.OFF)).run(id);
        assertThat(r.status()).isEqualTo(JobStatus.DONE);
        assertThat(r.isolation()).isEqualTo("none");
        assertThat(review(name).resolve("stdout.txt")).content().contains("bg-running");
        assertThat(f.jobs(DO).get(id).isolationNote()).contains(pidNamespace ? "PID namespace" : "tracked and killed");
      } finally {
        System.clearProperty(Sandbox.TOOLS_PROPERTY);
      }
      assertThat(SandboxEscapeTest.processesWith("sleep\0" + marker)).as(name).isEmpty();
    }
  }

  @Test
  void theStrongestIsolationIsUsedAndRecorded() throws Exception {
    Isolation best = JobsFixture.strongest();
    String id = approvedPy("best", "print('hi')\n");
    RunResult r = f.jobs(DO, f.options.withSandbox(SandboxMode.REQUIRE)).run(id);
    assertThat(r.isolation()).isEqualTo(best.id());
    assertThat(f.jobs(DO).get(id).isolation()).isEqualTo(best.id());
    assertThat(f.jobs(DO).isolation()).isEqualTo(best);
  }

  @Test
  void theDefaultTimeoutIsTheReferences() {
    String env = System.getenv(RunLimits.TIMEOUT_ENV);
    if (env == null) {
      assertThat(RunLimits.defaults().timeout()).isEqualTo(Duration.ofSeconds(600));
    } else {
      assertThat(RunLimits.defaults().timeout()).isEqualTo(Duration.ofSeconds((long) Double.parseDouble(env)));
    }
  }

  @Test
  void onlyApprovedJobsRun() {
    f.jobs(DS).submit(SubmitRequest.of(f.file("p/main.py", "print(1)\n"), DO).withName("pending"));
    f.sync(DO);
    assertThatThrownBy(() -> f.jobs(DO).run(DS + "/pending")).isInstanceOf(JobsException.class)
        .hasMessageContaining("only approved jobs run");
  }

  @Test
  void twoConcurrentApproversApproveOnce() throws Exception {
    f.jobs(DS).submit(SubmitRequest.of(f.file("twice/main.py", "print(1)\n"), DO).withName("twice"));
    f.sync(DO);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (String reason : List.of("first approver", "second approver")) {
        Jobs j = f.jobs(DO);
        results.add(pool.submit(() -> {
          go.await();
          try {
            return j.approve(DS + "/twice", reason).reviewReason();
          } catch (JobsException e) {
            return e.code();
          }
        }));
      }
      go.countDown();
      List<String> out = new ArrayList<>();
      for (Future<String> r : results) {
        out.add(r.get());
      }
      assertThat(out).containsOnlyOnce("wrong-status");
      String winner = out.stream().filter(x -> !x.equals("wrong-status")).findFirst().orElseThrow();
      assertThat(f.jobs(DO).get(DS + "/twice").reviewReason()).isEqualTo(winner);
    } finally {
      pool.shutdownNow();
    }
  }
}
