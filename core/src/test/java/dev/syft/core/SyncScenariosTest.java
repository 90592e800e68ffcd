package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.core.internal.StateDb;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.decorator.Operation;
import dev.syft.transport.layout.SyftLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference's sync-manager, peer-request and cache-aware scenarios (TESTING-PATTERNS.md 10.1
 * peers/proposals/events/routing/deletion, 10.5, 10.9) and the home lock (10.12), each run on the
 * in-memory store and on the shared-folder transport. Where the reference pins a weakness (silent
 * drops), the assertion is the better behaviour of WEAKNESSES.md (quarantine with a reason).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Transport.class)
class SyncScenariosTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  static final String DS2 = "second@lab.example";
  static final String GHOST = "ghost@nowhere.example";

  @Parameter Transport transport;
  @TempDir Path tmp;
  Net net;
  Cluster c;

  @BeforeEach
  void setUp() {
    net = Net.create(transport, tmp);
    c = net.cluster;
  }

  @AfterEach
  void tearDown() {
    net.close();
  }

  static String job(String ds, String rest) {
    return "app_data/job/inbox/" + ds + "/" + rest;
  }

  double now() {
    Instant i = c.clock.instant();
    return i.getEpochSecond() + i.getNano() / 1e9;
  }

  StateDb db(String email) {
    return StateDb.open(c.homeDir(email).resolve(".syft/state.db"));
  }

  Peer peer(String who, String email) {
    return c.client(who).peers().list().stream().filter(p -> p.email().equals(email)).findFirst().orElseThrow();
  }

  // ------------------------------------------------------------------ 10.1

  @Test
  void anAcceptedProposalLandsInTheOwnersEventLog() throws Exception {
    c.connect(DS, DO);
    Storage doStore = net.raw(DO);
    Entry log = new SyftLayout(doStore).findEventLog().orElseThrow();
    int before = Forge.eventsIn(doStore, log).size();
    String rel = job(DS, "job-1/run.sh");
    Cluster.write(c.replica(DS, DO), rel, "echo hi\n");
    c.client(DS).sync();
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    List<FileChangeEventsMessage> after = Forge.eventsIn(doStore, log);
    assertThat(after).hasSizeGreaterThan(before);
    assertThat(after.stream().flatMap(m -> m.events().stream()).map(FileChangeEvent::pathInDatasite)).contains(rel);
  }

  @Test
  void createAndUpToDateUpdateAreAcceptedAStaleUpdateIsQuarantined() throws Exception {
    c.connect(DS, DO);
    Cluster.grantWrite(c.datasite(DO), "", "**", DS);
    c.client(DO).sync();
    c.client(DS).sync();
    Path replica = c.replica(DS, DO);
    Cluster.write(replica, "file.txt", "Content 1");
    c.client(DS).sync();
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    c.client(DS).sync();
    Cluster.write(replica, "file.txt", "Content 2");
    c.client(DS).sync();
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    assertThat(Cluster.read(c.datasite(DO), "file.txt")).isEqualTo("Content 2");
    // a proposal still based on "Content 1"
    Storage dsStore = net.raw(DS);
    ProposedFileChangesMessage stale = Forge.proposal(DS, DO, "file.txt", "Content 3", Trees.sha256("Content 1"), now());
    Forge.upload(dsStore, Forge.inboxAt(dsStore, DO), stale.fileName(),
        Forge.sealed(Forge.archive(stale), c.homeDir(DS), c.homeDir(DO)));
    SyncReport r = c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.accepted()).isZero();
    assertThat(Cluster.read(c.datasite(DO), "file.txt")).isEqualTo("Content 2");
    assertThat(c.client(DO).status().quarantined()).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains("outdated"));
  }

  @Test
  void theProposerReceivesExactlyOneEventTheEcho() {
    c.connect(DS, DO);
    c.client(DS).sync(); // whatever the approval back-filled
    String rel = job(DS, "job-1/run.sh");
    Cluster.write(c.replica(DS, DO), rel, "echo hi\n");
    c.client(DS).sync();
    c.client(DO).sync();
    SyncReport r = c.client(DS).sync();
    assertThat(r.pulled()).isEqualTo(1);
    assertThat(Cluster.read(c.replica(DS, DO), rel)).isEqualTo("echo hi\n");
    assertThat(c.client(DS).sync().pulled()).isZero();
    assertThat(c.client(DS).sync().proposed()).isZero();
  }

  @Test
  void anEchoOfAnOlderProposalNeverOverwritesANewerLocalEdit() throws Exception {
    c.connect(DS, DO);
    c.client(DS).sync();
    Path replica = c.replica(DS, DO);
    String j1 = job(DS, "j1/run.sh");
    String j2 = job(DS, "j2/data.txt");
    Cluster.write(replica, j1, "v1");
    Cluster.write(replica, j2, "scratch");
    c.client(DS).sync();
    c.client(DO).sync(); // accepts v1; its echo is now on the way
    Cluster.write(replica, j1, "v2, edited before the echo of v1 arrived");
    Files.delete(replica.resolve(j2));
    SyncReport r = c.client(DS).sync(); // proposes v2, then pulls the echo of v1
    assertThat(r.proposed()).isEqualTo(2);
    assertThat(replica.resolve(j1)).hasContent("v2, edited before the echo of v1 arrived");
    assertThat(replica.resolve(j2)).doesNotExist();
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    c.client(DS).sync();
    assertThat(replica.resolve(j1)).hasContent("v2, edited before the echo of v1 arrived");
    assertThat(c.datasite(DO).resolve(j1)).hasContent("v2, edited before the echo of v1 arrived");
    assertThat(c.datasite(DO).resolve(j2)).doesNotExist();
    assertThat(c.client(DS).sync().proposed()).isZero();
    assertThat(c.client(DO).status().quarantined()).isEmpty();
    // a later owner edit still reaches the replica (nothing stays "in flight")
    Cluster.write(c.datasite(DO), j1, "v3 by the owner");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(replica.resolve(j1)).hasContent("v3 by the owner");
  }

  @Test
  void proposalsQueuedWhileTheOwnerIsOfflineAreAllApplied() {
    c.connect(DS, DO);
    Cluster.write(c.replica(DS, DO), job(DS, "a/run.sh"), "a");
    c.client(DS).sync();
    c.clock.advance(Duration.ofSeconds(1));
    Cluster.write(c.replica(DS, DO), job(DS, "b/run.sh"), "b");
    c.client(DS).sync();
    assertThat(c.client(DO).sync().accepted()).isEqualTo(2);
    Map<String, String> inbox = Trees.snapshot(c.datasite(DO).resolve(job(DS, "")));
    inbox.keySet().removeIf(k -> k.endsWith("syft.pub.yaml"));
    assertThat(inbox).containsOnlyKeys("a/run.sh", "b/run.sh")
        .containsEntry("a/run.sh", Trees.sha256("a")).containsEntry("b/run.sh", Trees.sha256("b"));
  }

  @Test
  void eventsQueuedWhileTheReaderIsOfflineAreAllPulled() {
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    c.client(DO).sync();
    c.client(DS).sync();
    Cluster.write(c.datasite(DO), "public/a.txt", "a");
    c.client(DO).sync();
    c.clock.advance(Duration.ofSeconds(1));
    Cluster.write(c.datasite(DO), "public/b.txt", "b");
    c.client(DO).sync();
    assertThat(c.client(DS).sync().pulled()).isEqualTo(2);
    assertThat(Cluster.read(c.replica(DS, DO), "public/a.txt")).isEqualTo("a");
    assertThat(Cluster.read(c.replica(DS, DO), "public/b.txt")).isEqualTo("b");
  }

  @Test
  void peersAreReloadedAfterARestart() {
    c.client(DS).peers().add(DO);
    c.client(DS).peers().add(GHOST);
    c.client(DO).sync();
    c.client(DO).peers().approve(DS);
    c.client(DS).sync();
    c.restart(DS);
    c.restart(DO);
    assertThat(c.client(DS).peers().list()).extracting(Peer::email, p -> p.state().wireName())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(DO, "accepted"),
            org.assertj.core.groups.Tuple.tuple(GHOST, "requested_by_me"));
    assertThat(c.client(DO).peers().list()).extracting(Peer::email, p -> p.state().wireName())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(DS, "accepted"));
    // the pending request to a user who never answers does not disturb syncing
    assertThat(c.client(DS).sync().clean()).isTrue();
  }

  @Test
  void filesTravelBothWays() {
    c.connect(DS, DO);
    String rel = job(DS, "j/main.py");
    Cluster.write(c.replica(DS, DO), rel, "print(1)\n");
    c.client(DS).sync();
    c.client(DO).sync();
    assertThat(Cluster.read(c.datasite(DO), rel)).isEqualTo("print(1)\n");
    Cluster.grantRead(c.datasite(DO), "", "**", DS);
    Cluster.write(c.datasite(DO), "hello.txt", "from the owner");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.client(DS).home().dir().resolve(DO).resolve("hello.txt")).hasContent("from the owner");
  }

  @Test
  void anOwnerDeletionRemovesTheReadersCopyAndBothIndexEntries() {
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "", "**", DS);
    Cluster.write(c.datasite(DO), "notes.txt", "n");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve("notes.txt")).hasContent("n");
    try (StateDb d = db(DS)) {
      assertThat(d.replicaHash(DO, "notes.txt")).contains(Trees.sha256("n"));
    }
    assertThat(c.datasite(DO).resolve("notes.txt").toFile().delete()).isTrue();
    assertThat(c.client(DO).sync().localChanges()).isEqualTo(1);
    assertThat(c.client(DS).sync().pulled()).isEqualTo(1);
    assertThat(c.replica(DS, DO).resolve("notes.txt")).doesNotExist();
    try (StateDb d = db(DO)) {
      assertThat(d.ownHash("notes.txt")).isEmpty();
      assertThat(d.deliveredHash(DS, "notes.txt")).isEmpty();
    }
    try (StateDb d = db(DS)) {
      assertThat(d.replicaHash(DO, "notes.txt")).isEmpty();
    }
    // and nothing is proposed back
    assertThat(c.client(DS).sync().proposed()).isZero();
  }

  @Test
  void anOwnerDeletingAReceivedFileDeletesTheProposersCopy() {
    c.connect(DS, DO);
    String rel = job(DS, "j/tmp.txt");
    Cluster.write(c.replica(DS, DO), rel, "scratch");
    c.client(DS).sync();
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.datasite(DO).resolve(rel).toFile().delete()).isTrue();
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve(rel)).doesNotExist();
    try (StateDb d = db(DS)) {
      assertThat(d.replicaHash(DO, rel)).isEmpty();
    }
    assertThat(c.client(DS).sync().proposed()).isZero();
    assertThat(c.client(DO).sync().accepted()).isZero();
  }

  @Test
  void theDatasetFolderNeverTravelsInTheEventChannel() {
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    Cluster.write(c.datasite(DO), "public/readme.md", "r");
    Cluster.write(c.datasite(DO), "public/syft_datasets/census/mock.csv", "a,b");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve("public/readme.md")).exists();
    assertThat(c.replica(DS, DO).resolve("public/syft_datasets")).doesNotExist();
    try (StateDb d = db(DO)) {
      assertThat(d.ownHash("public/readme.md")).isPresent();
      assertThat(d.ownFiles().keySet()).noneMatch(p -> p.startsWith("public/syft_datasets/"));
    }
  }

  @Test
  void filesReachOnlyThePeersAllowedToReadThem() throws Exception {
    c.connect(DS, DO);
    c.connect(DS2, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS, DS2);
    String review = "app_data/job/review/" + DS + "/result.json";
    Cluster.write(c.datasite(DO), review, "{\"result\": 1}");
    Cluster.write(c.datasite(DO), "public/both.txt", "both");
    c.client(DO).sync();
    c.client(DS).sync();
    c.client(DS2).sync();
    assertThat(c.replica(DS, DO).resolve(review)).hasContent("{\"result\": 1}");
    assertThat(c.replica(DS2, DO).resolve(review)).doesNotExist();
    assertThat(c.replica(DS, DO).resolve("public/both.txt")).hasContent("both");
    assertThat(c.replica(DS2, DO).resolve("public/both.txt")).hasContent("both");
    // not even an undelivered copy sits in the other reader's outbox
    Storage doStore = net.raw(DO);
    assertThat(Forge.eventsIn(doStore, Forge.outboxOf(doStore, DS2), c.homeDir(DO)).stream().flatMap(m -> m.events().stream())
        .map(FileChangeEvent::pathInDatasite)).doesNotContain(review).contains("public/both.txt");
  }

  @Test
  void aRestartedPairProcessesWhatWasQueued() {
    c.connect(DS, DO);
    c.client(DS).sync();
    Cluster.write(c.replica(DS, DO), job(DS, "a/run.sh"), "a");
    c.client(DS).sync();
    c.clock.advance(Duration.ofSeconds(1));
    Cluster.write(c.replica(DS, DO), job(DS, "b/run.sh"), "b");
    c.client(DS).sync();
    c.restart(DS);
    c.restart(DO);
    assertThat(c.client(DS).peers().list()).hasSize(1);
    assertThat(c.client(DO).peers().list()).hasSize(1);
    assertThat(c.client(DO).sync().accepted()).isEqualTo(2);
    assertThat(c.client(DS).sync().pulled()).isEqualTo(2);
    assertThat(c.client(DS).sync().proposed()).isZero();
  }

  @Test
  void aPermissionFileProposedWithoutAdminIsQuarantined() {
    c.connect(DS, DO);
    String acl = job(DS, "sub/syft.pub.yaml");
    Cluster.write(c.replica(DS, DO), acl, "rules:\n- pattern: '**'\n  access:\n    read: ['*']\n");
    c.client(DS).sync();
    assertThat(c.client(DO).sync().rejected()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(acl)).doesNotExist();
    assertThat(c.client(DO).status().quarantined()).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains("permission file"));
  }

  @Test
  void grantingReadLaterSendsTheFileToTheNewReaderOnly() {
    c.connect(DS, DO);
    c.connect(DS2, DO);
    Cluster.grantRead(c.datasite(DO), "shared", "**", DS);
    Cluster.write(c.datasite(DO), "shared/f.txt", "f");
    c.client(DO).sync();
    c.client(DS).sync();
    c.client(DS2).sync();
    assertThat(c.replica(DS, DO).resolve("shared/f.txt")).hasContent("f");
    assertThat(c.replica(DS2, DO).resolve("shared/f.txt")).doesNotExist();
    Cluster.grantRead(c.datasite(DO), "shared", "**", DS, DS2);
    c.client(DO).sync();
    assertThat(c.client(DS2).sync().pulled()).isEqualTo(1);
    assertThat(c.replica(DS2, DO).resolve("shared/f.txt")).hasContent("f");
    assertThat(c.client(DS).sync().pulled()).isZero();
  }

  // ------------------------------------------------------------------ 10.5 peer requests

  @Test
  void aPendingRequestBlocksSyncUntilApproved() throws Exception {
    c.client(DS).peers().add(DO);
    String queued = job(DS, "test.job");
    Cluster.write(c.replica(DS, DO), queued, "queued on disk");
    assertThat(c.client(DS).sync().proposed()).isZero();
    // a message that already sits in the inbox before approval
    Storage dsStore = net.raw(DS);
    ProposedFileChangesMessage early = Forge.proposal(DS, DO, job(DS, "early.job"), "early", null, now());
    Forge.upload(dsStore, Forge.inboxAt(dsStore, DO), early.fileName(), Forge.archive(early));
    SyncReport r = c.client(DO).sync();
    assertThat(r.accepted() + r.rejected()).isZero();
    assertThat(c.client(DO).peers().list()).extracting(p -> p.state().wireName()).containsExactly("requested_by_peer");
    assertThat(c.datasite(DO).resolve(queued)).doesNotExist();
    assertThat(c.datasite(DO).resolve(job(DS, "early.job"))).doesNotExist();

    c.client(DO).peers().approve(DS);
    assertThat(c.client(DO).peers().list()).extracting(p -> p.state().wireName()).containsExactly("accepted");
    assertThat(c.client(DS).sync().proposed()).isEqualTo(1);
    assertThat(c.client(DO).sync().accepted()).isEqualTo(2);
    assertThat(c.datasite(DO).resolve(queued)).hasContent("queued on disk");
    assertThat(c.datasite(DO).resolve(job(DS, "early.job"))).hasContent("early");
    assertThat(c.client(DO).status().quarantined()).isEmpty();
  }

  @Test
  void aRejectedRequestersMessagesAreNeverProcessed() throws Exception {
    c.client(DS).peers().add(DO);
    Storage dsStore = net.raw(DS);
    ProposedFileChangesMessage m = Forge.proposal(DS, DO, job(DS, "x.job"), "x", null, now());
    Entry inbox = Forge.inboxAt(dsStore, DO);
    Forge.upload(dsStore, inbox, m.fileName(), Forge.archive(m));
    c.client(DO).sync();
    c.client(DO).peers().reject(DS);
    for (int i = 0; i < 3; i++) {
      SyncReport r = c.client(DO).sync();
      assertThat(r.accepted() + r.rejected()).isZero();
      c.client(DS).sync();
    }
    assertThat(c.datasite(DO).resolve(job(DS, "x.job"))).doesNotExist();
    assertThat(c.client(DO).status().quarantined()).isEmpty();
    assertThat(peer(DS, DO).state().wireName()).isEqualTo("requested_by_me");
    // the message stays where the requester put it
    assertThat(dsStore.listAll(inbox)).extracting(Entry::name).containsExactly(m.fileName());
  }

  // ------------------------------------------------------------------ 10.9 cache-aware sync

  @Test
  void aRestartedReaderDownloadsOnlyNewEvents() {
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    for (int i = 0; i < 3; i++) {
      Cluster.write(c.datasite(DO), "public/f" + i + ".txt", "v" + i);
      c.client(DO).sync();
      c.clock.advance(Duration.ofSeconds(1));
    }
    c.client(DS).sync();
    c.restart(DS);
    var counts = net.counting(DS);
    counts.reset();
    SyncReport idle = c.client(DS).sync();
    assertThat(idle.pulled()).isZero();
    assertThat(counts.reset().get(Operation.READ)).isZero();
    for (int i = 3; i < 5; i++) {
      Cluster.write(c.datasite(DO), "public/f" + i + ".txt", "v" + i);
      c.client(DO).sync();
      c.clock.advance(Duration.ofSeconds(1));
    }
    SyncReport r = c.client(DS).sync();
    assertThat(r.pulled()).isEqualTo(2);
    assertThat(counts.reset().get(Operation.READ)).isEqualTo(2);
    assertThat(Trees.snapshot(c.replica(DS, DO).resolve("public"))).hasSize(5);
  }

  @Test
  void aRestartedOwnerDownloadsOnlyNewProposals() {
    c.connect(DS, DO);
    for (int i = 0; i < 3; i++) {
      Cluster.write(c.replica(DS, DO), job(DS, "j" + i + "/run.sh"), "v" + i);
      c.client(DS).sync();
      c.client(DO).sync();
      c.clock.advance(Duration.ofSeconds(1));
    }
    c.restart(DO);
    var counts = net.counting(DO);
    counts.reset();
    assertThat(c.client(DO).sync().accepted()).isZero();
    assertThat(counts.reset().get(Operation.READ)).isZero();
    for (int i = 3; i < 5; i++) {
      Cluster.write(c.replica(DS, DO), job(DS, "j" + i + "/run.sh"), "v" + i);
      c.client(DS).sync();
      c.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(c.client(DO).sync().accepted()).isEqualTo(2);
    assertThat(counts.reset().get(Operation.READ)).isEqualTo(2);
  }

  @Test
  void deletionsStayDeletedAfterARestartOnBothSides() {
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    Cluster.write(c.datasite(DO), "public/keep.txt", "k");
    Cluster.write(c.datasite(DO), "public/gone.txt", "g");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.datasite(DO).resolve("public/gone.txt").toFile().delete()).isTrue();
    c.client(DO).sync();
    c.client(DS).sync();
    c.restart(DO);
    c.restart(DS);
    assertThat(c.client(DO).sync().localChanges()).isZero();
    SyncReport ds = c.client(DS).sync();
    assertThat(ds.proposed()).isZero();
    assertThat(ds.pulled()).isZero();
    try (StateDb d = db(DO)) {
      assertThat(d.ownHash("public/gone.txt")).isEmpty();
      assertThat(d.ownHash("public/keep.txt")).isPresent();
    }
    try (StateDb d = db(DS)) {
      assertThat(d.replicaHash(DO, "public/gone.txt")).isEmpty();
      assertThat(d.replicaHash(DO, "public/keep.txt")).isPresent();
    }
    assertThat(c.replica(DS, DO).resolve("public/gone.txt")).doesNotExist();
  }

  // ------------------------------------------------------------------ 10.12 sync lock

  @Test
  void aSecondInstanceOnOneHomeIsRefusedNamingTheHolder() {
    c.connect(DS, DO);
    // a second client instance over the same home folder
    SyftClient second = SyftClient.open(Home.open(c.homeDir(DO)), net.raw(DO), c.clock);
    try (Home.HomeLock held = c.client(DO).home().lock()) {
      assertThatThrownBy(second::sync).isInstanceOf(SyftException.class)
          .satisfies(e -> assertThat(((SyftException) e).code()).isEqualTo("home-busy"))
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining(c.homeDir(DO).toAbsolutePath().normalize().toString());
      assertThatThrownBy(() -> c.client(DO).peers().add(DS2)).hasMessageContaining("pid " + ProcessHandle.current().pid());
    } finally {
      // once released, the second instance works
      assertThat(second.sync().clean()).isTrue();
      second.close();
    }
    assertThat(Files.exists(c.homeDir(DO).resolve(".syft/lock"))).isTrue();
  }
}
