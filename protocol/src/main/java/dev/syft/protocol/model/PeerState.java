package dev.syft.protocol.model;

import java.util.Optional;

/** The state of a peer relationship as one client sees it (PROTOCOL.md 6.6, 9.1). */
public enum PeerState {
  ACCEPTED("accepted"),
  /** Derived from the folder scan; never written to the peers file by the reference. */
  REQUESTED_BY_PEER("requested_by_peer"),
  REJECTED("rejected"),
  REQUESTED_BY_ME("requested_by_me");

  private final String wireName;

  PeerState(String wireName) {
    this.wireName = wireName;
  }

  /** The string stored in {@code SYFT_peers.json}. */
  public String wireName() {
    return wireName;
  }

  /** The wire name, so logs, CLI text and JSON show {@code accepted}, not {@code ACCEPTED}. */
  @Override
  public String toString() {
    return wireName;
  }

  /** The state with this exact wire name, if any. */
  public static Optional<PeerState> fromWireName(String name) {
    for (PeerState s : values()) {
      if (s.wireName.equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
