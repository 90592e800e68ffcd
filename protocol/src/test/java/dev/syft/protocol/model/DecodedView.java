package dev.syft.protocol.model;

import dev.syft.protocol.Vectors;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Renders a model in the golden vectors' {@code decoded} convention, for whole-tree comparison. */
public final class DecodedView {
  private DecodedView() {}

  public static JsonNode of(WirePayload payload) {
    ObjectNode o = Vectors.mapper().createObjectNode();
    switch (payload) {
      case ProposedFileChangesMessage m -> {
        o.put("id", m.id().toString());
        o.put("sender_email", m.senderEmail());
        ObjectNode name = o.putObject("message_filename");
        name.set("submitted_timestamp", Vectors.floatNode(m.submittedTimestamp()));
        name.put("uid", m.uid());
        ArrayNode changes = o.putArray("proposed_file_changes");
        for (ProposedFileChange c : m.changes()) {
          ObjectNode n = changes.addObject();
          n.put("id", c.id().toString());
          n.put("old_hash", c.oldHash());
          n.put("new_hash", c.newHash());
          n.set("submitted_timestamp", Vectors.floatNode(c.submittedTimestamp()));
          n.put("path_in_datasite", c.pathInDatasite());
          n.set("content", content(c.content()));
          n.put("content_type", c.contentType());
          n.put("datasite_email", c.datasiteEmail());
          n.put("is_deleted", c.deleted());
        }
      }
      case FileChangeEventsMessage m -> {
        ObjectNode path = o.putObject("message_filepath");
        path.put("id", m.id().toString());
        path.set("timestamp", Vectors.floatNode(m.timestamp()));
        path.put("extension", m.extension());
        o.set("events", events(m.events()));
      }
      case Checkpoint c -> {
        o.put("version", c.version());
        o.set("timestamp", Vectors.floatNode(c.timestamp()));
        o.put("email", c.email());
        o.set("last_event_timestamp", nullableFloat(c.lastEventTimestamp()));
        ArrayNode files = o.putArray("files");
        for (CheckpointFile f : c.files()) {
          ObjectNode n = files.addObject();
          n.put("path", f.path());
          n.put("hash", f.hash());
          n.set("content", content(f.content()));
        }
      }
      case IncrementalCheckpoint c -> {
        o.put("version", c.version());
        o.set("timestamp", Vectors.floatNode(c.timestamp()));
        o.put("email", c.email());
        o.put("sequence_number", c.sequenceNumber());
        o.set("events", events(c.events()));
      }
      case RollingState r -> {
        o.put("version", r.version());
        o.set("timestamp", Vectors.floatNode(r.timestamp()));
        o.put("email", r.email());
        o.set("base_checkpoint_timestamp", Vectors.floatNode(r.baseCheckpointTimestamp()));
        o.set("last_event_timestamp", nullableFloat(r.lastEventTimestamp()));
        o.set("events", events(r.events()));
      }
    }
    return o;
  }

  private static ArrayNode events(List<FileChangeEvent> events) {
    ArrayNode a = Vectors.mapper().createArrayNode();
    for (FileChangeEvent e : events) {
      ObjectNode n = a.addObject();
      n.put("id", e.id().toString());
      n.put("path_in_datasite", e.pathInDatasite());
      n.put("datasite_email", e.datasiteEmail());
      n.set("content", content(e.content()));
      n.put("content_type", e.contentType());
      n.put("old_hash", e.oldHash());
      n.put("new_hash", e.newHash());
      n.put("is_deleted", e.deleted());
      n.set("submitted_timestamp", Vectors.floatNode(e.submittedTimestamp()));
      n.set("timestamp", Vectors.floatNode(e.timestamp()));
    }
    return a;
  }

  private static JsonNode content(FileContent content) {
    if (content == null) {
      return Vectors.mapper().nullNode();
    }
    ObjectNode n = Vectors.mapper().createObjectNode();
    n.put("kind", content.type().wireName());
    if (content.isText()) {
      n.put("text", content.text());
    } else {
      n.put("base64", Base64.getEncoder().encodeToString(content.bytes()));
    }
    return n;
  }

  private static JsonNode nullableFloat(Double d) {
    return d == null ? Vectors.mapper().nullNode() : Vectors.floatNode(d);
  }
}
