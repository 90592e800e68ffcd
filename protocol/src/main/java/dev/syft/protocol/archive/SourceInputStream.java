package dev.syft.protocol.archive;

import dev.syft.protocol.LimitExceededException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The caller's stream under the decoders: bounds the compressed size and remembers an I/O failure of
 * the stream itself, so it is reported as such and not as a corrupt archive (the decoders above wrap
 * or replace it). Does not close the caller's stream.
 */
final class SourceInputStream extends FilterInputStream {
  private final long limit;
  private long count;
  private boolean exceeded;
  private IOException failure;

  SourceInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n;
    try {
      // ask for at most one byte past the limit, so an oversized stream is noticed without reading on
      n = super.read(buf, off, (int) Math.max(1, Math.min(len, limit - count + 1)));
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    if (n > 0) {
      count += n;
      if (count > limit) {
        exceeded = true;
        throw limitError();
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.max(1, Math.min(n, 8192))];
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

  @Override
  public void close() {
    // the caller owns the stream
  }

  /** The stream's own I/O failure, if one happened. */
  IOException failure() {
    return failure;
  }

  boolean exceeded() {
    return exceeded;
  }

  LimitExceededException limitError() {
    return new LimitExceededException("archive is larger than the limit of " + limit + " bytes");
  }
}
