package dev.syft.protocol.model;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.UnsafePathException;
import dev.syft.protocol.internal.JsonFields;
import dev.syft.protocol.internal.JsonIn;
import dev.syft.protocol.internal.JsonOut;
import dev.syft.protocol.internal.ModelFields;
import dev.syft.protocol.names.Timestamps;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the JSON member ({@code proposed_file_changes.json}) of the five payloads.
 *
 * <p><b>Writing</b> reproduces the reference byte for byte: field order of PROTOCOL.md section 6,
 * explicit {@code null}s, derived {@code content_type} last in each change/event, proposals
 * pretty-printed with a 2-space indent and everything else compact, non-ASCII raw, pydantic float
 * spelling, no trailing newline.
 *
 * <p><b>Reading</b> accepts what the reference accepts (compact or indented JSON, unknown fields,
 * integer or numeric-string floats, upper-case UUIDs, last duplicate key wins, a missing proposal
 * {@code new_hash} computed from the content, {@code content_type} deciding text versus base64)
 * and refuses the rest with a {@link MalformedMessageException} naming the field, or an
 * {@link UnsafePathException} for a path that could leave the datasite. Fields the reference
 * defaults to "now" or a random id take them from the injected clock and {@link UUID#randomUUID()}.
 * Thread-safe.
 */
public final class WireJson {
  /** How to lay out written JSON. */
  public enum Layout {
    /** What the reference writes for the payload: indented proposals, compact others. */
    REFERENCE,
    /** 2-space indent for every payload. */
    PRETTY,
    /** No whitespace for every payload. */
    COMPACT
  }

  private final Clock clock;

  /** A codec whose "now" defaults come from the system clock. */
  public WireJson() {
    this(Clock.systemUTC());
  }

  public WireJson(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ------------------------------------------------------------------------------------ writing

  /** The member bytes exactly as the reference writes them for this payload. */
  public static byte[] write(WirePayload payload) {
    return write(payload, Layout.REFERENCE);
  }

  /** The member bytes in the given layout (same fields, values and order). */
  public static byte[] write(WirePayload payload, Layout layout) {
    JsonOut.Style style = switch (layout) {
      case REFERENCE -> payload.kind() == PayloadKind.PROPOSAL
          ? JsonOut.Style.PYDANTIC_INDENT2 : JsonOut.Style.PYDANTIC_COMPACT;
      case PRETTY -> JsonOut.Style.PYDANTIC_INDENT2;
      case COMPACT -> JsonOut.Style.PYDANTIC_COMPACT;
    };
    return JsonOut.render(tree(payload), style);
  }

  private static ObjectNode tree(WirePayload payload) {
    return switch (payload) {
      case ProposedFileChangesMessage m -> proposalTree(m);
      case FileChangeEventsMessage m -> eventsTree(m);
      case Checkpoint c -> checkpointTree(c);
      case IncrementalCheckpoint c -> incrementalTree(c);
      case RollingState r -> rollingTree(r);
    };
  }

  private static ObjectNode proposalTree(ProposedFileChangesMessage m) {
    ObjectNode o = JsonOut.object();
    o.put("id", m.id().toString());
    o.put("sender_email", m.senderEmail());
    ObjectNode name = o.putObject("message_filename");
    name.put("submitted_timestamp", m.submittedTimestamp());
    name.put("uid", m.uid());
    ArrayNode changes = o.putArray("proposed_file_changes");
    for (ProposedFileChange c : m.changes()) {
      ObjectNode n = changes.addObject();
      n.put("id", c.id().toString());
      n.put("old_hash", c.oldHash());
      n.put("new_hash", c.newHash());
      n.put("submitted_timestamp", c.submittedTimestamp());
      n.put("path_in_datasite", c.pathInDatasite());
      n.put("content", c.content() == null ? null : c.content().wireString());
      n.put("datasite_email", c.datasiteEmail());
      n.put("is_deleted", c.deleted());
      n.put("content_type", c.contentType());
    }
    return o;
  }

  private static ObjectNode eventsTree(FileChangeEventsMessage m) {
    ObjectNode o = JsonOut.object();
    addEvents(o.putArray("events"), m.events());
    ObjectNode path = o.putObject("message_filepath");
    path.put("id", m.id().toString());
    path.put("timestamp", m.timestamp());
    path.put("extension", m.extension());
    return o;
  }

  private static void addEvents(ArrayNode array, List<FileChangeEvent> events) {
    for (FileChangeEvent e : events) {
      ObjectNode n = array.addObject();
      n.put("id", e.id().toString());
      n.put("path_in_datasite", e.pathInDatasite());
      n.put("datasite_email", e.datasiteEmail());
      n.put("content", e.content() == null ? null : e.content().wireString());
      n.put("old_hash", e.oldHash());
      n.put("new_hash", e.newHash());
      n.put("is_deleted", e.deleted());
      n.put("submitted_timestamp", e.submittedTimestamp());
      n.put("timestamp", e.timestamp());
      n.put("content_type", e.contentType());
    }
  }

  private static ObjectNode checkpointTree(Checkpoint c) {
    ObjectNode o = JsonOut.object();
    o.put("version", c.version());
    o.put("timestamp", c.timestamp());
    o.put("email", c.email());
    o.put("last_event_timestamp", c.lastEventTimestamp());
    ArrayNode files = o.putArray("files");
    for (CheckpointFile f : c.files()) {
      files.add(ModelFields.checkpointFileNode(f));
    }
    return o;
  }

  private static ObjectNode incrementalTree(IncrementalCheckpoint c) {
    ObjectNode o = JsonOut.object();
    o.put("version", c.version());
    o.put("timestamp", c.timestamp());
    o.put("email", c.email());
    o.put("sequence_number", c.sequenceNumber());
    addEvents(o.putArray("events"), c.events());
    return o;
  }

  private static ObjectNode rollingTree(RollingState r) {
    ObjectNode o = JsonOut.object();
    o.put("version", r.version());
    o.put("timestamp", r.timestamp());
    o.put("email", r.email());
    o.put("base_checkpoint_timestamp", r.baseCheckpointTimestamp());
    o.put("last_event_timestamp", r.lastEventTimestamp());
    addEvents(o.putArray("events"), r.events());
    return o;
  }

  // ------------------------------------------------------------------------------------ reading

  /**
   * Reads a member of the given kind.
   *
   * @throws MalformedMessageException if the JSON does not have the payload's shape
   * @throws UnsafePathException if a path in it could leave the datasite
   */
  public WirePayload read(PayloadKind kind, byte[] json) {
    return switch (kind) {
      case PROPOSAL -> readProposal(json);
      case EVENTS -> readEvents(json);
      case CHECKPOINT -> readCheckpoint(json);
      case INCREMENTAL_CHECKPOINT -> readIncrementalCheckpoint(json);
      case ROLLING_STATE -> readRollingState(json);
    };
  }

  public ProposedFileChangesMessage readProposal(byte[] json) {
    return parse(json, "proposal message", this::proposal);
  }

  public FileChangeEventsMessage readEvents(byte[] json) {
    return parse(json, "events message", this::eventsMessage);
  }

  public Checkpoint readCheckpoint(byte[] json) {
    return parse(json, "checkpoint", this::checkpoint);
  }

  public IncrementalCheckpoint readIncrementalCheckpoint(byte[] json) {
    return parse(json, "incremental checkpoint", this::incremental);
  }

  public RollingState readRollingState(byte[] json) {
    return parse(json, "rolling state", this::rolling);
  }

  /**
   * Guesses the payload kind of a member from its top-level keys (for input without a reference
   * file name).
   *
   * @throws MalformedMessageException if the JSON is not an object or matches no kind
   */
  public static PayloadKind detectKind(byte[] json) {
    ObjectNode root = JsonIn.parseObject(json, "archive member");
    if (root.has("proposed_file_changes")) {
      return PayloadKind.PROPOSAL;
    }
    if (root.has("sequence_number")) {
      return PayloadKind.INCREMENTAL_CHECKPOINT;
    }
    if (root.has("base_checkpoint_timestamp")) {
      return PayloadKind.ROLLING_STATE;
    }
    if (root.has("message_filepath") || (root.has("events") && !root.has("email"))) {
      return PayloadKind.EVENTS;
    }
    if (root.has("files") || root.has("email")) {
      return PayloadKind.CHECKPOINT;
    }
    throw new MalformedMessageException("archive member matches no known payload (no proposal, events or checkpoint keys)");
  }

  private static <T> T parse(byte[] json, String what, Function<JsonFields, T> reader) {
    JsonFields root = JsonFields.root(JsonIn.parseObject(json, what), what);
    try {
      return reader.apply(root);
    } catch (SyftException e) {
      throw e;
    } catch (IllegalArgumentException | NullPointerException e) {
      // Model invariants that the field checks did not already cover.
      throw new MalformedMessageException(what + ": " + e.getMessage(), e);
    }
  }

  private double now() {
    return Timestamps.now(clock);
  }

  private ProposedFileChangesMessage proposal(JsonFields f) {
    UUID id = f.uuidOr("id", UUID::randomUUID);
    String sender = f.string("sender_email");
    JsonFields name = f.objectOrNull("message_filename");
    double ts = name == null ? now() : name.numberOr("submitted_timestamp", this::now);
    String uid = name == null ? UUID.randomUUID().toString() : name.stringOr("uid", UUID.randomUUID().toString());
    List<ProposedFileChange> changes = new ArrayList<>();
    for (JsonFields c : f.objects("proposed_file_changes")) {
      changes.add(proposedChange(c));
    }
    return construct(name == null ? f : name, "uid",
        () -> new ProposedFileChangesMessage(id, sender, ts, uid, changes));
  }

  private ProposedFileChange proposedChange(JsonFields c) {
    ModelFields.Change<FileContent> ch = unchecked(() -> ModelFields.proposedChange(c, f -> content(f, "content"),
        FileContent::sha256, this::now));
    return construct(c, "path_in_datasite", () -> new ProposedFileChange(ch.id(), ch.oldHash(), ch.newHash(),
        ch.submittedTimestamp(), ch.path(), ch.content(), ch.datasiteEmail(), ch.deleted()));
  }

  private FileChangeEventsMessage eventsMessage(JsonFields f) {
    List<FileChangeEvent> events = events(f.objects("events"));
    JsonFields path = f.objectOrNull("message_filepath");
    UUID id = path == null ? UUID.randomUUID() : path.uuidOr("id", UUID::randomUUID);
    double ts = path == null ? now() : path.numberOr("timestamp", this::now);
    String extension = path == null ? FileChangeEventsMessage.DEFAULT_EXTENSION
        : path.stringOr("extension", FileChangeEventsMessage.DEFAULT_EXTENSION);
    return new FileChangeEventsMessage(events, id, ts, extension);
  }

  private List<FileChangeEvent> events(List<JsonFields> list) {
    List<FileChangeEvent> events = new ArrayList<>(list.size());
    for (JsonFields e : list) {
      ModelFields.Change<FileContent> ev = unchecked(() -> ModelFields.event(e, f -> content(f, "content")));
      events.add(construct(e, "path_in_datasite", () -> new FileChangeEvent(ev.id(), ev.path(), ev.datasiteEmail(),
          ev.content(), ev.oldHash(), ev.newHash(), ev.deleted(), ev.submittedTimestamp(), ev.timestamp())));
    }
    return events;
  }

  private Checkpoint checkpoint(JsonFields f) {
    CheckpointHeader header = ModelFields.checkpointHeader(f, this::now);
    List<CheckpointFile> files = new ArrayList<>();
    for (JsonFields file : f.objectsOrEmpty("files")) {
      files.add(ModelFields.checkpointFile(file));
    }
    return Checkpoint.of(header, files);
  }

  private IncrementalCheckpoint incremental(JsonFields f) {
    int version = f.integerOr("version", Checkpoint.CURRENT_VERSION);
    double ts = f.numberOr("timestamp", this::now);
    String email = f.string("email");
    int seq = f.integer("sequence_number");
    return new IncrementalCheckpoint(version, ts, email, seq, events(f.objectsOrEmpty("events")));
  }

  private RollingState rolling(JsonFields f) {
    int version = f.integerOr("version", Checkpoint.CURRENT_VERSION);
    double ts = f.numberOr("timestamp", this::now);
    String email = f.string("email");
    double base = f.number("base_checkpoint_timestamp");
    Double last = f.nullableNumber("last_event_timestamp");
    return new RollingState(version, ts, email, base, last, events(f.objectsOrEmpty("events")));
  }

  private static FileContent content(JsonFields f, String name) {
    return ModelFields.content(f, name);
  }

  /** The shared field readers declare I/O for the streaming readers; reading a tree does none. */
  private interface Read<T> {
    T get() throws java.io.IOException;
  }

  private static <T> T unchecked(Read<T> read) {
    try {
      return read.get();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static <T> T construct(JsonFields f, String pathField, Supplier<T> constructor) {
    return ModelFields.construct(f, pathField, constructor);
  }
}
