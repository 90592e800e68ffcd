package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.syft.core.Config;
import dev.syft.core.Home;
import dev.syft.jobs.internal.JobExecutor;
import dev.syft.jobs.internal.JobParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Approved jobs run through {@code jobs.executor: slurm} on a real single-node Slurm ({@link LocalSlurm}). */
@Timeout(120)
class SlurmRunTest {
  @TempDir static Path cluster;
  static LocalSlurm slurm;

  @TempDir Path tmp;
  JobsFixture f;

  @BeforeAll
  static void startSlurm() throws Exception {
    slurm = LocalSlurm.start(cluster);
  }

  @AfterAll
  static void stopSlurm() {
    if (slurm != null) {
      slurm.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    f = new JobsFixture(tmp).connect(DS, DO);
    Path cfg = f.c.client(DO).home().dir().resolve(Config.FILE_NAME);
    YAMLMapper yaml = YAMLMapper.builder().build();
    ObjectNode root = (ObjectNode) yaml.readTree(Files.readString(cfg));
    ObjectNode jobs = root.has("jobs") ? (ObjectNode) root.get("jobs") : root.putObject("jobs");
    jobs.put("executor", "slurm");
    ObjectNode s = jobs.putObject("slurm");
    s.put("staging_dir", Files.createDirectories(tmp.resolve("shared-staging")).toString());
    s.put("partition", "syft");
    s.put("cpus", 1);
    s.put("memory_mb", 256);
    s.put("slurm_conf", slurm.conf.toString());
    s.put("poll_millis", 200);
    Files.writeString(cfg, yaml.writeValueAsString(root));
  }

  /** Sets a key of the {@code jobs:} section of the data owner's config.yaml. */
  private void jobsSetting(String key, boolean value) throws Exception {
    Path cfg = f.c.client(DO).home().dir().resolve(Config.FILE_NAME);
    YAMLMapper yaml = YAMLMapper.builder().build();
    ObjectNode root = (ObjectNode) yaml.readTree(Files.readString(cfg));
    ((ObjectNode) root.get("jobs")).put(key, value);
    Files.writeString(cfg, yaml.writeValueAsString(root));
    f.c.restart(DO); // core reads config.yaml when a client opens
  }

  private void partition(String state) throws Exception {
    slurm.run(List.of("scontrol", "update", "PartitionName=syft", "State=" + state));
  }

  private String status(String id) {
    return f.jobs(DO).get(id).status();
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private String approvedBash(String name, String script) {
    f.jobs(DS).submit(SubmitRequest.of(f.file(name + "/run.sh", script), DO).withName(name));
    f.sync(DO);
    f.jobs(DO).approve(DS + "/" + name, null);
    return DS + "/" + name;
  }

  private Path review(String name) {
    return f.c.datasite(DO).resolve("app_data/job/review/" + DS + "/" + name);
  }

  @Test
  void anApprovedJobRunsOnSlurmAndItsOutputsComeBack() throws Exception {
    String id = approvedBash("hello", "#!/bin/bash\necho \"hello from $SLURM_JOB_ID\" \nmkdir -p code/outputs\necho out > code/outputs/result.txt\n"
        + "echo to-stderr >&2\n");
    RunResult r = f.jobs(DO).run(id);
    assertThat(r.status()).as("%s", r.notes()).isEqualTo(JobStatus.DONE);
    assertThat(r.returnCode()).isZero();
    assertThat(r.notes()).anyMatch(n -> n.startsWith("ran on Slurm as job "));
    assertThat(r.outputs()).containsExactly("result.txt");
    assertThat(review("hello").resolve("outputs/result.txt")).hasContent("out");
    assertThat(review("hello").resolve("stdout.txt")).content().startsWith("hello from ");
    assertThat(review("hello").resolve("stderr.txt")).content().contains("to-stderr");
    assertThat(review("hello").resolve("returncode.txt")).hasContent("0");
    assertThat(f.jobs(DO).get(id).status()).isEqualTo(JobStatus.DONE.wire());
  }

  @Test
  void aFailingJobIsFailedWithItsExitCodeAndLogs() throws Exception {
    String id = approvedBash("fails", "#!/bin/bash\necho before\nexit 7\n");
    RunResult r = f.jobs(DO).run(id);
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(r.returnCode()).isEqualTo(7);
    assertThat(review("fails").resolve("stdout.txt")).content().contains("before");
    assertThat(review("fails").resolve("returncode.txt")).hasContent("7");
  }

  @Test
  void aJobOverItsTimeLimitIsStoppedAndFailed() throws Exception {
    String id = approvedBash("slow", "#!/bin/bash\necho started\nwhile true; do sleep 0.2; done\n");
    RunOptions quick = f.options.withLimits(f.options.limits().withTimeout(Duration.ofSeconds(2)));
    RunResult r = f.jobs(DO, quick).run(id);
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(r.timedOut()).isTrue();
    assertThat(review("slow").resolve("stdout.txt")).content().contains("started", "PROCESS TIMED OUT");
  }

  @Test
  void aCancelledJobEndsFailedAsCancelled() throws Exception {
    String id = approvedBash("cancelme", "#!/bin/bash\necho waiting\nwhile true; do sleep 0.2; done\n");
    CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> f.jobs(DO).run(id));
    await().atMost(Duration.ofSeconds(30)).until(() -> slurm.run(List.of("squeue", "--noheader", "--format=%T"))
        .contains("RUNNING"));
    // the Slurm id is in the job's record as soon as sbatch answered; another Jobs (process) cancels by it
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> f.jobs(DO).cancel(id));
    RunResult r = run.get();
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(r.notes()).contains("the Slurm job was cancelled");
    assertThat(review("cancelme").resolve("stderr.txt")).content().contains("cancelled");
    assertThatThrownBy(() -> f.jobs(DO).cancel(id)).isInstanceOf(JobsException.class).hasMessageContaining("it is failed");
  }

