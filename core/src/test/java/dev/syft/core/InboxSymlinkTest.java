package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.internal.StateDb;
import dev.syft.protocol.names.FileNames;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.WriteMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the shared-folder transport a peer can put a symbolic link named like a message in its inbox
 * (to /etc/passwd, a huge file, another user's file). The owner refuses it like any unreadable
 * message: quarantined with the reason, a notice to the peer, the link taken out of the inbox; it
 * is never followed, so nothing outside the message reaches quarantine (issue #14, "also fix").
 */
class InboxSymlinkTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;

  @TempDir Path tmp;
  Net net;
  Cluster c;
  double ts = Cluster.EPOCH.getEpochSecond() + 70_000;

  @BeforeEach
  void setUp() {
    net = Net.create(Transport.LOCAL, tmp);
    c = net.cluster;
    c.connect(DS, DO);
  }

  @AfterEach
  void tearDown() {
    net.close();
  }

  @Test
  void aLinkPosingAsAMessageIsQuarantinedRemovedAndNeverFollowed() throws Exception {
    Storage ds = net.raw(DS);
    Entry inbox = Forge.inboxAt(ds, DO);
    Path inboxDir = net.root.resolve(inbox.id());
    Path secret = Files.writeString(tmp.resolve("passwd"), "root:x:0:0:secret");
    // another user's file in the shared folder
    Entry notes = ds.ensureFolder(ds.root(), "notes");
    ds.write(notes, "n.txt", "ds notes".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
    Path othersFile = net.root.resolve(notes.id()).resolve("n.txt");
    String toSecret = FileNames.proposal(ts += 1, UUID.randomUUID().toString());
    String toOthers = FileNames.proposal(ts += 1, UUID.randomUUID().toString());
    Files.createSymbolicLink(inboxDir.resolve(toSecret), secret);
    Files.createSymbolicLink(inboxDir.resolve(toOthers), othersFile);
    String ok = SyncScenariosTest.job(DS, "ok.job");
    var m = Forge.proposal(DS, DO, ok, "fine", null, ts += 1);
    Forge.upload(ds, inbox, m.fileName(), Forge.archive(m));

    SyncReport r = c.client(DO).sync();

    assertThat(r.peerErrors()).isEmpty();
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.rejected()).isEqualTo(2);
    assertThat(c.datasite(DO).resolve(ok)).hasContent("fine");
    List<Status.Problem> q = c.client(DO).status().quarantined();
    assertThat(q).extracting(Status.Problem::message).containsExactlyInAnyOrder(toSecret, toOthers);
    assertThat(q).allSatisfy(p -> assertThat(p.reason())
        .isEqualTo("unreadable message: '" + p.message() + "' is a symbolic link, not a file: refused"));
    try (Stream<Path> left = Files.list(inboxDir)) {
      assertThat(left.filter(Files::isSymbolicLink)).as("links gone from the inbox").isEmpty();
    }
    assertThat(ds.listAll(inbox)).isEmpty();
    try (Stream<Path> all = Files.walk(net.root)) {
      assertThat(all.filter(Files::isSymbolicLink)).as("not carried into the archive either").isEmpty();
    }
    assertThat(secret).hasContent("root:x:0:0:secret");
    assertThat(othersFile).hasContent("ds notes");
    assertThat(c.client(DO).sync().clean()).isTrue();

    c.client(DS).sync();
    assertThat(c.client(DS).status().rejectedProposals()).extracting(Status.Problem::message)
        .containsExactlyInAnyOrder(toSecret, toOthers);

    c.close(DO);
    try (StateDb db = StateDb.open(c.homeDir(DO).resolve(".syft/state.db"))) {
      assertThat(db.quarantined()).hasSize(2).allSatisfy(row ->
          assertThat(db.quarantinedPayload(row.id())).as("nothing read through the link").isEmpty());
    }
  }
}
