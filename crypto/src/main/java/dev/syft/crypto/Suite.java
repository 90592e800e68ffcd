package dev.syft.crypto;

import java.util.Optional;

/** Payload encryption suites of SYC2. */
public enum Suite {
  /** One XChaCha20-Poly1305 over the whole plaintext; every syft-crypto reader (0.1.2b2 on) reads it. */
  SINGLE("xchacha20poly1305-v1"),
  /**
   * 1 MiB segments, each sealed on its own (19-byte nonce prefix, index and last flag in nonce and
   * AAD): memory stays O(segment). Only readers from syft-crypto 0.1.2b4 on (and ours) read it.
   */
  STREAM("xchacha20poly1305-stream-v1");

  private final String wireName;

  Suite(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Suite> fromWireName(String name) {
    for (Suite s : values()) {
      if (s.wireName.equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
