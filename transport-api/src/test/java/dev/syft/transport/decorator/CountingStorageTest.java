package dev.syft.transport.decorator;

import static dev.syft.transport.conformance.Content.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class CountingStorageTest {
  MemoryStore store = new MemoryStore();

  @Test
  void countsEveryCallByOperationAndTheBytesMoved() throws IOException {
    CountingStorage s = new CountingStorage(store.as("a@x.org"));
    Entry root = s.root();
    Entry f = s.ensureFolder(root, "f");
    for (int i = 0; i < 1_001; i++) {
      s.write(f, "n" + i, utf8("12345"), WriteMode.CREATE);
    }
    assertThat(s.listAll(f)).hasSize(1_001);
    Entry one = s.findFiles(f, "n7").get(0);
    assertThat(s.readAll(one, 100)).isEqualTo(utf8("12345"));
    s.share(f, "b@x.org", Role.READER);
    CallCounts c = s.snapshot();
    assertThat(c.get(Operation.ROOT)).isEqualTo(1);
    assertThat(c.get(Operation.ENSURE_FOLDER)).isEqualTo(1);
    assertThat(c.get(Operation.WRITE)).isEqualTo(1_001);
    assertThat(c.get(Operation.LIST)).as("listAll pages by 1,000").isEqualTo(2);
    assertThat(c.get(Operation.FIND_FILES)).isEqualTo(1);
    assertThat(c.get(Operation.READ)).isEqualTo(1);
    assertThat(c.get(Operation.SHARE)).isEqualTo(1);
    assertThat(c.total()).isEqualTo(1 + 1 + 1_001 + 2 + 1 + 1 + 1);
    assertThat(c.mutations()).isEqualTo(1 + 1 + 1_001 + 1);
    assertThat(c.bytesWritten()).isEqualTo(5L * 1_001);
    assertThat(c.bytesRead()).isEqualTo(5);
    assertThat(s.count(Operation.WRITE)).isEqualTo(1_001);
  }

  @Test
  void failedCallsCountTooAndResetStartsAgain() throws IOException {
    CountingStorage s = new CountingStorage(store.as("a@x.org"));
    Entry other = store.as("b@x.org").ensureFolder(store.as("b@x.org").root(), "private");
    assertThat(catchThrowable(() -> s.list(other, null, 10))).isInstanceOf(StorageException.class);
    CallCounts before = s.reset();
    assertThat(before.get(Operation.LIST)).isEqualTo(1);
    assertThat(s.total()).isZero();
    s.root();
    assertThat(s.snapshot().minus(before).get(Operation.LIST)).isEqualTo(-1);
    assertThat(s.snapshot().get(Operation.ROOT)).isEqualTo(1);
  }

  @Test
  void aSharedCounterCountsAWholeScenario() throws IOException {
    CallCounter shared = new CallCounter();
    CountingStorage a = new CountingStorage(store.as("a@x.org"), shared);
    CountingStorage b = new CountingStorage(store.as("b@x.org"), shared);
    a.root();
    b.root();
    b.findSharedWithMe("x");
    assertThat(shared.snapshot().get(Operation.ROOT)).isEqualTo(2);
    assertThat(a.snapshot().total()).isEqualTo(3);
  }

  @Test
  void changeFeedAndWatchCallsAreCounted() throws Exception {
    CountingStorage s = new CountingStorage(store.as("a@x.org"));
    String cursor = s.capabilities().changeFeed().orElseThrow().currentCursor();
    s.capabilities().changeFeed().orElseThrow().changesSince(cursor);
    s.capabilities().watcher().orElseThrow().watch(() -> { }).close();
    assertThat(s.count(Operation.FEED_CURSOR)).isEqualTo(1);
    assertThat(s.count(Operation.FEED_CHANGES)).isEqualTo(1);
    assertThat(s.count(Operation.WATCH)).isEqualTo(1);
  }
}
