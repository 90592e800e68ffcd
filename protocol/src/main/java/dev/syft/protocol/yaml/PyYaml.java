package dev.syft.protocol.yaml;

import dev.syft.protocol.names.Timestamps;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes YAML byte for byte as PyYAML 6 {@code yaml.dump(doc)} / {@code yaml.safe_dump(doc)} does with
 * its defaults: block style, indent 2, sequences under a mapping key not indented, width 80 (long
 * scalars fold at spaces), {@code allow_unicode} off (non-ASCII is escaped inside double quotes), and
 * PyYAML's choice between plain, single-quoted and double-quoted scalars (YAML 1.1 implicit types stay
 * strings by being quoted). The reference writes job {@code config.yaml}/{@code state.yaml},
 * {@code dataset.yaml}/{@code private_metadata.yaml} and {@code syft.pub.yaml} this way.
 *
 * <p>Values: {@code null}, {@link Boolean}, integral numbers ({@link Integer}, {@link Long},
 * {@link Short}, {@link Byte}, {@link BigInteger}), {@link Double}/{@link Float} (Python's float
 * spelling), {@link List}, {@link Map} with {@link String} keys; anything else is written as the
 * string of its {@code toString()}. Keys that PyYAML cannot write as simple keys (empty, multi-line or
 * 123 characters and more) use its explicit {@code ? key} form. Not supported: anchors/aliases for
 * repeated objects, tags, non-string keys.
 */
public final class PyYaml {
  private static final int BEST_WIDTH = 80;
  /** PyYAML's simple-key limit (128) counts the text plus its tag, {@code !!str}. */
  private static final int MAX_SIMPLE_KEY_LENGTH = 128 - "!!str".length();

  private final boolean sortKeys;
  private final StringBuilder out = new StringBuilder();
  private int column;

  private PyYaml(boolean sortKeys) {
    this.sortKeys = sortKeys;
  }

  /**
   * {@code yaml.dump(document)}: mapping keys sorted at every level (by code point, as Python sorts
   * strings).
   *
   * @throws IllegalArgumentException when a nested map has a key that is not a string
   */
  public static String dump(Map<String, ?> document) {
    return dump(document, true);
  }

  /**
   * {@code yaml.dump(document, sort_keys=sortKeys)}: with {@code sortKeys} false the keys keep the
   * maps' iteration order (use an ordered map, e.g. for a pydantic model's field order).
   *
   * @throws IllegalArgumentException when a nested map has a key that is not a string
   */
  public static String dump(Map<String, ?> document, boolean sortKeys) {
    if (document.isEmpty()) {
      return "{}\n";
    }
    PyYaml w = new PyYaml(sortKeys);
    w.mapping(document, 0);
    return w.out.toString();
  }

  // ------------------------------------------------------------------ structure

