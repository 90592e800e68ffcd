package dev.syft.crypto;

import dev.syft.crypto.CryptoException.Reason;
import dev.syft.crypto.internal.Bip39;
import dev.syft.crypto.internal.Bytes;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The 32-byte root secret every key is derived from. Shown to a person once, as 24 BIP-39 words
 * or as dashed hex (16 groups of 4 lowercase hex digits); either form restores the same keys.
 * Keys with fewer than 8 distinct byte values (including all-zero and all-equal) are refused, as
 * syft-crypto 0.1.2b2 refuses them.
 */
public final class RecoveryKey {
  public static final int LENGTH = 32;
  private final byte[] bytes;

  private RecoveryKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A fresh key from the given source (drawn again in the unlikely case it is refused). */
  public static RecoveryKey generate(RandomSource random) {
    while (true) {
      byte[] b = new byte[LENGTH];
      random.nextBytes(b);
      try {
        return of(b);
      } catch (CryptoException e) {
        // only INSUFFICIENT_ENTROPY can happen here; draw again
      }
    }
  }

  public static RecoveryKey generate() {
    return generate(RandomSource.secure());
  }

  /** From 32 raw bytes (copied). */
  public static RecoveryKey of(byte[] raw) throws CryptoException {
    if (raw.length != LENGTH) {
      throw new CryptoException(Reason.INVALID_LENGTH, "Invalid recovery key length: expected 32, got " + raw.length);
    }
    if (Arrays.stream(toInts(raw)).distinct().count() < 8) {
      throw new CryptoException(Reason.INSUFFICIENT_ENTROPY, "Recovery key has insufficient entropy");
    }
    return new RecoveryKey(raw.clone());
  }

  /** Hex with optional dashes, spaces, tabs and line breaks; either case. */
  public static RecoveryKey fromHex(String text) throws CryptoException {
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '-' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        continue;
      }
      if (Character.digit(c, 16) < 0) {
        throw new CryptoException(Reason.INVALID_HEX,
            "Invalid hex encoding: unexpected character '" + c + "' in recovery key");
      }
      sb.append(c);
    }
    if (sb.length() != 64) {
      throw new CryptoException(Reason.INVALID_LENGTH, "Invalid recovery key length: expected 64, got " + sb.length());
    }
    return of(Bytes.unhex(sb.toString().toLowerCase(java.util.Locale.ROOT)));
  }

  /** A BIP-39 English mnemonic; only 24 words (32 bytes) make a recovery key. */
  public static RecoveryKey fromWords(String mnemonic) throws CryptoException {
    byte[] entropy;
    try {
      entropy = Bip39.toEntropy(mnemonic);
    } catch (Bip39.MnemonicException e) {
      throw new CryptoException(Reason.MNEMONIC_ERROR, "Mnemonic error: " + e.getMessage());
    }
    if (entropy.length != LENGTH) {
      throw new CryptoException(Reason.INVALID_LENGTH, "Invalid recovery key length: expected 32, got " + entropy.length);
    }
    return of(entropy);
  }

  /** Words if the text has letters beyond a-f (after removing separators), else hex. */
  public static RecoveryKey parse(String text) throws CryptoException {
    String t = text.strip();
    boolean words = t.chars().anyMatch(c -> Character.isLetter(c) && Character.digit(c, 16) < 0);
    return words ? fromWords(t) : fromHex(t);
  }

  /** 16 groups of 4 lowercase hex digits joined by '-'. */
  public String toDashedHex() {
    String h = Bytes.hex(bytes);
    StringBuilder sb = new StringBuilder(79);
    for (int i = 0; i < 64; i += 4) {
      if (i > 0) {
        sb.append('-');
      }
      sb.append(h, i, i + 4);
    }
    return sb.toString();
  }

  /** 24 BIP-39 English words separated by single spaces. */
  public String toWords() {
    return Bip39.toWords(bytes);
  }

  public String toHex() {
    return Bytes.hex(bytes);
  }

  byte[] bytes() {
    return bytes.clone();
  }

  private static int[] toInts(byte[] b) {
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xff;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecoveryKey r && Bytes.constantTimeEquals(bytes, r.bytes);
  }

  @Override
  public int hashCode() {
    return 0; // never leak key bits through hashing
  }

  @Override
  public String toString() {
    return "RecoveryKey[hidden]";
  }
}
