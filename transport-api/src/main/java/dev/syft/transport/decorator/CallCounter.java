package dev.syft.transport.decorator;

import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thread-safe call and byte counters. One counter may be shared by several {@link CountingStorage}
 * instances (e.g. every user of a benchmark) to count a whole scenario.
 */
public final class CallCounter {
  private final AtomicLongArray calls = new AtomicLongArray(Operation.values().length);
  private final LongAdder bytesRead = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();

  void call(Operation op) {
    calls.incrementAndGet(op.ordinal());
  }

  void read(long n) {
    bytesRead.add(n);
  }

  void written(long n) {
    bytesWritten.add(n);
  }

  /** The counts so far. */
  public CallCounts snapshot() {
    EnumMap<Operation, Long> m = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      m.put(op, calls.get(op.ordinal()));
    }
    return new CallCounts(m, bytesRead.sum(), bytesWritten.sum());
  }

  /** Returns the counts so far and starts again from zero. */
  public synchronized CallCounts reset() {
    EnumMap<Operation, Long> m = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      m.put(op, calls.getAndSet(op.ordinal(), 0));
    }
    return new CallCounts(m, bytesRead.sumThenReset(), bytesWritten.sumThenReset());
  }
}
