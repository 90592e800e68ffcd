package dev.syft.transport.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mail's own behaviour over one GreenMail: forged senders and plaintext messages refused, reordered and
 * duplicated delivery, chunked reassembly, a connection cut mid-upload, a size refusal. Each test uses
 * its own addresses, so tests share the server without seeing each other's mail.
 */
class MailBlobStoreTest {
  static MailServer server;
  static final Session RAW = Session.getInstance(new Properties());

  @BeforeAll
  static void start() {
    server = new MailServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String read(MailBlobStore s, String key) throws IOException {
    try (InputStream in = s.get(key)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** A Syft mail as a forger (or a reordering network) would build it; From is whatever the sender claims. */
  static MimeMessage mail(String from, String to, Part p, byte[] content) throws Exception {
    return MailFormat.build(RAW, from, List.of(new InternetAddress(to)), p, content);
  }

  static Part file(String path, String version, byte[] whole) throws Exception {
    return new Part(0, path, Part.Kind.FILE, version, 0, 1, whole.length, sha(whole));
  }

  static int count(String email, String folder) throws Exception {
    Properties p = new Properties();
    jakarta.mail.Store st = Session.getInstance(p).getStore("imap");
    st.connect("127.0.0.1", server.imapPort(), email, "pw-" + email);
    try {
      Folder f = st.getFolder(folder);
      return f.exists() ? f.getMessageCount() : 0;
    } finally {
      st.close();
    }
  }

  @Test
  void aForgedFromHeaderGainsNothingAndPlaintextMessagesAreRefused() throws Exception {
    String alice = "alice1@example.com";
    String bob = "bob1@example.com";
    String outbox = alice + "/syft_datasite#0.1.117#" + bob + "#outbox#" + alice;
    try (MailBlobStore b = server.store(bob, 1 << 20)) {
      b.makeFolder(bob);
      b.makeFolder(bob + "/shared");
      b.put(bob + "/shared/.syft-meta.json", new ByteArrayInputStream(utf8("{\"shares\":{}}")), false);
      // "alice" (anyone can write that From header) sends a plaintext events message...
      byte[] plain = utf8("not an envelope");
      server.inject(mail(alice, bob, file(outbox + "/syfteventsmessagev3_1.0_x.tar.gz", "0000000000000001-00000001",
          plain), plain), bob);
      // ...and a sidecar granting herself bob's folder
      byte[] grant = utf8("{\"shares\":{\"" + alice + "\":\"WRITER\"}}");
      server.inject(mail(alice, bob, file(bob + "/shared/.syft-meta.json", "ffff000000000001-00000001", grant), grant), bob);
      // an SYC2 envelope passes the transport: core then checks its signature against alice's pinned key
      byte[] sealed = utf8("SYC2 sealed bytes");
      server.inject(mail(alice, bob, file(outbox + "/syfteventsmessagev3_2.0_y.tar.gz", "0000000000000002-00000001",
          sealed), sealed), bob);

      assertThat(b.list(outbox).files()).extracting(f -> f.name()).containsExactly("syfteventsmessagev3_2.0_y.tar.gz");
      assertThat(read(b, bob + "/shared/.syft-meta.json")).isEqualTo("{\"shares\":{}}");
      assertThat(count(bob, "Syft-Rejected")).as("refused mail is kept, not deleted").isEqualTo(2);
      assertThat(count(bob, "INBOX")).isZero();
    }
  }

  @Test
  void theNewestVersionWinsWhateverTheOrderAndDuplicatesCountOnce() throws Exception {
    String carol = "carol2@example.com";
    String dave = "dave2@example.com";
    String key = carol + "/notes/a.txt";
    try (MailBlobStore d = server.store(dave, 1 << 20)) {
      byte[] v1 = utf8("version 1");
      byte[] v2 = utf8("version 2");
      MimeMessage m2 = mail(carol, dave, file(key, "0000000000000200-0000000a", v2), v2);
      server.inject(m2, dave);
      server.inject(mail(carol, dave, file(key, "0000000000000100-0000000a", v1), v1), dave); // late, older
      server.inject(m2, dave); // the same mail again
      assertThat(read(d, key)).isEqualTo("version 2");
      assertThat(d.stat(key)).get().satisfies(b -> assertThat(b.size()).isEqualTo(v2.length));
      assertThat(count(dave, "Syft")).as("the older version and the duplicate are expunged").isEqualTo(1);

      // a deletion newer than v2 wins; an older re-delivery of v2 does not bring it back
      server.inject(mail(carol, dave, new Part(0, key, Part.Kind.DELETE, "0000000000000300-0000000a", 0, 1, 0, ""),
          new byte[0]), dave);
      server.inject(m2, dave);
      assertThat(d.stat(key)).isEmpty();
      assertThat(d.list(carol + "/notes").files()).isEmpty();
    }
  }

  @Test
  void bigFilesGoInChunksAndAreReassembledByHashInAnyOrder() throws Exception {
    String erin = "erin3@example.com";
    String frank = "frank3@example.com";
    byte[] big = new byte[2 << 20];
    new Random(7).nextBytes(big);
    String key = erin + "/data/big.bin";
    try (MailBlobStore e = server.store(erin, 256 << 10); MailBlobStore f = server.store(frank, 256 << 10)) {
      e.makeFolder(erin);
      e.makeFolder(erin + "/data");
      e.put(erin + "/data/.syft-meta.json", new ByteArrayInputStream(
          utf8("{\"shares\":{\"" + frank + "\":\"READER\"}}")), false);
      long[] before = e.sent();
      e.put(key, new ByteArrayInputStream(big), false);
      long[] after = e.sent();
      int chunks = (int) (after[0] - before[0]);
      assertThat(chunks).as("one mail per chunk of at most 256 KiB").isGreaterThan(10);
      try (InputStream in = e.get(key)) {
        assertThat(in.readAllBytes()).isEqualTo(big);
      }
      try (InputStream in = f.get(key)) {
        assertThat(in.readAllBytes()).isEqualTo(big);
      }
      System.out.printf("mail: a 2 MiB file = %d mails, %d bytes on the wire (cap 256 KiB)%n", chunks,
          after[1] - before[1]);
    }

    // chunks delivered backwards, one missing at first: invisible until complete, then whole
    String gina = "gina3@example.com";
    byte[] data = new byte[200_000];
    new Random(8).nextBytes(data);
    String k2 = erin + "/data/shuffled.bin";
    int n = 4;
    int per = data.length / n;
    List<MimeMessage> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] c = java.util.Arrays.copyOfRange(data, i * per, i == n - 1 ? data.length : (i + 1) * per);
      parts.add(mail(erin, gina, new Part(0, k2, Part.Kind.FILE, "0000000000000500-0000000b", i, n, data.length,
          sha(data)), c));
    }
    try (MailBlobStore g = server.store(gina, 1 << 20)) {
      for (int i = n - 1; i >= 1; i--) {
        server.inject(parts.get(i), gina);
      }
      assertThat(g.stat(k2)).isEmpty();
      server.inject(parts.get(0), gina);
      server.inject(parts.get(2), gina); // a duplicate chunk
      try (InputStream in = g.get(k2)) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
    }
  }

  @Test
  void aConnectionCutMidUploadLosesNothingAndTheRetryLandsOnce() throws Exception {
    String hal = "hal4@example.com";
    String ivy = "ivy4@example.com";
    byte[] data = new byte[400_000];
    new Random(9).nextBytes(data);
    String key = hal + "/box/file.bin";
    try (CuttingProxy proxy = new CuttingProxy(server.smtpPort());
         MailBlobStore h = server.store(hal, 64 << 10, proxy.port());
         MailBlobStore i = server.store(ivy, 1 << 20)) {
      h.makeFolder(hal);
      h.makeFolder(hal + "/box");
      h.put(hal + "/box/.syft-meta.json", new ByteArrayInputStream(utf8("{\"shares\":{\"" + ivy + "\":\"READER\"}}")),
          false);
      proxy.cutAfter(150_000); // a few chunks get through, then the connection drops
      assertThatThrownBy(() -> h.put(key, new ByteArrayInputStream(data), true))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
      assertThat(i.stat(key)).as("the peer never sees a part").isEmpty();
      assertThat(h.stat(key)).isEmpty();

      proxy.cutAfter(Long.MAX_VALUE);
      h.put(key, new ByteArrayInputStream(data), true);
      try (InputStream in = i.get(key)) {
        assertThat(in.readAllBytes()).isEqualTo(data);
      }
      assertThat(i.list(hal + "/box").files()).extracting(f -> f.name()).containsExactly(".syft-meta.json", "file.bin");
    }
  }

  @Test
  void aServerRefusingTheSizeIsAClearError() throws Exception {
    String jim = "jim5@example.com";
    try (CuttingProxy proxy = new CuttingProxy(server.smtpPort());
         MailBlobStore j = server.store(jim, 64 << 10, proxy.port())) {
      j.makeFolder(jim);
      j.makeFolder(jim + "/box");
      j.put(jim + "/box/.syft-meta.json", new ByteArrayInputStream(utf8("{\"shares\":{\"kim5@example.com\":\"READER\"}}")),
          false);
      proxy.refuseData("552 5.3.4 Message size exceeds fixed maximum message size");
      assertThatThrownBy(() -> j.put(jim + "/box/f.bin", new ByteArrayInputStream(new byte[10_000]), true))
          .isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
            assertThat(e.getMessage()).contains("refused a message").contains("max_message_bytes=");
          });
    }
  }
}
