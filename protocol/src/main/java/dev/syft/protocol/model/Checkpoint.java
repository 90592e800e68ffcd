package dev.syft.protocol.model;

import dev.syft.protocol.names.FileNames;
import java.util.List;

/**
 * A full snapshot of a datasite (PROTOCOL.md 6.5), stored as {@code checkpoint_<timestamp>.tar.gz}.
 * Wire form: {@code version, timestamp, email, last_event_timestamp, files}, compact.
 *
 * @param version format version, {@value #CURRENT_VERSION}
 * @param timestamp creation time
 * @param email the datasite owner
 * @param lastEventTimestamp timestamp of the last event included, or {@code null}
 * @param files the snapshot's files
 */
public record Checkpoint(int version, double timestamp, String email, Double lastEventTimestamp, List<CheckpointFile> files)
    implements WirePayload {
  public static final int CURRENT_VERSION = 1;

  public Checkpoint {
    Checks.finite(timestamp, "timestamp");
    Checks.present(email, "email");
    Checks.finiteOrNull(lastEventTimestamp, "last_event_timestamp");
    files = List.copyOf(files);
  }

  /** A current-version checkpoint. */
  public static Checkpoint of(String email, double timestamp, Double lastEventTimestamp, List<CheckpointFile> files) {
    return new Checkpoint(CURRENT_VERSION, timestamp, email, lastEventTimestamp, files);
  }

  /** A checkpoint with the header's fields. */
  public static Checkpoint of(CheckpointHeader header, List<CheckpointFile> files) {
    return new Checkpoint(header.version(), header.timestamp(), header.email(), header.lastEventTimestamp(), files);
  }

  /** Every field but {@code files}. */
  public CheckpointHeader header() {
    return new CheckpointHeader(version, timestamp, email, lastEventTimestamp);
  }

  @Override
  public PayloadKind kind() {
    return PayloadKind.CHECKPOINT;
  }

  /** {@code checkpoint_<timestamp>.tar.gz}. */
  @Override
  public String fileName() {
    return FileNames.checkpoint(timestamp);
  }
}
