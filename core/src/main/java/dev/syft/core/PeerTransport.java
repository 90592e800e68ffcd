package dev.syft.core;

import java.time.Instant;
import java.util.List;

/**
 * How traffic with one peer travels: the transports chosen for it and how each did.
 *
 * @param peer the peer's e-mail
 * @param via the transports chosen for this peer ({@code syft peers add E --via T}), preferred first; empty
 *     when the peer uses every transport of the home
 * @param transports per transport the peer's traffic uses (the chosen ones, else all), in order
 */
public record PeerTransport(String peer, List<String> via, List<Health> transports) {
  public PeerTransport {
    via = List.copyOf(via);
    transports = List.copyOf(transports);
  }

  /**
   * One transport's record for this peer, kept across runs in the home.
   *
   * @param transport the transport URI
   * @param lastOkAt the last exchange with the peer that worked on it, or null (never)
   * @param lastError the last failure, or null
   * @param lastErrorAt when it failed, or null
   */
  public record Health(String transport, Instant lastOkAt, String lastError, Instant lastErrorAt) {
    /** Whether the last thing that happened was a failure. */
    public boolean failing() {
      return lastErrorAt != null && (lastOkAt == null || lastErrorAt.isAfter(lastOkAt));
    }
  }
}
