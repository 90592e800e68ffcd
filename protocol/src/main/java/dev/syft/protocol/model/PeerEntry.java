package dev.syft.protocol.model;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * One peer as read from {@code SYFT_peers.json}.
 *
 * @param email the peer's e-mail (the file's key)
 * @param state its recorded state
 * @param publicEncryptionBundle the peer's DID document, or {@code null}; a defensive copy
 */
public record PeerEntry(String email, PeerState state, JsonNode publicEncryptionBundle) {
  public PeerEntry {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(state, "state");
    publicEncryptionBundle = publicEncryptionBundle == null || publicEncryptionBundle.isNull()
        ? null : publicEncryptionBundle.deepCopy();
  }

  /** A copy of the bundle (JSON nodes are mutable), or {@code null}. */
  @Override
  public JsonNode publicEncryptionBundle() {
    return publicEncryptionBundle == null ? null : publicEncryptionBundle.deepCopy();
  }
}
