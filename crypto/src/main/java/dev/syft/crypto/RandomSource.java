package dev.syft.crypto;

import java.security.SecureRandom;

/**
 * Where keys, nonces and ephemeral secrets come from. Production uses {@link #secure()}; tests
 * inject a scripted source to reproduce golden envelopes byte for byte.
 */
@FunctionalInterface
public interface RandomSource {
  /** Fills {@code out} completely. */
  void nextBytes(byte[] out);

  static RandomSource secure() {
    SecureRandom r = new SecureRandom();
    return r::nextBytes;
  }
}
