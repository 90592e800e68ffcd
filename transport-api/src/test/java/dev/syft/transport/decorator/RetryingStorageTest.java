package dev.syft.transport.decorator;

import static dev.syft.transport.conformance.Content.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.transport.conformance.Content;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RetryingStorageTest {
  final List<Duration> slept = new ArrayList<>();
  final RetryPolicy policy = RetryPolicy.defaults().withSleeper(slept::add);

  @Test
  void theDefaultPolicyIsTheReferences() {
    RetryPolicy p = RetryPolicy.defaults();
    assertThat(p.maxAttempts()).isEqualTo(4);
    assertThat(p.baseDelay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.baseDelay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.baseDelay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(p.baseDelay(5)).isEqualTo(Duration.ofSeconds(8));
    assertThat(p.delay(1, 0.0)).isEqualTo(Duration.ofMillis(800));
    assertThat(p.delay(1, 0.999999)).isEqualTo(Duration.ofMillis(1200));
  }

  @Test
  void transientFailuresAreRetriedWithGrowingWaitsThenGivenUp() throws IOException {
    Storage base = new MemoryStore().as("a@x.org");
    FaultyStorage faulty = FaultyStorage.builder(base).failBefore(1.0, Operation.LIST).build();
    CountingStorage counting = new CountingStorage(faulty);
    Storage s = new RetryingStorage(counting, policy);
    Entry root = s.root();
    Throwable t = catchThrowable(() -> s.list(root, null, 10));
    assertThat(t).isInstanceOf(StorageException.class);
    assertThat(((StorageException) t).isTransient()).isTrue();
    assertThat(counting.count(Operation.LIST)).isEqualTo(4);
    assertThat(slept).hasSize(3);
    assertThat(slept.get(0).toMillis()).isBetween(800L, 1200L);
    assertThat(slept.get(1).toMillis()).isBetween(1600L, 2400L);
    assertThat(slept.get(2).toMillis()).isBetween(3200L, 4800L);
  }

  @Test
  void otherFailuresAreNotRetried() throws IOException {
    MemoryStore store = new MemoryStore();
    Storage bob = store.as("b@x.org");
    Entry secret = bob.ensureFolder(bob.root(), "secret");
    CountingStorage counting = new CountingStorage(store.as("a@x.org"));
    Storage s = new RetryingStorage(counting, policy);
    Throwable t = catchThrowable(() -> s.list(secret, null, 10));
    assertThat(((StorageException) t).kind()).isEqualTo(StorageException.Kind.NOT_FOUND);
    assertThat(counting.count(Operation.LIST)).isEqualTo(1);
    assertThat(slept).isEmpty();
  }

  @Test
  void aCreateThatSucceededBeforeATransientFailureIsNotReportedAsAConflict() throws IOException {
    Storage base = MemoryStore.builder().conditionalCreate(true).build().as("a@x.org");
    FaultyStorage faulty = FaultyStorage.builder(base).script(Operation.WRITE, 1, FaultyStorage.Fault.AFTER).build();
    Storage s = new RetryingStorage(faulty, policy);
    Entry f = s.ensureFolder(s.root(), "inbox");
    Entry e = s.write(f, "msgv2_1.0_u.tar.gz", utf8("mine"), WriteMode.CREATE);
    assertThat(base.findFiles(f, "msgv2_1.0_u.tar.gz")).singleElement().extracting(Entry::id).isEqualTo(e.id());
    // somebody else's file of that name is still a conflict
    FaultyStorage again = FaultyStorage.builder(base).script(Operation.WRITE, 1, FaultyStorage.Fault.BEFORE).build();
    Storage s2 = new RetryingStorage(again, policy);
    Throwable t = catchThrowable(() -> s2.write(f, "msgv2_1.0_u.tar.gz", utf8("different"), WriteMode.CREATE));
    assertThat(((StorageException) t).kind()).isEqualTo(StorageException.Kind.ALREADY_EXISTS);
  }

  @Test
  void cutDownloadsAreResumedFromWhereTheyStopped() throws IOException {
    Storage base = new MemoryStore().as("a@x.org");
    FaultyStorage faulty = FaultyStorage.builder(base)
        .script(Operation.READ, 1, FaultyStorage.Fault.CUT_READ)
        .script(Operation.READ, 2, FaultyStorage.Fault.CUT_READ)
        .script(Operation.READ, 3, FaultyStorage.Fault.CUT_READ)
        .build();
    Storage s = new RetryingStorage(faulty, policy.withMaxAttempts(50));
    Entry f = s.ensureFolder(s.root(), "f");
    Entry e = base.write(f, "data", Content.generated(300_000, 5), WriteMode.CREATE);
    assertThat(Content.sha256(s.read(e))).isEqualTo(Content.sha256(Content.generated(300_000, 5)));
    assertThat(faulty.injected()).hasSize(3).allMatch(l -> l.contains("CUT_READ"));
    assertThat(faulty.calls(Operation.READ)).isEqualTo(4);
  }

  @Test
  void aFileReplacedDuringAResumedDownloadFailsInsteadOfMixingVersions() throws IOException {
    Storage base = new MemoryStore().as("a@x.org");
    FaultyStorage faulty = FaultyStorage.builder(base).script(Operation.READ, 1, FaultyStorage.Fault.CUT_READ).build();
    Storage s = new RetryingStorage(faulty, policy);
    Entry f = base.ensureFolder(base.root(), "f");
    Entry e = base.write(f, "state", Content.filled(50_000, 'a'), WriteMode.REPLACE);
    Throwable t;
    try (InputStream in = s.read(e)) {
      base.write(f, "state", Content.filled(40_000, 'b'), WriteMode.REPLACE);
      t = catchThrowable(in::readAllBytes);
    }
    assertThat(t).isInstanceOf(StorageException.class).hasMessageContaining("changed while being read");
  }

  @Test
  void largeWritesAreSpooledToDiskAndRetried() throws IOException {
    long size = RetryingStorage.MEMORY_SPOOL_BYTES + 123_456L;
    Storage base = new MemoryStore().as("a@x.org");
    FaultyStorage faulty = FaultyStorage.builder(base).script(Operation.WRITE, 1, FaultyStorage.Fault.BEFORE).build();
    Storage s = new RetryingStorage(faulty, policy);
    Entry f = s.ensureFolder(s.root(), "f");
    long spoolsBefore = spools();
    Entry e = s.write(f, "big", Content.generated(size, 9), WriteMode.CREATE);
    assertThat(e.size()).isEqualTo(size);
    assertThat(Content.sha256(base.read(e))).isEqualTo(Content.sha256(Content.generated(size, 9)));
    assertThat(faulty.calls(Operation.WRITE)).isEqualTo(2);
    assertThat(spools()).as("temporary spool files are removed").isEqualTo(spoolsBefore);
  }

  private static long spools() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("syft-retry-")).count();
    }
  }

  @Test
  void aMoveThatHappenedBeforeATransientFailureIsFoundInTheTarget() throws IOException {
    Storage base = new MemoryStore().as("a@x.org");
    Entry from = base.ensureFolder(base.root(), "inbox");
    Entry to = base.ensureFolder(base.root(), "archive");
    Entry msg = base.write(from, "msgv2_1.0_u.tar.gz", utf8("p"), WriteMode.CREATE);
    // a store with path ids: after the move, the old id is gone (simulated by deleting on retry)
    Storage pathIds = new ForwardingStorage(base) {
      int calls;

      @Override
      public Entry move(Entry item, Entry newParent) throws IOException {
        if (++calls == 1) {
          delegate.move(item, newParent);
          throw new StorageException(StorageException.Kind.TRANSIENT, "connection reset after the move");
        }
        throw new StorageException(StorageException.Kind.NOT_FOUND, "no item " + item.id());
      }
    };
    Entry moved = new RetryingStorage(pathIds, policy).move(msg, to);
    assertThat(moved.name()).isEqualTo(msg.name());
    assertThat(moved.parentId()).isEqualTo(to.id());
  }
}
