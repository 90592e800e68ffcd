package dev.syft.crypto;

import dev.syft.crypto.internal.Bytes;
import java.util.Locale;

/**
 * SHA-256 of a public key's raw 32 bytes. {@link #hex()} is the wire form (64 lowercase hex
 * digits, as in envelope preludes); {@link #shortForm()} is for people comparing out of band
 * (the first 128 bits as 8 groups of 4 upper-case hex digits).
 */
public record Fingerprint(String hex) {
  public Fingerprint {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a fingerprint is 64 lowercase hex digits");
    }
  }

  public static Fingerprint ofKey(byte[] publicKey) {
    return new Fingerprint(Bytes.hex(Bytes.sha256(publicKey)));
  }

  /** E.g. {@code EC31 EFA2 2669 B06E BD01 12F2 D0EB E896}. */
  public String shortForm() {
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 32; i += 4) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(hex, i, i + 4);
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }

  /**
   * Whether what a person typed (the full hex or the short form; any case, spaces, dashes or
   * colons ignored) names this fingerprint. A short form must be complete (32 digits).
   */
  public boolean matches(String typed) {
    String t = typed.replaceAll("[\\s:-]", "").toLowerCase(Locale.ROOT);
    if (t.length() == 64) {
      return Bytes.constantTimeEquals(Bytes.ascii(t), Bytes.ascii(hex));
    }
    return t.length() == 32 && Bytes.constantTimeEquals(Bytes.ascii(t), Bytes.ascii(hex.substring(0, 32)));
  }

  @Override
  public String toString() {
    return hex;
  }
}
