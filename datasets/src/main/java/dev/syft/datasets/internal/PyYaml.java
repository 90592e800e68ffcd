package dev.syft.datasets.internal;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes block-style YAML the way PyYAML's {@code safe_dump(data, indent=2, sort_keys=False)} does
 * for the flat documents of this module ({@code dataset.yaml}, {@code private_metadata.yaml}):
 * top-level keys in insertion order, lists as unindented {@code - item} lines, {@code []} for empty
 * lists, {@code null} for None, and PyYAML's choice between plain, single-quoted and double-quoted
 * scalars (including YAML 1.1 implicit types and {@code allow_unicode=False} escaping).
 *
 * <p>Deviation: PyYAML folds scalars longer than 80 columns and writes multi-line strings
 * single-quoted; here such values stay on one line (double-quoted when they contain line breaks).
 * Both forms load to the same value.
 */
final class PyYaml {
  private static final Pattern BOOL = Pattern.compile(
      "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  private static final Pattern FLOAT = Pattern.compile(
      "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
          + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
          + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
          + "|[-+]?\\.(?:inf|Inf|INF)"
          + "|\\.(?:nan|NaN|NAN)");
  private static final Pattern INT = Pattern.compile(
      "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern TIMESTAMP = Pattern.compile(
      "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
          + "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
          + "(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?");

  private final StringBuilder out = new StringBuilder();

  /** {@code key: value} ({@code null} for a null value). */
  PyYaml put(String key, String value) {
    out.append(key).append(':').append(' ').append(value == null ? "null" : scalar(value)).append('\n');
    return this;
  }

  /** {@code key:} followed by {@code - item} lines, or {@code key: []}. */
  PyYaml put(String key, List<String> values) {
    if (values.isEmpty()) {
      out.append(key).append(": []\n");
      return this;
    }
    out.append(key).append(":\n");
    for (String v : values) {
      out.append("- ").append(v == null ? "null" : scalar(v)).append('\n');
    }
    return this;
  }

  String render() {
    return out.toString();
  }

  /** A string scalar in block context, styled as PyYAML would style it. */
  static String scalar(String s) {
    Analysis a = analyze(s);
    if (!a.empty && a.allowBlockPlain && resolvesToString(s)) {
      return s;
    }
    if (a.allowSingleQuoted && !a.lineBreaks) {
      return "'" + s.replace("'", "''") + "'";
    }
    return doubleQuoted(s);
  }

  /** True when a plain scalar {@code s} would load as a string (not bool, int, float, null...). */
  static boolean resolvesToString(String s) {
    return !(BOOL.matcher(s).matches() || FLOAT.matcher(s).matches() || INT.matcher(s).matches()
        || NULL.matcher(s).matches() || TIMESTAMP.matcher(s).matches() || s.equals("<<") || s.equals("="));
  }

  private record Analysis(boolean empty, boolean lineBreaks, boolean allowBlockPlain, boolean allowSingleQuoted) {}

  private static boolean isSpaceOrBreak(int cp) {
    return cp == 0 || cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
  }

  private static boolean isBreak(int cp) {
    return cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
  }

  /** PyYAML's {@code Emitter.analyze_scalar}, for block context and {@code allow_unicode=False}. */
  private static Analysis analyze(String s) {
    if (s.isEmpty()) {
      return new Analysis(true, false, false, true);
    }
    int[] cps = s.codePoints().toArray();
    int n = cps.length;
    boolean blockIndicators = s.startsWith("---") || s.startsWith("...");
    boolean lineBreaks = false;
    boolean special = false;
    boolean leadingSpace = false;
    boolean leadingBreak = false;
    boolean trailingSpace = false;
    boolean trailingBreak = false;
    boolean breakSpace = false;
    boolean spaceBreak = false;
    boolean previousSpace = false;
    boolean previousBreak = false;
    boolean precededByWhitespace = true;
    boolean followedByWhitespace = n == 1 || isSpaceOrBreak(cps[1]);
    for (int i = 0; i < n; i++) {
      int ch = cps[i];
      if (i == 0) {
        if ("#,[]{}&*!|>'\"%@`".indexOf(ch) >= 0) {
          blockIndicators = true;
        }
        if ((ch == '?' || ch == ':') && followedByWhitespace) {
          blockIndicators = true;
        }
        if (ch == '-' && followedByWhitespace) {
          blockIndicators = true;
        }
      } else {
        if (ch == ':' && followedByWhitespace) {
          blockIndicators = true;
        }
        if (ch == '#' && precededByWhitespace) {
          blockIndicators = true;
        }
      }
      if (isBreak(ch)) {
        lineBreaks = true;
      }
      if (!(ch == '\n' || (ch >= 0x20 && ch <= 0x7e))) {
        special = true; // unicode is escaped (allow_unicode=False) and so are controls
      }
      if (ch == ' ') {
        if (i == 0) {
          leadingSpace = true;
        }
        if (i == n - 1) {
          trailingSpace = true;
        }
        if (previousBreak) {
          breakSpace = true;
        }
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(ch)) {
        if (i == 0) {
          leadingBreak = true;
        }
        if (i == n - 1) {
          trailingBreak = true;
        }
        if (previousSpace) {
          spaceBreak = true;
        }
        previousSpace = false;
        previousBreak = true;
      } else {
        previousSpace = false;
        previousBreak = false;
      }
      precededByWhitespace = isSpaceOrBreak(ch);
      followedByWhitespace = i + 2 >= n || isSpaceOrBreak(cps[i + 2]);
    }
    boolean blockPlain = true;
    boolean singleQuoted = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      blockPlain = false;
    }
    if (breakSpace) {
      blockPlain = false;
      singleQuoted = false;
    }
    if (spaceBreak || special) {
      blockPlain = false;
      singleQuoted = false;
    }
    if (lineBreaks || blockIndicators) {
      blockPlain = false;
    }
    return new Analysis(false, lineBreaks, blockPlain, singleQuoted);
  }

  /** PyYAML's double-quoted style with its escapes (upper-case hex), without line folding. */
  static String doubleQuoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    s.codePoints().forEach(cp -> {
      String esc = switch (cp) {
        case 0 -> "0";
        case 0x07 -> "a";
        case 0x08 -> "b";
        case 0x09 -> "t";
        case 0x0a -> "n";
        case 0x0b -> "v";
        case 0x0c -> "f";
        case 0x0d -> "r";
        case 0x1b -> "e";
        case '"' -> "\"";
        case '\\' -> "\\";
        case 0x85 -> "N";
        case 0xa0 -> "_";
        case 0x2028 -> "L";
        case 0x2029 -> "P";
        default -> null;
      };
      if (esc != null) {
        b.append('\\').append(esc);
      } else if (cp >= 0x20 && cp <= 0x7e) {
        b.appendCodePoint(cp);
      } else if (cp <= 0xff) {
        b.append(String.format("\\x%02X", cp));
      } else if (cp <= 0xffff) {
        b.append(String.format("\\u%04X", cp));
      } else {
        b.append(String.format("\\U%08X", cp));
      }
    });
    return b.append('"').toString();
  }
}
