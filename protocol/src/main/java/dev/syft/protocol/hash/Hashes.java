package dev.syft.protocol.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The two hashes of the protocol (PROTOCOL.md section 5).
 *
 * <ul>
 *   <li>content hash: lowercase hex SHA-256 of the exact file bytes (text: its UTF-8 bytes, no
 *       newline or Unicode normalisation); used as {@code old_hash}/{@code new_hash};
 *   <li>collection hash: SHA-256 over the files sorted by name in code-point order, feeding each
 *       file's UTF-8 name bytes then its content bytes with no separators, truncated to
 *       {@value #COLLECTION_HASH_LENGTH} hex digits; part of dataset collection folder names.
 * </ul>
 */
public final class Hashes {
  /** Hex digits kept from the collection SHA-256. */
  public static final int COLLECTION_HASH_LENGTH = 12;

  private Hashes() {}

  /** Lowercase hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** Lowercase hex SHA-256 of the UTF-8 encoding of {@code text}. */
  public static String sha256Hex(String text) {
    return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The 12-hex-digit dataset collection hash of {@code files} (name to content). */
  public static String collectionHash(Map<String, byte[]> files) {
    return collectionSha256(files).substring(0, COLLECTION_HASH_LENGTH);
  }

  /** The untruncated collection SHA-256 (for diagnostics). */
  public static String collectionSha256(Map<String, byte[]> files) {
    List<String> names = new ArrayList<>(files.keySet());
    names.sort(Hashes::compareCodePoints);
    MessageDigest digest = sha256();
    for (String name : names) {
      digest.update(name.getBytes(StandardCharsets.UTF_8));
      digest.update(files.get(name));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Python's string order: by Unicode code point (String.compareTo orders UTF-16 units). */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
