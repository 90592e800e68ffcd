package dev.syft.transport.decorator;

import java.time.Duration;

/** Waits; injected so tests never sleep for real. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  /** Really sleeps. */
  static Sleeper system() {
    return d -> {
      if (!d.isNegative() && !d.isZero()) {
        Thread.sleep(d);
      }
    };
  }

  /** Returns at once. */
  static Sleeper none() {
    return d -> {};
  }
}
