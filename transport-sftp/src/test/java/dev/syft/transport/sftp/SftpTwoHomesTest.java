package dev.syft.transport.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.Cluster;
import dev.syft.core.SyncReport;
import dev.syft.transport.blob.BlobStorage;
import dev.syft.transport.blob.CountingBlobStore;
import dev.syft.jobs.JobRoundTrip;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two homes pair and exchange a proposal and its echo through core's engine over an in-process MINA
 * SSHD server, each home logged in as its own SSH account; counts the SFTP round trips of an idle sync
 * and of a proposal round trip (printed for the benchmark note).
 */
class SftpTwoHomesTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

  @TempDir Path tmp;

  private static SftpBlobStore store(SftpServerFixture f, String email) {
    try {
      return f.store(email);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aPairExchangesAProposalExactlyOnceOverSftp() throws Exception {
    SftpServerFixture f = new SftpServerFixture();
    Map<String, CountingBlobStore> requests = new ConcurrentHashMap<>();
    try (Cluster c = Cluster.over(tmp, email -> new BlobStorage(
        requests.computeIfAbsent(email, e -> new CountingBlobStore(store(f, e))), email, "sftp", false))) {
      c.connect(DS, DO);
      Cluster.grantWrite(c.datasite(DO), "", "**", DS);
      c.client(DO).sync();
      c.client(DS).sync();
      c.client(DO).sync();
      c.client(DS).sync();

      requests.values().forEach(CountingBlobStore::reset);
      c.client(DO).sync();
      long idleDo = requests.get(DO).reset();
      c.client(DS).sync();
      long idleDs = requests.get(DS).reset();

      Cluster.write(c.replica(DS, DO), "notes/a.txt", "hello over sftp\n");
      assertThat(c.client(DS).sync().proposed()).isEqualTo(1);
      SyncReport in = c.client(DO).sync();
      assertThat(in.accepted()).isEqualTo(1);
      assertThat(Cluster.read(c.datasite(DO), "notes/a.txt")).isEqualTo("hello over sftp\n");
      assertThat(c.client(DS).sync().pulled()).isEqualTo(1);
      long roundTrip = requests.get(DS).reset() + requests.get(DO).reset();

      // applied exactly once: nothing more to accept or pull
      assertThat(c.client(DO).sync().accepted()).isZero();
      assertThat(c.client(DS).sync().pulled()).isZero();
      assertThat(Cluster.read(c.replica(DS, DO), "notes/a.txt")).isEqualTo("hello over sftp\n");
      System.out.printf("SFTP round trips: idle sync DO=%d DS=%d; proposal round trip (DS+DO+DS)=%d; job round trip %s%n",
          idleDo, idleDs, roundTrip, JobRoundTrip.run(c, DO, DS, who -> requests.get(who).reset(), tmp));
    }
  }
}
