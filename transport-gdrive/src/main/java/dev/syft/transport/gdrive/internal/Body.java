package dev.syft.transport.gdrive.internal;

import com.google.api.client.http.AbstractInputStreamContent;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.FileContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Upload content held so that every attempt sends the same bytes: in memory up to a limit, else in a
 * temporary file (deleted on close), so large files stay out of the heap.
 */
public final class Body implements AutoCloseable {
  private final byte[] bytes;
  private final Path file;
  private final long length;

  private Body(byte[] bytes, Path file, long length) {
    this.bytes = bytes;
    this.file = file;
    this.length = length;
  }

  /** Reads {@code in} to the end (it is not closed), with plain 64 KiB reads. */
  public static Body spool(InputStream in, int memoryLimit) throws IOException {
    java.io.ByteArrayOutputStream mem = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) >= 0) {
      mem.write(buf, 0, n);
      if (mem.size() > memoryLimit) {
        return spill(mem, in, buf);
      }
    }
    byte[] all = mem.toByteArray();
    return new Body(all, null, all.length);
  }

  private static Body spill(java.io.ByteArrayOutputStream head, InputStream in, byte[] buf) throws IOException {
    Path f = Files.createTempFile("syft-gdrive-upload-", ".part");
    try (OutputStream out = Files.newOutputStream(f)) {
      long total = head.size();
      head.writeTo(out);
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        total += n;
      }
      return new Body(null, f, total);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(f);
      throw e;
    }
  }

  public long length() {
    return length;
  }

  /** Content for the Drive client; can be read again for a retry. */
  public AbstractInputStreamContent content(String mimeType) {
    return bytes != null ? new ByteArrayContent(mimeType, bytes) : new FileContent(mimeType, file.toFile());
  }

  @Override
  public void close() throws IOException {
    if (file != null) {
      Files.deleteIfExists(file);
    }
  }
}
