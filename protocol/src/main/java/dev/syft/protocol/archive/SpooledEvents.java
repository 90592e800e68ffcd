package dev.syft.protocol.archive;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Events read by {@link EventsReader}: the fields of {@link dev.syft.protocol.model.FileChangeEvent}
 * with each file's content in a {@link SpooledContent}. Close it to delete the spool files.
 *
 * @param id the events message's {@code message_filepath.id}; null for checkpoints and rolling states
 * @param timestamp the message's {@code message_filepath.timestamp}, else the payload's {@code timestamp}
 */
public record SpooledEvents(UUID id, double timestamp, List<Event> events, List<Path> files) implements AutoCloseable {
  /** One event; {@code content} is null for deletions and events without content. */
  public record Event(UUID id, String pathInDatasite, String datasiteEmail, SpooledContent content, String oldHash,
      String newHash, boolean deleted, double submittedTimestamp, double timestamp) {}

  public SpooledEvents {
    events = List.copyOf(events);
  }

  /** Deletes the spool files. */
  @Override
  public void close() {
    SpooledProposal.deleteAll(files);
  }
}
