package dev.syft.crypto.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** Encodings and small byte helpers used across the crypto module. Not a public API. */
public final class Bytes {
  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64URL_DEC = Base64.getUrlDecoder();

  private Bytes() {}

  public static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  public static byte[] unhex(String s) {
    return HEX.parseHex(s);
  }

  public static String b64url(byte[] b) {
    return B64URL.encodeToString(b);
  }

  /** Base64url without padding, strictly: padding, other alphabets and non-canonical trailing bits are refused. */
  public static byte[] unb64url(String s) {
    if (s.indexOf('=') >= 0 || s.indexOf('+') >= 0 || s.indexOf('/') >= 0) {
      throw new IllegalArgumentException("not base64url without padding");
    }
    byte[] out = B64URL_DEC.decode(s);
    if (!b64url(out).equals(s)) {
      throw new IllegalArgumentException("non-canonical base64url");
    }
    return out;
  }

  public static byte[] sha256(byte[]... parts) {
    MessageDigest md = sha256();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  public static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  public static boolean allZero(byte[] b) {
    int acc = 0;
    for (byte x : b) {
      acc |= x;
    }
    return acc == 0;
  }

  public static void putU32Le(byte[] dst, int off, long v) {
    dst[off] = (byte) v;
    dst[off + 1] = (byte) (v >>> 8);
    dst[off + 2] = (byte) (v >>> 16);
    dst[off + 3] = (byte) (v >>> 24);
  }

  public static long u32Le(byte[] src, int off) {
    return (src[off] & 0xffL) | (src[off + 1] & 0xffL) << 8 | (src[off + 2] & 0xffL) << 16 | (src[off + 3] & 0xffL) << 24;
  }

  public static void putU32Be(byte[] dst, int off, long v) {
    dst[off] = (byte) (v >>> 24);
    dst[off + 1] = (byte) (v >>> 16);
    dst[off + 2] = (byte) (v >>> 8);
    dst[off + 3] = (byte) v;
  }
}
