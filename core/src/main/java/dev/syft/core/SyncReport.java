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
 */
public record SyncReport(int localChanges, int accepted, int rejected, int proposed, int pulled, int uploaded,
    int pendingUploads, Map<String, String> peerErrors, Map<String, String> skippedPeers) {
  public SyncReport {
    peerErrors = Map.copyOf(peerErrors);
    skippedPeers = Map.copyOf(skippedPeers);
  }

  /** True when nothing went wrong. */
  public boolean clean() {
    return peerErrors.isEmpty();
  }

}
