package dev.syft.core;

import java.util.List;
import java.util.Map;

/**
 * What one sync round did.
 *
 * @param localChanges changed paths of the own datasite routed to peers
 * @param accepted proposals from peers applied to the own datasite
 * @param rejected proposals from peers refused and quarantined
 * @param proposed changes this client proposed to peers' datasites
 * @param pulled events applied to replicas of peers' datasites
 * @param uploaded messages uploaded from the outgoing journal
 * @param pendingUploads messages still waiting for upload
 * @param peerErrors per-peer problems that did not stop the round
 * @param skippedPeers accepted peers not synced, with the reason
 * @param heldDeletions deletions held back as a mass deletion, by datasite (our own e-mail for our
 *     datasite, a peer's for our replica of theirs); {@code sync --allow-mass-delete} confirms them
 */
public record SyncReport(int localChanges, int accepted, int rejected, int proposed, int pulled, int uploaded,
    int pendingUploads, Map<String, String> peerErrors, Map<String, String> skippedPeers,
    Map<String, Integer> heldDeletions) {
  public SyncReport {
    peerErrors = Map.copyOf(peerErrors);
    skippedPeers = Map.copyOf(skippedPeers);
    heldDeletions = Map.copyOf(heldDeletions);
  }

  /** True when nothing went wrong and no deletion was held back. */
  public boolean clean() {
    return peerErrors.isEmpty() && heldDeletions.isEmpty();
  }

}
