package dev.syft.transport.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.Cluster;
import dev.syft.core.SyncReport;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two homes, each on its own mailbox of one GreenMail, pair and exchange a proposal and its echo through
 * core's engine. The stores refuse plaintext protocol messages, so this also shows that everything core
 * sent between the paired homes was an SYC2 envelope. Prints mails and bytes sent per step.
 */
class MailTwoHomesTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

  @TempDir Path tmp;

  @Test
  void aPairExchangesAProposalExactlyOnceOverMail() throws Exception {
    try (MailServer server = new MailServer()) {
      Map<String, MailBlobStore> stores = new ConcurrentHashMap<>();
      try (Cluster c = Cluster.over(tmp, email -> MailStorageProvider.mailStorage(
          stores.computeIfAbsent(email, e -> server.store(e, 1 << 20)), email, "mail " + email))) {
        long[] t0 = total(stores);
        c.connect(DS, DO);
        Cluster.grantWrite(c.datasite(DO), "", "**", DS);
        c.client(DO).sync();
        c.client(DS).sync();
        c.client(DO).sync();
        c.client(DS).sync();
        long[] paired = total(stores);

        c.client(DO).sync();
        c.client(DS).sync();
        long[] idle = total(stores);

        Cluster.write(c.replica(DS, DO), "notes/a.txt", "hello over mail\n");
        assertThat(c.client(DS).sync().proposed()).isEqualTo(1);
        SyncReport in = c.client(DO).sync();
        assertThat(in.accepted()).isEqualTo(1);
        assertThat(Cluster.read(c.datasite(DO), "notes/a.txt")).isEqualTo("hello over mail\n");
        assertThat(c.client(DS).sync().pulled()).isEqualTo(1);
        long[] proposal = total(stores);

        // applied exactly once: nothing more to accept or pull
        assertThat(c.client(DO).sync().accepted()).isZero();
        assertThat(c.client(DS).sync().pulled()).isZero();
        assertThat(Cluster.read(c.replica(DS, DO), "notes/a.txt")).isEqualTo("hello over mail\n");
        assertThat(c.client(DO).peers().list()).singleElement().satisfies(p -> assertThat(p.encrypted()).isTrue());
        assertThat(count(server, DO, "Syft-Rejected") + count(server, DS, "Syft-Rejected")).isZero();
        System.out.printf("mail: pairing %d mails / %d bytes; idle round (both) %d / %d; proposal round trip"
            + " %d / %d%n", paired[0] - t0[0], paired[1] - t0[1], idle[0] - paired[0], idle[1] - paired[1],
            proposal[0] - idle[0], proposal[1] - idle[1]);
      }
    }
  }

  static long[] total(Map<String, MailBlobStore> stores) {
    long[] t = new long[2];
    for (MailBlobStore s : stores.values()) {
      t[0] += s.sent()[0];
      t[1] += s.sent()[1];
    }
    return t;
  }

  static int count(MailServer server, String email, String folder) throws Exception {
    jakarta.mail.Store st = jakarta.mail.Session.getInstance(new java.util.Properties()).getStore("imap");
    st.connect("127.0.0.1", server.imapPort(), email, "pw-" + email);
    try {
      jakarta.mail.Folder f = st.getFolder(folder);
      return f.exists() ? f.getMessageCount() : 0;
    } finally {
      st.close();
    }
  }
}
