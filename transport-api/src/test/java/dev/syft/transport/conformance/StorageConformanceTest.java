package dev.syft.transport.conformance;

import static dev.syft.transport.conformance.Content.sha256;
import static dev.syft.transport.conformance.Content.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.syft.transport.ChangeFeed;
import dev.syft.transport.Entry;
import dev.syft.transport.Page;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.Watcher;
import dev.syft.transport.WriteMode;
import dev.syft.transport.decorator.FaultyStorage;
import dev.syft.transport.decorator.Operation;
import dev.syft.transport.decorator.RetryPolicy;
import dev.syft.transport.decorator.RetryingStorage;
import dev.syft.transport.decorator.Sleeper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Storage} must show, whatever the transport (TESTING-PATTERNS.md 4). A
 * transport module extends this class, returns a fresh store from {@link #newFixture()}, and gets
 * every test. Stores with and without conditional create both pass: tests branch on the declared
 * {@link dev.syft.transport.Capabilities}, which is itself what is checked.
 */
@Timeout(120)
public abstract class StorageConformanceTest {
  protected static final String ALICE = "alice@example.com";
  protected static final String BOB = "bob@example.com";
  protected static final String CAROL = "carol@example.com";

  protected StorageFixture fixture;
  protected Storage alice;
  protected Storage bob;
  protected Storage carol;

  /** A fresh, empty store. */
  protected abstract StorageFixture newFixture() throws Exception;

  @BeforeEach
  void openFixture() throws Exception {
    fixture = newFixture();
    alice = fixture.storage(ALICE);
    bob = fixture.storage(BOB);
    carol = fixture.storage(CAROL);
  }

  @AfterEach
  void closeFixture() throws Exception {
    for (Storage s : new Storage[] {alice, bob, carol}) {
      if (s != null) {
        s.close();
      }
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  // =================================================================== identity and root

  @Test
  void identityIsTheLowerCaseEmail() {
    assertThat(alice.identity()).isEqualTo(ALICE);
    assertThat(bob.identity()).isEqualTo(BOB);
  }

  @Test
  void rootIsAStableFolderOwnedByTheCallerAndPrivate() throws IOException {
    Entry r1 = alice.root();
    Entry r2 = alice.root();
    assertThat(r1.id()).isEqualTo(r2.id());
    assertThat(r1.folder()).isTrue();
    assertThat(r1.owner()).isEqualTo(ALICE);
    assertThat(bob.root().id()).isNotEqualTo(r1.id());
    assertThat(bob.stat(r1.id())).isEmpty();
    assertDenied(() -> bob.list(r1, null, 10));
  }

  @Test
  void theTopFolderCannotBeShared() throws IOException {
    Entry root = alice.root();
    assertThatThrownBy(() -> alice.share(root, BOB, Role.READER))
        .isInstanceOf(StorageException.class)
        .extracting(e -> ((StorageException) e).kind()).isEqualTo(Kind.INVALID);
  }

  // =================================================================== folders

  @Test
  void ensureFolderCreatesOnceAndThenReuses() throws IOException {
    Entry root = alice.root();
    Entry a = alice.ensureFolder(root, "inbox");
    Entry b = alice.ensureFolder(root, "inbox");
    assertThat(a.id()).isEqualTo(b.id());
    assertThat(a.folder()).isTrue();
    assertThat(a.name()).isEqualTo("inbox");
    assertThat(a.owner()).isEqualTo(ALICE);
    assertThat(a.parentId()).isEqualTo(root.id());
    assertThat(names(alice.listAll(root))).containsExactly("inbox");
  }

  @Test
  void racingEnsureFolderCallsConverge() throws Exception {
    Entry root = alice.root();
    List<Entry> got = parallel(8, i -> alice.ensureFolder(root, "shared-name"));
    Entry settled = alice.ensureFolder(root, "shared-name");
    assertThat(got).extracting(Entry::id).contains(settled.id());
    for (int i = 0; i < 3; i++) {
      assertThat(alice.ensureFolder(root, "shared-name").id()).isEqualTo(settled.id());
    }
  }

  @Test
  void nestedFoldersKnowTheirParent() throws IOException {
    Entry a = alice.ensureFolder(alice.root(), "a");
    Entry b = alice.ensureFolder(a, "b");
    Entry c = alice.ensureFolder(b, "c");
    assertThat(c.parentId()).isEqualTo(b.id());
    assertThat(alice.stat(c.id())).get().extracting(Entry::parentId).isEqualTo(b.id());
    assertThat(names(alice.listAll(b))).containsExactly("c");
  }

  @Test
  void findFoldersMatchesExactNamesAndFolderQueriesAreSupersets() throws IOException {
    Entry root = alice.root();
    alice.ensureFolder(root, "abc");
    alice.ensureFolder(root, "abcd");
    alice.ensureFolder(root, "xabc");
    alice.write(root, "abc.txt", utf8("file, not folder"), WriteMode.CREATE);
    assertThat(names(alice.findFolders(root, "abc"))).containsExactly("abc");
    assertThat(alice.findFolders(root, "nothing")).isEmpty();
    assertThat(names(alice.findFoldersContaining(root, "abc"))).contains("abc", "abcd", "xabc")
        .doesNotContain("abc.txt");
    assertThat(alice.findFiles(root, "abc.txt")).singleElement()
        .satisfies(e -> assertThat(e.folder()).isFalse());
    assertThat(alice.findFiles(root, "abc")).isEmpty();
  }

  // =================================================================== files

  @Test
  void writeThenReadRoundTripsBytesAndMetadata() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "f");
    byte[] data = utf8("hello, datasite\n");
    Entry e = alice.write(folder, "msg.txt", data, WriteMode.CREATE);
    assertThat(e.name()).isEqualTo("msg.txt");
    assertThat(e.folder()).isFalse();
    assertThat(e.size()).isEqualTo(data.length);
    assertThat(e.owner()).isEqualTo(ALICE);
    assertThat(e.parentId()).isEqualTo(folder.id());
    assertThat(e.modified()).isNotNull();
    assertThat(alice.readAll(e, 1024)).isEqualTo(data);
    try (InputStream in = alice.read(e)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(alice.stat(e.id())).get().satisfies(s -> {
      assertThat(s.name()).isEqualTo("msg.txt");
      assertThat(s.size()).isEqualTo(data.length);
    });
  }

  @Test
  void emptyFilesAreFiles() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "f");
    Entry e = alice.write(folder, "empty", new byte[0], WriteMode.CREATE);
    assertThat(e.size()).isZero();
    assertThat(alice.readAll(e, 0)).isEmpty();
    assertThat(names(alice.listAll(folder))).containsExactly("empty");
  }

  @Test
  void replaceKeepsOneFileAndChangesItsContent() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "f");
    Entry first = alice.write(folder, "state.json", utf8("{\"v\":1}"), WriteMode.REPLACE);
    Entry second = alice.write(folder, "state.json", utf8("{\"v\":22}"), WriteMode.REPLACE);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.size()).isEqualTo(8);
    assertThat(alice.readAll(second, 100)).isEqualTo(utf8("{\"v\":22}"));
    assertThat(names(alice.listAll(folder))).containsExactly("state.json");
    assertThat(alice.findFiles(folder, "state.json")).singleElement().extracting(Entry::id).isEqualTo(first.id());
  }

  @Test
  void createOnATakenNameFailsAtomicallyWhereDeclared() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "f");
    alice.write(folder, "m", utf8("first"), WriteMode.CREATE);
    if (alice.capabilities().conditionalCreate()) {
      Throwable t = catchThrowable(() -> alice.write(folder, "m", utf8("second"), WriteMode.CREATE));
      assertThat(t).isInstanceOf(StorageException.class);
      assertThat(((StorageException) t).kind()).isEqualTo(Kind.ALREADY_EXISTS);
      assertThat(alice.findFiles(folder, "m")).singleElement()
          .satisfies(e -> assertThat(alice.readAll(e, 100)).isEqualTo(utf8("first")));
    } else {
      alice.write(folder, "m", utf8("second"), WriteMode.CREATE);
      List<Entry> found = alice.findFiles(folder, "m");
      assertThat(found).isNotEmpty();
      for (Entry e : found) {
        assertThat(new String(alice.readAll(e, 100), java.nio.charset.StandardCharsets.UTF_8)).isIn("first", "second");
      }
    }
  }

  @Test
  void statOfUnknownOrDeletedIdsIsEmpty() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "f");
    Entry e = alice.write(folder, "x", utf8("x"), WriteMode.CREATE);
    assertThat(alice.stat(e.id())).isPresent();
    alice.delete(e);
    assertThat(alice.stat(e.id())).isEmpty();
    assertThat(alice.stat("no-such-id-" + System.nanoTime())).isEmpty();
    assertThatThrownBy(() -> alice.read(e)).isInstanceOf(StorageException.class)
        .extracting(x -> ((StorageException) x).kind()).isEqualTo(Kind.NOT_FOUND);
  }

  @Test
  void readAllRefusesFilesOverTheLimitEvenWhenTheEntryUnderstatesTheSize() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "f");
    Entry e = alice.write(folder, "blob", Content.filled(1000, 'z'), WriteMode.CREATE);
    assertThat(alice.readAll(e, 1000)).hasSize(1000);
    assertTooLarge(() -> alice.readAll(e, 999));
    Entry lying = new Entry(e.id(), e.name(), false, 10, e.modified(), e.owner(), e.parentId(), Map.of());
    assertTooLarge(() -> alice.readAll(lying, 100));
  }

  @Test
  void foldersAndFilesAreNotInterchangeable() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "f");
    Entry file = alice.write(folder, "file", utf8("x"), WriteMode.CREATE);
    assertThat(catchThrowable(() -> alice.read(folder))).isInstanceOf(StorageException.class);
    assertThat(catchThrowable(() -> alice.write(file, "inner", utf8("y"), WriteMode.CREATE)))
        .isInstanceOf(StorageException.class);
    assertThat(catchThrowable(() -> alice.list(file, null, 10))).isInstanceOf(StorageException.class);
  }

  @Test
  void invalidNamesAreRefused() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "f");
    for (String bad : new String[] {"", ".", "..", "a/b", "nul\0byte"}) {
      assertInvalid(() -> alice.write(folder, bad, utf8("x"), WriteMode.CREATE));
      assertInvalid(() -> alice.ensureFolder(folder, bad));
    }
    assertThat(alice.listAll(folder)).isEmpty();
  }

  @Test
  void unicodeAndAwkwardNamesRoundTrip() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "names");
    List<String> awkward = new ArrayList<>(List.of(
        "héllo wörld.txt", "日本語のファイル.json", "emoji 🎉 party.bin", "  leading and trailing  ",
        "#hash#in#name", "syft_datasite#0.1.117#a@b.c#inbox#d@e.f", "msgv2_1712345678.1234567_x.tar.gz",
        "percent %20 and + plus", "quote ' and \" double", "semi;colon,comma", "a".repeat(200),
        "dots...", "-leading-dash", ".hidden", "back`tick", "brackets [1] {2} (3)", "ümlaut-ß-é",
        "mixed ñ 中 🙂 1.0"));
    if (fixture.caseSensitiveNames()) {
      awkward.add("Case.TXT");
      awkward.add("case.txt");
    }
    Map<String, String> digests = new java.util.HashMap<>();
    int i = 0;
    for (String name : awkward) {
      byte[] data = utf8("content " + (i++) + " of " + name);
      alice.write(folder, name, data, WriteMode.CREATE);
      digests.put(name, sha256(data));
    }
    List<Entry> listed = alice.listAll(folder);
    assertThat(names(listed)).containsExactlyInAnyOrderElementsOf(awkward);
    for (Entry e : listed) {
      assertThat(sha256(alice.read(e))).as(e.name()).isEqualTo(digests.get(e.name()));
      assertThat(alice.findFiles(folder, e.name())).as(e.name()).singleElement().extracting(Entry::id).isEqualTo(e.id());
    }
    Entry weirdFolder = alice.ensureFolder(folder, "syft_datasite#0.1.117#ö@x.de#outbox#日本@example.jp");
    assertThat(alice.findFolders(folder, weirdFolder.name())).extracting(Entry::id).containsExactly(weirdFolder.id());
  }

  @Test
  void listingsAreOrderedByNameInUtf16Order() throws IOException {
    Entry folder = alice.ensureFolder(alice.root(), "order");
    List<String> names = new ArrayList<>(List.of("b", "a", "Z", "é", "_x", "0", "a0", "a_", "A", "~", "日",
        "🎉", "msgv2_1700000000.0_u", "msgv2_1712345678.5_u", "aa", "ab"));
    if (!fixture.caseSensitiveNames()) {
      names.remove("A");
    }
    Collections.shuffle(names, new java.util.Random(7));
    for (String n : names) {
      alice.write(folder, n, utf8(n), WriteMode.CREATE);
    }
    alice.ensureFolder(folder, "m-folder");
    names.add("m-folder");
    List<String> expected = new ArrayList<>(names);
    Collections.sort(expected);
    assertThat(names(alice.listAll(folder))).containsExactlyElementsOf(expected);
    List<String> paged = new ArrayList<>();
    String token = null;
    do {
      Page p = alice.list(folder, token, 3);
      assertThat(p.entries().size()).isLessThanOrEqualTo(3);
      paged.addAll(names(p.entries()));
      token = p.nextPageToken();
    } while (token != null);
    assertThat(paged).containsExactlyElementsOf(expected);
  }

  @Test
  void pagingPastOneThousandEntriesIsCompleteOrderedAndWithoutRepeats() throws Exception {
    int many = fixture.manyEntries();
    Entry folder = alice.ensureFolder(alice.root(), "many");
    parallel(8, t -> {
      for (int i = t; i < many; i += 8) {
        alice.write(folder, String.format("f%05d", i), utf8(Integer.toString(i)), WriteMode.CREATE);
      }
      return null;
    });
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < many; i++) {
      expected.add(String.format("f%05d", i));
    }
    assertThat(names(alice.listAll(folder))).containsExactlyElementsOf(expected);
    List<String> paged = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int pages = 0;
    String token = null;
    do {
      Page p = alice.list(folder, token, 100);
      assertThat(p.entries().size()).isLessThanOrEqualTo(100);
      for (Entry e : p.entries()) {
        assertThat(ids.add(e.id())).as("id repeated: " + e.id()).isTrue();
        paged.add(e.name());
      }
      token = p.nextPageToken();
      pages++;
    } while (token != null && pages < 1000);
    assertThat(paged).containsExactlyElementsOf(expected);
    assertThat(pages).isGreaterThanOrEqualTo((many + 99) / 100);
  }

  // =================================================================== move and delete

  @Test
  void moveKeepsNameOwnerAndContentAndLeavesTheSourceFolder() throws IOException {
    Entry root = alice.root();
    Entry from = alice.ensureFolder(root, "from");
    Entry to = alice.ensureFolder(root, "to");
    Entry f = alice.write(from, "m.tar.gz", utf8("payload"), WriteMode.CREATE);
    Entry moved = alice.move(f, to);
    assertThat(moved.name()).isEqualTo("m.tar.gz");
    assertThat(moved.owner()).isEqualTo(ALICE);
    assertThat(moved.parentId()).isEqualTo(to.id());
    assertThat(alice.stat(moved.id())).isPresent();
    assertThat(alice.readAll(moved, 100)).isEqualTo(utf8("payload"));
    assertThat(alice.listAll(from)).isEmpty();
    assertThat(names(alice.listAll(to))).containsExactly("m.tar.gz");
    // moving into the folder it is in is a no-op, so a retried move succeeds
    Entry again = alice.move(moved, to);
    assertThat(again.id()).isEqualTo(moved.id());
    assertThat(names(alice.listAll(to))).containsExactly("m.tar.gz");
  }

  @Test
  void deleteIsIdempotentAndRemovesWholeFolders() throws IOException {
    Entry root = alice.root();
    Entry top = alice.ensureFolder(root, "top");
    Entry sub = alice.ensureFolder(top, "sub");
    Entry deep = alice.write(sub, "deep.txt", utf8("d"), WriteMode.CREATE);
    Entry file = alice.write(top, "file.txt", utf8("f"), WriteMode.CREATE);
    alice.delete(file);
    alice.delete(file);
    assertThat(names(alice.listAll(top))).containsExactly("sub");
    alice.delete(top);
    assertThat(alice.stat(top.id())).isEmpty();
    assertThat(alice.stat(sub.id())).isEmpty();
    assertThat(alice.stat(deep.id())).isEmpty();
    assertThat(names(alice.listAll(root))).doesNotContain("top");
    alice.delete(top);
  }

  // =================================================================== sharing and visibility

  @Test
  void aFolderNeitherOwnedNorSharedIsInvisibleAndUntouchable() throws IOException {
    Entry secret = alice.ensureFolder(alice.root(), "private");
    Entry file = alice.write(secret, "data.csv", utf8("a,b\n1,2\n"), WriteMode.CREATE);
    assertDenied(() -> bob.list(secret, null, 10));
    assertDenied(() -> bob.read(file));
    assertDenied(() -> bob.write(secret, "evil", utf8("x"), WriteMode.CREATE));
    assertDenied(() -> bob.write(secret, "data.csv", utf8("x"), WriteMode.REPLACE));
    assertDenied(() -> bob.ensureFolder(secret, "sub"));
    if (fixture.sharedNamespace()) {
      assertDenied(() -> bob.delete(file));
    } else {
      bob.delete(file); // bob's replica never had it: a no-op that cannot reach alice (checked below)
    }
    assertDenied(() -> bob.share(secret, BOB, Role.WRITER));
    assertDenied(() -> bob.move(file, bob.ensureFolder(bob.root(), "mine")));
    assertDenied(() -> bob.setAppProperty(secret, "k", "v"));
    assertThat(bob.stat(secret.id())).isEmpty();
    assertThat(bob.stat(file.id())).isEmpty();
    assertThat(bob.findSharedWithMe("private")).isEmpty();
    assertThat(bob.findFilesOwnedBy(ALICE, "data.csv")).isEmpty();
    assertThat(alice.readAll(file, 100)).isEqualTo(utf8("a,b\n1,2\n"));
    assertThat(names(alice.listAll(secret))).containsExactly("data.csv");
  }

  @Test
  void aReaderCanListAndReadButNotChangeAnything() throws IOException {
    Entry shared = alice.ensureFolder(alice.root(), "syft_datasetcollection_census_abc123");
    Entry file = alice.write(shared, "mock.csv", utf8("x,y"), WriteMode.CREATE);
    alice.share(shared, BOB, Role.READER);
    assertThat(names(bob.listAll(shared))).containsExactly("mock.csv");
    assertThat(bob.readAll(file, 100)).isEqualTo(utf8("x,y"));
    assertThat(bob.stat(shared.id())).isPresent();
    assertDenied(() -> bob.write(shared, "new.csv", utf8("n"), WriteMode.CREATE));
    assertDenied(() -> bob.write(shared, "mock.csv", utf8("changed"), WriteMode.REPLACE));
    assertDenied(() -> bob.delete(file));
    assertDenied(() -> bob.delete(shared));
    assertDenied(() -> bob.share(shared, CAROL, Role.READER));
    assertDenied(() -> bob.ensureFolder(shared, "sub"));
    assertThat(alice.readAll(file, 100)).isEqualTo(utf8("x,y"));
    assertDenied(() -> carol.list(shared, null, 10));
  }

  @Test
  void aWriterCanAddFilesItOwnsButNotDeleteTheOwners() throws IOException {
    Entry inbox = alice.ensureFolder(alice.root(), "inbox");
    Entry aliceFile = alice.write(inbox, "owner-file", utf8("o"), WriteMode.CREATE);
    alice.share(inbox, BOB, Role.WRITER);
    Entry bobFile = bob.write(inbox, "msgv2_1.0_x.tar.gz", utf8("proposal"), WriteMode.CREATE);
    assertThat(bobFile.owner()).isEqualTo(BOB);
    assertThat(alice.listAll(inbox)).extracting(Entry::name, Entry::owner)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("msgv2_1.0_x.tar.gz", BOB),
            org.assertj.core.groups.Tuple.tuple("owner-file", ALICE));
    assertThat(alice.readAll(bobFile, 100)).isEqualTo(utf8("proposal"));
    assertDenied(() -> bob.delete(aliceFile));
    assertDenied(() -> bob.share(inbox, CAROL, Role.READER));
    assertDenied(() -> bob.unshare(inbox, BOB));
    bob.delete(bobFile);
    assertThat(names(alice.listAll(inbox))).containsExactly("owner-file");
  }

  @Test
  void sharingAFolderSharesEverythingBelowIt() throws IOException {
    Entry top = alice.ensureFolder(alice.root(), "top");
    Entry sub = alice.ensureFolder(top, "sub");
    Entry deep = alice.write(sub, "deep.txt", utf8("deep"), WriteMode.CREATE);
    alice.share(top, BOB, Role.READER);
    assertThat(names(bob.listAll(top))).containsExactly("sub");
    assertThat(names(bob.listAll(sub))).containsExactly("deep.txt");
    assertThat(bob.readAll(deep, 100)).isEqualTo(utf8("deep"));
    assertThat(bob.stat(deep.id())).isPresent();
    assertDenied(() -> carol.list(sub, null, 10));
  }

  @Test
  void findSharedWithMeReturnsFoldersOthersSharedWithTheCaller() throws IOException {
    Entry forBob = alice.ensureFolder(alice.root(), "syft_datasite#0.1.117#alice@example.com#inbox#bob@example.com");
    Entry forCarol = alice.ensureFolder(alice.root(), "syft_datasite#0.1.117#alice@example.com#inbox#carol@example.com");
    Entry unshared = alice.ensureFolder(alice.root(), "syft_datasite#0.1.117#alice@example.com#outbox#bob@example.com");
    bob.ensureFolder(bob.root(), "syft_datasite#0.1.117#x@example.com#inbox#bob@example.com");
    alice.share(forBob, BOB, Role.WRITER);
    alice.share(forCarol, CAROL, Role.READER);
    List<Entry> found = bob.findSharedWithMe("syft_datasite#");
    assertThat(found).extracting(Entry::id).contains(forBob.id()).doesNotContain(forCarol.id(), unshared.id());
    assertThat(found).allSatisfy(e -> {
      assertThat(e.owner()).isNotEqualTo(BOB);
      assertThat(e.folder()).isTrue();
    });
    assertThat(bob.findSharedWithMe("#bob@example.com")).extracting(Entry::id).contains(forBob.id());
    assertThat(bob.findSharedWithMe("no-such-fragment")).isEmpty();
    assertThat(carol.findSharedWithMe("syft_datasite#")).extracting(Entry::id).containsExactly(forCarol.id());
    assertThat(alice.findSharedWithMe("syft_datasite#")).isEmpty();
  }

  @Test
  void unshareRevokesAccess() throws IOException {
    Entry f = alice.ensureFolder(alice.root(), "revocable");
    Entry file = alice.write(f, "a", utf8("a"), WriteMode.CREATE);
    alice.share(f, BOB, Role.WRITER);
    assertThat(bob.findSharedWithMe("revocable")).hasSize(1);
    alice.unshare(f, BOB);
    assertThat(bob.findSharedWithMe("revocable")).isEmpty();
    assertDenied(() -> bob.list(f, null, 10));
    assertDenied(() -> bob.read(file));
    assertDenied(() -> bob.write(f, "b", utf8("b"), WriteMode.CREATE));
    assertThat(alice.sharedWith(f)).isEmpty();
    alice.unshare(f, BOB);
  }

  @Test
  void grantsAreReportedDeduplicatedAndNeverLowered() throws IOException {
    Entry f = alice.ensureFolder(alice.root(), "grants");
    alice.share(f, BOB, Role.READER);
    alice.share(f, BOB, Role.READER);
    alice.share(f, CAROL, Role.WRITER);
    alice.share(f, "Carol@Example.com", Role.READER);
    assertThat(alice.sharedWith(f)).containsExactlyInAnyOrderEntriesOf(Map.of(BOB, Role.READER, CAROL, Role.WRITER));
    alice.share(f, BOB, Role.WRITER);
    assertThat(alice.sharedWith(f)).containsEntry(BOB, Role.WRITER);
  }

  @Test
  void findFilesOwnedByFindsASharedVersionFile() throws IOException {
    Entry root = alice.root();
    Entry version = alice.write(root, "SYFT_version.json", utf8("{\"syft_client_version\":\"0.1.117\"}"), WriteMode.REPLACE);
    alice.write(root, "SYFT_peers.json", utf8("{}"), WriteMode.REPLACE);
    assertThat(bob.findFilesOwnedBy(ALICE, "SYFT_version.json")).isEmpty();
    alice.share(version, BOB, Role.READER);
    List<Entry> found = bob.findFilesOwnedBy(ALICE, "SYFT_version.json");
    assertThat(found).extracting(Entry::id).containsExactly(version.id());
    assertThat(bob.readAll(found.get(0), 1000)).isEqualTo(utf8("{\"syft_client_version\":\"0.1.117\"}"));
    assertThat(bob.findFilesOwnedBy(ALICE, "SYFT_peers.json")).isEmpty();
    assertDenied(() -> bob.read(alice.findFiles(root, "SYFT_peers.json").get(0)));
    assertThat(carol.findFilesOwnedBy(ALICE, "SYFT_version.json")).isEmpty();
    assertThat(bob.findFilesOwnedBy(CAROL, "SYFT_version.json")).isEmpty();
    assertThat(alice.findFilesOwnedBy(ALICE, "SYFT_version.json")).extracting(Entry::id).containsExactly(version.id());
    // a file inside a shared folder is found too
    Entry shared = alice.ensureFolder(root, "shared");
    Entry inner = alice.write(shared, "SYFT_version.json", utf8("{}"), WriteMode.CREATE);
    alice.share(shared, CAROL, Role.READER);
    assertThat(carol.findFilesOwnedBy(ALICE, "SYFT_version.json")).extracting(Entry::id).containsExactly(inner.id());
  }

  @Test
  void appPropertiesAreSetByTheOwnerAndVisibleToReaders() throws IOException {
    Entry f = alice.ensureFolder(alice.root(), "syft_datasetcollection_d_0123456789ab");
    Entry updated = alice.setAppProperty(f, "syft_shared_with_any", "true");
    assertThat(updated.appProperties()).containsEntry("syft_shared_with_any", "true");
    assertThat(alice.stat(f.id())).get().extracting(Entry::appProperties).isEqualTo(Map.of("syft_shared_with_any", "true"));
    alice.share(f, BOB, Role.READER);
    assertThat(bob.findSharedWithMe("syft_datasetcollection_")).singleElement()
        .extracting(Entry::appProperties).isEqualTo(Map.of("syft_shared_with_any", "true"));
    assertThat(alice.listAll(alice.root())).filteredOn(e -> e.id().equals(f.id())).singleElement()
        .extracting(Entry::appProperties).isEqualTo(Map.of("syft_shared_with_any", "true"));
    assertDenied(() -> bob.setAppProperty(f, "k", "v"));
    alice.setAppProperty(f, "syft_shared_with_any", null);
    assertThat(alice.stat(f.id())).get().extracting(Entry::appProperties).isEqualTo(Map.of());
  }

  @Test
  void theP2pExchangeWorksAcrossTwoUsers() throws IOException {
    // the DS (bob) creates both folders in its own storage and shares writer with the DO (alice)
    Entry inbox = bob.ensureFolder(bob.root(), "syft_datasite#0.1.117#alice@example.com#inbox#bob@example.com");
    Entry outbox = bob.ensureFolder(bob.root(), "syft_datasite#0.1.117#alice@example.com#outbox#bob@example.com");
    bob.share(inbox, ALICE, Role.WRITER);
    bob.share(outbox, ALICE, Role.WRITER);
    Entry proposal = bob.write(inbox, "msgv2_1712345678.1234567_u1.tar.gz", utf8("proposal"), WriteMode.CREATE);

    // the DO finds the inbox, reads the proposal and archives it in its own storage
    Entry found = alice.findSharedWithMe("#alice@example.com#inbox#bob@example.com").stream()
        .filter(e -> e.name().equals(inbox.name())).findFirst().orElseThrow();
    assertThat(found.owner()).isEqualTo(BOB);
    Entry msg = alice.listAll(found).get(0);
    assertThat(msg.owner()).isEqualTo(BOB);
    assertThat(alice.readAll(msg, 100)).isEqualTo(utf8("proposal"));
    Entry archive = alice.ensureFolder(alice.root(), "syft_bob@example.com_to_alice@example.com_archive");
    Entry archived = alice.move(msg, archive);
    assertThat(archived.owner()).as("inbox files stay owned by the DS").isEqualTo(BOB);
    assertThat(bob.listAll(inbox)).isEmpty();
    assertThat(names(alice.listAll(archive))).containsExactly(proposal.name());
    assertThat(alice.readAll(archived, 100)).isEqualTo(utf8("proposal"));

    // the DO publishes an event into the DS's outbox; it owns it and may delete it later
    Entry event = alice.write(outbox, "syfteventsmessagev3_1712345679.5_8c1f0a52-1111-4e4e-9a9a-123456789abc.tar.gz",
        utf8("events"), WriteMode.CREATE);
    assertThat(event.owner()).isEqualTo(ALICE);
    Entry seen = bob.listAll(outbox).get(0);
    assertThat(seen.owner()).isEqualTo(ALICE);
    assertThat(bob.readAll(seen, 100)).isEqualTo(utf8("events"));
    assertDenied(() -> bob.delete(seen));
    alice.delete(event);
    assertThat(bob.listAll(outbox)).isEmpty();
  }

  // =================================================================== atomicity and races

  @Test
  void aConcurrentReaderNeverSeesAPartialFileOrATemporaryName() throws Exception {
    Entry folder = alice.ensureFolder(alice.root(), "atomic");
    byte[] a = Content.filled(300_000, 'a');
    byte[] b = Content.filled(200_000, 'b');
    Set<String> valid = Set.of(sha256(a), sha256(b));
    alice.write(folder, "state", a, WriteMode.REPLACE);
    alice.share(folder, BOB, Role.READER);
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
      Future<?> writer = pool.submit(() -> {
        try {
          for (int i = 0; i < 40; i++) {
            alice.write(folder, "state", i % 2 == 0 ? b : a, WriteMode.REPLACE);
          }
        } finally {
          done.set(true);
        }
        return null;
      });
      List<Future<?>> readers = new ArrayList<>();
      for (Storage reader : List.of(alice, bob)) {
        readers.add(pool.submit(() -> {
          while (!done.get() || (reads.get() < 4 && problems.size() < 100)) {
            try {
              List<Entry> listed = reader.listAll(folder);
              if (!names(listed).equals(List.of("state"))) {
                problems.add("listing showed " + names(listed));
              }
              for (Entry e : listed) {
                byte[] all = reader.read(e).readAllBytes();
                String d = sha256(all) + " len " + all.length + " entry " + e.size();
                if (!valid.contains(d.substring(0, 64))) {
                  problems.add("partial content read, digest " + d);
                }
              }
              reads.incrementAndGet();
            } catch (StorageException e) {
              if (!e.isTransient()) {
                problems.add(e.kind() + ": " + e.getMessage());
              }
            }
          }
          return null;
        }));
      }
      writer.get();
      for (Future<?> r : readers) {
        r.get();
      }
    }
    assertThat(problems).isEmpty();
    assertThat(reads.get()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void racingCreatesOfOneNameHaveOneWinnerWhereDeclared() throws Exception {
    Entry folder = alice.ensureFolder(alice.root(), "race");
    alice.share(folder, BOB, Role.WRITER);
    int n = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Object> outcomes = parallel(n, i -> {
      Storage who = i % 2 == 0 ? alice : bob;
      start.countDown();
      start.await();
      try {
        return who.write(folder, "msgv2_1.0_same.tar.gz", utf8("writer " + i), WriteMode.CREATE);
      } catch (StorageException e) {
        return e.kind();
      }
    });
    List<Entry> wins = outcomes.stream().filter(Entry.class::isInstance).map(Entry.class::cast).toList();
    List<String> contents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      contents.add("writer " + i);
    }
    List<Entry> found = alice.findFiles(folder, "msgv2_1.0_same.tar.gz");
    if (alice.capabilities().conditionalCreate()) {
      assertThat(wins).hasSize(1);
      assertThat(outcomes).filteredOn(o -> !(o instanceof Entry)).hasSize(n - 1).containsOnly(Kind.ALREADY_EXISTS);
      assertThat(found).singleElement().satisfies(e -> {
        assertThat(e.id()).isEqualTo(wins.get(0).id());
        assertThat(e.owner()).isEqualTo(wins.get(0).owner());
      });
    } else if (!fixture.sharedNamespace()) {
      // replicas (mail): the newest write wins; a writer who already sees the owner's copy may not replace it
      assertThat(wins).isNotEmpty();
      assertThat(outcomes).filteredOn(o -> !(o instanceof Entry)).allSatisfy(o -> assertThat(o)
          .isIn(Kind.ALREADY_EXISTS, Kind.FORBIDDEN));
      assertThat(found).singleElement();
    } else {
      assertThat(wins).hasSize(n);
      assertThat(found).isNotEmpty();
    }
    for (Entry e : found) {
      assertThat(new String(alice.readAll(e, 100), java.nio.charset.StandardCharsets.UTF_8)).isIn(contents);
    }
  }

  @Test
  void concurrentWritesOfDistinctNamesAreAllKept() throws Exception {
    Entry folder = alice.ensureFolder(alice.root(), "concurrent");
    alice.share(folder, BOB, Role.WRITER);
    parallel(8, t -> {
      Storage who = t % 2 == 0 ? alice : bob;
      for (int i = 0; i < 20; i++) {
        who.write(folder, "t" + t + "-" + i, utf8(t + ":" + i), WriteMode.CREATE);
      }
      return null;
    });
    List<Entry> all = alice.listAll(folder);
    assertThat(all).hasSize(160);
    for (Entry e : all) {
      String[] parts = e.name().substring(1).split("-");
      assertThat(alice.readAll(e, 100)).isEqualTo(utf8(parts[0] + ":" + parts[1]));
      assertThat(e.owner()).isEqualTo(Integer.parseInt(parts[0]) % 2 == 0 ? ALICE : BOB);
    }
  }

  // =================================================================== large files

  @Test
  void largeFilesAreStreamedInBothDirections() throws IOException {
    long size = fixture.largeFileBytes();
    Entry folder = alice.ensureFolder(alice.root(), "large");
    String expected = sha256(Content.generated(size, 42));
    Entry e = alice.write(folder, "big.bin", Content.generated(size, 42), WriteMode.CREATE);
    assertThat(e.size()).isEqualTo(size);
    assertThat(sha256(alice.read(e))).isEqualTo(expected);
    assertTooLarge(() -> alice.readAll(e, 1 << 20));
  }

  // =================================================================== faults

  @Test
  void operationsSucceedThroughInjectedFaultsWhenRetried() throws IOException {
    boolean conditional = alice.capabilities().conditionalCreate();
    List<Operation> after = new ArrayList<>(List.of(Operation.ENSURE_FOLDER, Operation.LIST, Operation.MOVE,
        Operation.DELETE, Operation.SHARE, Operation.STAT, Operation.FIND_FILES));
    if (conditional) {
      after.add(Operation.WRITE);
    }
    long seed = 20240405L;
    FaultyStorage faulty = FaultyStorage.builder(alice).seed(seed)
        .failBefore(0.3)
        .failAfter(0.3, after.toArray(Operation[]::new))
        .cutReads(0.5)
        .build();
    Storage s = new RetryingStorage(faulty, RetryPolicy.defaults().withMaxAttempts(20).withSleeper(Sleeper.none()));
    Entry root = s.root();
    Entry in = s.ensureFolder(root, "faulty-in");
    Entry out = s.ensureFolder(root, "faulty-out");
    s.share(in, BOB, Role.WRITER);
    Map<String, String> digests = new java.util.TreeMap<>();
    for (int i = 0; i < 30; i++) {
      String name = String.format("m%03d", i);
      byte[] data = utf8("message " + i + " " + "x".repeat(i * 37));
      s.write(in, name, data, i % 3 == 0 ? WriteMode.REPLACE : WriteMode.CREATE);
      digests.put(name, sha256(data));
    }
    List<Entry> listed = s.listAll(in);
    assertThat(names(listed)).containsExactlyElementsOf(digests.keySet());
    for (Entry e : listed) {
      assertThat(sha256(s.read(e))).as(e.name()).isEqualTo(digests.get(e.name()));
    }
    for (Entry e : listed.subList(0, 10)) {
      s.move(e, out);
    }
    assertThat(s.listAll(out)).hasSize(10);
    for (Entry e : s.listAll(out)) {
      s.delete(e);
    }
    assertThat(s.listAll(out)).isEmpty();
    assertThat(names(bob.listAll(in))).hasSize(20);
    assertThat(faulty.injectedCount()).as("faults injected (seed " + seed + ")").isGreaterThan(20);
    assertThat(faulty.injected()).anyMatch(l -> l.contains("CUT_READ")).anyMatch(l -> l.contains("AFTER"));
  }

  // =================================================================== optional capabilities

  @Test
  void aDeclaredWatcherReportsAnotherUsersWrite() throws Exception {
    java.util.Optional<Watcher> watcher = bob.capabilities().watcher();
    if (watcher.isEmpty()) {
      return; // nothing declared, nothing to check
    }
    Entry outbox = bob.ensureFolder(bob.root(), "watched");
    bob.share(outbox, ALICE, Role.WRITER);
    AtomicInteger calls = new AtomicInteger();
    AutoCloseable handle = watcher.get().watch(calls::incrementAndGet);
    try {
      int before = calls.get();
      alice.write(outbox, "event-1", utf8("e"), WriteMode.CREATE);
      await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() > before);
    } finally {
      handle.close();
    }
  }

  @Test
  void aDeclaredChangeFeedReportsTheChangedFolder() throws Exception {
    java.util.Optional<ChangeFeed> feed = bob.capabilities().changeFeed();
    if (feed.isEmpty()) {
      return;
    }
    Entry outbox = bob.ensureFolder(bob.root(), "fed");
    bob.share(outbox, ALICE, Role.WRITER);
    String cursor = feed.get().currentCursor();
    assertThat(feed.get().changesSince(cursor).changedParentIds()).doesNotContain(outbox.id());
    alice.write(outbox, "event-1", utf8("e"), WriteMode.CREATE);
    await().atMost(Duration.ofSeconds(30))
        .until(() -> feed.get().changesSince(cursor).changedParentIds().contains(outbox.id()));
    String next = feed.get().changesSince(cursor).nextCursor();
    assertThat(feed.get().changesSince(next).changedParentIds()).doesNotContain(outbox.id());
  }

  // =================================================================== helpers

  protected static List<String> names(List<Entry> entries) {
    return entries.stream().map(Entry::name).toList();
  }

  protected static void assertDenied(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).as("expected NOT_FOUND or FORBIDDEN").isInstanceOf(StorageException.class);
    assertThat(((StorageException) t).kind()).isIn(Kind.NOT_FOUND, Kind.FORBIDDEN);
  }

  protected static void assertInvalid(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(StorageException.class);
    assertThat(((StorageException) t).kind()).isEqualTo(Kind.INVALID);
  }

  protected static void assertTooLarge(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(StorageException.class);
    assertThat(((StorageException) t).kind()).isEqualTo(Kind.TOO_LARGE);
  }

  /** A task run on one of {@code n} threads; {@code i} is the thread's index. */
  @FunctionalInterface
  protected interface Task<T> {
    T run(int i) throws Exception;
  }

  /** Runs {@code n} tasks at once on virtual threads and returns their results in index order. */
  protected static <T> List<T> parallel(int n, Task<T> task) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Callable<T>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int idx = i;
        calls.add(() -> task.run(idx));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : pool.invokeAll(calls)) {
        out.add(f.get());
      }
      return out;
    }
  }

  /** A seeded random for subclasses' randomised tests (print the seed on failure). */
  protected static SplittableRandom random(long seed) {
    return new SplittableRandom(seed);
  }

  static InputStream bytes(byte[] b) {
    return new ByteArrayInputStream(b);
  }
}
