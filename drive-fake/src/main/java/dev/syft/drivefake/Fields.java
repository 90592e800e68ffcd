package dev.syft.drivefake;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code fields} partial-response selector: {@code a,b(c,d),e/f} or {@code *}. A null selector
 * keeps everything.
 */
final class Fields {
  /** A selection: child name -> sub-selection (null = the whole value). */
  private final Map<String, Fields> children;
  private final boolean all;

  private Fields(Map<String, Fields> children, boolean all) {
    this.children = children;
    this.all = all;
  }

  static Fields all() {
    return new Fields(Map.of(), true);
  }

  /** Parses a selector; blank or null means "everything". */
  static Fields parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return all();
    }
    Parser p = new Parser(spec.replace(" ", ""));
    Fields f = p.list();
    if (p.pos != p.s.length()) {
      throw DriveError.invalid("Invalid field selection " + spec, "fields");
    }
    return f;
  }

  /** The sub-selection for {@code name}, or null when it is not selected. */
  Fields child(String name) {
    if (all) {
      return all();
    }
    if (!children.containsKey(name)) {
      return null;
    }
    Fields c = children.get(name);
    return c == null ? all() : c;
  }

  boolean selects(String name) {
    return all || children.containsKey(name);
  }

  /** A copy of {@code node} keeping only the selected members (arrays are filtered element-wise). */
  JsonNode apply(JsonNode node) {
    if (all || node == null) {
      return node;
    }
    if (node.isArray()) {
      ArrayNode out = ((ArrayNode) node).arrayNode();
      for (JsonNode e : node) {
        out.add(apply(e));
      }
      return out;
    }
    if (!node.isObject()) {
      return node;
    }
    ObjectNode in = (ObjectNode) node;
    ObjectNode out = in.objectNode();
    for (Map.Entry<String, Fields> c : children.entrySet()) {
      JsonNode v = in.get(c.getKey());
      if (v != null) {
        out.set(c.getKey(), c.getValue() == null ? v : c.getValue().apply(v));
      }
    }
    return out;
  }

  private static final class Parser {
    final String s;
    int pos;

    Parser(String s) {
      this.s = s;
    }

    Fields list() {
      Map<String, Fields> out = new LinkedHashMap<>();
      boolean star = false;
      while (pos < s.length() && s.charAt(pos) != ')') {
        if (s.charAt(pos) == ',') {
          pos++;
          continue;
        }
        if (s.charAt(pos) == '*') {
          pos++;
          star = true;
          continue;
        }
        path(out);
      }
      return star ? all() : new Fields(out, false);
    }

    /** {@code name}, {@code name(sub)} or {@code name/sub...}, merged into {@code out}. */
    private void path(Map<String, Fields> out) {
      int start = pos;
      while (pos < s.length() && "(),/".indexOf(s.charAt(pos)) < 0) {
        pos++;
      }
      String name = s.substring(start, pos);
      if (name.isEmpty()) {
        throw DriveError.invalid("Invalid field selection " + s, "fields");
      }
      Fields sub = null;
      if (pos < s.length() && s.charAt(pos) == '(') {
        pos++;
        sub = list();
        if (pos >= s.length() || s.charAt(pos) != ')') {
          throw DriveError.invalid("Invalid field selection " + s, "fields");
        }
        pos++;
      } else if (pos < s.length() && s.charAt(pos) == '/') {
        pos++;
        Map<String, Fields> inner = new LinkedHashMap<>();
        path(inner);
        sub = new Fields(inner, false);
      }
      Fields prev = out.get(name);
      if (out.containsKey(name) && (prev == null || sub == null)) {
        out.put(name, null); // one of them selects the whole value
      } else if (prev != null) {
        Map<String, Fields> merged = new LinkedHashMap<>(prev.children);
        merged.putAll(sub.children);
        out.put(name, new Fields(merged, prev.all || sub.all));
      } else {
        out.put(name, sub);
      }
    }
  }
}
