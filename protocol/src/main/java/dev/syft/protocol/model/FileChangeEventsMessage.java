package dev.syft.protocol.model;

import dev.syft.protocol.names.FileNames;
import dev.syft.protocol.names.Timestamps;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * A batch of events, sent as {@code syfteventsmessagev3_<timestamp>_<id>.tar.gz} (PROTOCOL.md 6.4).
 * Wire form: {@code events, message_filepath {id, timestamp, extension}}, compact.
 *
 * @param events may be empty
 * @param id {@code message_filepath.id}
 * @param timestamp {@code message_filepath.timestamp}: the ordering key watchers use
 * @param extension {@code message_filepath.extension}; always {@code .tar.gz} in practice and never
 *     used for the file name
 */
public record FileChangeEventsMessage(List<FileChangeEvent> events, UUID id, double timestamp, String extension)
    implements WirePayload {
  public static final String DEFAULT_EXTENSION = FileNames.ARCHIVE_EXTENSION;

  public FileChangeEventsMessage {
    events = List.copyOf(events);
    Checks.present(id, "message_filepath.id");
    Checks.finite(timestamp, "message_filepath.timestamp");
    Checks.present(extension, "message_filepath.extension");
  }

  /** A message with the default extension. */
  public FileChangeEventsMessage(List<FileChangeEvent> events, UUID id, double timestamp) {
    this(events, id, timestamp, DEFAULT_EXTENSION);
  }

  /** A new message with a random id, stamped with the clock's current time. */
  public static FileChangeEventsMessage create(List<FileChangeEvent> events, Clock clock) {
    return new FileChangeEventsMessage(events, UUID.randomUUID(), Timestamps.now(clock));
  }

  @Override
  public PayloadKind kind() {
    return PayloadKind.EVENTS;
  }

  /** {@code syfteventsmessagev3_<timestamp>_<id>.tar.gz}. */
  @Override
  public String fileName() {
    return FileNames.events(timestamp, id);
  }
}
