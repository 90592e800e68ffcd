package dev.syft.core.internal;

import java.time.Instant;

/** The state database keeps times as epoch seconds (the wire's unit); the public records carry {@link Instant}s. */
final class Epoch {
  private Epoch() {}

  /** Epoch seconds to an instant, to the millisecond (what a double holds reliably). */
  static Instant instant(double epochSeconds) {
    return Instant.ofEpochMilli(Math.round(epochSeconds * 1000));
  }

  /** As {@link #instant(double)}; null stays null. */
  static Instant instantOrNull(Double epochSeconds) {
    return epochSeconds == null ? null : instant(epochSeconds);
  }
}
