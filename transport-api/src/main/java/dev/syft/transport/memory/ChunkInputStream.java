package dev.syft.transport.memory;

import java.io.InputStream;
import java.util.List;

/** Streams an immutable list of chunks (a snapshot: later writes replace the list, not the chunks). */
final class ChunkInputStream extends InputStream {
  private final List<byte[]> chunks;
  private int chunk;
  private int pos;

  ChunkInputStream(List<byte[]> chunks) {
    this.chunks = chunks;
  }

  @Override
  public int read() {
    while (chunk < chunks.size()) {
      byte[] c = chunks.get(chunk);
      if (pos < c.length) {
        return c[pos++] & 0xff;
      }
      chunk++;
      pos = 0;
    }
    return -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    while (chunk < chunks.size()) {
      byte[] c = chunks.get(chunk);
      if (pos < c.length) {
        int n = Math.min(len, c.length - pos);
        System.arraycopy(c, pos, b, off, n);
        pos += n;
        return n;
      }
      chunk++;
      pos = 0;
    }
    return -1;
  }

  @Override
  public int available() {
    return chunk < chunks.size() ? chunks.get(chunk).length - pos : 0;
  }
}
