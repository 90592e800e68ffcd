package dev.syft.datasets.internal;

import dev.syft.core.ProgressListener;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Byte counting for upload and download progress ({@link dev.syft.core.ClientContext#progress()}). */
final class Transfers {
  private Transfers() {}

  /** The task label: {@code "uploading 3 file(s), 12.4 MB: patients"}. */
  static String label(String verb, int files, long bytes, String what) {
    return String.format("%s %,d file(s), %s: %s", verb, files, size(bytes), what);
  }

  static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String units = "kMGTPE";
    double v = bytes;
    int u = -1;
    while (v >= 1000 && u < units.length() - 1) {
      v /= 1000;
      u++;
    }
    return String.format("%.1f %sB", v, units.charAt(u));
  }

  /** {@code in}, advancing {@code progress} by each byte read. */
  static InputStream counting(InputStream in, ProgressListener progress) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          progress.advance(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          progress.advance(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        long s = super.skip(n);
        progress.advance(s);
        return s;
      }
    };
  }
}
