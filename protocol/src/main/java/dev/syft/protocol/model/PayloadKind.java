package dev.syft.protocol.model;

import dev.syft.protocol.names.FileNames;
import java.util.Optional;

/** The five archive payloads; all travel as {@code proposed_file_changes.json} inside a tar.gz. */
public enum PayloadKind {
  /** {@code msgv2_*}: a DS proposal ({@link ProposedFileChangesMessage}). */
  PROPOSAL("proposal", FileNames.PROPOSAL_PREFIX + "_"),
  /** {@code syfteventsmessagev3_*}: accepted or detected changes ({@link FileChangeEventsMessage}). */
  EVENTS("events", FileNames.EVENTS_PREFIX + "_"),
  /** {@code checkpoint_*}: a full snapshot ({@link Checkpoint}). */
  CHECKPOINT("checkpoint", FileNames.CHECKPOINT_PREFIX + "_"),
  /** {@code incremental_checkpoint_*} ({@link IncrementalCheckpoint}). */
  INCREMENTAL_CHECKPOINT("incremental_checkpoint", FileNames.INCREMENTAL_CHECKPOINT_PREFIX + "_"),
  /** {@code rolling_state_*} ({@link RollingState}). */
  ROLLING_STATE("rolling_state", FileNames.ROLLING_STATE_PREFIX + "_");

  private final String wireName;
  private final String namePrefix;

  PayloadKind(String wireName, String namePrefix) {
    this.wireName = wireName;
    this.namePrefix = namePrefix;
  }

  /** The kind's name in the golden vectors ({@code proposal}, ..., {@code rolling_state}). */
  public String wireName() {
    return wireName;
  }

  /** The kind a reference file name announces, if any (by prefix). */
  public static Optional<PayloadKind> fromFileName(String fileName) {
    for (PayloadKind kind : values()) {
      if (fileName.startsWith(kind.namePrefix)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  /**
   * Looks a kind up by its wire name or a short alias ({@code incremental}, {@code rolling}), case
   * insensitively.
   */
  public static Optional<PayloadKind> fromName(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
    for (PayloadKind kind : values()) {
      if (kind.wireName.equals(n)) {
        return Optional.of(kind);
      }
    }
    return switch (n) {
      case "incremental" -> Optional.of(INCREMENTAL_CHECKPOINT);
      case "rolling" -> Optional.of(ROLLING_STATE);
      default -> Optional.empty();
    };
  }
}
