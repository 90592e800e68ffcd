package dev.syft.protocol.archive;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The reference's gzip framing, streamed: header with no file name, the given MTIME, XFL 2, OS 255;
 * raw deflate at level 9; CRC-32 and length trailer. zlib's output does not depend on how the input
 * is split into writes, so streaming and one-shot encoding give the same bytes.
 *
 * <p>{@link #finish()} writes the trailer; neither it nor {@link #close()} closes the target.
 */
final class GzipWriter extends OutputStream {
  private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
  private final OutputStream target;
  private final DeflaterOutputStream deflate;
  private final CRC32 crc = new CRC32();
  private long length;
  private boolean finished;

  GzipWriter(OutputStream target, long mtime) throws IOException {
    this.target = target;
    long m = Math.max(0, Math.min(mtime, 0xffffffffL));
    target.write(new byte[] {
      0x1f, (byte) 0x8b, 8, 0,
      (byte) m, (byte) (m >>> 8), (byte) (m >>> 16), (byte) (m >>> 24),
      2, (byte) 0xff});
    OutputStream shielded = new FilterOutputStream(target) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() {
        // the caller owns the target
      }
    };
    this.deflate = new DeflaterOutputStream(shielded, deflater, 8192);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (finished) {
      throw new IOException("gzip stream already finished");
    }
    deflate.write(b, off, len);
    crc.update(b, off, len);
    length += len;
  }

  /** Uncompressed bytes written so far. */
  long length() {
    return length;
  }

  /** Ends the deflate stream and writes the trailer. */
  void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      deflate.finish();
      writeIntLe(crc.getValue());
      writeIntLe(length & 0xffffffffL);
    } finally {
      deflater.end();
    }
  }

  @Override
  public void flush() throws IOException {
    target.flush();
  }

  /** Releases the deflater without writing a trailer when {@link #finish()} was not reached. */
  @Override
  public void close() {
    finished = true;
    deflater.end();
  }

  private void writeIntLe(long v) throws IOException {
    target.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
  }
}
