package dev.syft.transport.gdrive.internal;

import dev.syft.transport.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media download that survives cut connections: after a transient failure (or an end of stream
 * before the announced length) it re-requests the rest with {@code Range: bytes=<delivered>-} and
 * carries on, within the retry policy. Runs {@code onDone} exactly once (end, failure or close), which
 * releases the download slot.
 */
public final class ResumingInputStream extends InputStream {
  private static final Logger log = LoggerFactory.getLogger(ResumingInputStream.class);

  /** An open response body. */
  public record Opened(InputStream in, long firstByte, long total) {}

  /** Opens the media from byte {@code offset}; the answer says where its body really starts. */
  @FunctionalInterface
  public interface Opener {
    Opened open(long offset) throws IOException;
  }

  private final Opener opener;
  private final DriveCalls calls;
  private final String what;
  private final Runnable onDone;
  private final AtomicBoolean done = new AtomicBoolean();
  private InputStream cur;
  private long delivered;
  private long total = -1;
  private boolean closed;

  public ResumingInputStream(Opened first, Opener opener, DriveCalls calls, String what, Runnable onDone) {
    this.opener = opener;
    this.calls = calls;
    this.what = what;
    this.onDone = onDone;
    this.cur = first.in();
    this.total = first.total();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    for (int attempt = 1; ; attempt++) {
      if (cur == null) {
        try {
          reopen(); // retried inside already
        } catch (IOException e) {
          finish();
          throw e;
        }
      }
      try {
        int n = cur.read(b, off, len);
        if (n < 0) {
          if (total >= 0 && delivered < total) {
            throw new java.io.EOFException("download ended at byte " + delivered + " of " + total);
          }
          finish();
          return -1;
        }
        delivered += n;
        return n;
      } catch (IOException e) {
        closeQuietly();
        DriveErrors.Failure f = DriveErrors.classify(e, false);
        if (!f.retryable() || attempt >= calls.policy().maxAttempts()) {
          finish();
          throw e instanceof StorageException s ? s : calls.toStorageException(what, e, f, attempt);
        }
        log.debug("{} was cut at byte {} ({}); resuming", what, delivered, f.message());
        Duration d = calls.policy().delay(attempt, ThreadLocalRandom.current().nextDouble());
        try {
          calls.policy().sleeper().sleep(d);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          finish();
          throw new java.io.InterruptedIOException("interrupted while resuming " + what);
        }
      }
    }
  }

  private void reopen() throws IOException {
    Opened o = opener.open(delivered);
    InputStream in = o.in();
    long skip = delivered - o.firstByte();
    if (skip < 0) {
      in.close();
      throw new IOException("the server resumed " + what + " past the requested byte");
    }
    if (skip > 0) {
      in.skipNBytes(skip); // the server ignored the range
    }
    cur = in;
    if (o.total() >= 0) {
      total = o.total();
    }
  }

  private void closeQuietly() {
    if (cur != null) {
      try {
        cur.close();
      } catch (IOException ignored) {
        // the connection is gone anyway
      }
      cur = null;
    }
  }

  private void finish() {
    if (done.compareAndSet(false, true)) {
      onDone.run();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeQuietly();
    finish();
  }
}
