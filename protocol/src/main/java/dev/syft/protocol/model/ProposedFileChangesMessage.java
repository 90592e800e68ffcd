package dev.syft.protocol.model;

import dev.syft.protocol.names.FileNames;
import dev.syft.protocol.names.Timestamps;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * A DS proposal: all files of one batch (e.g. a whole job), sent as {@code msgv2_<ts>_<uid>.tar.gz}
 * to the datasite owner's inbox (PROTOCOL.md 6.2). Wire form: {@code id, sender_email,
 * message_filename {submitted_timestamp, uid}, proposed_file_changes}, pretty-printed.
 *
 * @param id message id
 * @param senderEmail the claimed proposer (the transport must check it against the inbox owner)
 * @param submittedTimestamp {@code message_filename.submitted_timestamp}: the file-name timestamp
 * @param uid {@code message_filename.uid}: the unique part of the file name (a UUID string when we
 *     create it; any text without path separators or control characters is accepted)
 * @param changes {@code proposed_file_changes}, in order
 */
public record ProposedFileChangesMessage(
    UUID id, String senderEmail, double submittedTimestamp, String uid, List<ProposedFileChange> changes)
    implements WirePayload {

  public ProposedFileChangesMessage {
    Checks.present(id, "id");
    Checks.present(senderEmail, "sender_email");
    Checks.finite(submittedTimestamp, "message_filename.submitted_timestamp");
    Checks.present(uid, "message_filename.uid");
    for (int i = 0; i < uid.length(); i++) {
      char c = uid.charAt(i);
      if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("message_filename.uid must not contain '/', '\\' or control characters");
      }
    }
    changes = List.copyOf(changes);
  }

  /** A new message with a random id and uid, stamped with the clock's current time. */
  public static ProposedFileChangesMessage create(String senderEmail, List<ProposedFileChange> changes, Clock clock) {
    return new ProposedFileChangesMessage(UUID.randomUUID(), senderEmail, Timestamps.now(clock),
        UUID.randomUUID().toString(), changes);
  }

  @Override
  public PayloadKind kind() {
    return PayloadKind.PROPOSAL;
  }

  /** {@code msgv2_<submitted_timestamp>_<uid>.tar.gz}. */
  @Override
  public String fileName() {
    return FileNames.proposal(submittedTimestamp, uid);
  }
}
