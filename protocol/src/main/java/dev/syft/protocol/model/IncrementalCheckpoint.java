package dev.syft.protocol.model;

import dev.syft.protocol.names.FileNames;
import java.util.List;

/**
 * A batch of events since the previous checkpoint (PROTOCOL.md 6.5), stored as
 * {@code incremental_checkpoint_<seq>_<timestamp>.tar.gz}. Wire form: {@code version, timestamp,
 * email, sequence_number, events}, compact.
 *
 * @param version format version, {@value Checkpoint#CURRENT_VERSION}
 * @param timestamp creation time
 * @param email the datasite owner
 * @param sequenceNumber 1, 2, 3, ...
 * @param events one latest event per path when built by {@link #of}
 */
public record IncrementalCheckpoint(int version, double timestamp, String email, int sequenceNumber, List<FileChangeEvent> events)
    implements WirePayload {

  public IncrementalCheckpoint {
    Checks.finite(timestamp, "timestamp");
    Checks.present(email, "email");
    events = List.copyOf(events);
  }

  /** A current-version incremental checkpoint of {@code events}, de-duplicated per path. */
  public static IncrementalCheckpoint of(String email, int sequenceNumber, double timestamp, List<FileChangeEvent> events) {
    return new IncrementalCheckpoint(Checkpoint.CURRENT_VERSION, timestamp, email, sequenceNumber,
        RollingState.latestPerPath(List.of(), events));
  }

  @Override
  public PayloadKind kind() {
    return PayloadKind.INCREMENTAL_CHECKPOINT;
  }

  /** {@code incremental_checkpoint_<sequence_number>_<timestamp>.tar.gz}. */
  @Override
  public String fileName() {
    return FileNames.incrementalCheckpoint(sequenceNumber, timestamp);
  }
}
