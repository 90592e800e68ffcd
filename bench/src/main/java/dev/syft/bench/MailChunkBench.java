package dev.syft.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.WriteMode;
import dev.syft.transport.mail.MailStorageProvider;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

/**
 * Not JMH: one big file (default 200 MiB) over the imap+smtp:// transport against an in-process GreenMail
 * (which keeps every mail in memory: run with -Xmx3g). The owner writes it into a folder shared with a
 * reader; the reader reads it back and checks its SHA-256. Prints mails, bytes on the wire and times.
 *
 * <pre>java -Xmx3g -cp bench/target/benchmarks.jar dev.syft.bench.MailChunkBench [MiB] [max_message_bytes]</pre>
 */
public final class MailChunkBench {
  private MailChunkBench() {}

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 200;
    long cap = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
    String owner = "owner@bench.example";
    String reader = "reader@bench.example";
    GreenMail mail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
    mail.start();
    try {
      mail.setUser(owner, owner, "pw-owner");
      mail.setUser(reader, reader, "pw-reader");
      MailStorageProvider provider = new MailStorageProvider();
      try (Storage o = provider.open(uri(mail, owner, cap), owner, Map.of("password", "pw-owner"));
           Storage r = provider.open(uri(mail, reader, cap), reader, Map.of("password", "pw-reader"))) {
        Entry folder = o.ensureFolder(o.root(), "datasets");
        o.share(folder, reader, Role.READER);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        long t0 = System.nanoTime();
        int before = mail.getReceivedMessages().length;
        o.write(folder, "big.bin", new java.security.DigestInputStream(new RandomStream(mib << 20), sent),
            WriteMode.REPLACE);
        long t1 = System.nanoTime();
        int mails = mail.getReceivedMessages().length - before;
        Entry shared = r.findSharedWithMe("datasets").getFirst();
        Entry file = r.findFiles(shared, "big.bin").getFirst();
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long read = 0;
        try (InputStream in = r.read(file)) {
          byte[] buf = new byte[1 << 16];
          int n;
          while ((n = in.read(buf)) > 0) {
            got.update(buf, 0, n);
            read += n;
          }
        }
        long t2 = System.nanoTime();
        boolean same = HexFormat.of().formatHex(sent.digest()).equals(HexFormat.of().formatHex(got.digest()));
        System.out.printf("%d MiB, max_message_bytes=%d: %d mails delivered; write %.1f s, read %.1f s; %d bytes read,"
            + " hash %s%n", mib, cap, mails, (t1 - t0) / 1e9, (t2 - t1) / 1e9, read, same ? "matches" : "DIFFERS");
      }
    } finally {
      mail.stop();
    }
  }

  private static URI uri(GreenMail mail, String email, long cap) {
    return URI.create("imap+smtp://" + email.replace("@", "%40") + "@127.0.0.1:" + mail.getImap().getPort()
        + "?security=none&smtp_port=" + mail.getSmtp().getPort() + "&max_message_bytes=" + cap);
  }

  /** Deterministic pseudo-random bytes, never all in memory. */
  private static final class RandomStream extends InputStream {
    private final Random random = new Random(42);
    private long left;

    RandomStream(long size) {
      left = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      byte[] tmp = new byte[n];
      random.nextBytes(tmp);
      System.arraycopy(tmp, 0, b, off, n);
      left -= n;
      return n;
    }
  }
}