  @Test
  void theContentIsCheckedAgainOnTheComputeNode() throws Exception {
    String id = approvedBash("tamper", "#!/bin/bash\necho original\n");
    // the partition is down, so the job waits in the queue; meanwhile its staged copy is changed
    slurm.run(List.of("scontrol", "update", "PartitionName=syft", "State=DOWN"));
    try {
      CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> f.jobs(DO).run(id));
      await().atMost(Duration.ofSeconds(30)).until(() -> slurm.run(List.of("squeue", "--noheader", "--format=%T"))
          .contains("PENDING"));
      try (var staged = Files.walk(tmp.resolve("shared-staging/work"))) {
        Path script = staged.filter(p -> p.endsWith("job/run.sh")).findFirst().orElseThrow();
        Files.writeString(script, "#!/bin/bash\necho tampered\n");
      }
      slurm.run(List.of("scontrol", "update", "PartitionName=syft", "State=UP"));
      RunResult r = run.get();
      assertThat(r.status()).isEqualTo(JobStatus.FAILED);
      assertThat(r.notes()).anyMatch(n -> n.contains("changed after approval"));
      assertThat(review("tamper").resolve("stdout.txt")).content().doesNotContain("tampered");
    } finally {
      slurm.run(List.of("scontrol", "update", "PartitionName=syft", "State=UP"));
    }
  }

  @Test
  void aRestartedDaemonReattachesToItsSlurmJobAndCollectsTheOutputs() throws Exception {
    String id = approvedBash("survivor", "#!/bin/bash\necho survived\nmkdir -p code/outputs\necho kept > code/outputs/r.txt\n");
    partition("DOWN"); // the job waits in the queue while the daemon "restarts"
    try {
      Home home = f.c.client(DO).home();
      JobExecutor first = JobParts.executorFor(home, f.options);
      JobParts parts = JobParts.of(home, JobParts.outsideRound(f.c.client(DO)::permissions), f.c.clock, f.options, first);
      CompletableFuture<RunResult> run = parts.runs().start(parts.store().ownJob(id));
      await().atMost(Duration.ofSeconds(30)).until(() -> slurm.run(List.of("squeue", "--noheader", "--format=%T"))
          .contains("PENDING"));
      first.close(); // the daemon stops: its runner lets go, the Slurm job stays queued
      assertThatThrownBy(run::join).hasMessageContaining("detached");
      assertThat(status(id)).isEqualTo("running");
      f.jobs(DO).list(); // recovery in another process leaves a job that is still on Slurm alone
      assertThat(status(id)).isEqualTo("running");

      f.c.restart(DO);
      f.sync(DO); // the restarted daemon's first round re-attaches
      partition("UP");
      await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("done"));
      assertThat(review("survivor").resolve("outputs/r.txt")).hasContent("kept");
      assertThat(review("survivor").resolve("stdout.txt")).content().contains("survived");
      assertThat(f.jobs(DO).show(id).toString()).doesNotContain("NOT ISOLATED");
    } finally {
      partition("UP");
    }
  }

  @Test
  void anAutoRunOnSlurmDoesNotHoldUpSyncAndFinishesWithoutAnotherRound() throws Exception {
    jobsSetting("auto_run", true);
    String id = approvedBash("queued", "#!/bin/bash\nmkdir -p code/outputs\necho fine > code/outputs/q.txt\n");
    partition("DOWN"); // the job cannot start: a runner waiting for it would hold the round forever
    try {
      f.sync(DO); // queues the run after the round and waits for it: it submits and returns
      assertThat(status(id)).isEqualTo("running");
      assertThat(slurm.run(List.of("squeue", "--noheader", "--format=%T"))).contains("PENDING");
      f.sync(DO); // later rounds go on too
      partition("UP");
      await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("done"));
      assertThat(review("queued").resolve("outputs/q.txt")).hasContent("fine");
    } finally {
      partition("UP");
    }
  }

  @Test
  void severalApprovedJobsGoToSlurmAsOneArrayAndEachTaskEndsOnItsOwn() throws Exception {
    for (int i = 0; i < 5; i++) {
      f.jobs(DS).submit(SubmitRequest.of(f.file("fan" + i + "/run.sh", "#!/bin/bash\necho task " + i
          + "\nmkdir -p code/outputs\necho " + i + " > code/outputs/n.txt\n" + (i == 3 ? "exit 3\n" : "")), DO)
          .withName("fan" + i));
    }
    f.sync(DO);
    for (int i = 0; i < 5; i++) {
      f.jobs(DO).approve(DS + "/fan" + i, null);
    }
    List<RunResult> rs = f.jobs(DO).runApproved();
    assertThat(rs).hasSize(5);
    java.util.Set<String> arrays = new java.util.TreeSet<>();
    java.util.Set<String> tasks = new java.util.TreeSet<>();
    for (RunResult r : rs) {
      String slurmId = r.notes().stream().filter(n -> n.startsWith("ran on Slurm as job ")).findFirst().orElseThrow()
          .substring("ran on Slurm as job ".length());
      assertThat(slurmId).matches("[0-9]+_[0-4]");
      arrays.add(slurmId.split("_")[0]);
      tasks.add(slurmId.split("_")[1]);
      String name = r.id().substring(r.id().lastIndexOf('/') + 1);
      int n = Integer.parseInt(name.substring(3));
      if (n == 3) {
        assertThat(r.status()).isEqualTo(JobStatus.FAILED);
        assertThat(r.returnCode()).isEqualTo(3);
      } else {
        assertThat(r.status()).as("%s %s", name, r.notes()).isEqualTo(JobStatus.DONE);
      }
      assertThat(review(name).resolve("outputs/n.txt")).hasContent(Integer.toString(n));
      assertThat(review(name).resolve("stdout.txt")).content().contains("task " + n);
    }
    assertThat(arrays).as("one sbatch --array").hasSize(1);
    assertThat(tasks).containsExactly("0", "1", "2", "3", "4");
  }

  @Test
  void aJobOverItsWorkFolderQuotaIsStoppedAndNothingBeyondTheCapIsCollected() throws Exception {
    String id = approvedBash("hog", "#!/bin/bash\nmkdir -p code/outputs\nfor n in a b c; do head -c 900000 /dev/zero"
        + " > code/outputs/$n.bin; done\necho written\nwhile true; do sleep 0.2; done\n");
    RunOptions capped = f.options.withLimits(f.options.limits().withFileBytes(1_000_000).withWorkBytes(2_000_000));
    RunResult r = f.jobs(DO, capped).run(id);
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(r.timedOut()).as("stopped by the quota, not the time limit").isFalse();
    assertThat(r.notes()).anyMatch(n -> n.contains("more than 2000000 bytes in its work folder"));
    assertThat(review("hog").resolve("stderr.txt")).content().contains("more than 2000000 bytes");
    Path out = review("hog").resolve("outputs");
    assertThat(out.resolve("c.bin")).doesNotExist();
    long total;
    try (var files = Files.walk(out)) {
      total = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(total).isLessThanOrEqualTo(2_000_000);
  }
}
