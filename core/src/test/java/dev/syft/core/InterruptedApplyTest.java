package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The narrowest crash windows, reproduced exactly: a process that stopped after writing some files
 * of a message but before committing its database transaction. The restarted client must neither
 * propose the owner's files back as its own edits nor apply anything twice.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Transport.class, names = {"MEMORY", "LOCAL"})
class InterruptedApplyTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;

  @Parameter Transport transport;
  @TempDir Path tmp;
  Net net;
  Cluster c;

  @BeforeEach
  void setUp() {
    net = Net.create(transport, tmp);
    c = net.cluster;
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    c.client(DO).sync();
    c.client(DS).sync();
  }

  @AfterEach
  void tearDown() {
    net.close();
  }

  /**
   * Runs {@code round} on {@code who}, then restores {@code who}'s state database from before it:
   * the files it wrote stay, as after a crash before its commit (the owner keeps no other record).
   */
  void crashAfterFilesBeforeCommit(String who, Runnable round) {
    Path db = c.homeDir(who).resolve(".syft/state.db");
    Path saved = tmp.resolve("saved-" + who + ".db");
    c.close(who); // closing checkpoints the WAL into the main file
    try {
      Files.copy(db, saved, StandardCopyOption.REPLACE_EXISTING);
      round.run();
      c.close(who);
      Files.deleteIfExists(db.resolveSibling("state.db-wal"));
      Files.deleteIfExists(db.resolveSibling("state.db-shm"));
      Files.copy(saved, db, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The scientist's apply stops after the first file of a message: the second file's folder is a
   * symbolic link in the replica, which the replica refuses to write through. That leaves exactly
   * what a crash between the file writes and the commit leaves (the first file new on disk, the
   * index and cursor old), without killing anything.
   */
  @Test
  void aScientistInterruptedWhileApplyingNeitherProposesTheFilesBackNorLosesThem() throws Exception {
    Cluster.write(c.datasite(DO), "public/report.txt", "v1");
    c.client(DO).sync();
    c.client(DS).sync();
    Cluster.write(c.datasite(DO), "public/report.txt", "v2");
    Cluster.write(c.datasite(DO), "public/sub/new.txt", "new");
    c.client(DO).sync(); // one message: report.txt first, then sub/new.txt
    Path sub = c.replica(DS, DO).resolve("public/sub");
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(sub, elsewhere);

    SyncReport interrupted = c.client(DS).sync();
    assertThat(interrupted.peerErrors()).containsKey(DO);
    assertThat(c.replica(DS, DO).resolve("public/report.txt")).hasContent("v2"); // written, not committed
    assertThat(elsewhere).isEmptyDirectory();

    SyncReport r = c.client(DS).sync();
    assertThat(r.proposed()).as("owner files proposed back as the scientist's edits").isZero();
    Files.delete(sub); // the user removes the link
    SyncReport healed = c.client(DS).sync();
    assertThat(healed.proposed()).isZero();
    assertThat(healed.peerErrors()).isEmpty();
    assertThat(c.replica(DS, DO).resolve("public/report.txt")).hasContent("v2");
    assertThat(c.replica(DS, DO).resolve("public/sub/new.txt")).hasContent("new");
    SyncReport owner = c.client(DO).sync();
    assertThat(owner.rejected() + owner.accepted()).isZero();
    assertThat(c.client(DO).status().quarantined()).isEmpty();
    c.client(DS).sync();
    assertThat(c.client(DS).status().rejectedProposals()).isEmpty();
    assertThat(c.client(DS).sync().proposed()).isZero();
    assertThat(elsewhere).isEmptyDirectory();
  }

  @Test
  void anOwnerInterruptedWhileApplyingAProposalAppliesItOnceInEffect() {
    String rel = SyncScenariosTest.job(DS, "j/run.sh");
    Cluster.write(c.replica(DS, DO), rel, "run");
    c.client(DS).sync();
    crashAfterFilesBeforeCommit(DO, () -> assertThat(c.client(DO).sync().accepted()).isEqualTo(1));
    assertThat(c.datasite(DO).resolve(rel)).hasContent("run");

    SyncReport again = c.client(DO).sync();
    assertThat(again.rejected()).isZero();
    assertThat(c.client(DO).status().quarantined()).isEmpty();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve(rel)).hasContent("run");
    assertThat(c.datasite(DO).resolve(rel)).hasContent("run");
    assertThat(c.client(DS).sync().proposed()).isZero();
    assertThat(c.client(DO).sync().accepted() + c.client(DO).sync().rejected()).isZero();
    assertThat(c.client(DS).status().rejectedProposals()).isEmpty();
  }

  @Test
  void temporaryFilesOfAKilledWriteAreSweptAndNeverSynced() throws Exception {
    // what a process killed between creating its temporary file and renaming it leaves behind
    String leftover = ".syft-tmp-" + (ProcessHandle.current().pid() + 1) + "-" + java.util.UUID.randomUUID();
    String legacy = ".syft-tmp-" + java.util.UUID.randomUUID(); // the name before temp files carried a pid
    Path inDatasite = c.datasite(DO).resolve("public/" + leftover);
    Path inReplica = c.replica(DS, DO).resolve("public");
    Files.createDirectories(inReplica);
    Files.writeString(inDatasite, "half a file");
    Files.writeString(inReplica.resolve(legacy), "half a file");
    SyncReport owner = c.client(DO).sync();
    SyncReport scientist = c.client(DS).sync();
    assertThat(owner.localChanges()).isZero();
    assertThat(scientist.proposed()).isZero();
    assertThat(inDatasite).doesNotExist();
    assertThat(inReplica.resolve(legacy)).doesNotExist();
    assertThat(Trees.tempFiles(c.homeDir(DO))).isEmpty();
    assertThat(Trees.tempFiles(c.homeDir(DS))).isEmpty();
  }
}
