package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.decorator.ForwardingStorage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The data scientist's side after things went wrong (issue #14): a proposal the owner refused is
 * rolled back to the owner's last known state so later edits reconcile; a folder replaced by a file
 * is proposed deletions first; an event or message that cannot be read or applied is quarantined
 * alone and later events from that owner still apply.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Transport.class, names = {"MEMORY", "LOCAL"})
class ScientistRecoveryTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;
  static final String EVIL = HostilePeerTest.EVIL;

  @Parameter Transport transport;
  @TempDir Path tmp;
  Net net;
  Cluster c;

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  void start() {
    start((email, raw) -> raw);
  }

  void start(java.util.function.BiFunction<String, Storage, Storage> wrap) {
    net = Net.create(transport, tmp, wrap);
    c = net.cluster;
    c.connect(DS, DO);
    c.client(DS).sync();
  }

  static String job(String rest) {
    return SyncScenariosTest.job(DS, rest);
  }

  /** One DS round, one DO round, one DS round, with time moving on between them. */
  void round() {
    c.clock.advance(Duration.ofSeconds(1));
    c.client(DS).sync();
    c.clock.advance(Duration.ofSeconds(1));
    c.client(DO).sync();
    c.clock.advance(Duration.ofSeconds(1));
    c.client(DS).sync();
  }

  /** Rounds until two in a row do nothing on either side; fails if that never happens. */
  void settle() {
    int quiet = 0;
    for (int i = 0; quiet < 2; i++) {
      assertThat(i).as("rounds until quiet").isLessThan(20);
      c.clock.advance(Duration.ofSeconds(1));
      SyncReport ds = c.client(DS).sync();
      c.clock.advance(Duration.ofSeconds(1));
      SyncReport ow = c.client(DO).sync();
      boolean active = ds.proposed() + ds.pulled() + ds.uploaded() + ow.accepted() + ow.rejected() + ow.localChanges()
          + ow.uploaded() > 0;
      quiet = active ? 0 : quiet + 1;
    }
  }

  /** The files of {@code root} below the DS's job folder (permission files left out). */
  static SortedMap<String, String> jobs(Path root) {
    SortedMap<String, String> t = new TreeMap<>(Trees.snapshot(root.resolve(job(""))));
    t.keySet().removeIf(k -> k.endsWith("syft.pub.yaml"));
    return t;
  }

  /** The DS's replica and the owner's datasite hold the same files, except the owner's notices and ACLs. */
  void assertConverged() {
    SortedMap<String, String> owner = Trees.snapshot(c.datasite(DO));
    owner.keySet().removeIf(k -> k.endsWith("syft.pub.yaml") || k.startsWith("app_data/syft_java/notices/"));
    SortedMap<String, String> replica = Trees.snapshot(c.replica(DS, DO));
    replica.keySet().removeIf(k -> k.startsWith("app_data/syft_java/notices/"));
    assertThat(replica).isEqualTo(owner);
  }

  Path rejectedCopy(String path) {
    return c.homeDir(DS).resolve(".syft/rejected").resolve(DO).resolve(path);
  }

  // ------------------------------------------------------------------ item 2: refusals roll back

  @Test
  void aRefusedProposalIsRolledBackAndLaterEditsReconcile() {
    start();
    Path replica = c.replica(DS, DO);
    Cluster.write(replica, job("a/run.sh"), "a1");
    Cluster.write(replica, job("b/data.txt"), "b1");
    Cluster.write(replica, "public/defaced.html", "x"); // the DS may not write here: the whole message is refused
    c.clock.advance(Duration.ofSeconds(1));
    assertThat(c.client(DS).sync().proposed()).isEqualTo(3);
    assertThat(c.client(DO).sync().rejected()).isEqualTo(1);
    c.clock.advance(Duration.ofSeconds(1));
    c.client(DS).sync(); // learns of the refusal
    Status s = c.client(DS).status();
    assertThat(s.rolledBack()).singleElement().satisfies(r -> {
      assertThat(r.owner()).isEqualTo(DO);
      assertThat(r.changes()).isEqualTo(3);
      assertThat(r.movedAside()).isEqualTo(1);
      assertThat(r.reason()).contains("may not write").contains("public/defaced.html");
      assertThat(r.summary()).startsWith("3 change(s) refused by owner " + DO + ", rolled back: ");
    });
    // the refused file the DS may not write left the replica, kept aside
    assertThat(replica.resolve("public/defaced.html")).doesNotExist();
    assertThat(rejectedCopy("public/defaced.html")).hasContent("x");
    // later edits of files the owner never received are proposed as creations and accepted
    Cluster.write(replica, job("a/run.sh"), "a2");
    Cluster.write(replica, job("c/new.txt"), "c1");
    settle();
    assertThat(jobs(c.datasite(DO))).isEqualTo(Map.of("a/run.sh", Trees.sha256("a2"), "b/data.txt",
        Trees.sha256("b1"), "c/new.txt", Trees.sha256("c1")));
    assertConverged();
    assertThat(c.client(DO).status().quarantined()).as("the offending file is not proposed again").hasSize(1);
    // and a plain later edit goes through as an update
    Cluster.write(replica, job("a/run.sh"), "a3");
    settle();
    assertThat(c.datasite(DO).resolve(job("a/run.sh"))).hasContent("a3");
    assertConverged();
    assertThat(c.client(DO).status().quarantined()).hasSize(1);
  }

  @Test
  void editsMadeBeforeTheRefusalArrivedAreProposedAgainstTheOwnersState() {
    start();
    Path replica = c.replica(DS, DO);
    Cluster.write(replica, job("f/run.sh"), "v1");
    Cluster.write(replica, job("g/gone.txt"), "g");
    Cluster.write(replica, "public/defaced.html", "x");
    c.clock.advance(Duration.ofSeconds(1));
    c.client(DS).sync();
    // before the owner looked at it, the DS edits one file and deletes another of the same message
    Cluster.write(replica, job("f/run.sh"), "v2");
    assertThat(replica.resolve(job("g/gone.txt")).toFile().delete()).isTrue();
    c.clock.advance(Duration.ofSeconds(1));
    assertThat(c.client(DS).sync().proposed()).isEqualTo(2);
    SyncReport owner = c.client(DO).sync();
    assertThat(owner.rejected()).as("the first message, then the update of a file the owner never got").isEqualTo(2);
    settle();
    assertThat(jobs(c.datasite(DO))).isEqualTo(Map.of("f/run.sh", Trees.sha256("v2")));
    assertConverged();
    assertThat(c.client(DS).status().rolledBack()).isNotEmpty();
  }

  @Test
  void anUpdateTheOwnerRefusesIsNotProposedAgainAndTheOwnersNextVersionArrives() {
    start();
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    Cluster.write(c.datasite(DO), "public/readme.md", "owner v1");
    c.client(DO).sync();
    c.client(DS).sync();
    Path replica = c.replica(DS, DO);
    assertThat(replica.resolve("public/readme.md")).hasContent("owner v1");
    Cluster.write(replica, "public/readme.md", "edited by the DS, who may only read");
    round();
    assertThat(c.client(DO).status().quarantined()).hasSize(1);
    assertThat(c.client(DS).status().rolledBack()).singleElement().satisfies(r -> {
      assertThat(r.changes()).isEqualTo(1);
      assertThat(r.movedAside()).isZero();
    });
    settle();
    assertThat(c.client(DO).status().quarantined()).as("not proposed again").hasSize(1);
    assertThat(c.datasite(DO).resolve("public/readme.md")).hasContent("owner v1");
    // the owner's next version replaces the refused edit, and both sides agree again
    Cluster.write(c.datasite(DO), "public/readme.md", "owner v2");
    settle();
    assertThat(replica.resolve("public/readme.md")).hasContent("owner v2");
    assertConverged();
    assertThat(c.client(DO).status().quarantined()).hasSize(1);
  }

  @Test
  void manyFilesAndOneRefusedMessageConverge() {
    start();
    Path replica = c.replica(DS, DO);
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      Cluster.write(replica, job("j" + i + "/run.sh"), "echo " + i);
      expected.put("j" + i + "/run.sh", "echo " + i);
    }
    Cluster.write(replica, "private/notes.txt", "never synced by the owner");
    Cluster.write(replica, "public/defaced.html", "x");
    for (int step = 1; step <= 8; step++) {
      round();
      for (int k = 0; k < 3; k++) {
        String p = "s" + step + "-" + k + "/run.sh";
        Cluster.write(replica, job(p), "new " + step + " " + k);
        expected.put(p, "new " + step + " " + k);
      }
      String edited = "j" + (step * 3) + "/run.sh";
      Cluster.write(replica, job(edited), "edited in step " + step);
      expected.put(edited, "edited in step " + step);
      String deleted = "j" + (step * 3 + 1) + "/run.sh";
      assertThat(replica.resolve(job(deleted)).toFile().delete()).isTrue();
      expected.remove(deleted);
    }
    settle();
    Map<String, String> want = new TreeMap<>();
    expected.forEach((k, v) -> want.put(k, Trees.sha256(v)));
    assertThat(jobs(c.datasite(DO))).isEqualTo(want);
    assertThat(jobs(replica)).isEqualTo(want);
    assertThat(c.datasite(DO).resolve("public/defaced.html")).doesNotExist();
    assertThat(replica.resolve("public/defaced.html")).doesNotExist();
    assertThat(rejectedCopy("public/defaced.html")).hasContent("x");
  }

  // ------------------------------------------------------------------ item 1: folder becomes a file

  @Test
  void aFolderReplacedByAFileIsProposedDeletionsFirstAndApplied() throws Exception {
    start();
    Path replica = c.replica(DS, DO);
    Cluster.write(replica, job("d/x.txt"), "x");
    Cluster.write(replica, job("d/sub/y.txt"), "y");
    round();
    assertThat(c.datasite(DO).resolve(job("d/sub/y.txt"))).hasContent("y");
    // the folder d/ becomes the file d
    Files.delete(replica.resolve(job("d/sub/y.txt")));
    Files.delete(replica.resolve(job("d/sub")));
    Files.delete(replica.resolve(job("d/x.txt")));
    Files.delete(replica.resolve(job("d")));
    Cluster.write(replica, job("d"), "now a file");
    c.clock.advance(Duration.ofSeconds(1));
    assertThat(c.client(DS).sync().proposed()).isEqualTo(3);
    c.clock.advance(Duration.ofSeconds(1));
    SyncReport r = c.client(DO).sync();
    assertThat(r.peerErrors()).isEmpty();
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.rejected()).isZero();
    assertThat(c.datasite(DO).resolve(job("d"))).isRegularFile().hasContent("now a file");
    settle();
    assertThat(jobs(c.datasite(DO))).isEqualTo(Map.of("d", Trees.sha256("now a file")));
    assertConverged();
    assertThat(c.client(DS).status().rejectedProposals()).isEmpty();
  }

  // ------------------------------------------------------------------ items 3 and 4: unappliable events

  /** The DS also reads from a hostile owner, whose outbox folder for the DS is returned. */
  Entry evilOutbox() throws Exception {
    c.connect(DS, EVIL);
    c.client(DS).sync();
    return Forge.outboxOf(net.raw(EVIL), DS);
  }

  double ts = Cluster.EPOCH.getEpochSecond() + 100_000;

  double next() {
    ts += 1;
    return ts;
  }

  FileChangeEventsMessage upload(Entry outbox, List<FileChangeEvent> events) throws Exception {
    FileChangeEventsMessage m = new FileChangeEventsMessage(events, UUID.randomUUID(), next());
    Forge.upload(net.raw(EVIL), outbox, m.fileName(), Forge.archive(m));
    return m;
  }

  FileChangeEvent event(String path, String content) {
    return FileChangeEvent.change(path, EVIL, FileContent.text(content), null, ts);
  }

  @Test
  void anEventThatCannotBeAppliedIsQuarantinedAndLaterEventsStillApply() throws Exception {
    start();
    Entry outbox = evilOutbox();
    upload(outbox, List.of(event("public/a.txt", "a file")));
    String longName = "public/" + "n".repeat(300) + ".txt";
    FileChangeEventsMessage underAFile = upload(outbox, List.of(event("public/a.txt/b.txt", "under a file")));
    FileChangeEventsMessage tooLong = upload(outbox, List.of(event(longName, "long")));
    FileChangeEventsMessage mixed = upload(outbox, List.of(event("public/a.txt/c.txt", "under a file too"),
        event("public/mixed-ok.txt", "fine")));
    upload(outbox, List.of(event("public/ok.txt", "ok")));

    SyncReport r = c.client(DS).sync();
    assertThat(r.peerErrors()).isEmpty();
    Path replica = c.replica(DS, EVIL);
    assertThat(replica.resolve("public/a.txt")).hasContent("a file");
    assertThat(replica.resolve("public/ok.txt")).hasContent("ok");
    assertThat(replica.resolve("public/mixed-ok.txt")).hasContent("fine");
    List<Status.Problem> q = c.client(DS).status().quarantined();
    assertThat(q).hasSize(3).allSatisfy(p -> assertThat(p.peer()).isEqualTo(EVIL));
    assertThat(q).extracting(Status.Problem::message)
        .containsExactly(underAFile.fileName(), tooLong.fileName(), mixed.fileName());
    assertThat(q.get(0).reason()).contains("public/a.txt/b.txt");
    assertThat(q.get(2).reason()).contains("public/a.txt/c.txt");
    // the owner's next event arrives; nothing is retried or quarantined again
    upload(outbox, List.of(event("public/later.txt", "later")));
    SyncReport again = c.client(DS).sync();
    assertThat(again.peerErrors()).isEmpty();
    assertThat(again.pulled()).isEqualTo(1);
    assertThat(replica.resolve("public/later.txt")).hasContent("later");
    assertThat(c.client(DS).status().quarantined()).hasSize(3);
    // nothing of the quarantined events is proposed back to the owner
    assertThat(c.client(DS).sync().proposed()).isZero();
  }

  @Test
  void changesOfAMessageRefusedWithoutANamedPathAreProposedAgainEachAlone() throws Exception {
    start();
    Entry outbox = evilOutbox();
    Path replica = c.replica(DS, EVIL);
    String a = SyncScenariosTest.job(DS, "a/run.sh");
    String b = SyncScenariosTest.job(DS, "b/run.sh");
    Cluster.write(replica, a, "a");
    Cluster.write(replica, b, "b");
    c.clock.advance(Duration.ofSeconds(1));
    assertThat(c.client(DS).sync().proposed()).isEqualTo(2);
    Storage ds = net.raw(DS);
    Entry inbox = Forge.inboxAt(ds, EVIL);
    List<ProposedFileChangesMessage> sent = proposalsIn(ds, inbox, c.homeDir(DS));
    assertThat(sent).singleElement().satisfies(m -> assertThat(m.changes()).hasSize(2));
    // the owner refuses the whole message for a reason that names no file
    String notices = "{\"datasite\": \"" + EVIL + "\", \"peer\": \"" + DS + "\", \"notices\": [{\"kind\": \"rejected\","
        + " \"message\": \"" + sent.get(0).fileName() + "\", \"reason\": \"the owner was busy\", \"at\": " + next() + "}]}";
    upload(outbox, List.of(event("app_data/syft_java/notices/" + DS + "/notices.json", notices)));
    c.clock.advance(Duration.ofSeconds(1));
    c.client(DS).sync();
    assertThat(c.client(DS).status().rolledBack()).singleElement()
        .satisfies(r -> assertThat(r.summary()).isEqualTo("2 change(s) refused by owner " + EVIL
            + ", rolled back: the owner was busy"));
    c.clock.advance(Duration.ofSeconds(1));
    assertThat(c.client(DS).sync().proposed()).isEqualTo(2);
    List<ProposedFileChangesMessage> again = proposalsIn(ds, inbox, c.homeDir(DS));
    assertThat(again).hasSize(3);
    assertThat(again.subList(1, 3)).allSatisfy(m -> {
      assertThat(m.changes()).hasSize(1);
      assertThat(m.changes().get(0).oldHash()).as("proposed as a new file again").isNull();
    });
    assertThat(again.subList(1, 3).stream().map(m -> m.changes().get(0).pathInDatasite())).containsExactlyInAnyOrder(a, b);
    assertThat(replica.resolve(a)).hasContent("a");
  }

  static List<ProposedFileChangesMessage> proposalsIn(Storage store, Entry folder, java.nio.file.Path senderHome)
      throws IOException {
    List<ProposedFileChangesMessage> out = new java.util.ArrayList<>();
    for (Entry e : store.listAll(folder)) {
      if (!e.folder() && e.name().startsWith("msgv2_")) {
        out.add(new dev.syft.protocol.archive.ArchiveCodec().decodeProposal(Forge.plain(store.readAll(e, 1 << 26), senderHome)));
      }
    }
    out.sort(java.util.Comparator.comparingDouble(ProposedFileChangesMessage::submittedTimestamp));
    return out;
  }

  /** Throws an {@link OutOfMemoryError} when a file with one of the given names is read. */
  static final class Exhausting extends ForwardingStorage {
    final Set<String> names;

    Exhausting(Storage delegate, Set<String> names) {
      super(delegate);
      this.names = names;
    }

    @Override
    public InputStream read(Entry file) throws IOException {
      if (names.contains(file.name())) {
        throw new OutOfMemoryError("Java heap space (test)");
      }
      return super.read(file);
    }
  }

  @Test
  void anErrorWhileReadingAMessageQuarantinesItAndLaterMessagesApply() throws Exception {
    Set<String> poisoned = ConcurrentHashMap.newKeySet();
    start((email, raw) -> email.equals(DS) ? new Exhausting(raw, poisoned) : raw);
    Entry outbox = evilOutbox();
    FileChangeEventsMessage big = upload(outbox, List.of(event("public/big.bin", "pretend this is huge")));
    poisoned.add(big.fileName());
    upload(outbox, List.of(event("public/after.txt", "after")));
    SyncReport r = c.client(DS).sync();
    assertThat(r.peerErrors()).isEmpty();
    assertThat(c.replica(DS, EVIL).resolve("public/after.txt")).hasContent("after");
    assertThat(c.replica(DS, EVIL).resolve("public/big.bin")).doesNotExist();
    assertThat(c.client(DS).status().quarantined()).singleElement().satisfies(p -> {
      assertThat(p.message()).isEqualTo(big.fileName());
      assertThat(p.reason()).contains("OutOfMemoryError");
    });
    assertThat(c.client(DS).sync().peerErrors()).isEmpty();
    assertThat(c.client(DS).status().quarantined()).hasSize(1);
  }

  @Test
  void aRefusalOfAMessageTheScientistNeverSentRollsNothingBack() throws Exception {
    // a proposal made outside this client (same identity, another program) is refused by the owner
    start();
    Path replica = c.replica(DS, DO);
    Cluster.write(replica, job("keep/run.sh"), "keep");
    round();
    assertThat(c.datasite(DO).resolve(job("keep/run.sh"))).hasContent("keep");
    ProposedFileChangesMessage stale = Forge.proposal(DS, DO, job("keep/run.sh"), "stale", Trees.sha256("nothing"),
        c.clock.instant().getEpochSecond() + 0.5);
    Storage ds = net.raw(DS);
    Forge.upload(ds, Forge.inboxAt(ds, DO), stale.fileName(), Forge.archive(stale));
    settle();
    assertThat(c.client(DS).status().rejectedProposals()).singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo(stale.fileName()));
    assertThat(c.client(DS).status().rolledBack()).isEmpty();
    assertThat(replica.resolve(job("keep/run.sh"))).hasContent("keep");
    assertConverged();
  }
}
