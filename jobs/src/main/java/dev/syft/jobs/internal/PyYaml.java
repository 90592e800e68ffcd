package dev.syft.jobs.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes YAML the way the reference's {@code yaml.dump(obj)} does with PyYAML 6 defaults (sorted keys,
 * block style, indentless sequences under mapping keys, indent 2, width 80, {@code allow_unicode}
 * off), for the value shapes job files use: null, booleans, integers, strings, lists and string-keyed
 * maps. The scalar style (plain, single or double quoted) and the folding of long scalars follow
 * PyYAML's emitter, so {@code config.yaml} and {@code state.yaml} are byte-identical to the reference.
 */
public final class PyYaml {
  private static final int BEST_WIDTH = 80;

  private final StringBuilder out = new StringBuilder();
  private int column;

  private PyYaml() {}

  /** Renders a top-level mapping; keys are sorted as Python sorts strings (by code point). */
  public static String dump(Map<String, ?> root) {
    PyYaml w = new PyYaml();
    if (root.isEmpty()) {
      return "{}\n";
    }
    w.mapping(root, 0);
    return w.out.toString();
  }

  private static Map<String, ?> sorted(Map<String, ?> m) {
    TreeMap<String, Object> t = new TreeMap<>(PyYaml::compareCodePoints);
    t.putAll(m);
    return t;
  }

  static int compareCodePoints(String a, String b) {
    int[] x = a.codePoints().toArray();
    int[] y = b.codePoints().toArray();
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] != y[i]) {
        return Integer.compare(x[i], y[i]);
      }
    }
    return Integer.compare(x.length, y.length);
  }

  /** A block mapping whose keys start at {@code indent}; the caller has positioned the cursor there. */
  private void mapping(Map<String, ?> m, int indent) {
    boolean first = true;
    for (Map.Entry<String, ?> e : sorted(m).entrySet()) {
      if (!first) {
        pad(indent);
      }
      first = false;
      scalar(e.getKey(), indent + 2, false);
      raw(":");
      value(e.getValue(), indent, true);
    }
  }

  /** Writes the value after {@code key:} (or after {@code -}); ends with a newline. */
  private void value(Object v, int indent, boolean inMapping) {
    if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        raw(" {}");
        newline();
        return;
      }
      @SuppressWarnings("unchecked")
      Map<String, ?> sm = (Map<String, ?>) m;
      if (inMapping) {
        newline();
        pad(indent + 2);
        mapping(sm, indent + 2);
      } else {
        raw(" ");
        mapping(sm, indent + 2);
      }
      return;
    }
    if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        raw(" []");
        newline();
        return;
      }
      // PyYAML writes a sequence under a mapping key without extra indentation
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
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      raw(v.toString());
    } else if (v instanceof Double || v instanceof Float) {
      raw(pythonFloat(((Number) v).doubleValue()));
    } else {
      scalar(v.toString(), indent + 2, true);
    }
    newline();
  }

  private static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return ".nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? ".inf" : "-.inf";
    }
    String s = Double.toString(d);
    return s.contains("E") ? s.replace("E", "e+").replace("e+-", "e-") : s;
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
    for (int i = 0; i < n; i++) {
      out.append(' ');
    }
    column = n;
  }

  private void breakTo(int indent) {
    newline();
    pad(indent);
  }

  // ------------------------------------------------------------------ scalar styles

  private void scalar(String text, int indent, boolean allowFold) {
    Analysis a = analyze(text);
    if (!a.empty && a.allowBlockPlain && Resolver.plainIsString(text)) {
      writePlain(text, indent, allowFold);
    } else if (a.allowSingleQuoted) {
      writeSingleQuoted(text, indent, allowFold);
    } else {
      writeDoubleQuoted(text, indent, allowFold);
    }
  }

  private record Analysis(boolean empty, boolean allowBlockPlain, boolean allowSingleQuoted) {}

  private static boolean isBreak(int ch) {
    return ch == '\n' || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
  }

  private static boolean isBlank(int ch) {
    return ch == 0 || ch == ' ' || ch == '\t' || ch == '\r' || isBreak(ch);
  }

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
        if (",?[]{}".indexOf(ch) >= 0) {
          // flow indicators only matter in flow context; block plain stays allowed
        }
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
      if (fold && end > 0 && end < c.length - 1 && (ch == ' ' || start >= end) && column + (end - start) > BEST_WIDTH) {
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

  private void write(int[] c, int from, int to) {
    for (int k = from; k < to; k++) {
      out.appendCodePoint(c[k]);
    }
    column += to - from;
  }

  /** PyYAML's YAML 1.1 implicit resolvers: would a plain scalar with this text load back as a string? */
  static final class Resolver {
    private static final Pattern BOOL =
        Pattern.compile("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
    private static final Pattern FLOAT = Pattern.compile(
        "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
    private static final Pattern INT = Pattern.compile(
        "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
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
