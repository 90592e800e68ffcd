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

  static final String BOB_OUTBOX = "syft_datasite#0.1.117#" + ME + "#outbox#bob@example.com";

  @Test
  void aFolderPlacedOnSomeMembersIsCreatedWrittenAndListedOnlyThere() throws IOException {
    Storage rawA = a.as(ME);
    Storage rawB = b.as(ME);
    // a copy left on A from before the choice: not seen through the router any more
    Entry stale = rawA.ensureFolder(rawA.root(), BOB_OUTBOX);
    rawA.write(stale, "old", utf8("old"), WriteMode.CREATE);
    RoutingStorage.Placement bobOnB = name -> name.endsWith("#bob@example.com") ? java.util.Optional.of(java.util.Set.of("mem:b"))
        : java.util.Optional.empty();
    RoutingStorage r = new RoutingStorage(List.of(new Member("mem:a", rawA), new Member("mem:b", rawB)), Writes.ALL,
        Clock.systemUTC(), bobOnB);

    Entry box = r.ensureFolder(r.root(), BOB_OUTBOX);
    r.write(box, "m1", utf8("one"), WriteMode.CREATE);
    Entry other = r.ensureFolder(r.root(), "datasets");
    r.write(other, "d", utf8("d"), WriteMode.CREATE);

    assertThat(names(rawB, rawB.findFolders(rawB.root(), BOB_OUTBOX).get(0))).containsExactly("m1");
    assertThat(names(rawA, stale)).containsExactly("old"); // nothing new on A
    assertThat(names(r, box)).containsExactly("m1");
    assertThat(r.findFolders(r.root(), BOB_OUTBOX)).hasSize(1);
    assertThat(names(r, r.findFolders(r.root(), BOB_OUTBOX).get(0))).containsExactly("m1");
    assertThat(r.findFoldersContaining(r.root(), "#bob@example.com")).hasSize(1);
    assertThat(names(r, r.root())).containsExactly("datasets", BOB_OUTBOX);
    // other folders stay mirrored on every member
    assertThat(names(rawA, rawA.findFolders(rawA.root(), "datasets").get(0))).containsExactly("d");
    assertThat(names(rawB, rawB.findFolders(rawB.root(), "datasets").get(0))).containsExactly("d");

    // bob (reading over both members, no placement) finds the folder alice shared on B only
    r.share(box, "bob@example.com", dev.syft.transport.Role.READER);
    rawA.share(stale, "bob@example.com", dev.syft.transport.Role.READER);
    RoutingStorage bob = new RoutingStorage(List.of(new Member("mem:a", a.as("bob@example.com")),
        new Member("mem:b", b.as("bob@example.com"))), Writes.ALL, Clock.systemUTC(), bobOnAliceOnB());
    List<Entry> shared = bob.findSharedWithMe("#outbox#bob@example.com");
    assertThat(shared).hasSize(1);
    assertThat(names(bob, shared.get(0))).containsExactly("m1");
  }

  /** bob's side: the folders of his traffic with alice live on mem:b. */
  static RoutingStorage.Placement bobOnAliceOnB() {
    return name -> dev.syft.transport.layout.FolderNames.peerOfFolder("bob@example.com", name)
        .filter(ME::equals).map(p -> java.util.Set.of("mem:b"));
  }

  @Test
  void aFolderWhoseChosenMembersAreNotOpenFailsAsTransientAndNeverGoesElsewhere() throws IOException {
    RoutingStorage r = new RoutingStorage(List.of(new Member("mem:a", a.as(ME))), Writes.ALL, Clock.systemUTC(),
        name -> name.equals(BOB_OUTBOX) ? java.util.Optional.of(java.util.Set.of("mem:b")) : java.util.Optional.empty());
    Assertions.assertThatThrownBy(() -> r.ensureFolder(r.root(), BOB_OUTBOX))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isTrue())
        .hasMessageContaining("none of the transports chosen").hasMessageContaining("mem:b");
    assertThat(a.as(ME).findFolders(a.as(ME).root(), BOB_OUTBOX)).isEmpty();
    assertThat(r.ensureFolder(r.root(), "datasets").name()).isEqualTo("datasets");
  }

  @Test
  void membersMustShareOneIdentity() {
    Assertions.assertThatThrownBy(() -> new RoutingStorage(List.of(new Member("a", a.as(ME)),
        new Member("b", b.as("bob@example.com"))))).hasMessageContaining("different e-mails");
  }
}
