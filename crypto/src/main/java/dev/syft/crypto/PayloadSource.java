package dev.syft.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A plaintext of known size that can be read more than once (the streaming writer reads it twice
 * when it fills {@code integrity}: the prelude, which carries the ciphertext hash, comes first).
 */
public interface PayloadSource {
  long size() throws IOException;

  InputStream open() throws IOException;

  static PayloadSource of(Path file) {
    return new PayloadSource() {
      @Override
      public long size() throws IOException {
        return Files.size(file);
      }

      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }
    };
  }

  static PayloadSource of(byte[] bytes) {
    return new PayloadSource() {
      @Override
      public long size() {
        return bytes.length;
      }

      @Override
      public InputStream open() {
        return new java.io.ByteArrayInputStream(bytes);
      }
    };
  }
}
