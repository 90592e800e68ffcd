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
 * @param peerErrors problems with one datasite that did not stop the round, by e-mail (a peer's, or our own
 *     for deletions held back in our datasite)
 * @param skippedPeers accepted peers not synced, with the reason
 * @param heldDeletions deletions held back as a mass deletion, by datasite (our own e-mail for our
 *     datasite, a peer's for our replica of theirs); {@code sync --allow-mass-delete} confirms them
 * @param partErrors parts of the round other than a peer that failed (an extension, checkpoint maintenance);
 *     they are retried next round
 */
public record SyncReport(int localChanges, int accepted, int rejected, int proposed, int pulled, int uploaded,
    int pendingUploads, Map<String, String> peerErrors, Map<String, String> skippedPeers,
    Map<String, Integer> heldDeletions, List<PartError> partErrors) {
  public SyncReport {
    peerErrors = Map.copyOf(peerErrors);
    skippedPeers = Map.copyOf(skippedPeers);
    heldDeletions = Map.copyOf(heldDeletions);
    partErrors = List.copyOf(partErrors);
  }

  /** What failed in a round outside any one peer. */
  public enum Part {
    /** A {@link SyncExtension} (its {@link SyncExtension#name()} is the error's name). */
    EXTENSION,
    /** Writing checkpoints or compacting the outbox. */
    CHECKPOINTS
  }

  /**
   * One failed part of a round.
   *
   * @param part what kind of part
   * @param name the part's name: the extension's name, or {@code checkpoints}
   * @param message why it failed
   */
  public record PartError(Part part, String name, String message) {
    /** A failed extension. */
    public static PartError extension(String name, String message) {
      return new PartError(Part.EXTENSION, name, message);
    }
  }

  /** True when nothing went wrong and no deletion was held back. */
  public boolean clean() {
    return peerErrors.isEmpty() && partErrors.isEmpty() && heldDeletions.isEmpty();
  }

  /** The error of the extension named {@code name} in this round, if it failed. */
  public java.util.Optional<String> extensionError(String name) {
    return partErrors.stream().filter(e -> e.part() == Part.EXTENSION && e.name().equals(name))
        .map(PartError::message).findFirst();
  }

  /** Every problem by subject, for one-line summaries: peer e-mails, extension names, {@code checkpoints}. */
  public Map<String, String> allErrors() {
    Map<String, String> all = new java.util.LinkedHashMap<>(peerErrors);
    partErrors.forEach(e -> all.merge(e.name(), e.message(), (a, b) -> a + "; " + b));
    return all;
  }
}
