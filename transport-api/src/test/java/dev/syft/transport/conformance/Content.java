package dev.syft.transport.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Test content: deterministic streams of any length and digests, without holding large data in memory. */
public final class Content {
  private Content() {}

  /** {@code length} pseudo-random bytes from {@code seed}, generated as they are read. */
  public static InputStream generated(long length, long seed) {
    return new InputStream() {
      private long left = length;
      private long state = seed ^ 0x9E3779B97F4A7C15L;

      private long next() {
        // xorshift64*: fast and good enough to make every block different
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return state * 0x2545F4914F6CDD1DL;
      }

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        int i = 0;
        while (i < n) {
          long v = next();
          for (int k = 0; k < 8 && i < n; k++, i++) {
            b[off + i] = (byte) (v >>> (8 * k));
          }
        }
        left -= n;
        return n;
      }
    };
  }

  /** SHA-256 (hex) of everything left in {@code in}; closes it. */
  public static String sha256(InputStream in) throws IOException {
    MessageDigest md = digest();
    try (in) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest().digest(data));
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] filled(int length, char c) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) c);
    return b;
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
