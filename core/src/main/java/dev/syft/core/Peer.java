package dev.syft.core;

import dev.syft.protocol.model.PeerState;
import java.time.Instant;

/**
 * A contact as this client sees it.
 *
 * @param email the peer's identity
 * @param state accepted, requested by me, requested by the peer, or rejected
 * @param version the peer's client version, or null when unknown
 * @param skipReason why sync skips this peer (e.g. an incompatible version), or null
 * @param warning a non-blocking remark (e.g. a patch-version difference), or null
 * @param lastSync the end of the last successful sync with the peer, or null
 * @param fingerprint the short form of the peer's pinned encryption key (compare it out of band), or null
 * @param encrypted whether our traffic with the peer is end-to-end encrypted (both sides publish keys and
 *     theirs is trusted)
 * @param keyProblem why traffic with the peer is held (their key changed and is not trusted yet), or null
 */
public record Peer(String email, PeerState state, String version, String skipReason, String warning, Instant lastSync,
    String fingerprint, boolean encrypted, String keyProblem) {
  /** A peer without encryption details. */
  public Peer(String email, PeerState state, String version, String skipReason, String warning, Instant lastSync) {
    this(email, state, version, skipReason, warning, lastSync, null, false, null);
  }

  /** One line for JShell and logs: e-mail, state, version, last sync (UTC), and any warning. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Peer[").append(email).append(", ").append(state);
    if (version != null) {
      b.append(", version ").append(version);
    }
    if (lastSync != null) {
      b.append(", last sync ").append(lastSync.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
    if (skipReason != null) {
      b.append(", skipped: ").append(skipReason);
    }
    if (fingerprint != null) {
      b.append(encrypted ? ", encrypted, key " : ", clear, key ").append(fingerprint);
    }
    if (keyProblem != null) {
      b.append(", key problem: ").append(keyProblem);
    }
    if (warning != null) {
      b.append(", warning: ").append(warning);
    }
    return b.append(']').toString();
  }
}
