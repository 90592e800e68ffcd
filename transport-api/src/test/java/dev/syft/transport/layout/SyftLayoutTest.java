package dev.syft.transport.layout;

import static dev.syft.transport.conformance.Content.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.decorator.CallCounts;
import dev.syft.transport.decorator.CountingStorage;
import dev.syft.transport.decorator.Operation;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyftLayoutTest {
  static final String DO = "do.owner@openmined.org";
  static final String DS = "ds@example.com";
  static final String OTHER = "carol@example.com";

  MemoryStore store;
  Storage doStorage;
  Storage dsStorage;
  SyftLayout doLayout;
  SyftLayout dsLayout;

  @BeforeEach
  void setUp() {
    store = new MemoryStore();
    doStorage = store.as(DO);
    dsStorage = store.as(DS);
    doLayout = new SyftLayout(doStorage);
    dsLayout = new SyftLayout(dsStorage);
  }

  @Test
  void theDsCreatesBothFoldersForTheDoAndTheDoFindsThem() throws IOException {
    P2pFolders mine = dsLayout.ensurePeerDatasiteFolders(DO);
    assertThat(mine.inbox().name()).isEqualTo("syft_datasite#0.1.117#do.owner@openmined.org#inbox#ds@example.com");
    assertThat(mine.outbox().name()).isEqualTo("syft_datasite#0.1.117#do.owner@openmined.org#outbox#ds@example.com");
    assertThat(mine.inbox().owner()).isEqualTo(DS);
    assertThat(dsStorage.sharedWith(mine.inbox())).isEqualTo(Map.of(DO, Role.WRITER));
    assertThat(dsStorage.sharedWith(mine.outbox())).isEqualTo(Map.of(DO, Role.WRITER));

    P2pFolders again = new SyftLayout(dsStorage).ensurePeerDatasiteFolders(DO);
    assertThat(again.inbox().id()).isEqualTo(mine.inbox().id());
    assertThat(again.outbox().id()).isEqualTo(mine.outbox().id());
    assertThat(dsStorage.listAll(dsStorage.root())).hasSize(2);

    assertThat(doLayout.findOwnDatasiteFolder(DS, BoxType.INBOX)).get().extracting(Entry::id).isEqualTo(mine.inbox().id());
    assertThat(doLayout.findOwnDatasiteFolders(DS)).get().extracting(P2pFolders::outbox).extracting(Entry::id)
        .isEqualTo(mine.outbox().id());
    assertThat(dsLayout.findPeerDatasiteFolders(DO)).get().extracting(f -> f.get(BoxType.INBOX).id())
        .isEqualTo(mine.inbox().id());
    assertThat(doLayout.findPeerDatasiteFolder(DS, BoxType.INBOX)).isEmpty();
    assertThat(doLayout.requestingPeers()).containsExactly(DS);
  }

  @Test
  void theReverseFoldersOfTheDoSignalAcceptance() throws IOException {
    dsLayout.ensurePeerDatasiteFolders(DO);
    assertThat(dsLayout.requestingPeers()).isEmpty();
    P2pFolders reverse = doLayout.ensurePeerDatasiteFolders(DS);
    assertThat(reverse.inbox().name()).isEqualTo("syft_datasite#0.1.117#ds@example.com#inbox#do.owner@openmined.org");
    assertThat(dsLayout.listPeerRequestFolders()).extracting(PeerFolder::peer).containsExactly(DO, DO);
    assertThat(dsLayout.findOwnDatasiteFolder(DO, BoxType.OUTBOX)).get().extracting(Entry::id)
        .isEqualTo(reverse.outbox().id());
  }

  @Test
  void folderOwnershipIsChecked() throws IOException {
    // carol forges a folder claiming to be the DS's inbox for the DO, and shares it with the DO
    Storage carol = store.as(OTHER);
    Entry forged = carol.ensureFolder(carol.root(), FolderNames.p2p("0.1.117", DO, BoxType.INBOX, DS));
    carol.share(forged, DO, Role.WRITER);
    assertThat(doLayout.findOwnDatasiteFolder(DS, BoxType.INBOX)).isEmpty();
    assertThat(doLayout.listPeerRequestFolders()).isEmpty();
    // a folder in my own storage is never taken as the peer's
    doStorage.ensureFolder(doStorage.root(), FolderNames.p2p("0.1.117", DO, BoxType.OUTBOX, DS));
    assertThat(doLayout.findOwnDatasiteFolder(DS, BoxType.OUTBOX)).isEmpty();
  }

  @Test
  void namesArePostFilteredExactly() throws IOException {
    // "#do#inbox#ds@example.co" is a substring of the folder name for "ds@example.com"
    Storage shortPeer = store.as("ds@example.co");
    new SyftLayout(shortPeer).ensurePeerDatasiteFolders(DO);
    dsLayout.ensurePeerDatasiteFolders(DO);
    assertThat(doLayout.findOwnDatasiteFolder("ds@example.co", BoxType.INBOX)).get()
        .extracting(Entry::name).isEqualTo("syft_datasite#0.1.117#do.owner@openmined.org#inbox#ds@example.co");
    assertThat(doLayout.findOwnDatasiteFolder(DS, BoxType.INBOX)).get()
        .extracting(Entry::name).isEqualTo("syft_datasite#0.1.117#do.owner@openmined.org#inbox#ds@example.com");
    assertThat(doLayout.requestingPeers()).containsExactlyInAnyOrder(DS, "ds@example.co");
  }

  @Test
  void versionedFoldersMatchOnMajorMinor() throws IOException {
    Entry root = doStorage.root();
    Entry old = doStorage.ensureFolder(root, "0.1.99#" + DO);
    doStorage.ensureFolder(root, "0.2.0#" + DO);
    assertThat(doLayout.ensureEventLog().id()).isEqualTo(old.id());
    Entry ckpt = doStorage.ensureFolder(root, DO + "-0.1.93-checkpoints");
    assertThat(doLayout.findCheckpointsFolder()).get().extracting(Entry::id).isEqualTo(ckpt.id());
    doStorage.ensureFolder(root, DO + "-1.1.117-rolling-state");
    Entry rolling = doLayout.ensureRollingStateFolder();
    assertThat(rolling.name()).isEqualTo(DO + "-0.1.117-rolling-state");
    assertThat(doLayout.findRollingStateFolder()).get().extracting(Entry::id).isEqualTo(rolling.id());

    SyftLayout newer = new SyftLayout(doStorage, "0.2.5");
    assertThat(newer.clientVersion()).isEqualTo("0.2.5");
    assertThat(newer.findEventLog()).get().extracting(Entry::name).isEqualTo("0.2.0#" + DO);
    assertThat(newer.findCheckpointsFolder()).isEmpty();
    assertThat(newer.ensureCheckpointsFolder().name()).isEqualTo(DO + "-0.2.5-checkpoints");
  }

  @Test
  void twoDifferentSurvivorsAreAmbiguousAndNameWhatToDelete() throws IOException {
    Entry root = doStorage.root();
    doStorage.ensureFolder(root, "0.1.99#" + DO);
    doStorage.ensureFolder(root, "0.1.117#" + DO);
    assertThatThrownBy(() -> doLayout.ensureEventLog())
        .isInstanceOf(AmbiguousFolderException.class)
        .hasMessageContaining("0.1.99#" + DO)
        .hasMessageContaining("keep '0.1.117#" + DO + "'")
        .hasMessageContaining("delete")
        .satisfies(e -> {
          AmbiguousFolderException a = (AmbiguousFolderException) e;
          assertThat(a.code()).isEqualTo("ambiguous-folder");
          assertThat(a.folders()).hasSize(2);
        });
  }

  @Test
  void sameNamedDuplicatesResolveToTheOldest() throws IOException {
    // a retried create on a Drive-like store left two folders of one name
    Entry root = doStorage.root();
    Entry first = doStorage.ensureFolder(root, DO + "-0.1.117-checkpoints");
    Storage other = store.as(DO);
    // a second folder of the same name (ensureFolder would reuse, so create through a sub-store trick)
    Entry tmp = other.ensureFolder(root, "tmp");
    Entry second = other.ensureFolder(tmp, DO + "-0.1.117-checkpoints");
    other.move(second, root);
    assertThat(doStorage.findFolders(root, DO + "-0.1.117-checkpoints")).hasSize(2);
    assertThat(doLayout.ensureCheckpointsFolder().id()).isEqualTo(first.id());
  }

  @Test
  void personalAndArchiveAndBundleFolders() throws IOException {
    assertThat(doLayout.ensureEventLog().name()).isEqualTo("0.1.117#" + DO);
    Entry archive = doLayout.ensureArchive(DS);
    assertThat(archive.name()).isEqualTo("syft_ds@example.com_to_do.owner@openmined.org_archive");
    assertThat(new SyftLayout(doStorage).findArchive(DS)).get().extracting(Entry::id).isEqualTo(archive.id());
    assertThat(doLayout.findArchive(OTHER)).isEmpty();
    Entry bundles = doLayout.ensureEncryptionBundlesFolder();
    assertThat(bundles.name()).isEqualTo("syft_encryption_bundles#" + DO);
    doStorage.share(bundles, DS, Role.READER);
    assertThat(dsLayout.findPeerEncryptionBundlesFolder(DO)).get().extracting(Entry::id).isEqualTo(bundles.id());
    // the event log is found again by a fresh layout (nothing cached)
    assertThat(new SyftLayout(doStorage).findEventLog()).get().extracting(Entry::name).isEqualTo("0.1.117#" + DO);
  }

  @Test
  void collectionsOnTheOwnerAndTheDsSide() throws IOException {
    Entry census = doLayout.ensureCollection(CollectionKind.DATASET, "census", "a1b2c3d4e5f6");
    Entry priv = doLayout.ensureCollection(CollectionKind.PRIVATE, "census", "a1b2c3d4e5f6");
    Entry other = doLayout.ensureCollection(CollectionKind.DATASET, "my_data_v2", "0123456789ab");
    assertThat(doLayout.ensureCollection(CollectionKind.DATASET, "census", "a1b2c3d4e5f6").id()).isEqualTo(census.id());
    assertThat(doLayout.listMyCollections(CollectionKind.DATASET)).extracting(c -> c.name().tag())
        .containsExactly("census", "my_data_v2");
    assertThat(doLayout.listMyCollections(CollectionKind.PRIVATE)).singleElement()
        .extracting(c -> c.folder().id()).isEqualTo(priv.id());

    assertThat(dsLayout.listCollectionsSharedWithMe()).isEmpty();
    doLayout.shareCollection(census, List.of(DS, DO));
    doLayout.markSharedWithAny(other);
    doLayout.shareCollection(other, List.of("DS@example.com"));
    List<SharedCollection> seen = dsLayout.listCollectionsSharedWithMe(DO);
    assertThat(seen).extracting(c -> c.name().tag()).containsExactly("census", "my_data_v2");
    assertThat(seen).extracting(SharedCollection::sharedWithAny).containsExactly(false, true);
    assertThat(seen).extracting(SharedCollection::owner).containsOnly(DO);
    assertThat(dsLayout.listCollectionsSharedWithMe(OTHER)).isEmpty();
    assertThat(dsLayout.findSharedCollection(DO, "census", "a1b2c3d4e5f6")).get().extracting(Entry::id)
        .isEqualTo(census.id());
    assertThat(dsLayout.findSharedCollection(DO, "census", "ffffffffffff")).isEmpty();
    assertThat(new SyftLayout(store.as(OTHER)).listCollectionsSharedWithMe()).isEmpty();
  }

  @Test
  void controlFilesAndThePeersVersionFile() throws IOException {
    assertThat(doLayout.readControlFile(FolderNames.PEERS_FILE, 1000)).isEmpty();
    doLayout.writeControlFile(FolderNames.PEERS_FILE, utf8("{\"ds@example.com\": {\"state\": \"accepted\"}}"));
    doLayout.writeControlFile(FolderNames.PEERS_FILE, utf8("{}"));
    assertThat(doLayout.readControlFile(FolderNames.PEERS_FILE, 1000)).get().isEqualTo(utf8("{}"));
    assertThat(doStorage.findFiles(doStorage.root(), FolderNames.PEERS_FILE)).hasSize(1);

    assertThat(dsLayout.readPeerVersionFile(DO, 10_000)).isEmpty();
    byte[] version = utf8("{\"syft_client_version\":\"0.1.117\",\"min_supported_syft_client_version\":\"0.1.93\"}");
    Entry v = doLayout.shareVersionFile(DS, () -> version);
    assertThat(v.name()).isEqualTo("SYFT_version.json");
    assertThat(dsLayout.findPeerVersionFile(DO)).get().extracting(Entry::id).isEqualTo(v.id());
    assertThat(dsLayout.readPeerVersionFile(DO, 10_000)).get()
        .satisfies(b -> assertThat(new String(b, StandardCharsets.UTF_8)).contains("0.1.117"));
    // a second share reuses the existing file instead of rewriting it
    Entry again = doLayout.shareVersionFile(OTHER, () -> {
      throw new AssertionError("must not be asked for content");
    });
    assertThat(again.id()).isEqualTo(v.id());
    assertThat(new SyftLayout(store.as(OTHER)).readPeerVersionFile(DO, 10_000)).isPresent();
    assertThat(new SyftLayout(store.as("nobody@example.com")).readPeerVersionFile(DO, 10_000)).isEmpty();
  }

  @Test
  void foundFoldersAreCachedUntilForgotten() throws IOException {
    CountingStorage counting = new CountingStorage(store.as(DO));
    SyftLayout layout = new SyftLayout(counting);
    Entry log = layout.ensureEventLog();
    CallCounts first = counting.reset();
    assertThat(first.get(Operation.ENSURE_FOLDER)).isEqualTo(1);
    assertThat(layout.ensureEventLog().id()).isEqualTo(log.id());
    assertThat(layout.findEventLog()).isPresent();
    assertThat(counting.total()).as("a cached folder costs no call").isZero();
    layout.forgetCachedFolders();
    assertThat(layout.findEventLog()).isPresent();
    CallCounts after = counting.snapshot();
    assertThat(after.get(Operation.FIND_FOLDERS_CONTAINING)).isEqualTo(1);
    assertThat(after.get(Operation.ROOT)).isEqualTo(1);
  }

  @Test
  void askingForAPeerHasASmallCallBudget() throws IOException {
    CountingStorage counting = new CountingStorage(store.as(DS));
    SyftLayout layout = new SyftLayout(counting);
    layout.ensurePeerDatasiteFolders(DO);
    CallCounts c = counting.reset();
    assertThat(c.get(Operation.ENSURE_FOLDER)).isEqualTo(2);
    assertThat(c.get(Operation.SHARE)).isEqualTo(2);
    assertThat(c.total()).isLessThanOrEqualTo(7);
    layout.ensurePeerDatasiteFolders(DO);
    assertThat(counting.snapshot().total()).as("second time: only the idempotent shares").isEqualTo(2);
  }

  @Test
  void peersAreNormalisedAndMustBeOthers() throws IOException {
    P2pFolders f = dsLayout.ensurePeerDatasiteFolders("  Do.Owner@OpenMined.org ");
    assertThat(f.inbox().name()).contains("#do.owner@openmined.org#");
    assertThatThrownBy(() -> dsLayout.ensurePeerDatasiteFolders(DS)).isInstanceOf(FolderNameException.class);
    assertThatThrownBy(() -> new SyftLayout(dsStorage, "abc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SyftLayout(dsStorage, "0.1.²")).isInstanceOf(IllegalArgumentException.class);
  }

  // Until PySyft 0.10 this test pinned the 0.1.117 rule (a peer folder of another major.minor is no
  // request and not found). PYSYFT-0.10.md: 0.10's lookup ignores the version in the name and takes the
  // highest, so a 0.10 peer may name its folders with its own version; we now read a peer's folders of
  // any x.y.z version. Only a version field that is no x.y.z at all still keeps a folder out.
  @Test
  void peerFoldersOfAnyVersionAreRequestsButNotOnesWithoutAVersion() throws IOException {
    Storage ds = store.as(DS);
    Entry other = ds.ensureFolder(ds.root(), FolderNames.p2p("0.2.0", DO, BoxType.INBOX, DS));
    ds.share(other, DO, Role.WRITER);
    Entry noVersion = ds.ensureFolder(ds.root(), FolderNames.p2p("latest", DO, BoxType.OUTBOX, DS));
    ds.share(noVersion, DO, Role.WRITER);
    assertThat(doLayout.listPeerRequestFolders()).hasSize(2).allSatisfy(p -> assertThat(p.peer()).isEqualTo(DS))
        .extracting(p -> p.name().version() + "=" + p.compatible()).containsExactly("0.2.0=true", "latest=false");
    assertThat(doLayout.requestingPeers()).containsExactly(DS);
    assertThat(doLayout.findOwnDatasiteFolder(DS, BoxType.INBOX)).get().extracting(Entry::id).isEqualTo(other.id());
    assertThat(doLayout.findOwnDatasiteFolder(DS, BoxType.OUTBOX)).isEmpty();
  }

  /** PYSYFT-0.10.md: a 0.10 peer's P2P folders keep the pattern, with its own version in the name. */
  @Test
  void aPySyft010PeersFoldersAreFoundOnBothSides() throws IOException {
    // a 0.10 scientist asks us (the owner) with folders named after its version
    Storage ds = store.as(DS);
    Entry in = ds.ensureFolder(ds.root(), "syft_datasite#0.10.2#do.owner@openmined.org#inbox#ds@example.com");
    Entry out = ds.ensureFolder(ds.root(), "syft_datasite#0.10.2#do.owner@openmined.org#outbox#ds@example.com");
    ds.share(in, DO, Role.WRITER);
    ds.share(out, DO, Role.WRITER);
    assertThat(doLayout.requestingPeers()).containsExactly(DS);
    P2pFolders seen = doLayout.findOwnDatasiteFolders(DS).orElseThrow();
    assertThat(seen.inbox().id()).isEqualTo(in.id());
    assertThat(seen.outbox().id()).isEqualTo(out.id());

    // we approve: our reverse folders still carry our version, byte for byte
    P2pFolders reverse = doLayout.ensurePeerDatasiteFolders(DS);
    assertThat(reverse.inbox().name()).isEqualTo("syft_datasite#0.1.117#ds@example.com#inbox#do.owner@openmined.org");
    assertThat(reverse.outbox().name()).isEqualTo("syft_datasite#0.1.117#ds@example.com#outbox#do.owner@openmined.org");

    // and a 0.10 owner's reverse folders are seen by our scientist
    Storage carol = store.as(OTHER);
    Entry accepted = carol.ensureFolder(carol.root(), FolderNames.p2p("0.10.0", DS, BoxType.OUTBOX, OTHER));
    carol.share(accepted, DS, Role.WRITER);
    assertThat(dsLayout.requestingPeers()).contains(OTHER);
    assertThat(dsLayout.findOwnDatasiteFolder(OTHER, BoxType.OUTBOX)).get().extracting(Entry::id)
        .isEqualTo(accepted.id());
  }

  /** PYSYFT-0.10.md: several versions of a peer's folder: the highest, compared as numbers. */
  @Test
  void theHighestVersionOfAPeersFolderWinsComparedNumerically() throws IOException {
    Storage ds = store.as(DS);
    List<Entry> made = new java.util.ArrayList<>();
    // as strings "0.9.0" > "0.10.2" > "0.1.117"; as numbers 0.10.2 is the highest
    for (String v : List.of("0.1.117", "0.9.0", "0.10.2", "0.1.93")) {
      Entry e = ds.ensureFolder(ds.root(), FolderNames.p2p(v, DO, BoxType.OUTBOX, DS));
      ds.share(e, DO, Role.WRITER);
      made.add(e);
    }
    assertThat(doLayout.findOwnDatasiteFolder(DS, BoxType.OUTBOX)).get().extracting(Entry::id)
        .isEqualTo(made.get(2).id());
    assertThat(doLayout.listPeerRequestFolders()).extracting(p -> p.name().version())
        .containsExactly("0.10.2", "0.9.0", "0.1.117", "0.1.93");
    // versions that only differ in how they are written (leading zeros, other scripts' digits) tie:
    // the first in the store's order (by name, then oldest) wins
    Storage carol = store.as(OTHER);
    Entry first = carol.ensureFolder(carol.root(), FolderNames.p2p("0.10.2", DO, BoxType.INBOX, OTHER));
    Entry second = carol.ensureFolder(carol.root(), FolderNames.p2p("0.010.\u0662", DO, BoxType.INBOX, OTHER));
    carol.share(first, DO, Role.WRITER);
    carol.share(second, DO, Role.WRITER);
    assertThat(first.name()).isGreaterThan(second.name());
    assertThat(doLayout.findOwnDatasiteFolder(OTHER, BoxType.INBOX)).get().extracting(Entry::id)
        .isEqualTo(second.id());
  }

  /** PYSYFT-0.10.md: 0.10 adopts older folders by renaming; we never rename or delete a peer's. */
  @Test
  void aPeersFoldersAreNeverRenamedAndOurOwnLookupIsUnchanged() throws IOException {
    Storage ds = store.as(DS);
    for (String v : List.of("0.1.93", "0.10.2")) {
      ds.share(ds.ensureFolder(ds.root(), FolderNames.p2p(v, DO, BoxType.INBOX, DS)), DO, Role.WRITER);
    }
    CountingStorage counting = new CountingStorage(store.as(DO));
    SyftLayout layout = new SyftLayout(counting);
    assertThat(layout.findOwnDatasiteFolder(DS, BoxType.INBOX)).get().extracting(Entry::name)
        .isEqualTo("syft_datasite#0.10.2#do.owner@openmined.org#inbox#ds@example.com");
    layout.listPeerRequestFolders();
    layout.ensurePeerDatasiteFolders(DS);
    CallCounts c = counting.snapshot();
    assertThat(c.get(Operation.MOVE)).isZero();
    assertThat(c.get(Operation.DELETE)).isZero();
    assertThat(ds.listAll(ds.root())).extracting(Entry::name).containsExactlyInAnyOrder(
        "syft_datasite#0.1.93#do.owner@openmined.org#inbox#ds@example.com",
        "syft_datasite#0.10.2#do.owner@openmined.org#inbox#ds@example.com");

    // our own folders keep the 0.1.117 rule: a 0.10-named folder in our own storage is not ours
    doStorage.ensureFolder(doStorage.root(), "0.10.2#" + DO);
    doStorage.ensureFolder(doStorage.root(), DO + "-0.10.2-checkpoints");
    doStorage.ensureFolder(doStorage.root(), FolderNames.p2p("0.10.2", OTHER, BoxType.INBOX, DO));
    assertThat(doLayout.ensureEventLog().name()).isEqualTo("0.1.117#" + DO);
    assertThat(doLayout.ensureCheckpointsFolder().name()).isEqualTo(DO + "-0.1.117-checkpoints");
    assertThat(doLayout.ensurePeerDatasiteFolders(OTHER).inbox().name())
        .isEqualTo("syft_datasite#0.1.117#carol@example.com#inbox#do.owner@openmined.org");
  }

  @Test
  void p2pFoldersOfAnOlderPatchAreReused() throws IOException {
    Entry old = dsStorage.ensureFolder(dsStorage.root(), FolderNames.p2p("0.1.93", DO, BoxType.OUTBOX, DS));
    dsStorage.share(old, DO, Role.WRITER);
    assertThat(doLayout.findOwnDatasiteFolder(DS, BoxType.OUTBOX)).get().extracting(Entry::id).isEqualTo(old.id());
    P2pFolders ensured = dsLayout.ensurePeerDatasiteFolders(DO);
    assertThat(ensured.outbox().id()).isEqualTo(old.id());
    assertThat(ensured.inbox().name()).startsWith("syft_datasite#0.1.117#");
  }
}
