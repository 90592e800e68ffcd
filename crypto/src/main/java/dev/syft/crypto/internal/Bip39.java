package dev.syft.crypto.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BIP-39 English mnemonics (entropy to words and back, with the SHA-256 checksum). The word list is
 * the standard's, checked against its published SHA-256 at load.
 */
public final class Bip39 {
  private static final String LIST_SHA256 = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda";
  private static final List<String> WORDS;
  private static final Map<String, Integer> INDEX = new HashMap<>();

  static {
    try (InputStream in = Bip39.class.getResourceAsStream("bip39-english.txt")) {
      if (in == null) {
        throw new IllegalStateException("bip39-english.txt missing from the jar");
      }
      byte[] raw = in.readAllBytes();
      if (!Bytes.hex(Bytes.sha256(raw)).equals(LIST_SHA256)) {
        throw new IllegalStateException("bip39-english.txt is not the BIP-39 English list");
      }
      List<String> words = new ArrayList<>(2048);
      try (BufferedReader r = new BufferedReader(new InputStreamReader(new java.io.ByteArrayInputStream(raw), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          INDEX.put(line, words.size());
          words.add(line);
        }
      }
      WORDS = List.copyOf(words);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Why words were refused. */
  public static final class MnemonicException extends Exception {
    private static final long serialVersionUID = 1L;

    MnemonicException(String message) {
      super(message);
    }
  }

  private Bip39() {}

  /** Words for 16..32 bytes of entropy (a multiple of 4). */
  public static String toWords(byte[] entropy) {
    int ent = entropy.length * 8;
    int cs = ent / 32;
    byte[] hash = Bytes.sha256(entropy);
    int total = ent + cs;
    StringBuilder sb = new StringBuilder();
    for (int w = 0; w < total / 11; w++) {
      int idx = 0;
      for (int b = 0; b < 11; b++) {
        int bit = w * 11 + b;
        int v = bit < ent ? bitAt(entropy, bit) : bitAt(hash, bit - ent);
        idx = (idx << 1) | v;
      }
      if (w > 0) {
        sb.append(' ');
      }
      sb.append(WORDS.get(idx));
    }
    return sb.toString();
  }

  /**
   * Entropy from a mnemonic of 12, 15, 18, 21 or 24 words; case and runs of whitespace are
   * normalised. Unknown words, other counts and a bad checksum are refused.
   */
  public static byte[] toEntropy(String mnemonic) throws MnemonicException {
    String norm = mnemonic.strip().toLowerCase(Locale.ROOT);
    String[] words = norm.isEmpty() ? new String[0] : norm.split("\\s+");
    int n = words.length;
    if (n < 12 || n > 24 || n % 3 != 0) {
      throw new MnemonicException("mnemonic has " + n + " words (expected 12, 15, 18, 21 or 24)");
    }
    int total = n * 11;
    int ent = total * 32 / 33;
    int cs = total - ent;
    byte[] bits = new byte[(total + 7) / 8];
    for (int w = 0; w < n; w++) {
      Integer idx = INDEX.get(words[w]);
      if (idx == null) {
        throw new MnemonicException("word " + (w + 1) + " is not in the BIP-39 English list");
      }
      for (int b = 0; b < 11; b++) {
        if ((idx >> (10 - b) & 1) == 1) {
          int bit = w * 11 + b;
          bits[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
      }
    }
    byte[] entropy = java.util.Arrays.copyOf(bits, ent / 8);
    byte[] hash = Bytes.sha256(entropy);
    for (int i = 0; i < cs; i++) {
      if (bitAt(bits, ent + i) != bitAt(hash, i)) {
        throw new MnemonicException("the mnemonic has an invalid checksum");
      }
    }
    return entropy;
  }

  private static int bitAt(byte[] b, int bit) {
    return (b[bit / 8] >> (7 - bit % 8)) & 1;
  }
}
