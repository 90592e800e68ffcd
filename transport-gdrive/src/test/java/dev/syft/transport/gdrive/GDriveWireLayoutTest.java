package dev.syft.transport.gdrive;

import static dev.syft.transport.conformance.Content.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.drivefake.FakeDriveServer;
import dev.syft.drivefake.FakeDriveServer.FileView;
import dev.syft.drivefake.FakeDriveServer.PermissionView;
import dev.syft.transport.Entry;
import dev.syft.transport.WriteMode;
import dev.syft.transport.layout.BoxType;
import dev.syft.transport.layout.CollectionKind;
import dev.syft.transport.layout.FolderNames;
import dev.syft.transport.layout.P2pFolders;
import dev.syft.transport.layout.SyftLayout;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a Python peer sees in Drive after the Java client worked through {@link SyftLayout}
 * (PROTOCOL.md 3): folder tree, names, MIME types, permissions, appProperties, moves by parents.
 * Inspected in the fake's raw state, not through the transport.
 */
class GDriveWireLayoutTest {
  static final String DO = "alice@example.com";
  static final String DS = "bob@example.com";

  FakeDriveServer fake;
  SyftLayout owner;
  SyftLayout scientist;

  @BeforeEach
  void start() throws IOException {
    fake = FakeDriveServer.start();
    owner = new SyftLayout(GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), DO)));
    scientist = new SyftLayout(GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), DS)));
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private FileView raw(Entry e) {
    return fake.file(e.id()).orElseThrow();
  }

  @Test
  void theTopFolderIsSyftBoxInMyDriveAndNeverShared() throws IOException {
    Entry root = owner.root();
    FileView v = raw(root);
    assertThat(v.name()).isEqualTo("SyftBox");
    assertThat(v.mimeType()).isEqualTo("application/vnd.google-apps.folder");
    assertThat(v.parents()).containsExactly(fake.myDriveRootOf(DO));
    assertThat(v.permissions()).containsExactly(new PermissionView("user", DO, "owner"));
  }

  @Test
  void aPeerRequestCreatesWriterSharedP2pFoldersWithoutNotificationMail() throws IOException {
    P2pFolders f = scientist.ensurePeerDatasiteFolders(DO);
    FileView inbox = raw(f.inbox());
    assertThat(inbox.name()).isEqualTo("syft_datasite#0.1.117#alice@example.com#inbox#bob@example.com");
    assertThat(raw(f.outbox()).name()).isEqualTo("syft_datasite#0.1.117#alice@example.com#outbox#bob@example.com");
    assertThat(inbox.mimeType()).isEqualTo("application/vnd.google-apps.folder");
    assertThat(inbox.parents()).containsExactly(scientist.root().id());
    assertThat(inbox.permissions()).containsExactlyInAnyOrder(new PermissionView("user", DS, "owner"),
        new PermissionView("user", DO, "writer"));
    assertThat(fake.notificationEmails()).isZero();
    // the DO discovers them through Drive's shared-with-me search
    assertThat(owner.requestingPeers()).containsExactly(DS);
    assertThat(owner.findOwnDatasiteFolder(DS, BoxType.INBOX)).map(Entry::id).contains(f.inbox().id());
  }

  @Test
  void messagesAreOctetStreamAndControlFilesTextPlain() throws IOException {
    P2pFolders f = scientist.ensurePeerDatasiteFolders(DO);
    Entry msg = scientist.storage().write(f.inbox(), "msgv2_1712345678.1234567_0b6c1b0e-6f0a-4a57-9b0e-2d1c3f4a5b6c.tar.gz",
        utf8("gz"), WriteMode.CREATE);
    assertThat(raw(msg).mimeType()).isEqualTo("application/octet-stream");
    Entry peers = scientist.writeControlFile(FolderNames.PEERS_FILE, utf8("{}"));
    assertThat(raw(peers).name()).isEqualTo("SYFT_peers.json");
    assertThat(raw(peers).mimeType()).isEqualTo("text/plain");
    assertThat(raw(peers).parents()).containsExactly(scientist.root().id());
    Entry version = scientist.shareVersionFile(DO, () -> utf8("{\"syft_client_version\":\"0.1.117\"}"));
    assertThat(raw(version).mimeType()).isEqualTo("text/plain");
    assertThat(raw(version).permissions()).contains(new PermissionView("user", DO, "reader"));
    assertThat(raw(peers).permissions()).hasSize(1);
    assertThat(owner.readPeerVersionFile(DS, 1000)).contains(utf8("{\"syft_client_version\":\"0.1.117\"}"));
  }

  @Test
  void archivingMovesTheProposalByParentsKeepingItsIdAndOwner() throws IOException {
    P2pFolders f = scientist.ensurePeerDatasiteFolders(DO);
    Entry msg = scientist.storage().write(f.inbox(), "msgv2_1712345678.5_0b6c1b0e-6f0a-4a57-9b0e-2d1c3f4a5b6c.tar.gz",
        utf8("p"), WriteMode.CREATE);
    Entry inboxSeenByDo = owner.findOwnDatasiteFolder(DS, BoxType.INBOX).orElseThrow();
    Entry found = owner.storage().listAll(inboxSeenByDo).get(0);
    Entry archive = owner.ensureArchive(DS);
    assertThat(raw(archive).name()).isEqualTo("syft_bob@example.com_to_alice@example.com_archive");
    Entry moved = owner.storage().move(found, archive);
    assertThat(moved.id()).isEqualTo(msg.id());
    assertThat(raw(msg).parents()).containsExactly(archive.id());
    assertThat(raw(msg).owner()).isEqualTo(DS);
    assertThat(raw(archive).permissions()).hasSize(1);
  }

  @Test
  void aCollectionSharedWithAnyCarriesTheAppProperty() throws IOException {
    Entry col = owner.ensureCollection(CollectionKind.DATASET, "census", "0123456789ab");
    owner.markSharedWithAny(col);
    owner.shareCollection(col, List.of(DS, "carol@example.com"));
    FileView v = raw(col);
    assertThat(v.name()).isEqualTo("syft_datasetcollection_census_0123456789ab");
    assertThat(v.appProperties()).isEqualTo(Map.of("syft_shared_with_any", "true"));
    assertThat(v.permissions()).contains(new PermissionView("user", DS, "reader"),
        new PermissionView("user", "carol@example.com", "reader"));
    assertThat(scientist.listCollectionsSharedWithMe(DO)).singleElement()
        .satisfies(c -> assertThat(c.sharedWithAny()).isTrue());
  }

  @Test
  void versionedOwnerFoldersSitUnderSyftBox() throws IOException {
    Entry log = owner.ensureEventLog();
    Entry cps = owner.ensureCheckpointsFolder();
    Entry rolling = owner.ensureRollingStateFolder();
    assertThat(List.of(raw(log).name(), raw(cps).name(), raw(rolling).name())).containsExactly(
        "0.1.117#alice@example.com", "alice@example.com-0.1.117-checkpoints", "alice@example.com-0.1.117-rolling-state");
    for (Entry e : List.of(log, cps, rolling)) {
      assertThat(raw(e).parents()).containsExactly(owner.root().id());
      assertThat(raw(e).permissions()).hasSize(1);
    }
    // a fresh layout over a fresh storage finds them again
    SyftLayout again = new SyftLayout(GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), DO)));
    assertThat(again.findEventLog()).map(Entry::id).contains(log.id());
    assertThat(again.findCheckpointsFolder()).map(Entry::id).contains(cps.id());
  }
}
