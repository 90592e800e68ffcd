package dev.syft.transport.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.transport.decorator.FaultyStorage;
import dev.syft.transport.decorator.Operation;
import dev.syft.transport.memory.MemoryStore;
import dev.syft.transport.router.RoutingStorage.Member;
import dev.syft.transport.router.RoutingStorage.Writes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Where the router writes, what it reads, and how it reports a member that went away. */
class RoutingStorageTest {
  static final String ME = "alice@example.com";
  final MemoryStore a = new MemoryStore();
  final MemoryStore b = new MemoryStore();
  final AtomicBoolean aDown = new AtomicBoolean();

  RoutingStorage router(Writes writes, FaultyStorage.Builder faultsOnA) throws IOException {
    return new RoutingStorage(List.of(new Member("mem:a", faultsOnA.outage(aDown::get).build()),
        new Member("mem:b", b.as(ME))), writes, Clock.systemUTC());
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> names(Storage s, Entry folder) throws IOException {
    return s.listAll(folder).stream().map(Entry::name).toList();
  }

  @Test
  void createsGoToThePreferredMemberAndFailOverWhileItIsDown() throws IOException {
    RoutingStorage r = router(Writes.FIRST_WORKING, FaultyStorage.builder(a.as(ME)));
    Entry box = r.ensureFolder(r.root(), "outbox");
    r.write(box, "m1", utf8("one"), WriteMode.CREATE);
    Storage rawA = a.as(ME);
    Storage rawB = b.as(ME);
    Entry boxA = rawA.findFolders(rawA.root(), "outbox").get(0);
    Entry boxB = rawB.findFolders(rawB.root(), "outbox").get(0); // folders are mirrored
    assertThat(names(rawA, boxA)).containsExactly("m1");
    assertThat(names(rawB, boxB)).isEmpty();

    aDown.set(true);
    r.write(box, "m2", utf8("two"), WriteMode.CREATE);
    assertThat(names(rawB, boxB)).containsExactly("m2");
    assertThat(names(r, box)).containsExactly("m2"); // A is down: the union is what B has
    assertThat(r.health().get(0).works()).isFalse();
    assertThat(r.health().get(0).error()).contains("OUTAGE".toLowerCase());
    assertThat(r.health().get(1).works()).isTrue();

    aDown.set(false);
    List<Entry> both = r.listAll(box);
    assertThat(both).extracting(Entry::name).containsExactly("m1", "m2");
    assertThat(r.readAll(both.get(0), 10)).isEqualTo(utf8("one"));
    assertThat(r.health().get(0).works()).isTrue();
  }

  @Test
  void aCreateRetriedAfterAFaultThatHidItsSuccessIsListedOnce() throws IOException {
    // the first write to A succeeds but reports a fault: the router moves on to B
    RoutingStorage r = router(Writes.FIRST_WORKING,
        FaultyStorage.builder(a.as(ME)).script(Operation.WRITE, 1, FaultyStorage.Fault.AFTER));
    Entry box = r.ensureFolder(r.root(), "outbox");
    r.write(box, "m1", utf8("one"), WriteMode.CREATE);
    assertThat(names(a.as(ME), a.as(ME).findFolders(a.as(ME).root(), "outbox").get(0))).containsExactly("m1");
    assertThat(names(b.as(ME), b.as(ME).findFolders(b.as(ME).root(), "outbox").get(0))).containsExactly("m1");
    assertThat(names(r, box)).containsExactly("m1");
    aDown.set(true); // either copy serves a read
    assertThat(r.readAll(r.listAll(box).get(0), 10)).isEqualTo(utf8("one"));
  }

  @Test
  void writesToAllSurviveTheLossOfAMemberAndReplaceReadsTheNewestCopy() throws IOException {
    RoutingStorage r = router(Writes.ALL, FaultyStorage.builder(a.as(ME)));
    Entry box = r.ensureFolder(r.root(), "outbox");
    r.write(box, "m1", utf8("one"), WriteMode.CREATE);
    r.write(box, "version.json", utf8("v1"), WriteMode.REPLACE);
    aDown.set(true);
    assertThat(names(r, box)).containsExactly("m1", "version.json");
    r.write(box, "version.json", utf8("v2"), WriteMode.REPLACE); // A misses it
    aDown.set(false);
    Entry v = r.findFiles(box, "version.json").get(0);
    assertThat(r.readAll(v, 10)).isEqualTo(utf8("v2"));
  }

  @Test
  void whenEveryMemberIsDownTheFirstErrorIsThrownAndNonTransientErrorsAreNotFailedOver() throws IOException {
    RoutingStorage r = router(Writes.FIRST_WORKING, FaultyStorage.builder(a.as(ME)));
    Entry box = r.ensureFolder(r.root(), "outbox");
    Assertions.assertThatThrownBy(() -> r.write(box, "bad/name", utf8("x"), WriteMode.CREATE))
        .isInstanceOf(StorageException.class)
        .extracting(e -> ((StorageException) e).kind()).isEqualTo(StorageException.Kind.INVALID);
    assertThat(names(b.as(ME), b.as(ME).findFolders(b.as(ME).root(), "outbox").get(0))).isEmpty();
    RoutingStorage alone = new RoutingStorage(List.of(new Member("mem:a",
        FaultyStorage.builder(a.as(ME)).outage(() -> true).build())));
    Assertions.assertThatThrownBy(alone::root).isInstanceOf(StorageException.class)
        .extracting(e -> ((StorageException) e).isTransient()).isEqualTo(true);
  }

  @Test
  void membersMustShareOneIdentity() {
    Assertions.assertThatThrownBy(() -> new RoutingStorage(List.of(new Member("a", a.as(ME)),
        new Member("b", b.as("bob@example.com"))))).hasMessageContaining("different e-mails");
  }
}
