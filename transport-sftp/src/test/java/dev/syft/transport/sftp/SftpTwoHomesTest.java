package dev.syft.transport.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.Cluster;
import dev.syft.core.SyncReport;
import dev.syft.transport.blob.BlobStorage;
import dev.syft.transport.blob.CountingBlobStore;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.Jobs;
import dev.syft.jobs.Release;
import dev.syft.jobs.SubmitRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
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

  /**
   * A job's round trip: the DS submits, the DO receives, approves, deposits a result (no run) and
   * releases it, the DS sees the output. Returns the requests of each step.
   */
  static String jobRoundTrip(Cluster c, Map<String, CountingBlobStore> requests, Path tmp) throws Exception {
    requests.values().forEach(CountingBlobStore::reset);
    Jobs ds = Jobs.of(c.client(DS));
    ds.submit(SubmitRequest.bash("echo 42 > outputs/answer.txt\n", DO).withName("answer"));
    long submit = requests.get(DS).reset();
    c.clock.advance(Duration.ofSeconds(5));
    c.client(DO).sync();
    Jobs owner = Jobs.of(c.client(DO));
    List<JobInfo> received = owner.list();
    assertThat(received).hasSize(1);
    String id = received.get(0).id();
    owner.approve(id, "test");
    Path result = Files.createDirectories(tmp.resolve("result"));
    Files.writeString(result.resolve("answer.txt"), "42\n");
    owner.deposit(id, result);
    owner.share(id, EnumSet.of(Release.OUTPUTS));
    c.client(DO).sync();
    long atOwner = requests.get(DO).reset();
    c.clock.advance(Duration.ofSeconds(5));
    c.client(DS).sync();
    String mine = ds.groups().get(0).members().get(0).id();
    assertThat(ds.outputs(mine)).isNotEmpty();
    long back = requests.get(DS).reset();
    return "(submit=" + submit + ", DO sync+review+release+sync=" + atOwner + ", DS sync=" + back + ", total="
        + (submit + atOwner + back) + ")";
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
          idleDo, idleDs, roundTrip, jobRoundTrip(c, requests, tmp));
    }
  }
}
