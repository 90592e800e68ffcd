package dev.syft.core;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a client's local state.
 *
 * @param email identity
 * @param transport transport URI
 * @param home home folder
 * @param peers every peer with its state
 * @param pendingUploads messages journalled but not yet uploaded
 * @param failingUploads journalled messages whose last upload attempt failed, with the error
 * @param quarantined messages refused from peers, with reasons
 * @param rejectedProposals our proposals that data owners refused, with reasons
 * @param revoked replica files moved aside because their owner revoked our access
 * @param rolledBack our refused proposals whose changes were rolled back to the owner's last known state
 * @param lastSync the end of the last completed sync round, or null
 * @param heldDeletions mass deletions the last rounds held back, waiting for {@code sync --allow-mass-delete}
 * @param warnings other things the user should know (e.g. a damaged state database was replaced)
 */
public record Status(String email, String transport, String home, List<Peer> peers, int pendingUploads,
    List<FailingUpload> failingUploads, List<Problem> quarantined, List<Problem> rejectedProposals, List<Revoked> revoked,
    List<RolledBack> rolledBack, Instant lastSync, List<HeldDeletions> heldDeletions, List<String> warnings) {

  /**
   * Deletions held back in one tree: {@code datasite} is our own e-mail for our datasite, a peer's for
   * our replica of theirs.
   */
  public record HeldDeletions(String datasite, int count, int tracked, String message) {}

  /** A message that keeps failing to upload (it stays journalled and is retried every round). */
  public record FailingUpload(String destination, String peer, String message, int attempts, String lastError) {}

  /** A refused message. */
  public record Problem(String peer, String message, String reason, Instant at) {}

  /**
   * A proposal of ours the owner refused: its {@code changes} still pending were rolled back to the
   * owner's last known state (later edits are proposed against that state); {@code movedAside} refused
   * new files left the replica for {@code .syft/rejected/<owner>/}.
   */
  public record RolledBack(String owner, String message, int changes, int movedAside, String reason, Instant at) {
    /** One line for people: "N change(s) refused by owner X, rolled back: reason". */
    public String summary() {
      return changes + " change(s) refused by owner " + owner + ", rolled back: " + reason
          + (movedAside == 0 ? "" : " (" + movedAside + " new file(s) moved to .syft/rejected/" + owner + "/)");
    }
  }

  /** A replica file whose owner no longer lets us read it. */
  public record Revoked(String owner, String path, String movedTo, Instant at) {}
}
