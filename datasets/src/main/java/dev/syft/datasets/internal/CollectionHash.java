package dev.syft.datasets.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The reference's collection hash (PROTOCOL.md 5: SHA-256 over name bytes then content bytes of each
 * file in name order, 12 hex digits), streamed so large mock files are never held in memory. Same
 * result as {@link dev.syft.protocol.hash.Hashes#collectionHash}.
 */
final class CollectionHash {
  static final int LENGTH = dev.syft.protocol.hash.Hashes.COLLECTION_HASH_LENGTH;

  private CollectionHash() {}

  /** The full SHA-256 hex over {@code files}. */
  static String sha256(List<Blob> files) throws IOException {
    List<Blob> sorted = new ArrayList<>(files);
    sorted.sort((a, b) -> FlatNames.CODE_POINT_ORDER.compare(a.name(), b.name()));
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[64 * 1024];
    for (Blob b : sorted) {
      md.update(b.name().getBytes(StandardCharsets.UTF_8));
      try (InputStream in = b.open()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** The 12-hex-digit collection hash. */
  static String of(List<Blob> files) throws IOException {
    return sha256(files).substring(0, LENGTH);
  }
}
