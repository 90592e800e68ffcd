package dev.syft.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The one JSON convention of every {@code --json} output (documented in cli/README.md): one pretty
 * printed document per command; snake_case keys for every field (library records keep their Java
 * names, the mapping happens here); times as ISO-8601 UTC strings ({@code 2026-01-31T12:00:00.123Z}) in
 * fields named {@code at}, {@code ts}, {@code *_at}, {@code last_sync}; map keys that are data (e-mails,
 * file names) are left as they are.
 */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
  private static final Pattern ZONELESS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?");
  private static final Pattern OFFSET_UTC = Pattern.compile("(.*T.*)(\\+00:00|\\+0000|-00:00)");

  private Json() {}

  static String write(Object value) {
    JsonNode tree = value instanceof JsonNode n ? n : MAPPER.valueToTree(value);
    return MAPPER.writeValueAsString(normalize(tree));
  }

  /**
   * A sync report in the shape {@code sync --json} has always printed: one {@code peer_errors} map with
   * peers' problems and, by name, failed extensions and checkpoint maintenance.
   */
  static Map<String, Object> report(dev.syft.core.SyncReport r) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("local_changes", r.localChanges());
    m.put("accepted", r.accepted());
    m.put("rejected", r.rejected());
    m.put("proposed", r.proposed());
    m.put("pulled", r.pulled());
    m.put("uploaded", r.uploaded());
    m.put("pending_uploads", r.pendingUploads());
    m.put("peer_errors", r.allErrors());
    m.put("skipped_peers", r.skippedPeers());
    m.put("held_deletions", r.heldDeletions());
    return m;
  }

  /** Whether a key names a point in time. */
  static boolean isTimeKey(String key) {
    return key.equals("at") || key.equals("ts") || key.endsWith("_at") || key.equals("last_sync");
  }

  private static JsonNode normalize(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : new ArrayList<>(o.properties())) {
        JsonNode v = e.getValue();
        if (isTimeKey(e.getKey())) {
          o.set(e.getKey(), time(v));
        } else {
          normalize(v);
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(Json::normalize);
    }
    return node;
  }

  private static JsonNode time(JsonNode v) {
    if (v.isNumber()) { // epoch seconds
      return StringNode.valueOf(Instant.ofEpochMilli(Math.round(v.asDouble() * 1000)).toString());
    }
    if (v.isString()) {
      String s = v.asString();
      if (ZONELESS.matcher(s).matches()) {
        return StringNode.valueOf(s + "Z"); // our libraries keep UTC times without a zone
      }
      var m = OFFSET_UTC.matcher(s);
      if (m.matches()) {
        return StringNode.valueOf(m.group(1) + "Z");
      }
    }
    return v;
  }
}
