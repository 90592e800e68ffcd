package dev.syft.crypto;

import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * How to seal: suite, {@code public_meta.filename_hint}, whether to fill {@code integrity} (the
 * SHA-256 of the ciphertext, signed with the prelude, so another recipient who knows the file key
 * cannot swap the ciphertext; older readers ignore it), the {@code created_at} clock and the
 * randomness source. Immutable; start from {@link #defaults()}.
 */
public record SealOptions(Suite suite, @Nullable String filenameHint, boolean integrity, Clock clock, RandomSource random) {
  public SealOptions {
    if (suite == null || clock == null || random == null) {
      throw new IllegalArgumentException("suite, clock and random are required");
    }
  }

  /** Single-shot suite, no hint, integrity on, system clock, SecureRandom. */
  public static SealOptions defaults() {
    return new SealOptions(Suite.SINGLE, null, true, Clock.systemUTC(), RandomSource.secure());
  }

  public SealOptions withSuite(Suite s) {
    return new SealOptions(s, filenameHint, integrity, clock, random);
  }

  public SealOptions withFilenameHint(@Nullable String hint) {
    return new SealOptions(suite, hint, integrity, clock, random);
  }

  public SealOptions withIntegrity(boolean on) {
    return new SealOptions(suite, filenameHint, on, clock, random);
  }

  public SealOptions withClock(Clock c) {
    return new SealOptions(suite, filenameHint, integrity, c, random);
  }

  public SealOptions withRandom(RandomSource r) {
    return new SealOptions(suite, filenameHint, integrity, clock, r);
  }
}
