package dev.syft.bench;

import com.google.crypto.tink.aead.internal.InsecureNonceXChaCha20Poly1305;
import dev.syft.crypto.Envelope;
import dev.syft.crypto.Identity;
import dev.syft.crypto.PayloadSource;
import dev.syft.crypto.PeerBundle;
import dev.syft.crypto.RandomSource;
import dev.syft.crypto.SealOptions;
import dev.syft.crypto.Suite;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * SYC2 throughput against the raw AEAD it is built on (Tink's XChaCha20-Poly1305), not JMH: a
 * {@code main} printing MiB/s. Sizes: 1 KiB and 1 MiB in memory (single-shot suite), and a large
 * payload (default 1 GiB) through the segmented suite, streamed from a generator to a file and back
 * to a discarding sink, with peak heap.
 *
 * <pre>java -Xmx256m -cp bench/target/benchmarks.jar dev.syft.bench.CryptoBench [bigMiB]</pre>
 */
public final class CryptoBench {
  private CryptoBench() {}

  public static void main(String[] args) throws Exception {
    long bigMiB = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    Identity alice = Identity.generate("alice@example.org", RandomSource.secure());
    Identity bob = Identity.generate("bob@example.org", RandomSource.secure());
    List<PeerBundle> toBob = List.of(bob.bundle());
    PeerBundle fromAlice = alice.bundle();

    System.out.printf("%-34s %12s %12s%n", "operation", "size", "MiB/s");
    for (int size : new int[] {1024, 1 << 20}) {
      byte[] plain = new byte[size];
      new java.util.Random(1).nextBytes(plain);
      byte[] key = new byte[32];
      byte[] nonce = new byte[24];
      InsecureNonceXChaCha20Poly1305 raw = new InsecureNonceXChaCha20Poly1305(key);
      byte[] aad = "syc-file-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] ct = raw.encrypt(nonce, plain, aad);
      int reps = size < 4096 ? 20_000 : 200;
      report("raw XChaCha20-Poly1305 seal", size, reps, () -> raw.encrypt(nonce, plain, aad));
      report("raw XChaCha20-Poly1305 open", size, reps, () -> raw.decrypt(nonce, ct, aad));
      SealOptions opts = SealOptions.defaults();
      byte[] env = Envelope.seal(alice, toBob, plain, opts);
      report("SYC2 seal (1 recipient)", size, reps, () -> Envelope.seal(alice, toBob, plain, opts));
      report("SYC2 open", size, reps, () -> Envelope.open(env, bob, fromAlice));
    }

    long big = bigMiB << 20;
    Path file = Files.createTempFile("syft-cryptobench-", ".syc2");
    try {
      PayloadSource gen = new PayloadSource() {
        @Override
        public long size() {
          return big;
        }

        @Override
        public InputStream open() {
          return new Generated(big);
        }
      };
      for (boolean integrity : new boolean[] {false, true}) {
        long t0 = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
          Envelope.sealStream(alice, toBob, gen, out, SealOptions.defaults().withSuite(Suite.STREAM).withIntegrity(integrity));
        }
        print("SYC2 stream seal" + (integrity ? " +integrity" : ""), big, System.nanoTime() - t0);
      }
      long t0 = System.nanoTime();
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        Envelope.openStream(in, Files.size(file), bob, fromAlice, OutputStream.nullOutputStream(), Envelope.DEFAULT_MAX_SINGLE_SHOT);
      }
      print("SYC2 stream open (+integrity)", big, System.nanoTime() - t0);
      InsecureNonceXChaCha20Poly1305 raw = new InsecureNonceXChaCha20Poly1305(new byte[32]);
      byte[] seg = new byte[1 << 20];
      t0 = System.nanoTime();
      for (long i = 0; i < bigMiB; i++) {
        raw.encrypt(new byte[24], seg, new byte[0]);
      }
      print("raw XChaCha20-Poly1305 1 MiB x N", big, System.nanoTime() - t0);
    } finally {
      Files.deleteIfExists(file);
    }
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    System.out.printf("peak heap (sum of pools): %d MiB, max heap %d MiB%n", peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
  }

  interface Op {
    Object run() throws Exception;
  }

  private static void report(String name, int size, int reps, Op op) throws Exception {
    for (int i = 0; i < reps / 4; i++) {
      op.run(); // warm-up
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      op.run();
    }
    print(name, (long) size * reps, System.nanoTime() - t0);
  }

  private static void print(String name, long bytes, long nanos) {
    double mibs = bytes / 1048576.0 / (nanos / 1e9);
    System.out.printf("%-34s %12s %12.1f%n", name, human(bytes), mibs);
  }

  private static String human(long b) {
    return b >= 1 << 30 ? (b >> 30) + " GiB" : b >= 1 << 20 ? (b >> 20) + " MiB" : (b >> 10) + " KiB";
  }

  /** A deterministic payload of a given size, generated on the fly (no disk, no heap). */
  static final class Generated extends InputStream {
    private final long size;
    private long pos;

    Generated(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return pos < size ? (int) (pos++ % 251) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - pos);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) ((pos + i) % 251);
      }
      pos += n;
      return n;
    }
  }
}
