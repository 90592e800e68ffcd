package dev.syft.protocol.names;

import java.util.Objects;
import java.util.UUID;

/**
 * The parsed fields of an events-message file name {@code syfteventsmessagev3_<timestamp>_<id>.tar.gz}.
 *
 * @param timestamp the ordering key watchers use
 * @param id the message id
 */
public record EventsName(double timestamp, UUID id) {
  public EventsName {
    Objects.requireNonNull(id, "id");
  }

  /** The name the reference renders from these fields (the id in lower case). */
  public String render() {
    return FileNames.events(timestamp, id);
  }
}
