package dev.syft.protocol.model;

import dev.syft.protocol.DatasitePaths;
import java.util.UUID;

/**
 * One accepted or detected change of a datasite file (PROTOCOL.md 6.3). Wire order: {@code id,
 * path_in_datasite, datasite_email, content, old_hash, new_hash, is_deleted, submitted_timestamp,
 * timestamp, content_type}.
 *
 * <p>The reference compares events by {@code id} only; this record's {@code equals} compares every
 * field, so key maps by {@link #id()} where the reference's identity matters.
 *
 * @param id for accepted proposals the proposal change's id, otherwise random
 * @param pathInDatasite normalised by {@link DatasitePaths#normalize}
 * @param datasiteEmail owner of the datasite; a DS writes the file to {@code <email>/<path>}
 * @param content full content, {@code null} for deletions
 * @param oldHash previous hash known to the DO ({@code null} for creations and re-sends)
 * @param newHash {@code null} for deletions
 * @param deleted {@code is_deleted}
 * @param submittedTimestamp DS time for accepted proposals, else equal to {@code timestamp}
 * @param timestamp DO time of acceptance or detection
 */
public record FileChangeEvent(
    UUID id,
    String pathInDatasite,
    String datasiteEmail,
    FileContent content,
    String oldHash,
    String newHash,
    boolean deleted,
    double submittedTimestamp,
    double timestamp) {

  public FileChangeEvent {
    Checks.present(id, "id");
    pathInDatasite = DatasitePaths.normalize(pathInDatasite);
    Checks.present(datasiteEmail, "datasite_email");
    Checks.finite(submittedTimestamp, "submitted_timestamp");
    Checks.finite(timestamp, "timestamp");
  }

  /**
   * The event a DO emits when it accepts {@code change}: same id, path, content, hashes and
   * submitted timestamp; {@code timestamp} is the DO's acceptance time. (The reference drops the
   * deletion flag here; this keeps it, which only matters for deletion proposals the reference
   * never sends.)
   */
  public static FileChangeEvent fromProposedChange(ProposedFileChange change, double timestamp) {
    return new FileChangeEvent(change.id(), change.pathInDatasite(), change.datasiteEmail(),
        change.content(), change.oldHash(), change.newHash(), change.deleted(),
        change.submittedTimestamp(), timestamp);
  }

  /** A DO-detected creation or update with a random id; {@code new_hash} computed from the content. */
  public static FileChangeEvent change(
      String pathInDatasite, String datasiteEmail, FileContent content, String oldHash, double timestamp) {
    Checks.present(content, "content");
    return new FileChangeEvent(UUID.randomUUID(), pathInDatasite, datasiteEmail, content, oldHash,
        content.sha256(), false, timestamp, timestamp);
  }

  /** A DO-detected deletion with a random id. */
  public static FileChangeEvent deletion(
      String pathInDatasite, String datasiteEmail, String oldHash, double timestamp) {
    return new FileChangeEvent(UUID.randomUUID(), pathInDatasite, datasiteEmail, null, oldHash, null,
        true, timestamp, timestamp);
  }

  /** The derived {@code content_type}: {@code text}, {@code binary}, or {@code null} without content. */
  public String contentType() {
    return content == null ? null : content.type().wireName();
  }

  /** {@code <datasite_email>/<path_in_datasite>}. */
  public String pathInSyftbox() {
    return datasiteEmail + "/" + pathInDatasite;
  }
}
