package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.ProposedFileChange;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.transport.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proposals that pass every check but cannot be written to the owner's tree as it is (issue #14,
 * item 1): a file where a folder is, a file below a file, a name over the file system's limit. Each
 * is refused whole (nothing of it written, not even its other changes), quarantined with a notice
 * to the scientist, and the peer's later proposals still apply. A folder replaced by a file, which
 * an honest scientist sends with the creation listed before the deletions, applies.
 */
class UnappliableProposalTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;

  @TempDir Path tmp;
  Net net;
  Cluster c;
  double ts = Cluster.EPOCH.getEpochSecond() + 50_000;

  @BeforeEach
  void setUp() {
    net = Net.create(Transport.LOCAL, tmp);
    c = net.cluster;
    c.connect(DS, DO);
    Cluster.grantWrite(c.datasite(DO), "shared", "**", DS);
    c.client(DO).sync();
    c.client(DS).sync();
  }

  @AfterEach
  void tearDown() {
    net.close();
  }

  double next() {
    return ts += 1;
  }

  Storage ds() {
    return net.raw(DS);
  }

  ProposedFileChange create(String path, String content, String oldHash) {
    return new ProposedFileChange(UUID.randomUUID(), oldHash, Trees.sha256(content), next(), path,
        FileContent.text(content), DO, false);
  }

  ProposedFileChange delete(String path, String oldHash) {
    return new ProposedFileChange(UUID.randomUUID(), oldHash, null, next(), path, null, DO, true);
  }

  void send(ProposedFileChange... changes) throws Exception {
    ProposedFileChangesMessage m = new ProposedFileChangesMessage(UUID.randomUUID(), DS, next(),
        UUID.randomUUID().toString(), List.of(changes));
    Forge.upload(ds(), Forge.inboxAt(ds(), DO), m.fileName(), Forge.archive(m));
  }

  /** The owner's datasite without the notices folder (rejections are told there on purpose). */
  SortedMap<String, String> ownerTree() {
    SortedMap<String, String> t = Trees.snapshot(c.datasite(DO));
    t.keySet().removeIf(k -> k.startsWith("app_data/syft_java/notices/"));
    return t;
  }

  /** Sends {@code bad}, then a good message; the bad one is refused whole, the good one applies. */
  void refusedWhole(String reasonPart, ProposedFileChange... bad) throws Exception {
    SortedMap<String, String> before = ownerTree();
    send(bad);
    send(create("shared/later.txt", "later", null));
    SyncReport r = c.client(DO).sync();
    assertThat(r.peerErrors()).as("a refused message is no error of the round").isEmpty();
    assertThat(r.rejected()).isEqualTo(1);
    assertThat(r.accepted()).isEqualTo(1);
    SortedMap<String, String> after = ownerTree();
    assertThat(after.remove("shared/later.txt")).isEqualTo(Trees.sha256("later"));
    assertThat(after).as("nothing of the refused message was written").isEqualTo(before);
    assertThat(c.client(DO).status().quarantined()).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains(reasonPart));
    assertThat(Trees.tempFiles(c.homeDir(DO))).isEmpty();
    assertThat(c.homeDir(DO).resolve(".syft/staging")).isEmptyDirectory();
    // the inbox is drained, the next round is clean, and the scientist is told
    assertThat(ds().listAll(Forge.inboxAt(ds(), DO))).isEmpty();
    assertThat(c.client(DO).sync().clean()).isTrue();
    c.client(DS).sync();
    assertThat(c.client(DS).status().rejectedProposals()).singleElement()
        .satisfies(q -> assertThat(q.reason()).contains(reasonPart));
    assertThat(c.replica(DS, DO).resolve("shared/later.txt")).hasContent("later");
  }

  @Test
  void aFileBelowAFileIsRefusedWithTheRestOfItsMessage() throws Exception {
    Cluster.write(c.datasite(DO), "shared/d", "a file");
    c.client(DO).sync();
    refusedWhole("shared/d' is a file", create("shared/first.txt", "first", null), create("shared/d/x.txt", "x", null));
    assertThat(c.datasite(DO).resolve("shared/first.txt")).doesNotExist();
  }

  @Test
  void aFileWhereAFolderWithOtherFilesIsRefused() throws Exception {
    Cluster.write(c.datasite(DO), "shared/d/keep.txt", "keep");
    Cluster.write(c.datasite(DO), "shared/d/gone.txt", "gone");
    c.client(DO).sync();
    refusedWhole("a folder is in the way", create("shared/first.txt", "first", null),
        delete("shared/d/gone.txt", Trees.sha256("gone")), create("shared/d", "now a file", null));
    assertThat(c.datasite(DO).resolve("shared/d/gone.txt")).hasContent("gone");
  }

  @Test
  void aNameOverTheFileSystemLimitIsRefused() throws Exception {
    refusedWhole("above the file system's limit", create("shared/first.txt", "first", null),
        create("shared/" + "n".repeat(300) + ".txt", "long", null));
  }

  @Test
  void theSameMessageWritingAFileAndAFileBelowItIsRefused() throws Exception {
    refusedWhole("below it", create("shared/p", "file", null), create("shared/p/q.txt", "below", null));
  }

  @Test
  void aFolderReplacedByAFileAppliesWhateverTheOrderOfItsChanges() throws Exception {
    Cluster.write(c.datasite(DO), "shared/d/x.txt", "x");
    Cluster.write(c.datasite(DO), "shared/d/sub/y.txt", "y");
    c.client(DO).sync();
    // the creation first, as an honest scientist's engine lists it
    send(create("shared/d", "d is a file now", null), delete("shared/d/x.txt", Trees.sha256("x")),
        delete("shared/d/sub/y.txt", Trees.sha256("y")));
    SyncReport r = c.client(DO).sync();
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.peerErrors()).isEmpty();
    assertThat(c.datasite(DO).resolve("shared/d")).isRegularFile().hasContent("d is a file now");
    // and back: a file replaced by a folder, the deletion listed last
    send(create("shared/d/z.txt", "z", null), delete("shared/d", Trees.sha256("d is a file now")));
    r = c.client(DO).sync();
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve("shared/d/z.txt")).hasContent("z");
    assertThat(c.client(DO).status().quarantined()).isEmpty();
    assertThat(c.client(DO).sync().clean()).isTrue();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve("shared/d/z.txt")).hasContent("z");
  }

  @Test
  void anHonestScientistReplacingAFolderWithAFileIsApplied() throws Exception {
    Path replica = c.replica(DS, DO);
    Cluster.write(replica, "shared/d/x.txt", "x");
    c.client(DS).sync();
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    c.client(DS).sync();
    List<Path> gone = new ArrayList<>();
    try (var s = Files.walk(replica.resolve("shared/d"))) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(gone::add);
    }
    for (Path p : gone) {
      Files.delete(p);
    }
    Cluster.write(replica, "shared/d", "a file now");
    c.client(DS).sync();
    SyncReport r = c.client(DO).sync();
    assertThat(r.peerErrors()).isEmpty();
    assertThat(r.rejected()).isZero();
    assertThat(c.datasite(DO).resolve("shared/d")).isRegularFile().hasContent("a file now");
  }
}
