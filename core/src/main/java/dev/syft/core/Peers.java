package dev.syft.core;

import dev.syft.core.internal.Engine;
import java.util.List;

/** The contacts of a client. Obtained from {@link SyftClient#peers()}. */
public final class Peers {
  private final Engine engine;

  Peers(Engine engine) {
    this.engine = engine;
  }

  /** Every known peer, accepted first, then our requests, then theirs, then rejected ones. */
  public List<Peer> list() {
    return engine.peerList();
  }

  /**
   * Asks {@code email} to connect; if they already asked us, approves them. Returns what happened.
   */
  public String add(String email) {
    return engine.addPeer(email);
  }

  /** Approves a pending request: the peer may then propose files and receive what it may read. */
  public void approve(String email) {
    engine.approvePeer(email);
  }

  /**
   * Withdraws a request we sent to {@code email}, or drops them as a contact: our folders for them are
   * deleted, the access an approval gave them is revoked, and they are forgotten here. A request of
   * theirs still in their storage shows up again at the next sync. Returns the state they had
   * ({@code requested_by_me}, {@code accepted}, ...).
   *
   * @throws dev.syft.protocol.SyftException {@code no-peer} when there is no such contact or request
   */
  public String remove(String email) {
    return engine.removePeer(email);
  }

  /**
   * Trusts the encryption key {@code email} publishes when {@code fingerprint} (its short form or hex,
   * compared with them out of band) matches: after a key change, their messages are read and ours are
   * sent again. Returns the trusted key's short form.
   *
   * @throws dev.syft.protocol.SyftException {@code fingerprint-mismatch} when it does not match
   */
  public String trust(String email, String fingerprint) {
    return engine.trustPeer(email, fingerprint);
  }

  /** The hex fingerprint of the key pinned for {@code email}, if any (its short form is in {@link Peer}). */
  public java.util.Optional<String> pinnedFingerprint(String email) {
    return engine.pinnedFingerprint(email);
  }

  /** Rejects a pending request. The peer is not told; its messages stay queued on its side. */
  public void reject(String email) {
    engine.rejectPeer(email);
  }
}
