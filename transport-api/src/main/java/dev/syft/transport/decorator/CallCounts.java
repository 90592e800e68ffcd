package dev.syft.transport.decorator;

import java.util.EnumMap;
import java.util.Map;

/**
 * An immutable snapshot of a {@link CallCounter}.
 *
 * @param calls calls per operation (absent = 0)
 * @param bytesRead content bytes delivered by {@code read} streams
 * @param bytesWritten content bytes consumed by {@code write}
 */
public record CallCounts(Map<Operation, Long> calls, long bytesRead, long bytesWritten) {
  public CallCounts {
    EnumMap<Operation, Long> copy = new EnumMap<>(Operation.class);
    calls.forEach((k, v) -> {
      if (v != 0) {
        copy.put(k, v);
      }
    });
    calls = java.util.Collections.unmodifiableMap(copy);
  }

  /** Calls of one operation. */
  public long get(Operation op) {
    return calls.getOrDefault(op, 0L);
  }

  /** Calls of every operation. */
  public long total() {
    return calls.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Calls that change the store ({@link Operation#mutates()}). */
  public long mutations() {
    return calls.entrySet().stream().filter(e -> e.getKey().mutates()).mapToLong(Map.Entry::getValue).sum();
  }

  /** What happened between {@code earlier} and this snapshot. */
  public CallCounts minus(CallCounts earlier) {
    EnumMap<Operation, Long> diff = new EnumMap<>(Operation.class);
    for (Operation op : Operation.values()) {
      diff.put(op, get(op) - earlier.get(op));
    }
    return new CallCounts(diff, bytesRead - earlier.bytesRead, bytesWritten - earlier.bytesWritten);
  }

  @Override
  public String toString() {
    return "CallCounts" + calls + " total=" + total() + " read=" + bytesRead + "B written=" + bytesWritten + "B";
  }
}
