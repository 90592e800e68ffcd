package dev.syft.jobs.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the fields of a job YAML file with the reference model's (pydantic, lax mode) rules and
 * collects every problem, so one message lists them all, like a pydantic validation error.
 */
public final class Fields {
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  private final String model;
  private final JsonNode root;
  private final List<String> errors = new ArrayList<>();

  private Fields(String model, JsonNode root) {
    this.model = model;
    this.root = root;
  }

  /**
   * Parses a YAML document that must be a mapping.
   *
   * @throws IllegalArgumentException with a readable message otherwise
   */
  public static Fields parse(String model, String text) {
    JsonNode n;
    try {
      n = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage());
    }
    if (n == null || n.isMissingNode() || !n.isObject()) {
      throw new IllegalArgumentException("1 validation error for " + model + ": the document is not a mapping");
    }
    return new Fields(model, n);
  }

  private JsonNode get(String key) {
    JsonNode v = root.get(key);
    return v == null || v.isMissingNode() ? null : v;
  }

  public boolean has(String key) {
    return get(key) != null;
  }

  /** A string field; a missing or null value gives {@code dflt}. */
  public String string(String key, String dflt) {
    JsonNode v = get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (v.isString()) {
      return v.asString();
    }
    errors.add(key + ": expected a string, got " + kind(v));
    return dflt;
  }

  /** A required string. */
  public String requiredString(String key) {
    JsonNode v = get(key);
    if (v == null) {
      errors.add(key + ": field required");
      return null;
    }
    if (!v.isString()) {
      errors.add(key + ": expected a string, got " + kind(v));
      return null;
    }
    return v.asString();
  }

  public Instant time(String key) {
    JsonNode v = get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return Times.ofEpochSeconds(v.asDouble());
    }
    if (v.isString()) {
      try {
        return Times.parse(v.asString());
      } catch (IllegalArgumentException e) {
        errors.add(key + ": " + e.getMessage());
        return null;
      }
    }
    errors.add(key + ": expected a datetime, got " + kind(v));
    return null;
  }

  public Integer integer(String key) {
    JsonNode v = get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.asInt();
    }
    if (v.isString() && v.asString().trim().matches("[-+]?\\d{1,9}")) {
      return Integer.parseInt(v.asString().trim());
    }
    if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
      return (int) v.asDouble();
    }
    errors.add(key + ": expected an integer, got " + kind(v));
    return null;
  }

  public boolean bool(String key, boolean dflt) {
    JsonNode v = get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isIntegralNumber() && (v.asInt() == 0 || v.asInt() == 1)) {
      return v.asInt() == 1;
    }
    if (v.isString()) {
      switch (v.asString().trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "yes", "on", "1", "y", "t" -> {
          return true;
        }
        case "false", "no", "off", "0", "n", "f" -> {
          return false;
        }
        default -> { }
      }
    }
    errors.add(key + ": expected a boolean, got " + kind(v));
    return dflt;
  }

  public List<String> stringList(String key) {
    JsonNode v = get(key);
    if (v == null || v.isNull()) {
      if (v != null) {
        errors.add(key + ": expected a list, got null");
      }
      return List.of();
    }
    if (!v.isArray()) {
      errors.add(key + ": expected a list, got " + kind(v));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (e.isString()) {
        out.add(e.asString());
      } else {
        errors.add(key + ": every entry must be a string, got " + kind(e));
      }
    }
    return out;
  }

  /** A map of string to list of strings, or null. */
  public Map<String, List<String>> stringListMap(String key) {
    JsonNode v = get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      errors.add(key + ": expected a mapping, got " + kind(v));
      return null;
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (var e : v.properties()) {
      if (!e.getValue().isArray()) {
        errors.add(key + "." + e.getKey() + ": expected a list, got " + kind(e.getValue()));
        continue;
      }
      List<String> l = new ArrayList<>();
      for (JsonNode x : e.getValue()) {
        if (x.isString()) {
          l.add(x.asString());
        } else {
          errors.add(key + "." + e.getKey() + ": every entry must be a string");
        }
      }
      out.put(e.getKey(), List.copyOf(l));
    }
    return out;
  }

  /** A free-form mapping (e.g. headers) as plain Java values; null or missing gives an empty map. */
  public Map<String, Object> objectMap(String key) {
    JsonNode v = get(key);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      errors.add(key + ": expected a mapping, got " + kind(v));
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) plain(v);
    return m;
  }

  private static Object plain(JsonNode v) {
    if (v.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (var e : v.properties()) {
        m.put(e.getKey(), plain(e.getValue()));
      }
      return m;
    }
    if (v.isArray()) {
      List<Object> l = new ArrayList<>();
      for (JsonNode x : v) {
        l.add(plain(x));
      }
      return l;
    }
    if (v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.asLong() : v.asString();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    return v.asString();
  }

  /** Records a problem found by the caller. */
  public void error(String message) {
    errors.add(message);
  }

  /** Throws when any field was invalid. */
  public void done() {
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(errors.size() + " validation error" + (errors.size() == 1 ? "" : "s")
          + " for " + model + ": " + String.join("; ", errors));
    }
  }

  private static String kind(JsonNode v) {
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isNull()) {
      return "null";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    if (v.isNumber()) {
      return "a number";
    }
    return "'" + v.asString() + "'";
  }
}
