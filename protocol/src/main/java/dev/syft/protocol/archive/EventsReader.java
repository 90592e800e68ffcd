package dev.syft.protocol.archive;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.internal.JsonFields;
import dev.syft.protocol.internal.ModelFields;
import dev.syft.protocol.model.Checkpoint;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.names.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Reads an archive that carries events (an events message, an incremental checkpoint or a rolling
 * state) from a stream with memory bounded independently of its files' sizes, as {@link
 * ProposalReader} reads proposals: each {@code events[i].content} is taken out of the JSON on the way
 * into memory (up to 64 KiB) or a spool file, hashed as it goes.
 *
 * <p>Accepts and refuses what {@link ArchiveCodec} does for the same kind (same archive checks,
 * limits and field rules, shared with {@code WireJson}), plus: a string outside file contents longer
 * than 1 MiB is refused. Thread-safe.
 */
public final class EventsReader {
  private final ArchiveLimits limits;
  private final Clock clock;

  public EventsReader(ArchiveLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Reads an archive of {@code kind} ({@link PayloadKind#EVENTS}, {@link
   * PayloadKind#INCREMENTAL_CHECKPOINT} or {@link PayloadKind#ROLLING_STATE}). Large contents are
   * spooled to {@code spoolDir} (the system's temp folder when null); close the result to delete
   * them. On an exception nothing is left behind.
   *
   * @throws dev.syft.protocol.LimitExceededException if the archive or its content is larger than the limits
   * @throws MalformedMessageException if it is not a single-member tar.gz holding a valid payload
   * @throws dev.syft.protocol.UnsafePathException if a path inside could leave the datasite
   * @throws IOException if reading {@code archive} or writing a spool file fails
   */
  public SpooledEvents read(PayloadKind kind, InputStream archive, Path spoolDir) throws IOException {
    String what = switch (kind) {
      case EVENTS -> "events message";
      case INCREMENTAL_CHECKPOINT -> "incremental checkpoint";
      case ROLLING_STATE -> "rolling state";
      default -> throw new IllegalArgumentException("not a payload that carries events: " + kind);
    };
    ProposalReader.Diverted d = ProposalReader.readDiverted(archive, limits, what, "events", spoolDir);
    try {
      return parse(kind, JsonFields.root(d.root(), what), what, d, spoolDir);
    } catch (SyftException e) {
      SpooledProposal.deleteAll(d.created());
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      SpooledProposal.deleteAll(d.created());
      throw new MalformedMessageException(what + ": " + e.getMessage(), e);
    } catch (Throwable t) {
      SpooledProposal.deleteAll(d.created());
      throw t;
    }
  }

  private SpooledEvents parse(PayloadKind kind, JsonFields f, String what, ProposalReader.Diverted d, Path spoolDir)
      throws IOException {
    List<SpooledEvents.Event> events = new ArrayList<>();
    List<JsonFields> list = kind == PayloadKind.EVENTS ? f.objects("events") : f.objectsOrEmpty("events");
    for (JsonFields e : list) {
      ModelFields.Change<SpooledContent> ev = ModelFields.event(e,
          c -> ProposalReader.content(c, d.raw(), spoolDir, d.created()));
      events.add(new SpooledEvents.Event(ev.id(), ev.path(), ev.datasiteEmail(), ev.content(), ev.oldHash(),
          ev.newHash(), ev.deleted(), ev.submittedTimestamp(), ev.timestamp()));
    }
    UUID id = null;
    double ts;
    if (kind == PayloadKind.EVENTS) {
      JsonFields path = f.objectOrNull("message_filepath");
      id = path == null ? UUID.randomUUID() : path.uuidOr("id", UUID::randomUUID);
      ts = path == null ? now() : path.numberOr("timestamp", this::now);
      String extension = path == null ? FileChangeEventsMessage.DEFAULT_EXTENSION
          : path.stringOr("extension", FileChangeEventsMessage.DEFAULT_EXTENSION);
      UUID checkedId = id;
      new FileChangeEventsMessage(List.of(), checkedId, ts, extension); // the model's checks
    } else {
      // the header fields the tree reader requires
      f.integerOr("version", Checkpoint.CURRENT_VERSION);
      ts = f.numberOr("timestamp", this::now);
      f.string("email");
      if (kind == PayloadKind.INCREMENTAL_CHECKPOINT) {
        f.integer("sequence_number");
      } else {
        f.number("base_checkpoint_timestamp");
        f.nullableNumber("last_event_timestamp");
      }
    }
    return new SpooledEvents(id, ts, events, d.created());
  }

  private double now() {
    return Timestamps.now(clock);
  }
}
