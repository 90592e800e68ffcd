package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.internal.StateDb;
import dev.syft.protocol.names.FileNames;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Files in an inbox that look like messages but are not usable ones are refused and moved out
 * instead of waiting there forever, and quarantine keeps a capped copy of a refused message with
 * the whole message's size and hash (issue #14, "also fix").
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Transport.class, names = {"MEMORY", "LOCAL"})
class InboxHygieneTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;

  @Parameter Transport transport;
  @TempDir Path tmp;
  Net net;
  Cluster c;
  double ts = Cluster.EPOCH.getEpochSecond() + 70_000;

  @BeforeEach
  void setUp() {
    net = Net.create(transport, tmp);
    c = net.cluster;
    c.connect(DS, DO);
  }

  @AfterEach
  void tearDown() {
    net.close();
  }

  Storage ds() {
    return net.raw(DS);
  }

  Entry inbox() throws Exception {
    return Forge.inboxAt(ds(), DO);
  }

  String legit() throws Exception {
    String path = SyncScenariosTest.job(DS, "ok.job");
    var m = Forge.proposal(DS, DO, path, "fine", null, ts += 1);
    Forge.upload(ds(), inbox(), m.fileName(), Forge.archive(m));
    return path;
  }

  @Test
  void namesWithTimestampsTheReferenceCannotWriteAreRefusedAndMovedOut() throws Exception {
    byte[] valid = Forge.archive(Forge.proposal(DS, DO, SyncScenariosTest.job(DS, "x.job"), "x", null, ts));
    String uid = UUID.randomUUID().toString();
    List<String> bad = List.of("msgv2_1e400_" + uid + ".tar.gz", "msgv2_0x10_" + uid + ".tar.gz",
        "msgv2_-1.0_" + uid + ".tar.gz", "msgv2_yesterday_" + uid + ".tar.gz", "msgv2_nan_" + uid + ".tar.gz",
        "msgv2_inf_" + uid + ".tar.gz", "other_1.5_" + uid + ".tar.gz");
    for (String name : bad) {
      Forge.upload(ds(), inbox(), name, valid);
    }
    Forge.upload(ds(), inbox(), "notes.txt", "not a message".getBytes(StandardCharsets.UTF_8));
    String ok = legit();
    SyncReport r = c.client(DO).sync();
    assertThat(r.peerErrors()).isEmpty();
    assertThat(r.accepted()).isEqualTo(1);
    assertThat(r.rejected()).isEqualTo(bad.size());
    assertThat(c.datasite(DO).resolve(ok)).hasContent("fine");
    assertThat(c.datasite(DO).resolve(SyncScenariosTest.job(DS, "x.job"))).doesNotExist();
    assertThat(c.client(DO).status().quarantined()).hasSize(bad.size())
        .allSatisfy(q -> assertThat(q.reason()).contains("invalid message name"));
    assertThat(ds().listAll(inbox())).extracting(Entry::name).containsExactly("notes.txt");
    assertThat(c.client(DO).sync().clean()).isTrue();
    c.client(DS).sync();
    assertThat(c.client(DS).status().rejectedProposals()).hasSize(bad.size());
  }

  @Test
  void quarantineKeepsAtMostOneMebibyteWithTheWholeSizeAndHash() throws Exception {
    byte[] garbage = new byte[3 << 20];
    new SplittableRandom(3).nextBytes(garbage);
    Forge.upload(ds(), inbox(), FileNames.proposal(ts += 1, UUID.randomUUID().toString()), garbage);
    byte[] gzipGarbage = HostilePeerTest.gzip(garbage); // read past its start before it is refused
    Forge.upload(ds(), inbox(), FileNames.proposal(ts += 1, UUID.randomUUID().toString()), gzipGarbage);
    legit();
    SyncReport r = c.client(DO).sync();
    assertThat(r.rejected()).isEqualTo(2);
    assertThat(r.accepted()).isEqualTo(1);
    List<Status.Problem> q = c.client(DO).status().quarantined();
    assertThat(q).hasSize(2);
    c.close(DO);
    try (StateDb db = StateDb.open(c.homeDir(DO).resolve(".syft/state.db"))) {
      List<StateDb.Quarantined> rows = db.quarantined();
      for (int i = 0; i < 2; i++) {
        byte[] whole = i == 0 ? garbage : gzipGarbage;
        StateDb.Kept kept = db.quarantinedPayload(rows.get(i).id()).orElseThrow();
        assertThat(kept.head()).hasSize(StateDb.MAX_QUARANTINE_PAYLOAD)
            .isEqualTo(java.util.Arrays.copyOf(whole, StateDb.MAX_QUARANTINE_PAYLOAD));
        assertThat(kept.size()).isEqualTo(whole.length);
        assertThat(kept.sha256()).isEqualTo(Trees.sha256(whole));
      }
    }
  }
}
