package dev.syft.transport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A symbolic link planted in a shared folder (say a peer's inbox, named like a message) is listed
 * as a file so the reader can refuse it and take it out; it is never followed: reads are refused,
 * and removing or "moving" it unlinks the link only (issue #14, "also fix").
 */
class SymbolicLinkTest {
  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";
  static final String CAROL = "carol@example.com";
  static final String NAME = "msgv2_1700000000.5_0b0e1c7e-5a35-4d8f-9a53-0c1d2e3f4a5b.tar.gz";

  @TempDir Path outside;
  LocalFixture fixture;
  LocalStorage alice;
  LocalStorage bob;
  LocalStorage carol;
  Entry inbox;
  Path inboxDir;
  Path secret;

  @BeforeEach
  void setUp() throws IOException {
    fixture = new LocalFixture(LocalOptions.defaults().withFsync(false).withWatch(LocalOptions.WatchMode.NONE));
    alice = (LocalStorage) fixture.storage(ALICE);
    bob = (LocalStorage) fixture.storage(BOB);
    carol = (LocalStorage) fixture.storage(CAROL);
    // bob's folder alice may write, as a peer's inbox is
    inbox = bob.ensureFolder(bob.root(), "inbox");
    bob.share(inbox, ALICE, Role.WRITER);
    bob.share(inbox, CAROL, Role.READER);
    inboxDir = fixture.root.resolve(inbox.id());
    secret = Files.writeString(outside.resolve("passwd"), "root:x:0:0");
  }

  @AfterEach
  void tearDown() throws IOException {
    fixture.close();
  }

  @Test
  void aLinkIsListedAsAFileButItsReadIsRefusedAndItIsNeverFollowed() throws IOException {
    Files.createSymbolicLink(inboxDir.resolve(NAME), secret);
    bob.write(inbox, "real.txt", "real".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);

    assertThat(alice.listAll(inbox)).extracting(Entry::name).containsExactly(NAME, "real.txt");
    Entry link = alice.listAll(inbox).get(0);
    assertThat(link.folder()).isFalse();
    Throwable t = catchThrowable(() -> alice.read(link).close());
    assertThat(t).isInstanceOf(StorageException.class).hasMessage("'" + NAME + "' is a symbolic link, not a file: refused");
    assertThat(((StorageException) t).kind()).isEqualTo(StorageException.Kind.INVALID);
    assertThat(catchThrowable(() -> alice.readAll(link, 1 << 20))).isInstanceOf(StorageException.class)
        .hasMessageContaining("symbolic link");
    assertThat(alice.stat(link.id())).as("looked up by id: not a file or folder").isEmpty();
    assertThat(alice.readAll(alice.listAll(inbox).get(1), 100)).asString(StandardCharsets.UTF_8).isEqualTo("real");
  }

  @Test
  void movingALinkRemovesTheLinkWhereItIsAndNeverItsTarget() throws IOException {
    Files.createSymbolicLink(inboxDir.resolve(NAME), secret);
    Entry archive = alice.ensureFolder(alice.root(), "archive");
    Entry link = alice.listAll(inbox).get(0);

    Throwable t = catchThrowable(() -> alice.move(link, archive));
    assertThat(t).isInstanceOf(StorageException.class)
        .hasMessage("'" + NAME + "' is a symbolic link, not a file: removed from 'inbox' instead of moved");
    assertThat(inboxDir.resolve(NAME)).doesNotExist();
    assertThat(Files.exists(inboxDir.resolve(NAME), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(alice.listAll(inbox)).isEmpty();
    assertThat(alice.listAll(archive)).as("never carried into alice's drive").isEmpty();
    assertThat(fixture.root.resolve(archive.id())).isEmptyDirectory();
    assertThat(secret).hasContent("root:x:0:0");
  }

  @Test
  void deletingALinkToAnotherUsersFileRemovesOnlyTheLink() throws IOException {
    Entry carols = carol.ensureFolder(carol.root(), "data");
    carol.write(carols, "x.csv", "1,2".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
    Path target = fixture.root.resolve(carols.id()).resolve("x.csv");
    Files.createSymbolicLink(inboxDir.resolve(NAME), target);
    Files.createSymbolicLink(inboxDir.resolve("dir-link.tar.gz"), outside);

    assertThat(catchThrowable(() -> carol.delete(carol.listAll(inbox).get(0))))
        .as("a reader may not remove it").isInstanceOf(StorageException.class).hasMessageContaining("may not remove");
    assertThat(Files.isSymbolicLink(inboxDir.resolve("dir-link.tar.gz"))).isTrue();

    for (Entry e : alice.listAll(inbox)) {
      alice.delete(e);
    }
    assertThat(alice.listAll(inbox)).isEmpty();
    assertThat(inboxDir.resolve(NAME)).doesNotExist();
    assertThat(target).hasContent("1,2");
    assertThat(carol.listAll(carols)).extracting(Entry::name).containsExactly("x.csv");
    assertThat(outside.resolve("passwd")).hasContent("root:x:0:0");
  }

  @Test
  void writingOverALinkNeverWritesThroughIt() throws IOException {
    Files.createSymbolicLink(inboxDir.resolve(NAME), secret);
    assertThat(catchThrowable(() -> alice.write(inbox, NAME, new byte[] {1}, WriteMode.CREATE)))
        .isInstanceOf(StorageException.class).hasMessageContaining("already exists");
    assertThat(secret).hasContent("root:x:0:0");
    bob.write(inbox, NAME, "mine".getBytes(StandardCharsets.UTF_8), WriteMode.REPLACE);
    assertThat(Files.isSymbolicLink(inboxDir.resolve(NAME))).isFalse();
    assertThat(inboxDir.resolve(NAME)).hasContent("mine");
    assertThat(secret).hasContent("root:x:0:0");
  }

  @Test
  void aLinkBelowALinkedFolderIsUnreachable() throws IOException {
    Files.createDirectories(outside.resolve("d"));
    Files.createSymbolicLink(outside.resolve("d/inner"), secret);
    Files.createSymbolicLink(inboxDir.resolve("via"), outside.resolve("d"));
    assertThat(alice.stat(inbox.id() + "/via/inner")).isEmpty();
    Entry forged = new Entry(inbox.id() + "/via/inner", "inner", false, 0, java.time.Instant.EPOCH, BOB, inbox.id() + "/via",
        java.util.Map.of());
    assertThat(catchThrowable(() -> alice.read(forged))).isInstanceOf(StorageException.class)
        .hasMessageContaining("does not exist");
    alice.delete(forged); // not one of ours: nothing happens
    assertThat(Files.isSymbolicLink(outside.resolve("d/inner"))).isTrue();
    assertThat(secret).hasContent("root:x:0:0");
  }
}
