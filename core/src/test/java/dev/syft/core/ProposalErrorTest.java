package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.transport.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An {@link Error} while the owner handles one proposal refuses that message only (issue #14, item 3). */
class ProposalErrorTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;
  static final String DS2 = SyncScenariosTest.DS2;

  @TempDir Path tmp;

  @Test
  void anErrorWhileHandlingOneProposalQuarantinesItAndTheRoundGoesOn() throws Exception {
    // an Error (here thrown by the store as the big proposal is read) refuses that message only
    java.util.Set<String> poisoned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Net errNet = Net.create(Transport.LOCAL, tmp,
        (email, raw) -> email.equals(DO) ? new ScientistRecoveryTest.Exhausting(raw, poisoned) : raw);
    try {
      Cluster k = errNet.cluster;
      k.connect(DS, DO);
      k.connect(DS2, DO);
      Cluster.write(k.datasite(DO), "shared/syft.pub.yaml",
          "rules:\n- pattern: '**'\n  access:\n    write:\n    - '" + DS + "'\n    - '" + DS2 + "'\n");
      k.client(DO).sync();
      double ts = Cluster.EPOCH.getEpochSecond() + 10;
      Storage ds = errNet.raw(DS);
      var first = Forge.proposal(DS, DO, "shared/first.txt", "first", null, ts);
      Forge.upload(ds, Forge.inboxAt(ds, DO), first.fileName(), Forge.archive(first));
      poisoned.add(first.fileName());
      Storage ds2 = errNet.raw(DS2);
      var small = Forge.proposal(DS2, DO, "shared/small.txt", "small", null, ts + 1);
      Forge.upload(ds2, Forge.inboxAt(ds2, DO), small.fileName(), Forge.archive(small));
      SyncReport r = k.client(DO).sync();
      assertThat(r.peerErrors()).isEmpty();
      assertThat(k.datasite(DO).resolve("shared/small.txt")).hasContent("small");
      assertThat(k.datasite(DO).resolve("shared/first.txt")).doesNotExist();
      assertThat(k.client(DO).status().quarantined()).singleElement().satisfies(q -> {
        assertThat(q.peer()).isEqualTo(DS);
        assertThat(q.reason()).contains("OutOfMemoryError");
      });
    } finally {
      errNet.close();
    }
  }

}
