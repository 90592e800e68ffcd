package dev.syft.protocol.internal;

import dev.syft.protocol.UnsafePathException;
import dev.syft.protocol.model.Checkpoint;
import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.CheckpointHeader;
import dev.syft.protocol.model.FileContent;
import java.util.function.DoubleSupplier;
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
}
