package dev.syft.transport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.syft.transport.Entry;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageProvider;
import dev.syft.transport.layout.SyftLayout;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 items 6 and 10: a missing shared folder is unreachable, never silently re-created (only
 * {@code prepare}, i.e. {@code syft init}, creates it), and the temporary files of writers killed
 * mid-write are swept instead of piling up in outboxes, archives and the rolling state.
 */
class SharedFolderSafetyTest {
  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";
  static final LocalOptions QUIET = LocalOptions.defaults().withFsync(false).withWatch(LocalOptions.WatchMode.NONE);

  @TempDir Path tmp;

  static StorageProvider provider() {
    return new LocalStorageProvider();
  }

  @Test
  void openingAMissingSharedFolderIsUnreachableAndCreatesNothing() throws IOException {
    Path missing = tmp.resolve("mnt/dropbox/syft");
    Throwable t = catchThrowable(() -> provider().open(URI.create("local:" + missing), ALICE, Map.of()));
    assertThat(t).isInstanceOf(StorageException.class)
        .hasMessageStartingWith("transport unreachable: shared folder " + missing + " does not exist");
    assertThat(((StorageException) t).isTransient()).as("it may come back (a remount)").isTrue();
    assertThat(tmp.resolve("mnt")).doesNotExist();

    Files.createDirectories(missing.getParent());
    Files.writeString(missing, "a file");
    assertThat(catchThrowable(() -> LocalStorage.open(missing, ALICE)))
        .hasMessageContaining("transport unreachable: shared folder " + missing + " is not a folder");
  }

  @Test
  void onlyPrepareCreatesTheSharedFolder() throws IOException {
    Path fresh = tmp.resolve("new-shared");
    URI uri = URI.create("local:" + fresh);
    assertThat(provider().prepare(uri, ALICE, Map.of())).hasValueSatisfying(note ->
        assertThat(note).contains("created the shared folder " + fresh));
    assertThat(fresh).isDirectory();
    assertThat(provider().prepare(uri, BOB, Map.of())).as("already there").isEmpty();
    try (var s = provider().open(uri, ALICE, Map.of("watch", "none"))) {
      assertThat(s.root().name()).isEqualTo("SyftBox");
    }
  }

  @Test
  void aSharedFolderThatGoesAwayWhileOpenIsNotRecreated() throws IOException {
    Path root = tmp.resolve("shared");
    try (LocalStorage alice = LocalStorage.create(root, ALICE, QUIET)) {
      Entry top = alice.root();
      Files.move(root, tmp.resolve("unmounted"));
      for (Throwable t : List.of(catchThrowable(alice::root),
          catchThrowable(() -> alice.ensureFolder(top, "outbox")),
          catchThrowable(() -> alice.listAll(top)))) {
        assertThat(t).isInstanceOf(StorageException.class)
            .hasMessageStartingWith("transport unreachable: shared folder").hasMessageContaining("does not exist");
      }
      assertThat(root).doesNotExist();
      Files.move(tmp.resolve("unmounted"), root);
      assertThat(alice.root().id()).isEqualTo(top.id()); // back when the folder is back
    }
  }

  @Test
  void staleTemporaryFilesOfKilledWritesAreSweptFreshOnesKept() throws IOException {
    Path root = tmp.resolve("shared");
    Entry outbox;
    Entry archive;
    Entry rolling;
    Entry bobsInbox;
    try (LocalStorage alice = LocalStorage.create(root, ALICE, QUIET);
        LocalStorage bob = LocalStorage.open(root, BOB, QUIET)) {
      SyftLayout a = new SyftLayout(alice);
      outbox = a.ensurePeerDatasiteFolders(BOB).outbox();
      archive = a.ensureArchive(BOB);
      rolling = a.ensureRollingStateFolder();
      // bob's folder alice writes proposals into, in bob's drive
      bobsInbox = new SyftLayout(bob).ensurePeerDatasiteFolders(ALICE).inbox();
    }
    // a kill mid-write leaves partial temporary files behind
    Instant later = Instant.now().plus(Duration.ofHours(3));
    List<Path> killed = List.of(plant(root, outbox), plant(root, archive), plant(root, rolling));
    Path inBobsFolder = plant(root, bobsInbox);
    Path inProgress = plant(root, outbox);
    Files.setLastModifiedTime(inProgress, FileTime.from(later.minus(Duration.ofMinutes(5))));

    Clock clock = Clock.fixed(later, ZoneOffset.UTC);
    try (LocalStorage alice = LocalStorage.open(root, ALICE, QUIET, clock)) {
      killed.forEach(p -> assertThat(p).as("swept on open").doesNotExist());
      assertThat(inProgress).as("a write still going on").exists();
      assertThat(inBobsFolder).as("not in alice's drive: swept when listed").exists();
      assertThat(alice.listAll(bobsInbox)).isEmpty();
      assertThat(inBobsFolder).as("listed by a writer of the folder").doesNotExist();
      assertThat(alice.listAll(outbox)).isEmpty();
      assertThat(inProgress).exists();
    }
  }

  private static Path plant(Path root, Entry folder) throws IOException {
    Path p = root.resolve(folder.id()).resolve(LocalNames.TMP_PREFIX + UUID.randomUUID());
    Files.write(p, new byte[] {'P', 'K', 3, 4}); // the first bytes of an archive, then the kill
    return p;
  }
}
