package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.syft.core.Config;
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
    f.jobs(DO).cancel(id);
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
}
