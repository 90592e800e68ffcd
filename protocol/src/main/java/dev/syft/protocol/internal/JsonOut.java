package dev.syft.protocol.internal;

import dev.syft.protocol.names.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a Jackson tree byte for byte the way the reference's serialisers do. Jackson's own writer
 * differs in float spelling, escaping and indentation, so the layout is done here.
 */
public final class JsonOut {
  /** The three serialisers the reference uses. */
  public enum Style {
    /** pydantic {@code model_dump_json()}: no whitespace, non-ASCII raw, pydantic floats. */
    PYDANTIC_COMPACT,
    /** pydantic {@code model_dump_json(indent=2)}: as compact, laid out with 2-space indent. */
    PYDANTIC_INDENT2,
    /** Python {@code json.dumps(indent=2)}: {@code \\uXXXX} for non-ASCII, {@code repr} floats. */
    PYTHON_INDENT2_ASCII
  }

  private JsonOut() {}

  /** A fresh ordered object node (insertion order is output order). */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Renders {@code node} as UTF-8 bytes with no trailing newline. */
  public static byte[] render(JsonNode node, Style style) {
    return renderString(node, style).getBytes(StandardCharsets.UTF_8);
  }

  /** Renders {@code node} as a string with no trailing newline. */
  public static String renderString(JsonNode node, Style style) {
    StringBuilder out = new StringBuilder(256);
    write(node, style, 0, out);
    return out.toString();
  }

  private static void write(JsonNode node, Style style, int depth, StringBuilder out) {
    boolean pretty = style != Style.PYDANTIC_COMPACT;
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        newline(pretty, depth + 1, out);
        string(e.getKey(), style, out);
        out.append(pretty ? ": " : ":");
        write(e.getValue(), style, depth + 1, out);
        if (it.hasNext()) {
          out.append(',');
        }
      }
      newline(pretty, depth, out);
      out.append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        newline(pretty, depth + 1, out);
        write(node.get(i), style, depth + 1, out);
        if (i + 1 < node.size()) {
          out.append(',');
        }
      }
      newline(pretty, depth, out);
      out.append(']');
    } else if (node.isString()) {
      string(node.stringValue(), style, out);
    } else if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue());
    } else if (node.isNumber()) {
      out.append(number(node.doubleValue(), style));
    } else if (node.isBoolean()) {
      out.append(node.booleanValue() ? "true" : "false");
    } else if (node.isNull() || node.isMissingNode()) {
      out.append("null");
    } else {
      throw new IllegalArgumentException("cannot render JSON node of type " + node.getNodeType());
    }
  }

  private static String number(double value, Style style) {
    if (style != Style.PYTHON_INDENT2_ASCII) {
      return Timestamps.jsonText(value);
    }
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    return Timestamps.nameText(value);
  }

  private static void newline(boolean pretty, int depth, StringBuilder out) {
    if (pretty) {
      out.append('\n').append("  ".repeat(depth));
    }
  }

  /**
   * JSON string escaping: quote, backslash and control characters below U+0020 always ({@code \\n},
   * {@code \\r}, {@code \\t}, {@code \\b}, {@code \\f} or {@code \\u00xx}); with the ASCII style also
   * everything from DEL upwards as {@code \\uxxxx} (UTF-16 units). {@code /} is never escaped. An
   * unpaired surrogate, which UTF-8 cannot carry, is always escaped.
   */
  private static void string(String s, Style style, StringBuilder out) {
    boolean ascii = style == Style.PYTHON_INDENT2_ASCII;
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          boolean unpaired = Character.isSurrogate(c) && !isPairedAt(s, i);
          if (c < 0x20 || (ascii && c >= 0x7f) || unpaired) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static boolean isPairedAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
