package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.core.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** A wrong {@code jobs.executor} section refuses runs with one clear line and breaks nothing else. */
class ExecutorConfigTest {
  @TempDir Path tmp;
  JobsFixture f;
  String id;

  @BeforeEach
  void setUp() {
    f = new JobsFixture(tmp).connect(DS, DO);
    f.jobs(DS).submit(SubmitRequest.of(f.file("j/run.sh", "#!/bin/bash\necho hi\n"), DO).withName("j"));
    f.sync(DO);
    id = DS + "/j";
    f.jobs(DO).approve(id, null);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  /** Sets {@code jobs.executor} in the owner's config.yaml, keeping the rest. */
  private void executor(String name) throws Exception {
    Path cfg = f.c.client(DO).home().dir().resolve(Config.FILE_NAME);
    YAMLMapper yaml = YAMLMapper.builder().build();
    ObjectNode root = (ObjectNode) yaml.readTree(Files.readString(cfg));
    ObjectNode jobs = root.has("jobs") ? (ObjectNode) root.get("jobs") : root.putObject("jobs");
    jobs.put("executor", name);
    Files.writeString(cfg, yaml.writeValueAsString(root));
  }

  @Test
  void slurmWithoutItsSectionRefusesTheRunAndKeepsTheJobApproved() throws Exception {
    executor("slurm");
    assertThatThrownBy(() -> f.jobs(DO).run(id)).isInstanceOf(JobsException.class)
        .hasMessageContaining("no jobs.slurm section");
    assertThat(f.jobs(DO).get(id).status()).isEqualTo(JobStatus.APPROVED.wire());
    assertThat(f.jobs(DO).list()).hasSize(1);
  }

  @Test
  void anUnknownExecutorIsNamedInTheError() throws Exception {
    executor("kubernetes");
    assertThatThrownBy(() -> f.jobs(DO).run(id)).isInstanceOf(JobsException.class)
        .hasMessageContaining("jobs.executor must be local or slurm, not 'kubernetes'");
  }

  @Test
  void cancellingALocalRunIsRefused() {
    assertThatThrownBy(() -> f.jobs(DO).cancel(id)).isInstanceOf(JobsException.class)
        .hasMessageContaining("only running jobs can be cancelled");
  }
}
