package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.VersionInfo;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.transport.decorator.ForwardingStorage;
import dev.syft.transport.layout.BoxType;
import dev.syft.transport.layout.SyftLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Peers in a bad state: uploads that keep failing (the journal must keep the message across a
 * restart and deliver it once), a peer whose folders were deleted (only that peer is skipped), a
 * peer on an incompatible version (skipped, with the reason in status) and one on another patch
 * version (a warning only).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Transport.class, names = {"MEMORY", "LOCAL"})
class DegradedPeerTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;
  static final String DS2 = SyncScenariosTest.DS2;
  static final String DO2 = "owner2@clinic.example";

  @Parameter Transport transport;
  @TempDir Path tmp;
  Net net;

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  /** Fails every create into an outbox folder while closed; counts the refusals. */
  static final class OutboxGate extends ForwardingStorage {
    final AtomicBoolean closed;
    final AtomicInteger refused;

    OutboxGate(Storage delegate, AtomicBoolean closed, AtomicInteger refused) {
      super(delegate);
      this.closed = closed;
      this.refused = refused;
    }

    @Override
    public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
      if (closed.get() && mode == WriteMode.CREATE && folder.name().contains("#outbox#")) {
        refused.incrementAndGet();
        throw new StorageException(StorageException.Kind.TRANSIENT, "503 backend error (test gate)");
      }
      return super.write(folder, name, content, mode);
    }
  }

  @Test
  void theJournalSurvivesFailedUploadsAndARestartAndDeliversOnce() throws Exception {
    AtomicBoolean closed = new AtomicBoolean(false);
    AtomicInteger refused = new AtomicInteger();
    net = Net.create(transport, tmp, (email, raw) -> email.equals(DO) ? new OutboxGate(raw, closed, refused) : raw);
    Cluster c = net.cluster;
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    c.client(DO).sync();
    c.client(DS).sync();

    closed.set(true);
    Cluster.write(c.datasite(DO), "public/report.txt", "the numbers");
    SyncReport r = c.client(DO).sync();
    assertThat(r.localChanges()).isEqualTo(1);
    assertThat(r.pendingUploads()).isEqualTo(1);
    assertThat(c.client(DO).status().pendingUploads()).isEqualTo(1);
    // status names the stuck upload and why it fails
    assertThat(c.client(DO).status().failingUploads()).singleElement().satisfies(f -> {
      assertThat(f.peer()).isEqualTo(DS);
      assertThat(f.destination()).isEqualTo("peer outbox");
      assertThat(f.attempts()).isPositive();
      assertThat(f.lastError()).isNotBlank();
    });
    c.restart(DO);
    c.clock.advance(Duration.ofSeconds(30));
    assertThat(c.client(DO).sync().pendingUploads()).as("still failing after a restart").isEqualTo(1);
    assertThat(refused.get()).isGreaterThanOrEqualTo(2);
    assertThat(c.client(DS).sync().pulled()).isZero();

    closed.set(false);
    SyncReport delivered = c.client(DO).sync();
    assertThat(delivered.uploaded()).isEqualTo(1);
    assertThat(delivered.pendingUploads()).isZero();
    assertThat(c.client(DO).status().failingUploads()).isEmpty();
    assertThat(c.client(DS).sync().pulled()).isEqualTo(1);
    assertThat(c.replica(DS, DO).resolve("public/report.txt")).hasContent("the numbers");
    assertThat(c.client(DO).sync().uploaded()).isZero();
    // exactly one message in the reader's outbox carries the file
    Storage doStore = net.raw(DO);
    long carrying = Forge.eventsIn(doStore, Forge.outboxOf(doStore, DS), c.homeDir(DO)).stream().flatMap(m -> m.events().stream())
        .map(FileChangeEvent::pathInDatasite).filter("public/report.txt"::equals).count();
    assertThat(carrying).isEqualTo(1);
  }

  @Test
  void aPeerWhoseInboxWasDeletedIsSkippedAndTheOthersStillSync() throws Exception {
    net = Net.create(transport, tmp);
    Cluster c = net.cluster;
    c.connect(DS, DO);
    c.connect(DS2, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS, DS2);
    c.client(DO).sync();
    // DS's inbox and outbox for the DO's datasite disappear (deleted in its own store)
    Storage ds = net.raw(DS);
    SyftLayout layout = new SyftLayout(ds);
    ds.delete(layout.findPeerDatasiteFolder(DO, BoxType.INBOX).orElseThrow());
    ds.delete(layout.findPeerDatasiteFolder(DO, BoxType.OUTBOX).orElseThrow());

    Cluster.write(c.replica(DS2, DO), SyncScenariosTest.job(DS2, "j/run.sh"), "run");
    c.client(DS2).sync();
    Cluster.write(c.datasite(DO), "public/news.txt", "news");
    c.clock.advance(Duration.ofSeconds(1));
    SyncReport r = c.client(DO).sync();
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(SyncScenariosTest.job(DS2, "j/run.sh"))).hasContent("run");
    assertThat(r.pendingUploads()).as("only the message for the peer without an outbox waits").isEqualTo(1);
    c.client(DS2).sync();
    assertThat(c.replica(DS2, DO).resolve("public/news.txt")).hasContent("news");
    assertThat(c.replica(DS2, DO).resolve(SyncScenariosTest.job(DS2, "j/run.sh"))).hasContent("run");
    // the next round works as well: nothing is stuck behind the broken peer
    Cluster.write(c.datasite(DO), "public/more.txt", "more");
    c.client(DO).sync();
    c.client(DS2).sync();
    assertThat(c.replica(DS2, DO).resolve("public/more.txt")).hasContent("more");
  }

  @Test
  void aScientistWhoseOutboxFromOneOwnerIsGoneStillPullsFromTheOthers() throws Exception {
    net = Net.create(transport, tmp);
    Cluster c = net.cluster;
    c.connect(DS, DO);
    c.connect(DS, DO2);
    for (String o : new String[] {DO, DO2}) {
      Cluster.grantRead(c.datasite(o), "public", "**", DS);
      Cluster.write(c.datasite(o), "public/hello.txt", "from " + o);
      c.client(o).sync();
    }
    Storage ds = net.raw(DS);
    ds.delete(new SyftLayout(ds).findPeerDatasiteFolder(DO, BoxType.OUTBOX).orElseThrow());
    SyncReport r = c.client(DS).sync();
    assertThat(r.peerErrors()).containsOnlyKeys(DO);
    assertThat(c.replica(DS, DO2).resolve("public/hello.txt")).hasContent("from " + DO2);
    assertThat(c.replica(DS, DO).resolve("public/hello.txt")).doesNotExist();
  }

  static byte[] versionFile(String version) {
    return new VersionInfo(version, VersionInfo.MIN_SUPPORTED_CLIENT_VERSION, VersionInfo.PROTOCOL_VERSION,
        VersionInfo.MIN_SUPPORTED_PROTOCOL_VERSION, null, LocalDateTime.of(2026, 1, 1, 0, 0), ZoneOffset.UTC, null)
        .toJson();
  }

  static Peer peer(Cluster c, String who, String email) {
    return c.client(who).peers().list().stream().filter(p -> p.email().equals(email)).findFirst().orElseThrow();
  }

  @Test
  void aPeerOnAnotherMinorVersionIsSkippedWithTheReasonInStatus() throws Exception {
    net = Net.create(transport, tmp);
    Cluster c = net.cluster;
    c.connect(DS, DO);
    c.connect(DS2, DO);
    new SyftLayout(net.raw(DS)).writeControlFile(VersionInfo.FILE_NAME, versionFile("0.2.0"));
    Cluster.write(c.replica(DS, DO), SyncScenariosTest.job(DS, "blocked.job"), "x");
    c.client(DS).sync();
    Cluster.write(c.replica(DS2, DO), SyncScenariosTest.job(DS2, "fine.job"), "y");
    c.client(DS2).sync();
    c.clock.advance(Duration.ofSeconds(3601)); // the version files are re-read hourly
    SyncReport r = c.client(DO).sync();
    assertThat(r.skippedPeers()).containsOnlyKeys(DS);
    assertThat(r.skippedPeers().get(DS)).contains("0.2.0").contains("minor");
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(SyncScenariosTest.job(DS2, "fine.job"))).hasContent("y");
    assertThat(c.datasite(DO).resolve(SyncScenariosTest.job(DS, "blocked.job"))).doesNotExist();
    Peer p = peer(c, DO, DS);
    assertThat(p.version()).isEqualTo("0.2.0");
    assertThat(p.skipReason()).contains("0.2.0");
    assertThat(c.client(DO).status().peers()).filteredOn(x -> x.email().equals(DS))
        .singleElement().satisfies(x -> assertThat(x.skipReason()).isNotNull());
    // back on a compatible version: the queued proposal goes through
    new SyftLayout(net.raw(DS)).writeControlFile(VersionInfo.FILE_NAME, versionFile(VersionInfo.CLIENT_VERSION));
    c.clock.advance(Duration.ofSeconds(3601));
    SyncReport back = c.client(DO).sync();
    assertThat(back.skippedPeers()).isEmpty();
    assertThat(back.accepted()).isEqualTo(1);
    assertThat(peer(c, DO, DS).skipReason()).isNull();
  }

  @Test
  void aPeerOnAnotherPatchVersionOnlyWarns() throws Exception {
    net = Net.create(transport, tmp);
    Cluster c = net.cluster;
    c.connect(DS, DO);
    new SyftLayout(net.raw(DS)).writeControlFile(VersionInfo.FILE_NAME, versionFile("0.1.999"));
    Cluster.write(c.replica(DS, DO), SyncScenariosTest.job(DS, "ok.job"), "x");
    c.client(DS).sync();
    c.clock.advance(Duration.ofSeconds(3601));
    SyncReport r = c.client(DO).sync();
    assertThat(r.skippedPeers()).isEmpty();
    assertThat(r.accepted()).isEqualTo(1);
    Peer p = peer(c, DO, DS);
    assertThat(p.version()).isEqualTo("0.1.999");
    assertThat(p.skipReason()).isNull();
    assertThat(p.warning()).contains("patch").contains("0.1.999");
  }
}
