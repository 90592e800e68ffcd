package dev.syft.protocol.model;

/**
 * A model that travels as the JSON member of a message archive. Implementations are immutable
 * records; {@link WireJson} writes and reads them, {@code ArchiveCodec} wraps them in tar.gz.
 */
public sealed interface WirePayload
    permits ProposedFileChangesMessage, FileChangeEventsMessage, Checkpoint, IncrementalCheckpoint,
        RollingState {

  /** Which of the five payloads this is. */
  PayloadKind kind();

  /** The exact file name the reference gives this payload's archive. */
  String fileName();
}
