package dev.syft.transport.gdrive;

import static dev.syft.transport.conformance.Content.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.drivefake.FakeDriveServer;
import dev.syft.transport.ChangeFeed;
import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.WriteMode;
import dev.syft.transport.conformance.Content;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact HTTP request counts per operation, counted at the fake per endpoint (WEAKNESSES.md 85: an
 * API-call budget per operation). Each test warms what a running client has warm (top folder,
 * folder ids, reserved file ids), resets the counters, does one thing and compares the whole map.
 */
class GDriveCallBudgetTest {
  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";

  FakeDriveServer fake;
  GDriveStorage alice;
  GDriveStorage bob;
  Entry inbox;

  @BeforeEach
  void start() throws IOException {
    fake = FakeDriveServer.start();
    alice = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), ALICE));
    bob = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), BOB));
    inbox = alice.ensureFolder(alice.root(), "syft_datasite#0.1.117#bob@example.com#inbox#alice@example.com");
    alice.write(inbox, "warm-up", utf8("reserves file ids"), WriteMode.CREATE);
    bob.root();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private Map<String, Long> spent(Runnable op) {
    fake.resetCounts();
    op.run();
    return fake.counts();
  }

  private interface IoRunnable {
    void run() throws IOException;
  }

  private static Runnable io(IoRunnable r) {
    return () -> {
      try {
        r.run();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  @Test
  void openingAStorageChecksTheAccountOnce() throws IOException {
    fake.resetCounts();
    GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), ALICE));
    assertThat(fake.counts()).isEqualTo(Map.of("about.get", 1L));
  }

  @Test
  void anIdleChangeFeedPollIsOneCall() throws IOException {
    ChangeFeed feed = alice.capabilities().changeFeed().orElseThrow();
    String cursor = feed.currentCursor();
    Map<String, Long> spent = spent(io(() -> assertThat(feed.changesSince(cursor).changedParentIds()).isEmpty()));
    assertThat(spent).isEqualTo(Map.of("changes.list", 1L));
  }

  @Test
  void aPollAfterAPeersWriteIsOneCallAndNamesTheFolder() throws IOException {
    alice.share(inbox, BOB, Role.WRITER);
    ChangeFeed feed = alice.capabilities().changeFeed().orElseThrow();
    String cursor = feed.currentCursor();
    bob.write(inbox, "msgv2_1712345678.5_u.tar.gz", utf8("proposal"), WriteMode.CREATE);
    Map<String, Long> spent = spent(io(() ->
        assertThat(feed.changesSince(cursor).changedParentIds()).contains(inbox.id())));
    assertThat(spent).isEqualTo(Map.of("changes.list", 1L));
  }

  @Test
  void aFolderListedOnceIsThenKnownFromTheFeedWithoutAnotherListing() throws IOException {
    alice.share(inbox, BOB, Role.WRITER);
    ChangeFeed feed = alice.capabilities().changeFeed().orElseThrow();
    String c0 = feed.currentCursor();
    assertThat(feed.knownChildren(inbox)).as("not listed since the chain started").isEmpty();
    alice.listAll(inbox);
    Entry msg = bob.write(inbox, "msgv2_1712345678.5_u.tar.gz", utf8("proposal"), WriteMode.CREATE);
    String[] c1 = new String[1];
    List<Entry> known = new java.util.ArrayList<>();
    assertThat(spent(io(() -> {
      c1[0] = feed.changesSince(c0).nextCursor();
      known.addAll(feed.knownChildren(inbox).orElseThrow());
    }))).isEqualTo(Map.of("changes.list", 1L));
    assertThat(known).as("the feed's entries are the listing's").isEqualTo(alice.listAll(inbox));
    assertThat(known).extracting(Entry::name).contains(msg.name());

    bob.delete(msg);
    String c2 = feed.changesSince(c1[0]).nextCursor();
    assertThat(feed.knownChildren(inbox).orElseThrow()).extracting(Entry::name).doesNotContain(msg.name());

    alice.unshare(inbox, BOB); // a change to the folder itself: list it again
    feed.changesSince(c2);
    assertThat(feed.knownChildren(inbox)).isEmpty();
  }

  @Test
  void aBrokenCursorChainForgetsEveryFollowedFolder() throws IOException {
    ChangeFeed feed = alice.capabilities().changeFeed().orElseThrow();
    String c0 = feed.currentCursor();
    alice.listAll(inbox);
    alice.write(inbox, "first", utf8("x"), WriteMode.CREATE);
    String c1 = feed.changesSince(c0).nextCursor();
    assertThat(c1).isNotEqualTo(c0);
    assertThat(feed.knownChildren(inbox)).isPresent();
    alice.write(inbox, "mine", utf8("x"), WriteMode.CREATE);
    assertThat(feed.knownChildren(inbox).orElseThrow()).extracting(Entry::name).contains("mine");
    feed.changesSince(c0); // not the cursor the feed handed out last (e.g. another process advanced it)
    assertThat(feed.knownChildren(inbox)).isEmpty();
  }

  @Test
  void listingAFollowedEmptyFolderIsOneCall() throws IOException {
    Entry empty = alice.ensureFolder(alice.root(), "empty");
    ChangeFeed feed = alice.capabilities().changeFeed().orElseThrow();
    String c0 = feed.currentCursor();
    alice.listAll(empty);
    feed.changesSince(c0);
    assertThat(spent(io(() -> assertThat(alice.listAll(empty)).isEmpty()))).isEqualTo(Map.of("files.list", 1L));
  }

  @Test
  void listingSeveralFoldersIsOneQueryThatAlsoAnswersTheRoundsSharedSearches() throws IOException {
    Entry a = alice.ensureFolder(alice.root(), "a");
    Entry b = alice.ensureFolder(alice.root(), "b");
    Entry empty = alice.ensureFolder(alice.root(), "e");
    alice.write(a, "a1", utf8("1"), WriteMode.CREATE);
    alice.write(a, "a2", utf8("2"), WriteMode.CREATE);
    alice.write(b, "b1", utf8("3"), WriteMode.CREATE);
    Entry request = bob.ensureFolder(bob.root(), "syft_datasite#0.1.117#alice@example.com#inbox#bob@example.com");
    bob.share(request, ALICE, Role.WRITER);
    alice.capabilities().changeFeed().orElseThrow().currentCursor(); // a sync client reads the feed first
    Map<String, List<Entry>> listed = new java.util.HashMap<>();
    assertThat(spent(io(() -> listed.putAll(alice.listSeveral(List.of(a, b, empty))))))
        .as("one query, and one get to tell the empty folder from a hidden one")
        .isEqualTo(Map.of("files.list", 1L, "files.get", 1L));
    assertThat(listed.get(a.id())).extracting(Entry::name).containsExactly("a1", "a2");
    assertThat(listed.get(b.id())).extracting(Entry::name).containsExactly("b1");
    assertThat(listed.get(empty.id())).isEmpty();
    assertThat(spent(io(() -> assertThat(alice.findSharedWithMe("#alice@example.com#")).extracting(Entry::id)
        .containsExactly(request.id())))).as("answered by the same query").isEmpty();
  }

  @Test
  void listingAFolderIsOneCall() throws IOException {
    for (int i = 0; i < 5; i++) {
      alice.write(inbox, "m" + i, utf8("x"), WriteMode.CREATE);
    }
    assertThat(spent(io(() -> assertThat(alice.listAll(inbox)).hasSize(6)))).isEqualTo(Map.of("files.list", 1L));
  }

  @Test
  void listingAnEmptyFolderAlsoChecksTheFolderIsStillThere() throws IOException {
    Entry empty = alice.ensureFolder(alice.root(), "empty");
    assertThat(spent(io(() -> assertThat(alice.listAll(empty)).isEmpty())))
        .isEqualTo(Map.of("files.list", 1L, "files.get", 1L));
  }

  @Test
  void listingMoreThanOneServerPageFollowsEveryPage() throws IOException {
    Entry many = alice.ensureFolder(alice.root(), "many");
    for (int i = 0; i < 1001; i++) {
      alice.write(many, String.format("f%04d", i), new byte[0], WriteMode.CREATE);
    }
    assertThat(spent(io(() -> assertThat(alice.listAll(many)).hasSize(1001)))).isEqualTo(Map.of("files.list", 2L));
  }

  @Test
  void aSmallCreateIsOneMultipartUpload() throws IOException {
    Map<String, Long> spent = spent(io(() -> alice.write(inbox, "msgv2_1712345678.1234567_x.tar.gz",
        utf8("archive bytes"), WriteMode.CREATE)));
    assertThat(spent).isEqualTo(Map.of("files.create", 1L));
  }

  @Test
  void fileIdsAreReservedFiftyAtATime() throws IOException {
    long reservations = 0;
    for (int i = 0; i < 120; i++) {
      fake.resetCounts();
      alice.write(inbox, "m" + i, new byte[0], WriteMode.CREATE);
      reservations += fake.counts().getOrDefault("files.generateIds", 0L);
      assertThat(fake.counts().get("files.create")).isEqualTo(1L);
    }
    assertThat(reservations).as("one generateIds per 50 creates").isEqualTo(2);
  }

  @Test
  void aLargeCreateIsOneResumableSessionWithOneRequestPerChunk() throws IOException {
    long size = 20L << 20; // 8 MiB chunks: 8 + 8 + 4
    Map<String, Long> spent = spent(io(() -> alice.write(inbox, "big.bin", Content.generated(size, 1),
        WriteMode.CREATE)));
    assertThat(spent).isEqualTo(Map.of("files.create", 1L, "upload.chunk", 3L));
  }

  @Test
  void aMoveIsOneUpdateOfParents() throws IOException {
    Entry archive = alice.ensureFolder(alice.root(), "syft_bob@example.com_to_alice@example.com_archive");
    Entry msg = alice.write(inbox, "msgv2_1.0_u.tar.gz", utf8("p"), WriteMode.CREATE);
    assertThat(spent(io(() -> alice.move(msg, archive)))).isEqualTo(Map.of("files.update", 1L));
    assertThat(fake.file(msg.id()).orElseThrow().parents()).containsExactly(archive.id());
  }

  @Test
  void movingSeveralItemsIsOneBatch() throws IOException {
    Entry archive = alice.ensureFolder(alice.root(), "syft_bob@example.com_to_alice@example.com_archive");
    List<Entry> msgs = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      msgs.add(alice.write(inbox, "msgv2_" + i + ".0_u.tar.gz", utf8("p" + i), WriteMode.CREATE));
    }
    assertThat(spent(io(() -> alice.moveAll(msgs, archive))))
        .isEqualTo(Map.of("batch", 1L, "batch:files.update", 3L));
    for (Entry m : msgs) {
      assertThat(fake.file(m.id()).orElseThrow().parents()).containsExactly(archive.id());
    }
  }

  @Test
  void knownFoldersAndTheTopFolderCostNothing() throws IOException {
    assertThat(spent(io(() -> {
      alice.root();
      alice.ensureFolder(alice.root(), inbox.name());
    }))).isEmpty();
  }

  @Test
  void replacingAControlFileTheSecondTimeIsOneUpdate() throws IOException {
    Entry root = alice.root();
    assertThat(spent(io(() -> alice.write(root, "SYFT_peers.json", utf8("{}"), WriteMode.REPLACE))))
        .isEqualTo(Map.of("files.list", 1L, "files.create", 1L));
    assertThat(spent(io(() -> alice.write(root, "SYFT_peers.json", utf8("{\"a\":1}"), WriteMode.REPLACE))))
        .isEqualTo(Map.of("files.update", 1L));
  }

  @Test
  void readingIsOneMediaRequest() throws IOException {
    Entry f = alice.write(inbox, "m", utf8("payload"), WriteMode.CREATE);
    assertThat(spent(io(() -> {
      try (InputStream in = alice.read(f)) {
        assertThat(in.readAllBytes()).isEqualTo(utf8("payload"));
      }
    }))).isEqualTo(Map.of("files.get.media", 1L));
  }

  @Test
  void sharingChecksBeforeCreatingAndBatchesSeveralUsers() throws IOException {
    Entry collection = alice.ensureFolder(alice.root(), "syft_datasetcollection_census_0123456789ab");
    assertThat(spent(io(() -> alice.share(inbox, BOB, Role.WRITER))))
        .isEqualTo(Map.of("permissions.list", 1L, "permissions.create", 1L));
    assertThat(spent(io(() -> alice.share(inbox, BOB, Role.WRITER)))).isEqualTo(Map.of("permissions.list", 1L));
    List<String> readers = List.of("r1@example.com", "r2@example.com", "r3@example.com", "r4@example.com", BOB);
    assertThat(spent(io(() -> alice.shareWithAll(collection, readers, Role.READER))))
        .isEqualTo(Map.of("permissions.list", 1L, "batch", 1L, "batch:permissions.create", 5L));
    assertThat(alice.sharedWith(collection)).hasSize(5).allSatisfy((u, r) -> assertThat(r).isEqualTo(Role.READER));
  }

  @Test
  void aSecondProcessWithTheCacheFolderStartsWarm(@TempDir Path cacheDir) throws IOException {
    GDriveStorage first = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), ALICE).withCacheDir(cacheDir));
    Entry root = first.root();
    Entry events = first.ensureFolder(root, "0.1.117#alice@example.com");
    fake.resetCounts();
    GDriveStorage second = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), ALICE).withCacheDir(cacheDir)
        .withVerifyAccount(false));
    assertThat(second.root().id()).isEqualTo(root.id());
    assertThat(second.ensureFolder(second.root(), "0.1.117#alice@example.com").id()).isEqualTo(events.id());
    assertThat(fake.counts()).as("one get to confirm the cached top folder, nothing else")
        .isEqualTo(Map.of("files.get", 1L));
  }

  @Test
  void theAccountIsCheckedOncePerCredentialWhereTheCacheIsKept(@TempDir Path cacheDir) throws IOException {
    GDriveConfig c = GDriveConfig.forFake(fake.rootUrl(), ALICE).withCacheDir(cacheDir);
    assertThat(spent(io(() -> GDriveStorage.open(c)))).isEqualTo(Map.of("about.get", 1L));
    assertThat(spent(io(() -> GDriveStorage.open(c)))).as("a second process").isEmpty();
    // another credential (here: bob's token configured for alice) is checked again, and refused
    GDriveConfig other = c.withAccessToken(BOB);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GDriveStorage.open(other))
        .isInstanceOf(GDriveAuthException.class).hasMessageContaining("belongs to " + BOB);
  }

  @Test
  void aStaleCacheFolderIsDetectedAndRebuilt(@TempDir Path cacheDir) throws IOException {
    GDriveStorage first = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), ALICE).withCacheDir(cacheDir));
    Entry oldRoot = first.root();
    first.ensureFolder(oldRoot, "x");
    first.delete(oldRoot); // e.g. a reset from another machine; this instance forgets it, a new one must notice
    GDriveStorage again = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), ALICE).withCacheDir(cacheDir));
    Entry newRoot = again.root();
    assertThat(newRoot.id()).isNotEqualTo(oldRoot.id());
    assertThat(again.ensureFolder(newRoot, "x").parentId()).isEqualTo(newRoot.id());
  }
}
