package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.syft.permissions.Datasite;
import dev.syft.permissions.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What leaves the data owner, when, and what the review shows first (issues 13.1, 13.2, 14.8). */
class ReleaseTest {
  static final String CODE = "import os, sys\nsys.stdout.buffer.write(b'raw row \\xff end\\n')\n"
      + "os.makedirs('outputs', exist_ok=True)\nopen('outputs/r.txt', 'w').write('ok')\n";

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

  /** A fresh engine over the owner's permission files as they are on disk now. */
  boolean submitterReads(String job, String rel) {
    Datasite d = Datasite.builder(f.c.datasite(DO)).owner(DO).build();
    return d.check("app_data/job/review/" + DS + "/" + job + "/" + rel, DS, Level.READ);
  }

  String received(String name) {
    f.jobs(DS).submit(SubmitRequest.of(f.file(name + "/main.py", CODE), DO).withName(name));
    f.sync(DO);
    return DS + "/" + name;
  }

  @Test
  void resultsAreOwnerOnlyFromReceiptAndLeaveOnlyWhenNamed() {
    String id = received("r1");
    Jobs owner = f.jobs(DO);
    for (String step : new String[] {"pending", "approved"}) {
      if (step.equals("approved")) {
        owner.approve(id, null);
      }
      JobInfo j = owner.get(id);
      assertThat(j.status()).isEqualTo(step);
      assertThat(j.outputsShared()).isFalse();
      assertThat(j.logsShared()).isFalse();
      assertThat(submitterReads("r1", "outputs/r.txt")).as(step).isFalse();
      assertThat(submitterReads("r1", "stdout.txt")).as(step).isFalse();
      assertThat(submitterReads("r1", "state.yaml")).as("the submitter follows the status").isTrue();
    }
    assertThat(owner.run(id).status()).isEqualTo(JobStatus.DONE);
    assertThat(submitterReads("r1", "outputs/r.txt")).isFalse();
    assertThatThrownBy(() -> owner.share(id, EnumSet.noneOf(Release.class))).isInstanceOf(JobsException.class)
        .hasMessageContaining("say what to release");

    JobInfo out = owner.share(id, EnumSet.of(Release.OUTPUTS));
    assertThat(out.outputsShared()).isTrue();
    assertThat(out.logsShared()).isFalse();
    assertThat(submitterReads("r1", "outputs/r.txt")).isTrue();
    for (String log : new String[] {"stdout.txt", "stderr.txt", "returncode.txt"}) {
      assertThat(submitterReads("r1", log)).as(log).isFalse();
    }
    assertThat(owner.share(id, EnumSet.of(Release.LOGS)).logsShared()).isTrue();
    assertThat(submitterReads("r1", "stdout.txt")).isTrue();
  }

  @Test
  void jobsAndSyncRoundsShareTheClientsOnePermissionEngine() {
    String id = received("p1");
    Jobs owner = f.jobs(DO);
    owner.approve(id, null);
    assertThat(owner.run(id).status()).isEqualTo(JobStatus.DONE);
    Datasite engine = f.c.client(DO).permissions();
    String out = "app_data/job/review/" + DS + "/p1/outputs/r.txt";
    assertThat(engine.check(out, DS, Level.READ)).isFalse();
    owner.share(id, EnumSet.of(Release.OUTPUTS));
    // the engine the rounds use never re-reads files by itself: it knows the release because jobs edited it
    assertThat(engine.check(out, DS, Level.READ)).isTrue();
    Datasite ofRounds = f.c.client(DO).withContext(ctx -> ctx.permissions());
    assertThat((Object) ofRounds).isSameAs(engine);
  }

  @Test
  void reviewListsEveryFileFlagsBinaryAndPreviewsTheRelease() throws Exception {
    Path src = f.file("r2/main.py", CODE);
    Files.write(src.resolveSibling("model.bin"), new byte[] {1, 0, 2, 'S', 'E', 'C', 'R', 'E', 'T'});
    f.jobs(DS).submit(SubmitRequest.of(src.getParent(), DO).withName("r2"));
    f.sync(DO);
    Jobs owner = f.jobs(DO);
    JobDetails d = owner.show("r2");
    assertThat(d.files()).extracting(JobFile::path, JobFile::binary)
        .containsExactly(tuple("code/main.py", false), tuple("code/model.bin", true), tuple("config.yaml", false),
            tuple("run.sh", false));
    JobFile bin = d.file("code/model.bin").orElseThrow();
    assertThat(bin.text()).isNull();
    assertThat(bin.size()).isEqualTo(9);
    assertThat(bin.sha256()).hasSize(64);
    assertThat(d.file("code/main.py").orElseThrow().entrypoint()).isTrue();
    assertThat(d.info().contentHash()).isNotNull();
    assertThat(d.release()).isEmpty();
    assertThat(d.logs().available()).isFalse();

    owner.approve("r2", null);
    owner.run("r2");
    JobDetails after = owner.show("r2");
    assertThat(after.release()).extracting(ReleaseFile::path, ReleaseFile::size, ReleaseFile::part, ReleaseFile::released)
        .contains(tuple("outputs/r.txt", 2L, Release.OUTPUTS, false), tuple("returncode.txt", 1L, Release.LOGS, false));
    JobLogs logs = after.logs();
    assertThat(logs.stdout()).as("one bad byte must not hide stdout").isEqualTo("raw row \uFFFD end\n");
    assertThat(logs.stdoutInvalidBytes()).isEqualTo(1);
    assertThat(owner.logs("r2")).isEqualTo(logs);
  }

  @Test
  void jobsReceivedWithoutHidingRulesAreFixedAndALostFileIsRestoredHidden() throws Exception {
    String id = received("r3");
    Path acl = f.c.datasite(DO).resolve("app_data/job/review/" + DS + "/syft.pub.yaml");
    // as an older version left it: only the folder-wide read rule the reference writes
    Files.writeString(acl, "rules:\n- access:\n    admin: []\n    read:\n    - " + DS + "\n    write: []\n"
        + "  pattern: '**'\nterminal: false\n");
    assertThat(submitterReads("r3", "stdout.txt")).isTrue();
    Jobs owner = f.jobs(DO);
    assertThat(owner.get(id).outputsShared()).as("a job that never ran has released nothing").isFalse();
    owner.list();
    assertThat(submitterReads("r3", "stdout.txt")).isFalse();
    assertThat(submitterReads("r3", "outputs/x")).isFalse();

    Files.delete(acl);
    f.sync(DO);
    assertThat(acl).exists();
    assertThat(submitterReads("r3", "state.yaml")).isTrue();
    assertThat(submitterReads("r3", "stdout.txt")).as("restored without exposing results").isFalse();
    assertThat(submitterReads("r3", "outputs/x")).isFalse();
    assertThat(owner.get(id).status()).isEqualTo("pending");
  }
}
