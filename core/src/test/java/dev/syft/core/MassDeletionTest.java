package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.SyftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14 item 5: a datasite folder renamed away used to read as "25 files deleted" and emptied
 * every scientist's replica. A missing, moved or linked root now fails the round, and a round that
 * would delete most of a tree holds those deletions back until {@code sync(true)}
 * ({@code syft sync --allow-mass-delete}), on both the owner's and the scientist's side.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Transport.class, names = {"MEMORY", "LOCAL"})
class MassDeletionTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  static final int FILES = 25;

  @Parameter Transport transport;
  @TempDir Path tmp;
  Net net;
  Cluster c;

  @BeforeEach
  void setUp() {
    net = Net.create(transport, tmp);
    c = net.cluster;
    c.connect(DS, DO);
    Path site = c.datasite(DO);
    Cluster.grantRead(site, "public", "**", DS);
    for (int i = 0; i < FILES; i++) {
      Cluster.write(site, "public/data/f" + i + ".txt", "row " + i + "\n");
    }
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(publicFiles(c.replica(DS, DO))).hasSize(FILES);
  }

  @AfterEach
  void tearDown() {
    net.close();
  }

  static SortedMap<String, String> publicFiles(Path replica) {
    SortedMap<String, String> all = Trees.snapshot(replica);
    all.keySet().removeIf(p -> !p.startsWith("public/data/"));
    return all;
  }

  @Test
  void aDatasiteRenamedAwayFailsTheRoundAndNoReplicaLosesAFile() throws Exception {
    Path site = c.datasite(DO);
    Path away = site.resolveSibling("renamed-away");
    Files.move(site, away);
    assertThatThrownBy(() -> c.client(DO).sync()).isInstanceOf(SyftException.class)
        .hasMessageContaining("your datasite folder " + site).hasMessageContaining("does not exist")
        .hasMessageContaining("nothing was synced");
    assertThat(site).doesNotExist(); // not re-created either
    c.client(DS).sync();
    assertThat(publicFiles(c.replica(DS, DO))).hasSize(FILES);

    // a link to elsewhere and a plain file in its place are refused the same way
    Files.createSymbolicLink(site, away);
    assertThatThrownBy(() -> c.client(DO).sync()).isInstanceOf(SyftException.class)
        .hasMessageContaining("symbolic link");
    Files.delete(site);
    Files.writeString(site, "not a folder");
    assertThatThrownBy(() -> c.client(DO).sync()).isInstanceOf(SyftException.class)
        .hasMessageContaining("not a folder");
    Files.delete(site);

    Files.move(away, site);
    SyncReport back = c.client(DO).sync();
    assertThat(back.clean()).as(back.toString()).isTrue();
    assertThat(back.localChanges()).isZero();
    c.client(DS).sync();
    assertThat(publicFiles(c.replica(DS, DO))).hasSize(FILES);
  }

  @Test
  void anEmptiedDatasiteIsHeldBackUntilConfirmed() throws Exception {
    Path data = c.datasite(DO).resolve("public/data");
    try (var s = Files.list(data)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    SyncReport held = c.client(DO).sync();
    assertThat(held.clean()).isFalse();
    assertThat(held.heldDeletions()).containsExactly(Map.entry(DO, FILES));
    assertThat(held.peerErrors().get(DO)).contains(FILES + " deletions held back")
        .contains("run syft sync --allow-mass-delete to confirm");
    assertThat(c.client(DO).status().heldDeletions()).singleElement()
        .satisfies(h -> assertThat(h.count()).isEqualTo(FILES));
    // held back again next round (the daemon never confirms), and nothing reached the scientist
    assertThat(c.client(DO).sync().heldDeletions()).containsEntry(DO, FILES);
    c.client(DS).sync();
    assertThat(publicFiles(c.replica(DS, DO))).hasSize(FILES);

    SyncReport confirmed = c.client(DO).sync(true);
    assertThat(confirmed.heldDeletions()).isEmpty();
    assertThat(confirmed.localChanges()).isEqualTo(FILES);
    assertThat(c.client(DO).status().heldDeletions()).isEmpty();
    c.client(DS).sync();
    assertThat(publicFiles(c.replica(DS, DO))).isEmpty();
  }

  @Test
  void ordinaryDeletionsAndRestoredFilesAreNotHeld() throws Exception {
    Path data = c.datasite(DO).resolve("public/data");
    Path stash = tmp.resolve("stash");
    Files.createDirectories(stash);
    for (int i = 0; i < FILES; i++) {
      Files.move(data.resolve("f" + i + ".txt"), stash.resolve("f" + i + ".txt"));
    }
    assertThat(c.client(DO).sync().heldDeletions()).containsKey(DO);
    // the user puts the files back: nothing to confirm, nothing was lost, the warning goes away
    for (int i = 0; i < FILES; i++) {
      Files.move(stash.resolve("f" + i + ".txt"), data.resolve("f" + i + ".txt"));
    }
    SyncReport r = c.client(DO).sync();
    assertThat(r.clean()).as(r.toString()).isTrue();
    assertThat(c.client(DO).status().heldDeletions()).isEmpty();
    // a few deletions are an ordinary edit
    for (int i = 0; i < 3; i++) {
      Files.delete(data.resolve("f" + i + ".txt"));
    }
    SyncReport few = c.client(DO).sync();
    assertThat(few.heldDeletions()).isEmpty();
    assertThat(few.localChanges()).isEqualTo(3);
    c.client(DS).sync();
    assertThat(publicFiles(c.replica(DS, DO))).hasSize(FILES - 3);
  }

  @Test
  void theGuardReadsItsThresholdsFromTheConfig() {
    c.configure(DO, cfg -> cfg.withMassDelete(2, 0.1));
    assertThat(Config.read(c.homeDir(DO).resolve(Config.FILE_NAME)).massDeleteMinFiles()).isEqualTo(2);
    Path data = c.datasite(DO).resolve("public/data");
    for (int i = 0; i < 4; i++) {
      try {
        Files.delete(data.resolve("f" + i + ".txt"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    assertThat(c.client(DO).sync().heldDeletions()).containsEntry(DO, 4);
  }

  @Test
  void aScientistsRenamedOrEmptiedReplicaProposesNoDeletions() throws Exception {
    // the scientist may write its job inbox at the owner; 12 files of its own there
    Path replica = c.replica(DS, DO);
    String inbox = "app_data/job/inbox/" + DS + "/batch/";
    for (int i = 0; i < 12; i++) {
      Cluster.write(replica, inbox + "f" + i + ".txt", "x" + i);
    }
    assertThat(c.client(DS).sync().proposed()).isEqualTo(12);
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    c.client(DS).sync();

    Path away = replica.resolveSibling("replica-away");
    Files.move(replica, away);
    SyncReport missing = c.client(DS).sync();
    assertThat(missing.proposed()).isZero();
    assertThat(missing.peerErrors().get(DO)).contains("your replica of " + DO).contains("does not exist");
    assertThat(replica).doesNotExist();

    // an empty folder in its place: every tracked file looks deleted, which is held back
    Files.createDirectories(replica);
    SyncReport held = c.client(DS).sync();
    assertThat(held.proposed()).isZero();
    assertThat(held.heldDeletions()).containsKey(DO);
    assertThat(held.peerErrors().get(DO)).contains("deletions held back in your replica of " + DO);
    assertThat(c.client(DS).status().heldDeletions()).singleElement()
        .satisfies(h -> assertThat(h.datasite()).isEqualTo(DO));
    c.client(DO).sync();
    assertThat(c.datasite(DO).resolve(inbox + "f0.txt")).exists();
    assertThat(c.datasite(DO).resolve("public/data/f0.txt")).exists();

    // the real replica comes back: nothing was proposed, nothing is held
    Files.delete(replica);
    Files.move(away, replica);
    SyncReport back = c.client(DS).sync();
    assertThat(back.clean()).as(back.toString()).isTrue();
    assertThat(back.proposed()).isZero();

    // the scientist really deletes its 12 job files: confirmed, proposed and applied by the owner
    for (int i = 0; i < 12; i++) {
      Files.delete(replica.resolve(inbox + "f" + i + ".txt"));
    }
    c.configure(DS, cfg -> cfg.withMassDelete(5, 0.2));
    assertThat(c.client(DS).sync().heldDeletions()).containsEntry(DO, 12);
    assertThat(c.client(DS).sync(true).proposed()).isEqualTo(12);
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(inbox + "f0.txt")).doesNotExist();
  }
}
