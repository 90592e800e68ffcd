package dev.syft.core.internal;

import dev.syft.protocol.archive.ArchiveCodec;
import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.ProposedFileChange;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.protocol.model.WirePayload;
import dev.syft.protocol.names.FileNames;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The engine's single doorway to the protocol module: building, encoding and decoding messages. */
final class Wire {
  private Wire() {}

  static FileChangeEvent changeEvent(UUID id, String path, String datasite, byte[] content, String oldHash,
      String newHash, double submitted, double timestamp) {
    return new FileChangeEvent(id, path, datasite, FileContent.of(content), oldHash, newHash, false, submitted, timestamp);
  }

  static FileChangeEvent changeEvent(UUID id, String path, String datasite, FileContent content, String oldHash,
      String newHash, double submitted, double timestamp) {
    return new FileChangeEvent(id, path, datasite, content, oldHash, newHash, false, submitted, timestamp);
  }

  static FileChangeEvent deletionEvent(UUID id, String path, String datasite, String oldHash, double submitted,
      double timestamp) {
    return new FileChangeEvent(id, path, datasite, null, oldHash, null, true, submitted, timestamp);
  }

  static FileChangeEventsMessage eventsMessage(List<FileChangeEvent> events, double now) {
    return new FileChangeEventsMessage(events, UUID.randomUUID(), now);
  }

  static ProposedFileChange proposedChange(UUID id, String oldHash, String newHash, double submitted, String path,
      byte[] content, String datasite) {
    return new ProposedFileChange(id, oldHash, newHash, submitted, path, FileContent.of(content), datasite, false);
  }

  static ProposedFileChange proposedChange(UUID id, String oldHash, String newHash, double submitted, String path,
      FileContent content, String datasite) {
    return new ProposedFileChange(id, oldHash, newHash, submitted, path, content, datasite, false);
  }

  static ProposedFileChange proposedDeletion(UUID id, String oldHash, double submitted, String path, String datasite) {
    return new ProposedFileChange(id, oldHash, null, submitted, path, null, datasite, true);
  }

  static ProposedFileChangesMessage proposalMessage(String sender, List<ProposedFileChange> changes, double now) {
    return new ProposedFileChangesMessage(UUID.randomUUID(), sender, now, UUID.randomUUID().toString(), changes);
  }

  private static final ArchiveCodec ENCODER = new ArchiveCodec();

  static byte[] encode(WirePayload payload) {
    return ENCODER.encode(payload);
  }

  /**
   * Reads a proposal from a stream; large contents are spooled to {@code spoolDir}. {@code clock} is the
   * client's (the reader checks message times against it).
   */
  static dev.syft.protocol.archive.SpooledProposal readProposal(java.io.InputStream archive, SyncContext.Limits limits,
      Clock clock, java.nio.file.Path spoolDir) throws java.io.IOException {
    return new dev.syft.protocol.archive.ProposalReader(limits.streamed(), clock).read(archive, spoolDir);
  }

  /** Reads an events-bearing archive from a stream; large contents are spooled to {@code spoolDir}. */
  static dev.syft.protocol.archive.SpooledEvents readEvents(dev.syft.protocol.model.PayloadKind kind,
      java.io.InputStream archive, SyncContext.Limits limits, Clock clock, java.nio.file.Path spoolDir)
      throws java.io.IOException {
    return new dev.syft.protocol.archive.EventsReader(limits.streamed(), clock).read(kind, archive, spoolDir);
  }

  /** The timestamp of a usable proposal file name ({@code msgv2_<ts>_<uid>.tar.gz}). */
  static Optional<Double> proposalTimestamp(String name) {
    return FileNames.isUsableProposalName(name) ? Optional.of(FileNames.parseProposal(name).submittedTimestamp())
        : Optional.empty();
  }

  /** The timestamp of a usable events file name ({@code syfteventsmessagev3_<ts>_<uuid>.tar.gz}). */
  static Optional<Double> eventsTimestamp(String name) {
    return FileNames.isUsableEventsName(name) ? Optional.of(FileNames.parseEvents(name).timestamp()) : Optional.empty();
  }
}
