package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.archive.ArchiveCodec;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.protocol.model.WireJson;
import dev.syft.protocol.names.FileNames;
import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.layout.BoxType;
import dev.syft.transport.layout.FolderNames;
import dev.syft.transport.layout.SyftLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile peers (WEAKNESSES.md A.1-A.3): raw messages crafted with the protocol's codec (unsafe
 * paths spliced into otherwise valid JSON) and uploaded with the peer's own store into the folders
 * the protocol puts them in. Each is refused and quarantined with a reason shown in status, the next
 * message is still processed, and nothing is ever written outside a datasite (the whole temporary
 * folder is scanned after every test).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Transport.class, names = {"MEMORY", "LOCAL"})
class HostilePeerTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;
  static final String MAL = "mallory@evil.example";
  static final String EVIL = "owner@evil.example";

  @Parameter Transport transport;
  @TempDir Path tmp;
  Net net;
  Cluster c;
  double ts = Cluster.EPOCH.getEpochSecond() + 100_000;

  @BeforeEach
  void setUp() {
    net = Net.create(transport, tmp);
    c = net.cluster;
    c.connect(DS, DO);
    c.connect(MAL, DO);
  }

  @AfterEach
  void nothingWasWrittenOutsideADatasite() {
    try {
      List<String> outside = new ArrayList<>();
      Path homes = tmp.resolve("homes");
      for (Path f : Trees.allFiles(tmp)) {
        String name = f.getFileName().toString();
        if (name.contains("escape") || name.contains("pwned")) {
          outside.add("hostile file " + f);
        }
        if (!f.startsWith(homes)) {
          if (!(net.root != null && f.startsWith(net.root))) {
            outside.add("outside the homes and the store: " + f);
          }
          continue;
        }
        Path rel = homes.relativize(f);
        String home = rel.getName(0).toString();
        String first = rel.getNameCount() > 1 ? rel.getName(1).toString() : "";
        boolean ok = rel.getNameCount() == 2 && first.equals("config.yaml")
            || rel.getNameCount() > 2 && (first.equals(".syft") || first.contains("@"))
                && home.equals("home-" + emailOf(home)) && (first.startsWith(".") || isKnown(first));
        if (!ok) {
          outside.add("unexpected place in a home: " + f);
        }
      }
      assertThat(outside).isEmpty();
    } finally {
      net.close();
    }
  }

  private static String emailOf(String homeFolder) {
    return homeFolder.substring("home-".length());
  }

  private static boolean isKnown(String email) {
    return List.of(DO, DS, MAL, EVIL).contains(email);
  }

  double next() {
    ts += 1;
    return ts;
  }

  Storage mal() {
    return net.raw(MAL);
  }

  Entry malInbox() throws Exception {
    return Forge.inboxAt(mal(), DO);
  }

  static String job(String who, String rest) {
    return SyncScenariosTest.job(who, rest);
  }

  /** A well-formed proposal from MAL for its own job inbox; the message after the hostile ones. */
  String legit(String rest) throws Exception {
    String path = job(MAL, rest);
    ProposedFileChangesMessage m = Forge.proposal(MAL, DO, path, "fine", null, next());
    Forge.upload(mal(), malInbox(), m.fileName(), Forge.archive(m));
    return path;
  }

  /** The DO's datasite without the notices folder (rejections are told there, on purpose). */
  SortedMap<String, String> doTree() {
    SortedMap<String, String> t = Trees.snapshot(c.datasite(DO));
    t.keySet().removeIf(k -> k.startsWith("app_data/syft_java/notices/") && !k.endsWith("syft.pub.yaml"));
    return t;
  }

  // ------------------------------------------------------------------ DO side

  @Test
  void aForgedSenderIsQuarantinedAndTheProposerIsTold() throws Exception {
    ProposedFileChangesMessage forged = Forge.proposal(DS, DO, job(DS, "forged.job"), "x", null, next());
    Forge.upload(mal(), malInbox(), forged.fileName(), Forge.archive(forged));
    String ok = legit("ok.job");
    SyncReport r = c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(job(DS, "forged.job"))).doesNotExist();
    assertThat(c.datasite(DO).resolve(ok)).hasContent("fine");
    assertThat(c.client(DO).status().quarantined()).singleElement().satisfies(q -> {
      assertThat(q.peer()).isEqualTo(MAL);
      assertThat(q.message()).isEqualTo(forged.fileName());
      assertThat(q.reason()).contains("claims to come from " + DS);
    });
    c.client(MAL).sync();
    assertThat(c.client(MAL).status().rejectedProposals()).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains("claims to come from"));
  }

  @Test
  void unsafePathsAreRefusedAtDecodeAndQuarantined() throws Exception {
    List<String> hostile = List.of("../escape1.txt", "../../escape2.txt", "../../../../../../escape3.txt",
        tmp.resolve("escape4.txt").toAbsolutePath().toString(), "app_data\\..\\..\\escape5.txt",
        job(MAL, "../../../../../escape6.txt"), "C:/escape7.txt", "/etc/escape8.txt");
    for (String p : hostile) {
      ProposedFileChangesMessage m = Forge.proposal(MAL, DO, Forge.PLACEHOLDER, "pwned", null, next());
      Forge.upload(mal(), malInbox(), m.fileName(), Forge.withPath(m, p));
    }
    String ok = legit("after.job");
    SortedMap<String, String> before = doTree();
    SyncReport r = c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(hostile.size());
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(ok)).hasContent("fine");
    SortedMap<String, String> after = doTree();
    after.remove(ok);
    assertThat(after).isEqualTo(before);
    assertThat(c.client(DO).status().quarantined()).hasSize(hostile.size())
        .allSatisfy(q -> assertThat(q.reason()).startsWith("unreadable message").contains("refused"));
    // the inbox is drained: refused messages are moved out like processed ones
    assertThat(mal().listAll(malInbox())).isEmpty();
  }

  @Test
  void writesWithoutPermissionAndPermissionFilesWithoutAdminAreRefused() throws Exception {
    List<String> refused = List.of("public/defaced.html", job(DS, "planted.job"), job(MAL, "syft.pub.yaml"),
        "syft.pub.yaml", "app_data/job/review/" + MAL + "/result.json", "private/secret.csv");
    for (String p : refused) {
      ProposedFileChangesMessage m = Forge.proposal(MAL, DO, p, "rules: []\n", null, next());
      Forge.upload(mal(), malInbox(), m.fileName(), Forge.archive(m));
    }
    String ok = legit("ok.job");
    SortedMap<String, String> before = doTree();
    SyncReport r = c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(refused.size());
    assertThat(r.accepted()).isEqualTo(1);
    SortedMap<String, String> after = doTree();
    assertThat(after.remove(ok)).isEqualTo(Trees.sha256("fine"));
    assertThat(after).as("nothing else changed, permission files included").isEqualTo(before);
    List<String> reasons = c.client(DO).status().quarantined().stream().map(Status.Problem::reason).toList();
    assertThat(reasons).hasSize(refused.size());
    assertThat(reasons.get(0)).contains("may not write");
    assertThat(reasons.get(1)).contains("may not write");
    assertThat(reasons.get(2)).contains("permission file");
    assertThat(reasons.get(3)).contains("permission file");
    assertThat(reasons.get(4)).contains("may not write");
    assertThat(reasons.get(5)).contains("not synced");
  }

  @Test
  void aReplayUnderANewNameIsRefusedAndARepeatedNameIsIgnored() throws Exception {
    String path = job(MAL, "r.job");
    ProposedFileChangesMessage v1 = Forge.proposal(MAL, DO, path, "v1", null, next());
    Forge.upload(mal(), malInbox(), v1.fileName(), Forge.archive(v1));
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    ProposedFileChangesMessage v2 = Forge.proposal(MAL, DO, path, "v2", Trees.sha256("v1"), next());
    Forge.upload(mal(), malInbox(), v2.fileName(), Forge.archive(v2));
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    // the first message again, same id, new name
    ProposedFileChangesMessage replay = Forge.renamed(v1, next());
    Forge.upload(mal(), malInbox(), replay.fileName(), Forge.archive(replay));
    String ok = legit("ok.job");
    SyncReport r = c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(path)).hasContent("v2");
    assertThat(c.client(DO).status().quarantined()).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains("replay"));
    // the very same file once more (a retried upload): ignored, not a second quarantine
    Forge.upload(mal(), malInbox(), v2.fileName(), Forge.archive(v2));
    SyncReport again = c.client(DO).sync();
    assertThat(again.accepted() + again.rejected()).isZero();
    assertThat(c.client(DO).status().quarantined()).hasSize(1);
    assertThat(c.datasite(DO).resolve(path)).hasContent("v2");
    assertThat(c.datasite(DO).resolve(ok)).hasContent("fine");
  }

  @Test
  void garbageAndOversizedArchivesAreQuarantinedAndTheNextMessageApplies() throws Exception {
    byte[] random = new byte[4096];
    new SplittableRandom(7).nextBytes(random);
    ProposedFileChangesMessage sample = Forge.proposal(MAL, DO, job(MAL, "x"), "x", null, 1);
    FileChangeEventsMessage wrongKind = Forge.events(DO, "public/x.txt", "x", 1);
    List<byte[]> payloads = List.of(random, new byte[0], "not a gzip archive".getBytes(StandardCharsets.UTF_8),
        gzip("plain text, not a tar".getBytes(StandardCharsets.UTF_8)), sizeBomb(),
        new ArchiveCodec().encodeMember("{not json".getBytes(StandardCharsets.UTF_8)),
        new ArchiveCodec().encodeMember(WireJson.write(wrongKind)),
        truncated(Forge.archive(sample)));
    for (byte[] b : payloads) {
      Forge.upload(mal(), malInbox(), FileNames.proposal(next(), UUID.randomUUID().toString()), b);
    }
    // a file whose name is not a message name is left alone
    Forge.upload(mal(), malInbox(), "notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
    String ok = legit("ok.job");
    SyncReport r = c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(payloads.size());
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(ok)).hasContent("fine");
    assertThat(c.client(DO).status().quarantined()).hasSize(payloads.size())
        .allSatisfy(q -> assertThat(q.reason()).startsWith("unreadable message"));
    assertThat(c.client(DO).status().quarantined().get(4).reason()).contains("limit");
    assertThat(mal().listAll(malInbox())).extracting(Entry::name).containsExactly("notes.txt");
    // still healthy: the next round is clean and quiet
    SyncReport next = c.client(DO).sync();
    assertThat(next.clean()).isTrue();
    assertThat(next.accepted() + next.rejected()).isZero();
  }

  @Test
  void aFolderForgedInAnotherPeersNameIsIgnored() throws Exception {
    Storage mal = mal();
    // mallory creates "ds's inbox for the DO" in its own store and shares it with the DO
    Entry fake = mal.ensureFolder(mal.root(), FolderNames.p2p(SyftLayout.CLIENT_VERSION, DO, BoxType.INBOX, DS));
    mal.share(fake, DO, Role.WRITER);
    ProposedFileChangesMessage m = Forge.proposal(DS, DO, job(DS, "via-forged-folder.job"), "x", null, next());
    Forge.upload(mal, fake, m.fileName(), Forge.archive(m));
    SyncReport r = c.client(DO).sync();
    assertThat(r.accepted() + r.rejected()).isZero();
    assertThat(c.datasite(DO).resolve(job(DS, "via-forged-folder.job"))).doesNotExist();
    assertThat(c.client(DO).status().quarantined()).isEmpty();
    // the real DS is unaffected
    Cluster.write(c.replica(DS, DO), job(DS, "real.job"), "real");
    c.client(DS).sync();
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(job(DS, "real.job"))).hasContent("real");
  }

  // ------------------------------------------------------------------ DS side

  /** The DS also reads from a hostile data owner. */
  Entry evilOutbox() throws Exception {
    c.connect(DS, EVIL);
    c.client(DS).sync();
    return Forge.outboxOf(net.raw(EVIL), DS);
  }

  @Test
  void eventsNamingAnotherDatasiteOrAnUnsafePathAreQuarantinedOnTheScientistSide() throws Exception {
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    Cluster.write(c.datasite(DO), "public/real.txt", "real");
    c.client(DO).sync();
    Entry outbox = evilOutbox();
    assertThat(c.replica(DS, DO).resolve("public/real.txt")).hasContent("real");
    Storage evil = net.raw(EVIL);
    List<FileChangeEventsMessage> hostile = List.of(
        Forge.events(DO, "public/real.txt", "overwritten by evil", next()), // another owner's replica
        Forge.events(DS, "public/mine.txt", "planted", next()), // the scientist's own datasite
        Forge.events(MAL, "x.txt", "x", next()));
    for (FileChangeEventsMessage m : hostile) {
      Forge.upload(evil, outbox, m.fileName(), Forge.archive(m));
    }
    FileChangeEventsMessage traversal = Forge.events(EVIL, Forge.PLACEHOLDER, "pwned", next());
    Forge.upload(evil, outbox, traversal.fileName(), Forge.withPath(traversal, "../../escape-events.txt"));
    Forge.upload(evil, outbox, FileNames.events(next(), UUID.randomUUID()), "garbage".getBytes(StandardCharsets.UTF_8));
    FileChangeEventsMessage ok = Forge.events(EVIL, "public/ok.txt", "ok", next());
    Forge.upload(evil, outbox, ok.fileName(), Forge.archive(ok));

    SyncReport r = c.client(DS).sync();
    assertThat(r.peerErrors()).isEmpty();
    assertThat(c.replica(DS, EVIL).resolve("public/ok.txt")).hasContent("ok");
    assertThat(c.replica(DS, DO).resolve("public/real.txt")).hasContent("real");
    assertThat(c.datasite(DS).resolve("public/mine.txt")).doesNotExist();
    List<Status.Problem> q = c.client(DS).status().quarantined();
    assertThat(q).hasSize(5).allSatisfy(p -> assertThat(p.peer()).isEqualTo(EVIL));
    assertThat(q.get(0).reason()).contains("event for datasite " + DO);
    assertThat(q.get(1).reason()).contains("event for datasite " + DS);
    assertThat(q.get(2).reason()).contains("event for datasite " + MAL);
    assertThat(q.get(3).reason()).contains("unreadable").contains("refused");
    assertThat(q.get(4).reason()).contains("unreadable");
    // the quarantined messages are not read again
    assertThat(c.client(DS).sync().pulled()).isZero();
    assertThat(c.client(DS).status().quarantined()).hasSize(5);
  }

  @Test
  void aReplayedEventsMessageCannotRollTheReplicaBack() throws Exception {
    Entry outbox = evilOutbox();
    Storage evil = net.raw(EVIL);
    FileChangeEventsMessage v1 = Forge.events(EVIL, "public/a.txt", "v1", next());
    Forge.upload(evil, outbox, v1.fileName(), Forge.archive(v1));
    c.client(DS).sync();
    FileChangeEventsMessage v2 = Forge.events(EVIL, "public/a.txt", "v2", next());
    Forge.upload(evil, outbox, v2.fileName(), Forge.archive(v2));
    c.client(DS).sync();
    assertThat(c.replica(DS, EVIL).resolve("public/a.txt")).hasContent("v2");
    FileChangeEventsMessage replay = new FileChangeEventsMessage(v1.events(), v1.id(), next());
    Forge.upload(evil, outbox, replay.fileName(), Forge.archive(replay));
    c.client(DS).sync();
    assertThat(c.replica(DS, EVIL).resolve("public/a.txt")).hasContent("v2");
    assertThat(c.client(DS).status().quarantined()).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains("replay"));
  }

  // ------------------------------------------------------------------ crafted bytes

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /** A gzip'd tar whose only member claims to be 7 GiB (the body is cut off): refused before reading it. */
  static byte[] sizeBomb() throws Exception {
    TarArchiveEntry e = new TarArchiveEntry(ArchiveCodec.MEMBER_NAME);
    e.setSize(7L << 30); // above the 6 GiB a streamed message's JSON may take
    byte[] header = new byte[512];
    e.writeEntryHeader(header);
    byte[] body = new byte[512 + 64 * 1024];
    System.arraycopy(header, 0, body, 0, 512);
    java.util.Arrays.fill(body, 512, body.length, (byte) '{');
    return gzip(body);
  }

  static byte[] truncated(byte[] archive) {
    return java.util.Arrays.copyOf(archive, archive.length / 2);
  }
}
