package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.model.PeersFile;
import dev.syft.protocol.model.VersionInfo;
import dev.syft.transport.layout.SyftLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A PySyft 0.10 peer (protocol 1, PYSYFT-0.10.md) as the engine meets it: its version file ("2",
 * {@code protocol_schemas}, {@code extra}, a 0.10 client version) does not get it skipped as
 * "another minor version" while it reads protocol 0; a schema that drops protocol 0 does, with the
 * reason; a {@code _meta} key in {@code SYFT_peers.json} is no peer, survives our rewrites and a
 * rebuild of lost state.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Transport.class, names = {"MEMORY"})
class PySyft010PeerTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;
  static final String DS2 = SyncScenariosTest.DS2;

  @Parameter Transport transport;
  @TempDir Path tmp;
  Net net;

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  static byte[] versionFile010(String supportedVersions) {
    return ("""
        {
          "canonical_name": "VersionInfo",
          "version": "2",
          "syft_client_version": "0.10.2",
          "min_supported_syft_client_version": "0.10.0",
          "protocol_version": "1.0.0",
          "min_supported_protocol_version": "1.0.0",
          "syft_client_install_source": "syft==0.10.2",
          "updated_at": "2026-06-30T10:00:00Z",
          "attestation_token": null,
          "protocol_schemas": {
            "sync": {"protocol_name": "sync", "version": "1", "min_supported_version": "0",
                     "supported_versions": %s}
          },
          "extra": {"enclave": {"attestation": "opaque"}}
        }""").formatted(supportedVersions).getBytes(StandardCharsets.UTF_8);
  }

  static Peer peer(Cluster c, String who, String email) {
    return c.client(who).peers().list().stream().filter(p -> p.email().equals(email)).findFirst().orElseThrow();
  }

  @Test
  void aPeerOnPySyft010IsSyncedAndItsVersionIsReported() throws Exception {
    net = Net.create(transport, tmp);
    Cluster c = net.cluster;
    c.connect(DS, DO);
    new SyftLayout(net.raw(DS)).writeControlFile(VersionInfo.FILE_NAME, versionFile010("[\"0\", \"1\"]"));
    Cluster.write(c.replica(DS, DO), SyncScenariosTest.job(DS, "ok.job"), "x");
    c.client(DS).sync();
    c.clock.advance(Duration.ofSeconds(3601)); // the version files are re-read hourly
    SyncReport r = c.client(DO).sync();
    assertThat(r.skippedPeers()).isEmpty();
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(SyncScenariosTest.job(DS, "ok.job"))).hasContent("x");
    Peer p = peer(c, DO, DS);
    assertThat(p.version()).isEqualTo("0.10.2");
    assertThat(p.skipReason()).isNull();
    assertThat(p.warning()).contains("0.10.2").contains("protocol 1").contains("version file 2")
        .contains("keep syncing");
  }

  @Test
  void aPeerWhoseSchemasNoLongerReadProtocol0IsSkippedWithTheReason() throws Exception {
    net = Net.create(transport, tmp);
    Cluster c = net.cluster;
    c.connect(DS, DO);
    new SyftLayout(net.raw(DS)).writeControlFile(VersionInfo.FILE_NAME, versionFile010("[\"1\"]"));
    Cluster.write(c.replica(DS, DO), SyncScenariosTest.job(DS, "blocked.job"), "x");
    c.client(DS).sync();
    c.clock.advance(Duration.ofSeconds(3601));
    SyncReport r = c.client(DO).sync();
    assertThat(r.skippedPeers()).containsOnlyKeys(DS);
    assertThat(r.skippedPeers().get(DS)).contains("0.10.2").contains("sync").contains("no longer read protocol 0");
    assertThat(c.datasite(DO).resolve(SyncScenariosTest.job(DS, "blocked.job"))).doesNotExist();
  }

  @Test
  void theMetaKeyOfThePeersFileIsNoPeerAndSurvivesRewritesAndALostDatabase() throws Exception {
    net = Net.create(transport, tmp);
    Cluster c = net.cluster;
    c.connect(DS, DO);
    SyftLayout doLayout = new SyftLayout(net.raw(DO));
    String current = new String(doLayout.readControlFile(PeersFile.FILE_NAME, 1 << 20).orElseThrow(),
        StandardCharsets.UTF_8);
    // as a 0.10 client sharing the account writes it: the reserved key first
    String with010 = "{\n  \"_meta\": {\n    \"version\": 1\n  },\n" + current.substring(2);
    doLayout.writeControlFile(PeersFile.FILE_NAME, with010.getBytes(StandardCharsets.UTF_8));

    c.connect(DS2, DO); // the owner approves a second peer: the file is rewritten
    String after = new String(doLayout.readControlFile(PeersFile.FILE_NAME, 1 << 20).orElseThrow(),
        StandardCharsets.UTF_8);
    assertThat(after).startsWith("{\n  \"_meta\": {\n    \"version\": 1\n  },\n").contains(DS).contains(DS2);
    assertThat(c.client(DO).peers().list()).extracting(Peer::email).containsExactlyInAnyOrder(DS, DS2);

    c.close(DO);
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(c.homeDir(DO).resolve(".syft/state.db" + suffix));
    }
    assertThat(c.client(DO).sync().clean()).isTrue();
    assertThat(c.client(DO).peers().list()).extracting(Peer::email).containsExactlyInAnyOrder(DS, DS2);
    assertThat(peer(c, DO, DS).state()).isEqualTo(dev.syft.protocol.model.PeerState.ACCEPTED);
    assertThat(new String(doLayout.readControlFile(PeersFile.FILE_NAME, 1 << 20).orElseThrow(), StandardCharsets.UTF_8))
        .isEqualTo(after);
  }

  /**
   * PYSYFT-0.10.md: 0.10 keeps the folder pattern but ignores the version in names and takes the
   * highest, so a 0.10 scientist may ask with folders named after its own version: the owner still
   * sees the request, reads its proposals from that inbox and publishes events into that outbox.
   */
  @Test
  void aPySyft010ScientistWhoseFoldersCarryItsOwnVersionIsServed() throws Exception {
    net = Net.create(transport, tmp);
    Cluster c = net.cluster;
    c.client(DO).sync();
    SyftLayout as010 = new SyftLayout(net.raw(DS), "0.10.2");
    var folders = as010.ensurePeerDatasiteFolders(DO);
    assertThat(folders.inbox().name()).isEqualTo("syft_datasite#0.10.2#" + DO + "#inbox#" + DS);
    as010.shareVersionFile(DO, () -> versionFile010("[\"0\", \"1\"]"));

    c.client(DO).sync();
    assertThat(peer(c, DO, DS).state()).isEqualTo(dev.syft.protocol.model.PeerState.REQUESTED_BY_PEER);
    c.client(DO).peers().approve(DS);
    double ts = Cluster.EPOCH.getEpochSecond() + 10;
    var proposal = Forge.proposal(DS, DO, SyncScenariosTest.job(DS, "from010.job"), "hello", null, ts);
    Forge.upload(net.raw(DS), folders.inbox(), proposal.fileName(), Forge.archive(proposal));
    c.clock.advance(Duration.ofSeconds(60));

    SyncReport r = c.client(DO).sync();
    assertThat(r.skippedPeers()).isEmpty();
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(SyncScenariosTest.job(DS, "from010.job"))).hasContent("hello");
    assertThat(Forge.eventsIn(net.raw(DS), folders.outbox())).flatExtracting(m -> m.events())
        .extracting(e -> e.pathInDatasite().toString()).contains(SyncScenariosTest.job(DS, "from010.job"));
    // its folders keep their names; ours carry our version
    assertThat(net.raw(DS).listAll(net.raw(DS).root())).extracting(dev.syft.transport.Entry::name)
        .contains(folders.inbox().name(), folders.outbox().name());
    assertThat(new SyftLayout(net.raw(DO)).findPeerDatasiteFolder(DS, dev.syft.transport.layout.BoxType.INBOX))
        .get().extracting(dev.syft.transport.Entry::name)
        .isEqualTo("syft_datasite#0.1.117#" + DS + "#inbox#" + DO);
  }
}
