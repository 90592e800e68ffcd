package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.SyncReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's job scenarios (TESTING-PATTERNS 10.1) end to end across two homes. */
class JobFlowTest {
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

  @Test
  void singleFileJobRunsAndItsOutputReachesTheSubmitterOnlyAfterSharing() throws Exception {
    Path main = f.file("main.py", "import json, os\nprint('hello from the job')\nos.makedirs('outputs', exist_ok=True)\n"
        + "json.dump({'result': 1}, open('outputs/result.json', 'w'))\n");
    JobGroup g = f.jobs(DS).submit(SubmitRequest.of(main, DO).withName("test.job"));
    assertThat(g.members()).hasSize(1);
    assertThat(g.members().get(0).status()).isEqualTo("received");

    // one message carries the whole job
    SyncReport r = f.c.client(DO).sync();
    assertThat(r.accepted()).isEqualTo(1);
    Path jobDir = f.c.datasite(DO).resolve("app_data/job/inbox/" + DS + "/test.job");
    assertThat(jobDir.resolve("code/main.py")).exists();
    assertThat(jobDir.resolve("run.sh")).exists();
    assertThat(jobDir.resolve("config.yaml")).exists();

    Jobs owner = f.jobs(DO);
    assertThat(owner.list()).singleElement().satisfies(j -> {
      assertThat(j.id()).isEqualTo(DS + "/test.job");
      assertThat(j.status()).isEqualTo("pending");
    });
    assertThat(owner.approve("test.job", "fine").status()).isEqualTo("approved");
    RunResult run = owner.run(DS + "/test.job");
    assertThat(run.status()).as(run.notes().toString()).isEqualTo(JobStatus.DONE);
    assertThat(run.returnCode()).isZero();
    assertThat(run.outputs()).containsExactly("result.json");
    assertThat(run.isolation()).isEqualTo(JobsFixture.strongest().id());
    Path review = f.c.datasite(DO).resolve("app_data/job/review/" + DS + "/test.job");
    assertThat(Files.readString(review.resolve("returncode.txt"))).isEqualTo("0");
    assertThat(Files.readString(review.resolve("stdout.txt"))).contains("hello from the job");
    assertThat(Files.readString(review.resolve("outputs/result.json"))).isEqualTo("{\"result\": 1}");

    // the submitter sees the state, not the data
    f.sync(DO, DS);
    Jobs ds = f.jobs(DS);
    JobInfo seen = ds.get(DO + "/test.job");
    assertThat(seen.status()).isEqualTo("done");
    assertThat(seen.outputs()).isEmpty();
    assertThat(ds.logs(DO + "/test.job").available()).isFalse();
    assertThat(ds.logs(DO + "/test.job").hint()).contains("not shared");

    owner.share(DS + "/test.job", java.util.EnumSet.of(Release.OUTPUTS));
    f.sync(DO, DS);
    assertThat(ds.outputs("test.job")).singleElement()
        .satisfies(p -> assertThat(Files.readString(p)).isEqualTo("{\"result\": 1}"));
    assertThat(ds.logs("test.job").available()).isFalse();

    owner.share(DS + "/test.job", java.util.EnumSet.of(Release.LOGS));
    f.sync(DO, DS);
    JobLogs logs = ds.logs("test.job");
    assertThat(logs.available()).isTrue();
    assertThat(logs.stdout()).contains("hello from the job");
    assertThat(logs.returnCode()).isZero();
  }
}
