package dev.syft.transport.decorator;

import java.time.Duration;

/**
 * Bounded exponential back-off with jitter for {@link RetryingStorage}.
 *
 * @param maxAttempts attempts in total, at least 1 (the reference: 4 = 1 + 3 retries)
 * @param initialDelay wait before the first retry
 * @param maxDelay cap of a single wait
 * @param multiplier growth per retry
 * @param jitter relative spread of each wait, e.g. 0.2 for +-20 %
 * @param sleeper how waits happen (tests pass {@link Sleeper#none()} or a recording sleeper)
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier,
    double jitter, Sleeper sleeper) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    if (multiplier < 1 || jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("multiplier must be >= 1 and jitter in [0, 1)");
    }
  }

  /** The reference's Drive policy: 4 attempts, 1 s, 2 s, 4 s (cap 8 s), +-20 % jitter, real sleeping. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.2, Sleeper.system());
  }

  public RetryPolicy withMaxAttempts(int n) {
    return new RetryPolicy(n, initialDelay, maxDelay, multiplier, jitter, sleeper);
  }

  public RetryPolicy withSleeper(Sleeper s) {
    return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, s);
  }

  /**
   * The wait before retry number {@code retry} (1 = first retry), before jitter: {@code
   * initialDelay * multiplier^(retry-1)}, capped at {@code maxDelay}.
   */
  public Duration baseDelay(int retry) {
    double ms = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, retry - 1));
    return Duration.ofMillis((long) Math.min(ms, maxDelay.toMillis()));
  }

  /** {@link #baseDelay} spread by {@code jitter}; {@code unit} is a random number in [0, 1). */
  public Duration delay(int retry, double unit) {
    long base = baseDelay(retry).toMillis();
    double factor = 1 + jitter * (2 * unit - 1);
    return Duration.ofMillis(Math.round(base * factor));
  }
}
