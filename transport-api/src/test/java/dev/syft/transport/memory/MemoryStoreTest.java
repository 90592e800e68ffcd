package dev.syft.transport.memory;

import static dev.syft.transport.conformance.Content.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.syft.transport.ChangeFeed;
import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.transport.conformance.SettableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Behaviour of the in-memory store beyond the conformance suite (Drive specifics). */
class MemoryStoreTest {
  final SettableClock clock = new SettableClock(Instant.parse("2024-04-05T19:40:00Z"));
  final MemoryStore store = MemoryStore.builder().clock(clock).build();
  final MemoryStorage alice = store.as("Alice@Example.com");

  @Test
  void sameNamedFilesListOldestFirstAndReplaceHitsTheOldest() throws IOException {
    Entry f = alice.ensureFolder(alice.root(), "f");
    Entry first = alice.write(f, "m", utf8("1"), WriteMode.CREATE);
    Entry second = alice.write(f, "m", utf8("2"), WriteMode.CREATE);
    assertThat(alice.listAll(f)).extracting(Entry::id).containsExactly(first.id(), second.id());
    assertThat(alice.findFiles(f, "m")).extracting(Entry::id).containsExactly(first.id(), second.id());
    Entry replaced = alice.write(f, "m", utf8("3"), WriteMode.REPLACE);
    assertThat(replaced.id()).isEqualTo(first.id());
    assertThat(alice.readAll(second, 10)).isEqualTo(utf8("2"));
  }

  @Test
  void modificationTimesComeFromTheInjectedClock() throws IOException {
    Entry f = alice.ensureFolder(alice.root(), "f");
    Entry e = alice.write(f, "m", utf8("1"), WriteMode.CREATE);
    assertThat(e.modified()).isEqualTo(Instant.parse("2024-04-05T19:40:00Z"));
    clock.advance(Duration.ofSeconds(5));
    assertThat(alice.write(f, "m", utf8("2"), WriteMode.REPLACE).modified()).isEqualTo(Instant.parse("2024-04-05T19:40:05Z"));
    assertThat(alice.identity()).isEqualTo("alice@example.com");
  }

  @Test
  void aFolderCannotBeMovedIntoItselfAndBadTokensAreRefused() throws IOException {
    Entry a = alice.ensureFolder(alice.root(), "a");
    Entry b = alice.ensureFolder(a, "b");
    Throwable t = catchThrowable(() -> alice.move(a, b));
    assertThat(((StorageException) t).kind()).isEqualTo(StorageException.Kind.INVALID);
    Throwable bad = catchThrowable(() -> alice.list(a, "garbage", 10));
    assertThat(((StorageException) bad).kind()).isEqualTo(StorageException.Kind.INVALID);
    assertThat(((StorageException) catchThrowable(() -> alice.list(a, null, 0))).kind())
        .isEqualTo(StorageException.Kind.INVALID);
  }

  @Test
  void watchCallbacksStopWhenClosedAndOnlyConcernVisibleFolders() throws Exception {
    MemoryStorage bob = store.as("bob@example.com");
    Entry shared = alice.ensureFolder(alice.root(), "shared");
    Entry secret = alice.ensureFolder(alice.root(), "secret");
    alice.share(shared, "bob@example.com", Role.READER);
    AtomicInteger calls = new AtomicInteger();
    AutoCloseable handle = bob.capabilities().watcher().orElseThrow().watch(calls::incrementAndGet);
    alice.write(secret, "x", utf8("x"), WriteMode.CREATE);
    assertThat(calls.get()).isZero();
    alice.write(shared, "y", utf8("y"), WriteMode.CREATE);
    assertThat(calls.get()).isEqualTo(1);
    handle.close();
    alice.write(shared, "z", utf8("z"), WriteMode.CREATE);
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void theChangeFeedReportsVisibleParentsAndDeletedOnes() throws IOException {
    MemoryStorage bob = store.as("bob@example.com");
    ChangeFeed feed = bob.capabilities().changeFeed().orElseThrow();
    Entry shared = alice.ensureFolder(alice.root(), "shared");
    Entry secret = alice.ensureFolder(alice.root(), "secret");
    alice.share(shared, "bob@example.com", Role.WRITER);
    String cursor = feed.currentCursor();
    alice.write(secret, "x", utf8("x"), WriteMode.CREATE);
    alice.write(shared, "y", utf8("y"), WriteMode.CREATE);
    assertThat(feed.changesSince(cursor).changedParentIds()).containsExactly(shared.id());
    String next = feed.changesSince(cursor).nextCursor();
    alice.delete(shared);
    assertThat(feed.changesSince(next).changedParentIds()).containsExactly(shared.id());
    assertThat(((StorageException) catchThrowable(() -> feed.changesSince("x"))).kind())
        .isEqualTo(StorageException.Kind.INVALID);
  }

  @Test
  void deletingTheTopFolderStartsAFreshOne() throws IOException {
    Entry root = alice.root();
    alice.ensureFolder(root, "a");
    alice.delete(root);
    Entry fresh = alice.root();
    assertThat(fresh.id()).isNotEqualTo(root.id());
    assertThat(alice.listAll(fresh)).isEmpty();
    assertThat(store.itemCount()).isEqualTo(1);
  }
}
