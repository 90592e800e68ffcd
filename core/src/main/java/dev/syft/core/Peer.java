package dev.syft.core;

import dev.syft.protocol.model.PeerState;

/**
 * A contact as this client sees it.
 *
 * @param email the peer's identity
 * @param state accepted, requested by me, requested by the peer, or rejected
 * @param version the peer's client version, or null when unknown
 * @param skipReason why sync skips this peer (e.g. an incompatible version), or null
 * @param warning a non-blocking remark (e.g. a patch-version difference), or null
 * @param lastSync epoch seconds of the last successful sync with the peer, or null
 */
public record Peer(String email, PeerState state, String version, String skipReason, String warning, Double lastSync) {
  /** One line for JShell and logs: e-mail, state, version, last sync (UTC), and any warning. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Peer[").append(email).append(", ").append(state);
    if (version != null) {
      b.append(", version ").append(version);
    }
    if (lastSync != null) {
      b.append(", last sync ").append(java.time.Instant.ofEpochMilli(Math.round(lastSync * 1000))
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
    if (skipReason != null) {
      b.append(", skipped: ").append(skipReason);
    }
    if (warning != null) {
      b.append(", warning: ").append(warning);
    }
    return b.append(']').toString();
  }
}
