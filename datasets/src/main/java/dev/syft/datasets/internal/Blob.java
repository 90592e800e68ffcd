package dev.syft.datasets.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file of a collection: its flat name and where its bytes come from (a local file, streamed, or
 * a small in-memory document such as the manifest).
 */
record Blob(String name, Path file, byte[] bytes) {
  static Blob ofFile(String name, Path file) {
    return new Blob(name, file, null);
  }

  static Blob ofBytes(String name, byte[] bytes) {
    return new Blob(name, null, bytes);
  }

  /** The length in bytes (0 when the file cannot be read now; the upload then reports the error). */
  long size() {
    if (bytes != null) {
      return bytes.length;
    }
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  InputStream open() throws IOException {
    return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
  }
}
