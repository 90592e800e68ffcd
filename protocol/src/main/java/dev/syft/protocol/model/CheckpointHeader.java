package dev.syft.protocol.model;

import dev.syft.protocol.names.FileNames;

/**
 * The fields of a full checkpoint other than its {@code files}: what a streaming reader reports and
 * a streaming writer starts from ({@link Checkpoint} holds the same values plus the files).
 *
 * @param version format version, {@value Checkpoint#CURRENT_VERSION}
 * @param timestamp creation time
 * @param email the datasite owner
 * @param lastEventTimestamp timestamp of the last event included, or {@code null}
 */
public record CheckpointHeader(int version, double timestamp, String email, Double lastEventTimestamp) {
  public CheckpointHeader {
    Checks.finite(timestamp, "timestamp");
    Checks.present(email, "email");
    Checks.finiteOrNull(lastEventTimestamp, "last_event_timestamp");
  }

  /** A current-version header. */
  public static CheckpointHeader of(String email, double timestamp, Double lastEventTimestamp) {
    return new CheckpointHeader(Checkpoint.CURRENT_VERSION, timestamp, email, lastEventTimestamp);
  }

  /** {@code checkpoint_<timestamp>.tar.gz}, the name of the checkpoint this header starts. */
  public String fileName() {
    return FileNames.checkpoint(timestamp);
  }
}
