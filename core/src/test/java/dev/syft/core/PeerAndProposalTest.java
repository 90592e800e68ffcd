package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.SyftException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contact requests, proposals, echoes and routing between two or three clients in one JVM. */
class PeerAndProposalTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  static final String DS2 = "second@lab.example";

  @TempDir Path tmp;
  Cluster c;

  @BeforeEach
  void setUp() {
    c = Cluster.memory(tmp);
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  private Peer peer(String who, String email) {
    return c.client(who).peers().list().stream().filter(p -> p.email().equals(email)).findFirst().orElseThrow();
  }

  @Test
  void requestApproveAndAcceptanceAreSeenOnBothSides() {
    assertThat(c.client(DS).peers().add(DO)).isEqualTo("requested");
    assertThat(peer(DS, DO).state().wireName()).isEqualTo("requested_by_me");
    c.client(DO).sync();
    assertThat(peer(DO, DS).state().wireName()).isEqualTo("requested_by_peer");
    c.client(DO).peers().approve(DS);
    assertThat(peer(DO, DS).state().wireName()).isEqualTo("accepted");
    c.client(DS).sync();
    assertThat(peer(DS, DO).state().wireName()).isEqualTo("accepted");
    // approval set up the reference's job folders for the DS
    assertThat(c.datasite(DO).resolve("app_data/job/inbox/" + DS + "/syft.pub.yaml")).exists();
    assertThat(c.datasite(DO).resolve("app_data/job/review/" + DS + "/syft.pub.yaml")).exists();
  }

  @Test
  void addingTwiceIsANoOpAndAddingBackApproves() {
    c.client(DS).peers().add(DO);
    assertThat(c.client(DS).peers().add(DO)).isEqualTo("already");
    c.client(DO).sync();
    assertThat(c.client(DO).peers().add(DS)).isEqualTo("approved");
    assertThat(peer(DO, DS).state().wireName()).isEqualTo("accepted");
  }

  @Test
  void rejectKeepsThePeerOutOfSync() {
    c.client(DS).peers().add(DO);
    c.client(DO).sync();
    c.client(DO).peers().reject(DS);
    assertThat(peer(DO, DS).state().wireName()).isEqualTo("rejected");
    c.client(DS).sync();
    assertThat(peer(DS, DO).state().wireName()).isEqualTo("requested_by_me");
    assertThatThrownBy(() -> c.client(DO).peers().reject(DS)).isInstanceOf(SyftException.class)
        .hasMessageContaining("no pending request");
  }

  @Test
  void approvingWithoutARequestIsRefusedClearly() {
    assertThatThrownBy(() -> c.client(DO).peers().approve(DS)).isInstanceOf(SyftException.class)
        .hasMessageContaining("no pending request from " + DS);
    assertThatThrownBy(() -> c.client(DO).peers().add(DO)).hasMessageContaining("yourself");
  }

  @Test
  void aJobFileProposedByTheDsIsAppliedByTheDoAndEchoedBack() throws Exception {
    c.connect(DS, DO);
    String rel = "app_data/job/inbox/" + DS + "/job-1/run.sh";
    Cluster.write(c.replica(DS, DO), rel, "echo hello\n");
    SyncReport ds = c.client(DS).sync();
    assertThat(ds.proposed()).isEqualTo(1);
    SyncReport doReport = c.client(DO).sync();
    assertThat(doReport.accepted()).isEqualTo(1);
    assertThat(Cluster.read(c.datasite(DO), rel)).isEqualTo("echo hello\n");
    c.client(DS).sync();
    assertThat(Cluster.read(c.replica(DS, DO), rel)).isEqualTo("echo hello\n");
    // nothing left to do: a further round of both sides proposes and applies nothing
    assertThat(c.client(DS).sync().proposed()).isZero();
    SyncReport again = c.client(DO).sync();
    assertThat(again.accepted()).isZero();
    assertThat(again.localChanges()).isZero();
  }

  @Test
  void binaryAndCrlfContentSurviveByteForByte() throws Exception {
    c.connect(DS, DO);
    byte[] bin = new byte[256];
    for (int i = 0; i < bin.length; i++) {
      bin[i] = (byte) i;
    }
    Path replica = c.replica(DS, DO);
    Path f = replica.resolve("app_data/job/inbox/" + DS + "/j/code/blob.bin");
    Files.createDirectories(f.getParent());
    Files.write(f, bin);
    Cluster.write(replica, "app_data/job/inbox/" + DS + "/j/run.sh", "echo a\r\necho b\r\n");
    c.client(DS).sync();
    c.client(DO).sync();
    assertThat(Files.readAllBytes(c.datasite(DO).resolve("app_data/job/inbox/" + DS + "/j/code/blob.bin"))).isEqualTo(bin);
    assertThat(Cluster.read(c.datasite(DO), "app_data/job/inbox/" + DS + "/j/run.sh")).isEqualTo("echo a\r\necho b\r\n");
  }

  @Test
  void doLocalFilesReachReadersAndDeletionsPropagate() {
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    Cluster.write(c.datasite(DO), "public/readme.md", "hello readers");
    Cluster.write(c.datasite(DO), "secret/notes.txt", "not for you");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(Cluster.read(c.replica(DS, DO), "public/readme.md")).isEqualTo("hello readers");
    assertThat(c.replica(DS, DO).resolve("secret/notes.txt")).doesNotExist();
    // private/ never leaves the DO
    Cluster.write(c.datasite(DO), "private/data.csv", "a,b");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve("private")).doesNotExist();
    // deletion
    assertThat(c.datasite(DO).resolve("public/readme.md").toFile().delete()).isTrue();
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve("public/readme.md")).doesNotExist();
  }

  @Test
  void filesExistingBeforeApprovalAreBackFilled() {
    Cluster.grantRead(c.datasite(DO), "public", "**", "*");
    Cluster.write(c.datasite(DO), "public/old.txt", "from before");
    c.client(DO).sync();
    c.connect(DS, DO);
    c.client(DS).sync();
    assertThat(Cluster.read(c.replica(DS, DO), "public/old.txt")).isEqualTo("from before");
  }

  @Test
  void acceptedProposalsReachEveryReaderNotOnlyTheProposer() {
    c.connect(DS, DO);
    c.connect(DS2, DO);
    Cluster.grantWrite(c.datasite(DO), "shared", "**", DS);
    c.client(DO).sync();
    Cluster.write(c.datasite(DO), "shared/readers/syft.pub.yaml",
        "rules:\n- pattern: '**'\n  access:\n    read:\n    - " + DS2 + "\n    write:\n    - " + DS + "\n");
    c.client(DO).sync();
    c.client(DS).sync();
    Cluster.write(c.replica(DS, DO), "shared/readers/result.txt", "42");
    c.client(DS).sync();
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    c.client(DS2).sync();
    assertThat(Cluster.read(c.replica(DS2, DO), "shared/readers/result.txt")).isEqualTo("42");
  }

  @Test
  void grantingReadLaterResendsAndRevokingMovesTheCopyAside() {
    c.connect(DS, DO);
    Cluster.write(c.datasite(DO), "reports/q1.txt", "numbers");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve("reports/q1.txt")).doesNotExist();
    Cluster.grantRead(c.datasite(DO), "reports", "**", DS);
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(Cluster.read(c.replica(DS, DO), "reports/q1.txt")).isEqualTo("numbers");
    // revoke: the permission file now names nobody
    Cluster.write(c.datasite(DO), "reports/syft.pub.yaml", "rules: []\n");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve("reports/q1.txt")).doesNotExist();
    Status s = c.client(DS).status();
    assertThat(s.revoked()).extracting(Status.Revoked::path).containsExactly("reports/q1.txt");
    assertThat(Path.of(s.revoked().get(0).movedTo())).hasContent("numbers");
  }

  @Test
  void aStaleProposalIsQuarantinedTheProposerIsToldAndTheNextMessageStillApplies() {
    c.connect(DS, DO);
    String rel = "app_data/job/inbox/" + DS + "/job-2/notes.txt";
    Cluster.write(c.replica(DS, DO), rel, "v1");
    c.client(DS).sync();
    c.client(DO).sync();
    c.client(DS).sync();
    // the DO edits the file; the DS, not yet aware, edits its old copy
    Cluster.write(c.datasite(DO), rel, "do edit");
    Cluster.write(c.replica(DS, DO), rel, "ds edit");
    c.client(DS).sync();
    Cluster.write(c.replica(DS, DO), "app_data/job/inbox/" + DS + "/job-3/run.sh", "ok");
    c.client(DS).sync();
    SyncReport r = c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(Cluster.read(c.datasite(DO), rel)).isEqualTo("do edit");
    assertThat(Cluster.read(c.datasite(DO), "app_data/job/inbox/" + DS + "/job-3/run.sh")).isEqualTo("ok");
    assertThat(c.client(DO).status().quarantined()).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains("outdated"));
    c.client(DS).sync();
    assertThat(c.client(DS).status().rejectedProposals()).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains("outdated"));
  }

  @Test
  void writesOutsideTheGrantedFoldersAreRefused() {
    c.connect(DS, DO);
    Cluster.write(c.replica(DS, DO), "public/defaced.html", "x");
    c.client(DS).sync();
    SyncReport r = c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve("public/defaced.html")).doesNotExist();
  }

  @Test
  void permissionFilesNeedAdminEvenInsideAWritableFolder() {
    c.connect(DS, DO);
    Cluster.write(c.replica(DS, DO), "app_data/job/inbox/" + DS + "/sub/syft.pub.yaml",
        "rules:\n- pattern: '**'\n  access:\n    read: ['*']\n");
    c.client(DS).sync();
    assertThat(c.client(DO).sync().rejected()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve("app_data/job/inbox/" + DS + "/sub/syft.pub.yaml")).doesNotExist();
  }

  @Test
  void dsDeletionsAreProposedAndApplied() {
    c.connect(DS, DO);
    String rel = "app_data/job/inbox/" + DS + "/job-9/tmp.txt";
    Cluster.write(c.replica(DS, DO), rel, "scratch");
    c.client(DS).sync();
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve(rel).toFile().delete()).isTrue();
    c.client(DS).sync();
    c.client(DO).sync();
    assertThat(c.datasite(DO).resolve(rel)).doesNotExist();
  }

  @Test
  void stateSurvivesARestart() {
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    Cluster.write(c.datasite(DO), "public/a.txt", "a");
    c.client(DO).sync();
    c.restart(DO);
    c.restart(DS);
    c.client(DS).sync();
    assertThat(Cluster.read(c.replica(DS, DO), "public/a.txt")).isEqualTo("a");
    // no re-emission after a restart when nothing changed
    assertThat(c.client(DO).sync().localChanges()).isZero();
  }
}