  private List<Map.Entry<String, Object>> entries(Map<?, ?> m) {
    List<Map.Entry<String, Object>> list = new ArrayList<>(m.size());
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        throw new IllegalArgumentException("YAML mapping key is not a string: " + e.getKey());
      }
      list.add(new AbstractMap.SimpleImmutableEntry<>(k, e.getValue()));
    }
    if (sortKeys) {
      list.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
    }
    return list;
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** A block mapping whose keys start at {@code indent}; the cursor is already there. */
  private void mapping(Map<?, ?> m, int indent) {
    boolean first = true;
    for (Map.Entry<String, Object> e : entries(m)) {
      if (!first) {
        pad(indent);
      }
      first = false;
      Object v = e.getValue();
      String key = e.getKey();
      if (isSimpleKey(key)) {
        scalar(key, indent + 2, false);
        raw(":");
        value(v, indent, true);
      } else {
        // PyYAML's explicit key: "? key" then ": value" on the next line, value laid out as in a sequence
        raw("? ");
        scalar(key, indent + 2, true);
        newline();
        pad(indent);
        raw(":");
        value(v, indent, false);
      }
    }
  }

  private static boolean isSimpleKey(String key) {
    return !key.isEmpty() && key.codePointCount(0, key.length()) < MAX_SIMPLE_KEY_LENGTH
        && key.codePoints().noneMatch(PyYaml::isBreak);
  }

  /** Writes the value after {@code key:}, {@code -} or {@code :}; ends with a newline. */
  private void value(Object v, int indent, boolean inMapping) {
    if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        raw(" {}");
        newline();
      } else if (inMapping) {
        newline();
        pad(indent + 2);
        mapping(m, indent + 2);
      } else {
        raw(" ");
        mapping(m, indent + 2);
      }
      return;
    }
    if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        raw(" []");
        newline();
        return;
      }
      // a sequence under a mapping key is not indented further
      int seqIndent = inMapping ? indent : indent + 2;
      if (inMapping) {
        newline();
      } else {
        raw(" ");
      }
      boolean first = true;
      for (Object item : l) {
        if (!first || inMapping) {
          pad(seqIndent);
        }
        first = false;
        raw("-");
        value(item, seqIndent, false);
      }
      return;
    }
    raw(" ");
    if (v == null) {
      raw("null");
    } else if (v instanceof Boolean b) {
      raw(b ? "true" : "false");
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger) {
      raw(v.toString());
    } else if (v instanceof Double || v instanceof Float) {
      raw(pythonFloat(((Number) v).doubleValue()));
    } else {
      scalar(v.toString(), indent + 2, true);
    }
    newline();
  }

  /** PyYAML's {@code represent_float}: Python's {@code repr}, lower case, with {@code .0} before a bare exponent. */
  static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return ".nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? ".inf" : "-.inf";
    }
    String s = Timestamps.nameText(d).toLowerCase(java.util.Locale.ROOT);
    return s.indexOf('.') < 0 && s.indexOf('e') >= 0 ? s.replaceFirst("e", ".0e") : s;
  }

  private void raw(String s) {
    out.append(s);
    column += s.codePointCount(0, s.length());
  }

  private void newline() {
    out.append('\n');
    column = 0;
  }

  private void pad(int n) {
    out.repeat(' ', n);
    column = n;
  }

  private void breakTo(int indent) {
    newline();
    pad(indent);
  }

  private void write(int[] c, int from, int to) {
    for (int k = from; k < to; k++) {
      out.appendCodePoint(c[k]);
    }
    column += to - from;
  }

  // ------------------------------------------------------------------ scalar styles

  /** A string scalar; {@code fold} is false for simple keys (PyYAML never splits those). */
  private void scalar(String text, int indent, boolean fold) {
    Analysis a = analyze(text);
    if (!a.empty && a.allowBlockPlain && Resolver.plainIsString(text)) {
      writePlain(text, indent, fold);
    } else if (a.allowSingleQuoted) {
      writeSingleQuoted(text, indent, fold);
    } else {
      writeDoubleQuoted(text, indent, fold);
    }
  }

  private record Analysis(boolean empty, boolean allowBlockPlain, boolean allowSingleQuoted) {}

  private static boolean isBreak(int ch) {
    return ch == '\n' || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
  }

  private static boolean isBlank(int ch) {
    return ch == 0 || ch == ' ' || ch == '\t' || ch == '\r' || isBreak(ch);
  }

  /** PyYAML's {@code Emitter.analyze_scalar}, block context, {@code allow_unicode=False}. */
  private static Analysis analyze(String s) {
    if (s.isEmpty()) {
      return new Analysis(true, false, true);
    }
    int[] c = s.codePoints().toArray();
    int n = c.length;
    boolean indicators = s.startsWith("---") || s.startsWith("...");
    boolean breaks = false;
    boolean special = false;
    boolean leadSpace = false;
    boolean leadBreak = false;
    boolean trailSpace = false;
    boolean trailBreak = false;
    boolean breakSpace = false;
    boolean spaceBreak = false;
    boolean prevWs = true;
    boolean nextWs = n == 1 || isBlank(c[1]);
    boolean prevSpace = false;
    boolean prevBreak = false;
    for (int i = 0; i < n; i++) {
      int ch = c[i];
      if (i == 0) {
        if ("#,[]{}&*!|>'\"%@`".indexOf(ch) >= 0) {
          indicators = true;
        }
        if ((ch == '?' || ch == ':' || ch == '-') && nextWs) {
          indicators = true;
        }
      } else {
        // flow indicators (",?[]{}") only matter in flow context, which is never used here
        if (ch == ':' && nextWs) {
          indicators = true;
        }
        if (ch == '#' && prevWs) {
          indicators = true;
        }
      }
      if (isBreak(ch)) {
        breaks = true;
      }
      if (!(ch == '\n' || (ch >= 0x20 && ch <= 0x7e))) {
        special = true; // allow_unicode is off: escaped in double quotes
      }
      if (ch == ' ') {
        leadSpace |= i == 0;
        trailSpace |= i == n - 1;
        breakSpace |= prevBreak;
        prevSpace = true;
        prevBreak = false;
      } else if (isBreak(ch)) {
        leadBreak |= i == 0;
        trailBreak |= i == n - 1;
        spaceBreak |= prevSpace;
        prevSpace = false;
        prevBreak = true;
      } else {
        prevSpace = false;
        prevBreak = false;
      }
      prevWs = isBlank(ch);
      nextWs = i + 2 >= n || isBlank(c[i + 2]);
    }
    boolean plain = !(leadSpace || leadBreak || trailSpace || trailBreak || breakSpace || spaceBreak || special
        || breaks || indicators);
    boolean single = !(breakSpace || spaceBreak || special);
    return new Analysis(false, plain, single);
  }

  private void writePlain(String text, int indent, boolean fold) {
    int[] c = text.codePoints().toArray();
    boolean spaces = false;
    int start = 0;
    for (int end = 0; end <= c.length; end++) {
      int ch = end < c.length ? c[end] : -1;
      if (spaces) {
        if (ch != ' ') {
          if (start + 1 == end && column > BEST_WIDTH && fold) {
            breakTo(indent);
          } else {
            write(c, start, end);
          }
          start = end;
        }
      } else if (ch == -1 || ch == ' ') {
        write(c, start, end);
        start = end;
      }
      if (ch != -1) {
        spaces = ch == ' ';
      }
    }
  }

  private void writeSingleQuoted(String text, int indent, boolean fold) {
    raw("'");
    int[] c = text.codePoints().toArray();
    boolean spaces = false;
    boolean breaks = false;
    int start = 0;
    for (int end = 0; end <= c.length; end++) {
      int ch = end < c.length ? c[end] : -1;
      if (spaces) {
        if (ch != ' ') {
          if (start + 1 == end && column > BEST_WIDTH && fold && start != 0 && end != c.length) {
            breakTo(indent);
          } else {
            write(c, start, end);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch == -1 || !isBreak(ch)) {
          // a line break inside single quotes is written doubled (a lone one would fold into a space)
          if (c[start] == '\n') {
            newline();
          }
          for (int k = start; k < end; k++) {
            if (c[k] == '\n') {
              newline();
            } else {
              out.appendCodePoint(c[k]);
              column = 0;
            }
          }
          pad(indent);
          start = end;
        }
      } else if (ch == -1 || ch == ' ' || isBreak(ch) || ch == '\'') {
        if (start < end) {
          write(c, start, end);
          start = end;
        }
      }
      if (ch == '\'') {
        raw("''");
        start = end + 1;
      }
      if (ch != -1) {
        spaces = ch == ' ';
        breaks = isBreak(ch);
      }
    }
    raw("'");
  }

  private void writeDoubleQuoted(String text, int indent, boolean fold) {
    raw("\"");
    int[] c = text.codePoints().toArray();
    int start = 0;
    for (int end = 0; end <= c.length; end++) {
      int ch = end < c.length ? c[end] : -1;
      if (ch == -1 || ch == '"' || ch == '\\' || ch == 0xFEFF || !(ch >= 0x20 && ch <= 0x7e)) {
        if (start < end) {
          write(c, start, end);
          start = end;
        }
        if (ch != -1) {
          raw(escape(ch));
          start = end + 1;
        }
      }
      if (fold && end > 0 && end < c.length - 1 && (ch == ' ' || start >= end)
          && column + (end - start) > BEST_WIDTH) {
        StringBuilder data = new StringBuilder();
        for (int k = start; k < end; k++) {
          data.appendCodePoint(c[k]);
        }
        data.append('\\');
        if (start < end) {
          start = end;
        }
        raw(data.toString());
        breakTo(indent);
        if (c[start] == ' ') {
          raw("\\");
        }
      }
    }
    raw("\"");
  }

  private static String escape(int ch) {
    return switch (ch) {
      case 0 -> "\\0";
      case 0x07 -> "\\a";
      case 0x08 -> "\\b";
      case 0x09 -> "\\t";
      case 0x0A -> "\\n";
      case 0x0B -> "\\v";
      case 0x0C -> "\\f";
      case 0x0D -> "\\r";
      case 0x1B -> "\\e";
      case '"' -> "\\\"";
      case '\\' -> "\\\\";
      case 0x85 -> "\\N";
      case 0xA0 -> "\\_";
      case 0x2028 -> "\\L";
      case 0x2029 -> "\\P";
      default -> ch <= 0xFF ? String.format("\\x%02X", ch)
          : ch <= 0xFFFF ? String.format("\\u%04X", ch) : String.format("\\U%08X", ch);
    };
  }

  /** PyYAML's YAML 1.1 implicit resolvers: would a plain scalar with this text load back as a string? */
  private static final class Resolver {
    private static final Pattern BOOL =
        Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
    private static final Pattern FLOAT = Pattern.compile(
        "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
    private static final Pattern INT = Pattern.compile(
        "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern TIMESTAMP = Pattern.compile(
        "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
            + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
            + "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?");
    private static final Pattern OTHER = Pattern.compile("<<|=|!|&|\\*");

    private Resolver() {}

    static boolean plainIsString(String v) {
      return !(NULL.matcher(v).matches() || BOOL.matcher(v).matches() || INT.matcher(v).matches()
          || FLOAT.matcher(v).matches() || TIMESTAMP.matcher(v).matches() || OTHER.matcher(v).matches());
    }
  }
}
