package dev.syft.protocol.model;

import dev.syft.protocol.names.FileNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events since the base checkpoint, at most one per path (PROTOCOL.md 6.5), stored as
 * {@code rolling_state_<timestamp>.tar.gz}. Wire form: {@code version, timestamp, email,
 * base_checkpoint_timestamp, last_event_timestamp, events}, compact. Immutable: the {@code with...}
 * methods return updated copies, stamped with the given time as the reference does on every change.
 *
 * @param version format version, {@value Checkpoint#CURRENT_VERSION}
 * @param timestamp time of the last mutation
 * @param email the datasite owner
 * @param baseCheckpointTimestamp timestamp of the checkpoint this builds on
 * @param lastEventTimestamp timestamp of the newest event included, or {@code null}
 * @param events in order of arrival; adding an event for a path removes the earlier one
 */
public record RollingState(
    int version, double timestamp, String email, double baseCheckpointTimestamp, Double lastEventTimestamp,
    List<FileChangeEvent> events) implements WirePayload {

  public RollingState {
    Checks.finite(timestamp, "timestamp");
    Checks.present(email, "email");
    Checks.finite(baseCheckpointTimestamp, "base_checkpoint_timestamp");
    Checks.finiteOrNull(lastEventTimestamp, "last_event_timestamp");
    events = List.copyOf(events);
  }

  /** An empty current-version rolling state on top of the checkpoint at {@code baseCheckpointTimestamp}. */
  public static RollingState empty(String email, double baseCheckpointTimestamp, double now) {
    return new RollingState(Checkpoint.CURRENT_VERSION, now, email, baseCheckpointTimestamp, null, List.of());
  }

  /** Adds one event: replaces any event for the same path, moves it to the end. */
  public RollingState withEvent(FileChangeEvent event, double now) {
    return new RollingState(version, now, email, baseCheckpointTimestamp, event.timestamp(),
        latestPerPath(events, List.of(event)));
  }

  /**
   * Adds all events of a message in order (per-path replacement); {@code last_event_timestamp}
   * becomes the largest event timestamp of the message, not the last one.
   */
  public RollingState withEventsMessage(FileChangeEventsMessage message, double now) {
    Double last = lastEventTimestamp;
    if (!message.events().isEmpty()) {
      last = message.events().stream().mapToDouble(FileChangeEvent::timestamp).max().orElseThrow();
    }
    return new RollingState(version, now, email, baseCheckpointTimestamp, last,
        latestPerPath(events, message.events()));
  }

  /** Drops every event and rebases on a new checkpoint. */
  public RollingState cleared(double newBaseCheckpointTimestamp, double now) {
    return new RollingState(version, now, email, newBaseCheckpointTimestamp, null, List.of());
  }

  /** Number of distinct paths (= number of events). */
  public int eventCount() {
    return events.size();
  }

  @Override
  public PayloadKind kind() {
    return PayloadKind.ROLLING_STATE;
  }

  /** {@code rolling_state_<timestamp>.tar.gz}. */
  @Override
  public String fileName() {
    return FileNames.rollingState(timestamp);
  }

  /** {@code existing} followed by {@code added}, keeping only the last event per path, in order. */
  static List<FileChangeEvent> latestPerPath(List<FileChangeEvent> existing, List<FileChangeEvent> added) {
    Map<String, FileChangeEvent> byPath = new LinkedHashMap<>();
    for (List<FileChangeEvent> list : List.of(existing, added)) {
      for (FileChangeEvent e : list) {
        byPath.remove(e.pathInDatasite());
        byPath.put(e.pathInDatasite(), e);
      }
    }
    return new ArrayList<>(byPath.values());
  }
}
