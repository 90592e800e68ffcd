package dev.syft.transport.decorator;

import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.WriteMode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts every call (attempted, whether or not it succeeds) by {@link Operation}, and the content
 * bytes read and written. Used by benchmarks and call-budget tests ("an idle sync costs at most N
 * calls"). Thread-safe.
 */
public final class CountingStorage extends ForwardingStorage {
  private final CallCounter counter;

  /** Counts into a counter of its own. */
  public CountingStorage(Storage delegate) {
    this(delegate, new CallCounter());
  }

  /** Counts into {@code counter}, which other instances may share. */
  public CountingStorage(Storage delegate, CallCounter counter) {
    super(delegate);
    this.counter = counter;
  }

  public CallCounter counter() {
    return counter;
  }

  /** Calls of {@code op} so far. */
  public long count(Operation op) {
    return counter.snapshot().get(op);
  }

  /** Calls of every operation so far. */
  public long total() {
    return counter.snapshot().total();
  }

  public CallCounts snapshot() {
    return counter.snapshot();
  }

  /** Returns the counts so far and starts again from zero. */
  public CallCounts reset() {
    return counter.reset();
  }

  @Override
  protected <T> T invoke(Operation op, String subject, Call<T> call) throws IOException {
    counter.call(op);
    return call.run();
  }

  @Override
  public InputStream read(Entry file) throws IOException {
    return new Counted(super.read(file), true);
  }

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    return super.write(folder, name, new Counted(content, false), mode);
  }

  private final class Counted extends FilterInputStream {
    private final boolean reading;

    Counted(InputStream in, boolean reading) {
      super(in);
      this.reading = reading;
    }

    private void add(long n) {
      if (n > 0) {
        if (reading) {
          counter.read(n);
        } else {
          counter.written(n);
        }
      }
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      add(n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return in.skip(n);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
