package dev.syft.protocol.archive;

import dev.syft.protocol.LimitExceededException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts decompressed bytes and stops the decoder once the limit is passed. */
final class BoundedInputStream extends FilterInputStream {
  private final long limit;
  private long count;
  private boolean exceeded;

  BoundedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, (int) Math.min(len, limit - count + 1));
    if (n > 0) {
      add(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Route skips through read so skipped bytes count too.
    byte[] scratch = new byte[(int) Math.min(n, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  /** Reads to the end (so gzip verifies its CRC and length), still bounded. */
  void drain() throws IOException {
    byte[] scratch = new byte[8192];
    while (read(scratch, 0, scratch.length) >= 0) {
      // discard
    }
  }

  boolean exceeded() {
    return exceeded;
  }

  private void add(long n) {
    count += n;
    if (count > limit) {
      exceeded = true;
      throw limitError();
    }
  }

  LimitExceededException limitError() {
    return new LimitExceededException("archive content is larger than the limit of " + limit + " bytes after decompression");
  }
}
