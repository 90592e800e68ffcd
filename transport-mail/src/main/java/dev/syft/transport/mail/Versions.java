package dev.syft.transport.mail;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version stamps of Syft mail: {@code <16 hex digits of the writer's clock in microseconds>-<8 random hex>}.
 * They compare as strings; the highest wins on every replica, whatever order the mail arrived in. The
 * time part is the file's modification time. Monotonic within one writer.
 */
final class Versions {
  private final Clock clock;
  private long last;

  Versions(Clock clock) {
    this.clock = clock;
  }

  synchronized String next() {
    Instant now = clock.instant();
    long micros = Math.max(last + 1, now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
    last = micros;
    return String.format("%016x-%08x", micros, ThreadLocalRandom.current().nextInt());
  }

  static boolean valid(String v) {
    return v != null && v.matches("[0-9a-f]{16}-[0-9a-f]{8}");
  }

  static Instant time(String v) {
    long micros = HexFormat.fromHexDigitsToLong(v.substring(0, 16));
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  /** True when {@code a} is newer than {@code b} (null is older than anything). */
  static boolean newer(String a, String b) {
    return b == null || (a != null && a.compareTo(b) > 0);
  }
}
