package dev.syft.transport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageProvider;
import dev.syft.transport.WriteMode;
import dev.syft.transport.layout.SyftLayout;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviour specific to a folder on disk: URIs, hidden names, sidecars, late files, ids. */
class LocalStorageTest {
  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";

  LocalFixture fixture;
  LocalStorage alice;
  LocalStorage bob;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new LocalFixture(LocalOptions.defaults().withFsync(false).withWatch(LocalOptions.WatchMode.NONE));
    alice = (LocalStorage) fixture.storage(ALICE);
    bob = (LocalStorage) fixture.storage(BOB);
  }

  @AfterEach
  void tearDown() throws IOException {
    fixture.close();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theProviderIsFoundByServiceLoaderAndReadsAllUriForms() throws IOException {
    StorageProvider provider = ServiceLoader.load(StorageProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.scheme().equals("local")).findFirst().orElseThrow();
    Storage s = provider.open(URI.create("local:" + fixture.root.toUri().getPath() + "?watch=none&fsync=false"),
        "Carol@Example.com", Map.of());
    assertThat(s.identity()).isEqualTo("carol@example.com");
    assertThat(((LocalStorage) s).rootPath()).isEqualTo(fixture.root.toRealPath());
    assertThat(s.capabilities().watcher()).isEmpty();
    assertThat(s.capabilities().conditionalCreate()).isTrue();
    s.root();
    assertThat(fixture.root.resolve("carol@example.com")).isDirectory();

    assertThat(LocalStorageProvider.rootOf(URI.create("local:/srv/syft"))).isEqualTo(Path.of("/srv/syft"));
    assertThat(LocalStorageProvider.rootOf(URI.create("local:///srv/syft"))).isEqualTo(Path.of("/srv/syft"));
    assertThat(LocalStorageProvider.rootOf(URI.create("local:shared/root")))
        .isEqualTo(Path.of("").toAbsolutePath().resolve("shared/root"));
    assertThat(LocalStorageProvider.rootOf(URI.create("local:/with%20space"))).isEqualTo(Path.of("/with space"));
    assertThatThrownBy(() -> LocalStorageProvider.rootOf(URI.create("local://host/x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a host");
    assertThatThrownBy(() -> LocalStorageProvider.rootOf(URI.create("gdrive:/x"))).isInstanceOf(IllegalArgumentException.class);
    Storage polled = provider.open(URI.create("local:" + fixture.root + "?watch=poll&poll=250ms"), ALICE, Map.of("fsync", "false"));
    assertThat(((LocalStorage) polled).options())
        .isEqualTo(new LocalOptions(false, LocalOptions.WatchMode.POLL, java.time.Duration.ofMillis(250)));
    assertThatThrownBy(() -> LocalOptions.fromMap(Map.of("watch", "sometimes"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachUserHasAFolderNamedByEmailAndIdsArePathsThatSurviveReopening() throws IOException {
    Entry root = alice.root();
    assertThat(root.id()).isEqualTo(ALICE);
    assertThat(root.name()).isEqualTo("SyftBox");
    Entry inbox = alice.ensureFolder(root, "syft_datasite#0.1.117#bob@example.com#inbox#alice@example.com");
    Entry msg = alice.write(inbox, "msgv2_1.0_u.tar.gz", utf8("p"), WriteMode.CREATE);
    assertThat(msg.id()).isEqualTo(ALICE + "/syft_datasite#0.1.117#bob@example.com#inbox#alice@example.com/msgv2_1.0_u.tar.gz");
    assertThat(fixture.root.resolve(msg.id())).hasContent("p");
    LocalStorage again = LocalStorage.open(fixture.root, ALICE, fixture.options);
    assertThat(again.stat(msg.id())).get().isEqualTo(msg);
  }

  @Test
  void sidecarsTemporaryFilesAndSyncArtefactsNeverShowUp() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "outbox");
    alice.share(folder, BOB, Role.WRITER);
    bob.write(folder, "event-by-bob", utf8("e"), WriteMode.CREATE);
    Path dir = fixture.root.resolve(folder.id());
    assertThat(dir.resolve(".syft-meta.json")).exists();
    List<String> artefacts = List.of(".syncthing.event.tmp", "~event.tmp", ".dropbox", ".dropbox.attr",
        "event (Bob's conflicted copy 2024-04-05).tar.gz", "event.sync-conflict-20240405-120000-ABCDEFG.tar.gz",
        ".syft-tmp-123", ".DS_Store", "Thumbs.db", "desktop.ini", "~$doc.docx", ".stversions");
    for (String a : artefacts) {
      Files.writeString(dir.resolve(a), "junk");
    }
    assertThat(alice.listAll(folder)).extracting(Entry::name).containsExactly("event-by-bob");
    assertThat(bob.listAll(folder)).extracting(Entry::name).containsExactly("event-by-bob");
    assertThat(alice.stat(folder.id() + "/.syft-meta.json")).isEmpty();
    assertThat(alice.stat(folder.id() + "/../" + BOB)).isEmpty();
    for (String reserved : List.of(".syft-meta.json", ".syft-anything", "x (conflicted copy).txt", "~x.tmp")) {
      Throwable t = catchThrowable(() -> alice.write(folder, reserved, utf8("x"), WriteMode.CREATE));
      assertThat(((StorageException) t).kind()).as(reserved).isEqualTo(StorageException.Kind.INVALID);
    }
  }

  @Test
  void filesThatASyncClientDropsInLateAreListedAndOwnedByTheDrive() throws IOException {
    Entry outbox = bob.ensureFolder(bob.root(), "outbox");
    bob.share(outbox, ALICE, Role.READER);
    assertThat(alice.listAll(outbox)).isEmpty();
    // a sync client renames its temp file into place; we only ever see the final name
    Path dir = fixture.root.resolve(outbox.id());
    Files.writeString(dir.resolve(".syncthing.late.tmp"), "late");
    assertThat(alice.listAll(outbox)).isEmpty();
    Files.move(dir.resolve(".syncthing.late.tmp"), dir.resolve("late"));
    assertThat(alice.listAll(outbox)).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("late");
      assertThat(e.owner()).isEqualTo(BOB);
      assertThat(alice.readAll(e, 10)).isEqualTo(utf8("late"));
    });
  }

  @Test
  void anUnreadableSidecarGrantsNothing() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "shared");
    alice.share(folder, BOB, Role.READER);
    assertThat(bob.listAll(folder)).isEmpty();
    Files.writeString(fixture.root.resolve(folder.id()).resolve(".syft-meta.json"), "{not json");
    Throwable t = catchThrowable(() -> bob.listAll(folder));
    assertThat(((StorageException) t).kind()).isEqualTo(StorageException.Kind.NOT_FOUND);
    assertThat(bob.findSharedWithMe("shared")).isEmpty();
    assertThat(alice.listAll(folder)).isEmpty();
  }

  @Test
  void findSharedWithMeScalesToHundredsOfUsersThroughTheIndex() throws IOException {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      LocalStorage u = LocalStorage.open(fixture.root, "user" + i + "@example.com", fixture.options);
      Entry r = u.root();
      Entry inbox = u.ensureFolder(r, "syft_datasite#0.1.117#alice@example.com#inbox#user" + i + "@example.com");
      Entry outbox = u.ensureFolder(r, "syft_datasite#0.1.117#alice@example.com#outbox#user" + i + "@example.com");
      u.ensureFolder(r, "syft_datasite#0.1.117#bob@example.com#inbox#user" + i + "@example.com");
      u.share(inbox, ALICE, Role.WRITER);
      u.share(outbox, ALICE, Role.WRITER);
      expected.add(inbox.id());
      expected.add(outbox.id());
    }
    List<Entry> found = alice.findSharedWithMe("#alice@example.com#");
    assertThat(found).extracting(Entry::id).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(found).extracting(Entry::name).isSorted();
    assertThat(new SyftLayout(alice).requestingPeers()).hasSize(150);
    assertThat(bob.findSharedWithMe("#")).isEmpty();
    // the index has one marker per grant, under the grantee
    try (var markers = Files.list(fixture.root.resolve(".syft-shares").resolve(ALICE))) {
      assertThat(markers.count()).isEqualTo(300);
    }
  }

  @Test
  void aMovedFileKeepsItsOwnerAndGrantsAndGetsANewId() throws IOException {
    Entry inbox = bob.ensureFolder(bob.root(), "inbox");
    bob.share(inbox, ALICE, Role.WRITER);
    Entry msg = bob.write(inbox, "msg", utf8("m"), WriteMode.CREATE);
    Entry archive = alice.ensureFolder(alice.root(), "archive");
    Entry moved = alice.move(msg, archive);
    assertThat(moved.id()).isEqualTo(ALICE + "/archive/msg").isNotEqualTo(msg.id());
    assertThat(moved.owner()).isEqualTo(BOB);
    assertThat(bob.stat(msg.id())).isEmpty();
    assertThat(bob.stat(moved.id())).as("the owner still sees its file").isPresent();
    assertThat(alice.readAll(moved, 10)).isEqualTo(utf8("m"));
    Throwable t = catchThrowable(() -> alice.move(inbox, archive));
    assertThat(t).isInstanceOf(StorageException.class);
  }

  @Test
  void theLayoutRunsOnTheLocalTransport() throws IOException {
    SyftLayout ds = new SyftLayout(bob);
    SyftLayout owner = new SyftLayout(alice);
    ds.ensurePeerDatasiteFolders(ALICE);
    assertThat(owner.requestingPeers()).containsExactly(BOB);
    Entry inbox = owner.findOwnDatasiteFolder(BOB, dev.syft.transport.layout.BoxType.INBOX).orElseThrow();
    assertThat(inbox.owner()).isEqualTo(BOB);
    owner.shareVersionFile(BOB, () -> utf8("{\"syft_client_version\":\"0.1.117\"}"));
    assertThat(ds.readPeerVersionFile(ALICE, 1000)).get().isEqualTo(utf8("{\"syft_client_version\":\"0.1.117\"}"));
  }

  @Test
  void symbolicLinksAreNeverFollowed() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "f");
    Path outside = Files.createTempDirectory("syft-outside-");
    try {
      Files.writeString(outside.resolve("secret.txt"), "outside the root");
      Path dir = fixture.root.resolve(folder.id());
      Files.createSymbolicLink(dir.resolve("link-dir"), outside);
      Files.createSymbolicLink(dir.resolve("link-file"), outside.resolve("secret.txt"));
      // listed as files (so they can be refused and removed), never followed: see SymbolicLinkTest
      assertThat(alice.listAll(folder)).extracting(Entry::name, Entry::folder)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("link-dir", false), org.assertj.core.groups.Tuple.tuple("link-file", false));
      assertThat(alice.stat(folder.id() + "/link-dir/secret.txt")).isEmpty();
      assertThat(alice.stat(folder.id() + "/link-file")).isEmpty();
    } finally {
      LocalFixture.deleteTree(outside);
    }
  }
}
