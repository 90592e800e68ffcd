package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.model.PeersFile;
import dev.syft.protocol.model.VersionInfo;
import dev.syft.transport.layout.SyftLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14 item 7: losing {@code state.db} (deleted, or truncated) used to turn an approved peer
 * into {@code requested_by_peer}; the owner then rewrote {@code SYFT_peers.json} and ignored the
 * peer. Peers are now rebuilt from the peers file and the transport folders, a damaged database is
 * moved aside, and syncing goes on. Also the install source the version file advertises (issue 13).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Transport.class, names = {"MEMORY", "LOCAL"})
class StateDbLossTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

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
    Cluster.write(c.datasite(DO), "public/a.txt", "a\n");
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve("public/a.txt")).hasContent("a\n");
  }

  @AfterEach
  void tearDown() {
    net.close();
  }

  byte[] peersFile(String who) throws IOException {
    return new SyftLayout(net.raw(who)).readControlFile(PeersFile.FILE_NAME, 1 << 20).orElseThrow();
  }

  String state(String who, String peer) {
    return c.client(who).peers().list().stream().filter(p -> p.email().equals(peer)).findFirst().orElseThrow().state().wireName();
  }

  Path db(String who) {
    return c.homeDir(who).resolve(".syft/state.db");
  }

  void lose(String who, boolean truncate) throws IOException {
    c.close(who);
    if (truncate) {
      try (FileChannel ch = FileChannel.open(db(who), StandardOpenOption.WRITE)) {
        ch.truncate(ch.size() / 2);
      }
    } else {
      for (String suffix : List.of("", "-wal", "-shm")) {
        Files.deleteIfExists(db(who).resolveSibling("state.db" + suffix));
      }
    }
  }

  /** The owner and the scientist still work together: a proposal is applied, an event arrives. */
  void stillSyncing(String tag) {
    String job = "app_data/job/inbox/" + DS + "/" + tag + "/run.sh";
    Cluster.write(c.replica(DS, DO), job, "echo " + tag + "\n");
    assertThat(c.client(DS).sync().proposed()).isEqualTo(1);
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(job)).hasContent("echo " + tag + "\n");
    Cluster.write(c.datasite(DO), "public/" + tag + ".txt", tag);
    c.client(DO).sync();
    c.client(DS).sync();
    assertThat(c.replica(DS, DO).resolve("public/" + tag + ".txt")).hasContent(tag);
    assertThat(c.client(DO).status().quarantined()).isEmpty();
    assertThat(c.client(DS).status().rejectedProposals()).isEmpty();
  }

  @Test
  void theOwnerLosingItsDatabaseKeepsTheApprovedPeer() throws Exception {
    byte[] before = peersFile(DO);
    lose(DO, false);
    SyncReport r = c.client(DO).sync();
    assertThat(r.clean()).as(r.toString()).isTrue();
    assertThat(state(DO, DS)).isEqualTo("accepted");
    assertThat(peersFile(DO)).as("SYFT_peers.json unchanged").isEqualTo(before);
    stillSyncing("after-delete");
  }

  @Test
  void aTruncatedDatabaseIsMovedAsideAndThePeerStaysAccepted() throws Exception {
    byte[] before = peersFile(DO);
    lose(DO, true);
    c.client(DO).sync();
    assertThat(state(DO, DS)).isEqualTo("accepted");
    assertThat(peersFile(DO)).isEqualTo(before);
    try (var s = Files.list(db(DO).getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).as("kept for inspection, not deleted")
          .anyMatch(n -> n.startsWith("state.db.damaged-"));
    }
    assertThat(c.client(DO).status().warnings()).singleElement()
        .satisfies(w -> assertThat(w).contains("damaged and replaced"));
    stillSyncing("after-truncation");
  }

  @Test
  void theScientistLosingItsDatabaseProposesNothingBackAndStaysAccepted() throws Exception {
    byte[] before = peersFile(DS);
    lose(DS, false);
    SyncReport r = c.client(DS).sync();
    assertThat(r.proposed()).as("the replica on disk is the baseline, not a pile of creations").isZero();
    assertThat(state(DS, DO)).isEqualTo("accepted");
    assertThat(peersFile(DS)).isEqualTo(before);
    assertThat(c.replica(DS, DO).resolve("public/a.txt")).hasContent("a\n");
    stillSyncing("ds-after-delete");
  }

  @Test
  void theScientistsTruncatedDatabaseToo() throws Exception {
    lose(DS, true);
    c.client(DS).sync();
    assertThat(state(DS, DO)).isEqualTo("accepted");
    stillSyncing("ds-after-truncation");
  }

  @Test
  void aNewHomesReplicaEditsBeforeItsFirstSyncAreStillProposed() {
    String ds2 = "second@lab.example";
    c.client(ds2).peers().add(DO);
    c.client(DO).sync();
    c.client(DO).peers().approve(ds2);
    String job = "app_data/job/inbox/" + ds2 + "/early/run.sh";
    Cluster.write(c.replica(ds2, DO), job, "echo early\n");
    assertThat(c.client(ds2).sync().proposed()).as("a new database, but nothing was lost").isEqualTo(1);
    assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
  }

  @Test
  void theVersionFileAdvertisesAnInstallSource() throws Exception {
    byte[] raw = new SyftLayout(net.raw(DO)).readControlFile(VersionInfo.FILE_NAME, 1 << 20).orElseThrow();
    assertThat(VersionInfo.parse(raw).syftClientInstallSource()).isEqualTo("syft-client==" + VersionInfo.CLIENT_VERSION);
    assertThat(new String(raw, java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"syft_client_install_source\": \"syft-client==0.1.117\"");
  }
}
