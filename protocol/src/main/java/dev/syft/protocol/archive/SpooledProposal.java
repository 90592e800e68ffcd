package dev.syft.protocol.archive;

import dev.syft.protocol.names.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * A proposal read by {@link ProposalReader}: the fields of {@link
 * dev.syft.protocol.model.ProposedFileChangesMessage} with each file's content in a {@link
 * SpooledContent} (memory for small files, a spool file for large ones). Close it to delete the
 * spool files.
 */
public final class SpooledProposal implements AutoCloseable {
  /**
   * One change; the fields and checks of {@link dev.syft.protocol.model.ProposedFileChange}.
   *
   * @param content null for a deletion or a change without content
   */
  public record Change(UUID id, String oldHash, String newHash, double submittedTimestamp, String pathInDatasite,
      String datasiteEmail, boolean deleted, SpooledContent content) {}

  private final UUID id;
  private final String senderEmail;
  private final double submittedTimestamp;
  private final String uid;
  private final List<Change> changes;
  private final List<Path> files;

  SpooledProposal(UUID id, String senderEmail, double submittedTimestamp, String uid, List<Change> changes,
      List<Path> files) {
    this.id = id;
    this.senderEmail = senderEmail;
    this.submittedTimestamp = submittedTimestamp;
    this.uid = uid;
    this.changes = List.copyOf(changes);
    this.files = files;
  }

  public UUID id() {
    return id;
  }

  public String senderEmail() {
    return senderEmail;
  }

  public double submittedTimestamp() {
    return submittedTimestamp;
  }

  public String uid() {
    return uid;
  }

  public List<Change> changes() {
    return changes;
  }

  /** {@code msgv2_<submitted_timestamp>_<uid>.tar.gz}. */
  public String fileName() {
    return FileNames.proposal(submittedTimestamp, uid);
  }

  /** Deletes the spool files. */
  @Override
  public void close() {
    deleteAll(files);
  }

  static void deleteAll(List<Path> files) {
    for (Path f : files) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // a leftover in the caller's spool folder; the caller sweeps it
      }
    }
  }
}
