package dev.syft.protocol.internal;

import dev.syft.protocol.UnsafePathException;
import dev.syft.protocol.model.Checkpoint;
import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.CheckpointHeader;
import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.ProposedFileChange;
import java.io.IOException;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Field-level reading and writing shared by {@code WireJson} (whole documents) and the streaming
 * checkpoint codec, so both accept, refuse and write exactly the same things.
 */
public final class ModelFields {
  private ModelFields() {}

  /**
   * The {@code content} field: {@code null}/missing means no content; a string is base64 when
   * {@code content_type} is exactly {@code "binary"} (case-sensitive, like the reference), else text.
   */
  public static FileContent content(JsonFields f, String name) {
    JsonNode raw = f.raw(name);
    if (raw == null || raw.isNull()) {
      return null;
    }
    if (!raw.isString()) {
      throw f.error(name, "must be a string or null, not " + JsonFields.describe(raw));
    }
    String text = f.string(name);
    JsonNode type = f.raw("content_type");
    boolean binary = type != null && type.isString() && type.stringValue().equals("binary");
    try {
      return binary ? FileContent.fromBase64(text) : FileContent.text(text);
    } catch (IllegalArgumentException e) {
      throw f.error(name, e.getMessage());
    }
  }

  /** Runs a model constructor, attributing its refusals to the object being read. */
  public static <T> T construct(JsonFields f, String pathField, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (UnsafePathException e) {
      throw new UnsafePathException(f.error(pathField, e.getMessage()).getMessage());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw f.error(e.getMessage());
    }
  }

  /**
   * The header fields of a checkpoint's root object ({@code files} is not looked at).
   *
   * @param now the reference's default for a missing {@code timestamp}
   */
  public static CheckpointHeader checkpointHeader(JsonFields f, DoubleSupplier now) {
    int version = f.integerOr("version", Checkpoint.CURRENT_VERSION);
    double ts = f.numberOr("timestamp", now);
    String email = f.string("email");
    Double last = f.nullableNumber("last_event_timestamp");
    return construct(f, "email", () -> new CheckpointHeader(version, ts, email, last));
  }

  /** One element of a checkpoint's {@code files}: {@code path}, {@code hash} and a string {@code content}. */
  public static CheckpointFile checkpointFile(JsonFields file) {
    String path = file.string("path");
    String hash = file.string("hash");
    file.string("content"); // required and must be a string (null is refused)
    FileContent content = content(file, "content");
    return construct(file, "path", () -> new CheckpointFile(path, hash, content));
  }

  /** The wire object of one checkpoint file, in the reference's key order. */
  public static ObjectNode checkpointFileNode(CheckpointFile f) {
    ObjectNode n = JsonOut.object();
    n.put("path", f.path());
    n.put("hash", f.hash());
    n.put("content", f.content().wireString());
    if (!f.content().isText()) {
      // Extension: the reference's checkpoint has no content_type and cannot carry bytes.
      n.put("content_type", FileContent.Type.BINARY.wireName());
    }
    return n;
  }

  // ------------------------------------------------------------------ changes and events

  /**
   * Reads the {@code content} of a change or event: a {@link FileContent} for the tree reader, a
   * spooled content for the streaming readers.
   */
  @FunctionalInterface
  public interface ContentReader<C> {
    C read(JsonFields f) throws IOException;
  }

  /**
   * One proposed change or event as read, the content as the caller's type; the path is checked and
   * normalised by the model's constructor.
   *
   * @param newHash for a proposed change without the key: computed from the content
   * @param timestamp an event's {@code timestamp}; 0 for a proposed change
   */
  public record Change<C>(UUID id, String oldHash, String newHash, double submittedTimestamp, String path,
      String datasiteEmail, boolean deleted, C content, double timestamp) {}

  /**
   * The field rules of one {@code proposed_file_changes} element, shared by the tree reader and the
   * streaming proposal reader, in the order the reference reads them (which decides the error).
   *
   * @param sha256 the hash of a content, used when {@code new_hash} is absent
   */
  public static <C> Change<C> proposedChange(JsonFields c, ContentReader<C> contents, Function<C, String> sha256,
      DoubleSupplier now) throws IOException {
    UUID id = c.uuidOr("id", UUID::randomUUID);
    String oldHash = c.nullableString("old_hash");
    C content = contents.read(c);
    String newHash;
    if (c.has("new_hash")) {
      newHash = c.nullableString("new_hash");
    } else {
      // the reference computes the hash only when the key is absent (a given hash is trusted)
      newHash = !c.truthy("is_deleted") && content != null ? sha256.apply(content) : null;
    }
    double ts = c.numberOr("submitted_timestamp", now);
    String path = c.string("path_in_datasite");
    String email = c.string("datasite_email");
    boolean deleted = c.boolOr("is_deleted", false);
    // the model's checks (path safety and normalisation, required fields) without holding the content
    ProposedFileChange checked = construct(c, "path_in_datasite",
        () -> new ProposedFileChange(id, oldHash, newHash, ts, path, null, email, deleted));
    return new Change<>(id, oldHash, newHash, ts, checked.pathInDatasite(), email, deleted, content, 0);
  }

  /** The field rules of one {@code events} element, shared by the tree reader and the streaming events reader. */
  public static <C> Change<C> event(JsonFields e, ContentReader<C> contents) throws IOException {
    UUID id = e.uuid("id");
    String path = e.string("path_in_datasite");
    String email = e.string("datasite_email");
    C content = contents.read(e);
    String oldHash = e.nullableString("old_hash");
    String newHash = e.nullableString("new_hash");
    boolean deleted = e.boolOr("is_deleted", false);
    double submitted = e.number("submitted_timestamp");
    double ts = e.number("timestamp");
    FileChangeEvent checked = construct(e, "path_in_datasite",
        () -> new FileChangeEvent(id, path, email, null, oldHash, newHash, deleted, submitted, ts));
    return new Change<>(id, oldHash, newHash, submitted, checked.pathInDatasite(), email, deleted, content, ts);
  }
}
