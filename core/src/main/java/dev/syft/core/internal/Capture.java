package dev.syft.core.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A message read from the store, seen on its way to the decoder: the first {@link
 * StateDb#MAX_QUARANTINE_PAYLOAD} bytes, the size and the SHA-256 of everything read, so a refused
 * message can be quarantined without ever holding all of it.
 */
final class Capture extends FilterInputStream {
  private final long max;
  private final MessageDigest md;
  private byte[] head = new byte[8192];
  private int headLen;
  private long size;

  /** {@code max}: {@link #drain} reads no further than this many bytes in all. */
  Capture(InputStream in, long max) {
    super(in);
    this.max = max;
    try {
      this.md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int read() throws IOException {
    int c = in.read();
    if (c >= 0) {
      seen(new byte[] {(byte) c}, 0, 1);
    }
    return c;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      seen(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(n, 8192)];
    int r = read(buf, 0, buf.length);
    return Math.max(r, 0);
  }

  private void seen(byte[] b, int off, int n) {
    md.update(b, off, n);
    size += n;
    int keep = Math.min(n, StateDb.MAX_QUARANTINE_PAYLOAD - headLen);
    if (keep > 0) {
      if (headLen + keep > head.length) {
        head = Arrays.copyOf(head, Math.min(StateDb.MAX_QUARANTINE_PAYLOAD, Math.max(head.length * 2, headLen + keep)));
      }
      System.arraycopy(b, off, head, headLen, keep);
      headLen += keep;
    }
  }

  /** Reads the rest (up to the bound), so size and hash cover the whole message; errors are ignored. */
  void drain() {
    byte[] buf = new byte[64 * 1024];
    try {
      while (size <= max && read(buf, 0, buf.length) >= 0) {
        // counted by read
      }
    } catch (IOException e) {
      // the hash then covers what could be read
    }
  }

  /** What quarantine keeps. */
  StateDb.Kept kept() {
    return new StateDb.Kept(Arrays.copyOf(head, headLen), size, HexFormat.of().formatHex(((MessageDigest) cloneDigest()).digest()));
  }

  private Object cloneDigest() {
    try {
      return md.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }
}
