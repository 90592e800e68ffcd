package dev.syft.transport.decorator;

import static dev.syft.transport.conformance.Content.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.transport.conformance.Content;
import dev.syft.transport.conformance.SettableClock;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FaultyStorageTest {
  final SettableClock clock = new SettableClock(Instant.parse("2024-04-05T19:40:00Z"));
  final MemoryStore store = MemoryStore.builder().clock(clock).build();
  final Storage plain = store.as("a@x.org");

  @Test
  void aScriptedFailureBeforeTheCallLeavesNothingBehind() throws IOException {
    FaultyStorage s = FaultyStorage.builder(plain).script(Operation.WRITE, 2, FaultyStorage.Fault.BEFORE).build();
    Entry f = s.ensureFolder(s.root(), "f");
    s.write(f, "one", utf8("1"), WriteMode.CREATE);
    Throwable t = catchThrowable(() -> s.write(f, "two", utf8("2"), WriteMode.CREATE));
    assertThat(t).isInstanceOf(StorageException.class).hasMessageContaining("WRITE #2 before");
    assertThat(((StorageException) t).isTransient()).isTrue();
    s.write(f, "three", utf8("3"), WriteMode.CREATE);
    assertThat(plain.listAll(f)).extracting(Entry::name).containsExactly("one", "three");
    assertThat(s.injected()).singleElement().asString().startsWith("1 WRITE#2 BEFORE two");
  }

  @Test
  void aScriptedFailureAfterTheCallReportsAnErrorForAWriteThatHappened() throws IOException {
    FaultyStorage s = FaultyStorage.builder(plain).script(Operation.WRITE, 1, FaultyStorage.Fault.AFTER).build();
    Entry f = s.ensureFolder(s.root(), "f");
    assertThat(catchThrowable(() -> s.write(f, "msg", utf8("m"), WriteMode.CREATE))).isInstanceOf(StorageException.class);
    assertThat(plain.findFiles(f, "msg")).hasSize(1);
  }

  @Test
  void aCutDownloadFailsPartWay() throws IOException {
    FaultyStorage s = FaultyStorage.builder(plain).script(Operation.READ, 1, FaultyStorage.Fault.CUT_READ).build();
    Entry f = s.ensureFolder(s.root(), "f");
    Entry e = s.write(f, "big", Content.filled(10_000, 'q'), WriteMode.CREATE);
    byte[] buf = new byte[20_000];
    int got = 0;
    Throwable t = null;
    try (InputStream in = s.read(e)) {
      for (int n; (n = in.read(buf, got, buf.length - got)) >= 0; ) {
        got += n;
      }
    } catch (StorageException x) {
      t = x;
    }
    assertThat(t).isNotNull();
    assertThat(got).isLessThan(10_000);
    assertThat(s.readAll(e, 20_000)).hasSize(10_000);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aDuplicatedCreateLeavesTwoFilesOnlyWhereNamesAreNotUnique(boolean conditional) throws IOException {
    Storage base = MemoryStore.builder().conditionalCreate(conditional).build().as("a@x.org");
    FaultyStorage s = FaultyStorage.builder(base).script(Operation.WRITE, 1, FaultyStorage.Fault.DUPLICATE_CREATE).build();
    Entry f = s.ensureFolder(s.root(), "f");
    Entry e = s.write(f, "msg", utf8("m"), WriteMode.CREATE);
    assertThat(base.findFiles(f, "msg")).hasSize(conditional ? 1 : 2).extracting(Entry::id).contains(e.id());
    assertThat(s.injected()).anyMatch(l -> l.contains("DUPLICATE_CREATE"));
  }

  @Test
  void latencyGoesThroughTheInjectedSleeper() throws IOException {
    List<Duration> slept = new ArrayList<>();
    FaultyStorage s = FaultyStorage.builder(plain).latency(Duration.ofMillis(250), Operation.LIST, Operation.ROOT)
        .sleeper(slept::add).build();
    Entry root = s.root();
    s.listAll(root);
    s.findSharedWithMe("x");
    assertThat(slept).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250));
  }

  @Test
  void newFilesAppearInListingsOnlyAfterTheLag() throws IOException {
    Entry f = plain.ensureFolder(plain.root(), "outbox");
    Entry old = plain.write(f, "old", utf8("o"), WriteMode.CREATE);
    clock.advance(Duration.ofMinutes(10));
    FaultyStorage s = FaultyStorage.builder(plain).listingLag(Duration.ofSeconds(30), clock).build();
    assertThat(s.listAll(f)).extracting(Entry::name).containsExactly("old");
    Entry fresh = plain.write(f, "fresh", utf8("f"), WriteMode.CREATE);
    assertThat(s.listAll(f)).extracting(Entry::name).containsExactly("old");
    assertThat(s.findFiles(f, "fresh")).isEmpty();
    assertThat(s.stat(fresh.id())).as("reads by id still work").isPresent();
    clock.advance(Duration.ofSeconds(29));
    assertThat(s.listAll(f)).extracting(Entry::name).containsExactly("old");
    clock.advance(Duration.ofSeconds(1));
    assertThat(s.listAll(f)).extracting(Entry::name).containsExactly("fresh", "old");
    // replacing a file already seen does not hide it
    plain.write(f, "old", utf8("o2"), WriteMode.REPLACE);
    assertThat(s.listAll(f)).extracting(Entry::id).contains(old.id());
  }

  @Test
  void randomFaultsAreReproducibleFromTheSeed() throws IOException {
    long seed = 77;
    List<String> first = runRandom(seed);
    List<String> second = runRandom(seed);
    assertThat(first).as("seed " + seed).isNotEmpty().isEqualTo(second);
    assertThat(runRandom(seed + 1)).isNotEqualTo(first);
  }

  private List<String> runRandom(long seed) throws IOException {
    Storage base = new MemoryStore().as("a@x.org");
    FaultyStorage s = FaultyStorage.builder(base).seed(seed).failBefore(0.3, Operation.LIST, Operation.STAT).build();
    Entry root = base.root();
    for (int i = 0; i < 50; i++) {
      try {
        s.list(root, null, 10);
        s.stat(root.id());
      } catch (StorageException e) {
        assertThat(e.isTransient()).isTrue();
      }
    }
    // subjects hold random ids; the pattern of failed calls is what the seed fixes
    return s.injected().stream().map(l -> l.split(" ")[1]).toList();
  }
}
