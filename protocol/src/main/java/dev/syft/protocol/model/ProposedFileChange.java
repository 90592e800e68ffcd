package dev.syft.protocol.model;

import dev.syft.protocol.DatasitePaths;
import java.util.UUID;

/**
 * One file of a DS proposal (PROTOCOL.md 6.1). Wire order: {@code id, old_hash, new_hash,
 * submitted_timestamp, path_in_datasite, content, datasite_email, is_deleted, content_type}.
 *
 * @param id random; becomes the id of the event the DO emits when it accepts the change
 * @param oldHash the DS's last known hash of the path; {@code null} when it believes the file is new
 * @param newHash hash of {@code content} (kept verbatim when the sender gave one, even a wrong one)
 * @param submittedTimestamp DS clock, float epoch seconds
 * @param pathInDatasite relative to the target datasite; normalised by {@link DatasitePaths#normalize}
 * @param content the full new content, {@code null} for a deletion
 * @param datasiteEmail owner of the target datasite
 * @param deleted {@code is_deleted}
 */
public record ProposedFileChange(
    UUID id,
    String oldHash,
    String newHash,
    double submittedTimestamp,
    String pathInDatasite,
    FileContent content,
    String datasiteEmail,
    boolean deleted) {

  /**
   * @throws dev.syft.protocol.UnsafePathException if the path is unsafe
   * @throws IllegalArgumentException if the timestamp is not finite
   */
  public ProposedFileChange {
    Checks.present(id, "id");
    pathInDatasite = DatasitePaths.normalize(pathInDatasite);
    Checks.present(datasiteEmail, "datasite_email");
    Checks.finite(submittedTimestamp, "submitted_timestamp");
  }

  /** A new or updated file; {@code new_hash} is computed from the content, the id is random. */
  public static ProposedFileChange of(
      String pathInDatasite, FileContent content, String datasiteEmail, String oldHash,
      double submittedTimestamp) {
    Checks.present(content, "content");
    return new ProposedFileChange(UUID.randomUUID(), oldHash, content.sha256(), submittedTimestamp,
        pathInDatasite, content, datasiteEmail, false);
  }

  /** The derived {@code content_type}: {@code text}, {@code binary}, or {@code null} without content. */
  public String contentType() {
    return content == null ? null : content.type().wireName();
  }
}
