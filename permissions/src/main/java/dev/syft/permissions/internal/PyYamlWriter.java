package dev.syft.permissions.internal;

import dev.syft.permissions.AclRule;
import dev.syft.permissions.Level;
import java.util.List;

/**
 * Writes a permission file byte for byte as the reference does ({@code yaml.dump} of the rule set
 * with sorted keys, block style, PyYAML 6 defaults: 2-space indent, width 80, no unicode, so
 * non-ASCII text is escaped in double quotes). Only the fixed shape of a permission file is
 * supported, which keeps the emitter small: the scalar style rules (plain / single / double quoted,
 * folding of long scalars) follow PyYAML's emitter.
 */
public final class PyYamlWriter {
  private static final int BEST_WIDTH = 80;

  private final StringBuilder out = new StringBuilder();
  private int column;

  private PyYamlWriter() {}

  /** The file text: {@code rules} (each {@code access} with admin/read/write, then {@code pattern}), then {@code terminal}. */
  public static String render(List<AclRule> rules, boolean terminal) {
    PyYamlWriter w = new PyYamlWriter();
    w.raw("rules:");
    if (rules.isEmpty()) {
      w.raw(" []");
      w.newline();
    } else {
      w.newline();
      for (AclRule r : rules) {
        w.raw("- access:");
        w.newline();
        for (Level level : new Level[] {Level.ADMIN, Level.READ, Level.WRITE}) {
          List<String> entries = r.access().list(level);
          w.raw("    " + level.id() + ":");
          if (entries.isEmpty()) {
            w.raw(" []");
            w.newline();
          } else {
            w.newline();
            for (String e : entries) {
              w.raw("    -");
              w.scalar(e, 6);
              w.newline();
            }
          }
        }
        w.raw("  pattern:");
        w.scalar(r.pattern(), 4);
        w.newline();
      }
    }
    w.raw("terminal: " + (terminal ? "true" : "false"));
    w.newline();
    return w.out.toString();
  }

  private void raw(String s) {
    out.append(s);
    column += s.codePointCount(0, s.length());
  }

  private void newline() {
    out.append('\n');
    column = 0;
  }

  private void writeIndent(int indent) {
    // the scalar is never at the indent column already, so PyYAML breaks the line
    newline();
    for (int i = 0; i < indent; i++) {
      out.append(' ');
    }
    column = indent;
  }

  /** Writes a value scalar preceded by one space, choosing the style as PyYAML does. */
  private void scalar(String text, int indent) {
    Analysis a = analyze(text);
    boolean implicitStr = YamlDoc.readsBackAsString(text);
    if (implicitStr && !a.empty && a.allowBlockPlain) {
      raw(" ");
      writePlain(text, indent);
    } else if (a.allowSingleQuoted) {
      raw(" ");
      writeSingleQuoted(text, indent);
    } else {
      raw(" ");
      writeDoubleQuoted(text, indent);
    }
  }

  private record Analysis(boolean empty, boolean allowBlockPlain, boolean allowSingleQuoted) {}

  private static boolean isBreak(int ch) {
    return ch == '\n' || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
  }

  private static boolean isSpaceOrBreak(int ch) {
    return ch == 0 || ch == ' ' || ch == '\t' || ch == '\r' || isBreak(ch);
  }

  private static Analysis analyze(String scalar) {
    if (scalar.isEmpty()) {
      return new Analysis(true, true, true);
    }
    int[] cps = scalar.codePoints().toArray();
    int n = cps.length;
    boolean blockIndicators = false;
    boolean lineBreaks = false;
    boolean specialCharacters = false;
    boolean leadingSpace = false;
    boolean leadingBreak = false;
    boolean trailingSpace = false;
    boolean trailingBreak = false;
    boolean breakSpace = false;
    boolean spaceBreak = false;
    if (scalar.startsWith("---") || scalar.startsWith("...")) {
      blockIndicators = true;
    }
    boolean precededByWhitespace = true;
    boolean followedByWhitespace = n == 1 || isSpaceOrBreak(cps[1]);
    boolean previousSpace = false;
    boolean previousBreak = false;
    for (int index = 0; index < n; index++) {
      int ch = cps[index];
      if (index == 0) {
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
        // allow_unicode is off: any other character needs double quotes
        specialCharacters = true;
      }
      if (ch == ' ') {
        if (index == 0) {
          leadingSpace = true;
        }
        if (index == n - 1) {
          trailingSpace = true;
        }
        if (previousBreak) {
          breakSpace = true;
        }
        previousSpace = true;
        previousBreak = false;
      } else if (isBreak(ch)) {
        if (index == 0) {
          leadingBreak = true;
        }
        if (index == n - 1) {
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
      followedByWhitespace = index + 2 >= n || isSpaceOrBreak(cps[index + 2]);
    }
    boolean allowBlockPlain = true;
    boolean allowSingleQuoted = true;
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      allowBlockPlain = false;
    }
    if (breakSpace) {
      allowBlockPlain = false;
      allowSingleQuoted = false;
    }
    if (spaceBreak || specialCharacters) {
      allowBlockPlain = false;
      allowSingleQuoted = false;
    }
    if (lineBreaks) {
      allowBlockPlain = false;
      // PyYAML would write a multi-line single-quoted scalar; we use the equivalent double-quoted
      // form (permission entries never contain line breaks in practice)
      allowSingleQuoted = false;
    }
    if (blockIndicators) {
      allowBlockPlain = false;
    }
    return new Analysis(false, allowBlockPlain, allowSingleQuoted);
  }

  private void writePlain(String text, int indent) {
    int[] cps = text.codePoints().toArray();
    boolean spaces = false;
    int start = 0;
    int end = 0;
    while (end <= cps.length) {
      int ch = end < cps.length ? cps[end] : -1;
      if (spaces) {
        if (ch != ' ') {
          if (start + 1 == end && column > BEST_WIDTH) {
            writeIndent(indent);
          } else {
            write(cps, start, end);
          }
          start = end;
        }
      } else if (ch == -1 || ch == ' ') {
        write(cps, start, end);
        start = end;
      }
      if (ch != -1) {
        spaces = ch == ' ';
      }
      end++;
    }
  }

  private void writeSingleQuoted(String text, int indent) {
    raw("'");
    int[] cps = text.codePoints().toArray();
    boolean spaces = false;
    int start = 0;
    int end = 0;
    while (end <= cps.length) {
      int ch = end < cps.length ? cps[end] : -1;
      if (spaces) {
        if (ch == -1 || ch != ' ') {
          if (start + 1 == end && column > BEST_WIDTH && start != 0 && end != cps.length) {
            writeIndent(indent);
          } else {
            write(cps, start, end);
          }
          start = end;
        }
      } else if (ch == -1 || ch == ' ' || ch == '\'') {
        if (start < end) {
          write(cps, start, end);
          start = end;
        }
      }
      if (ch == '\'') {
        raw("''");
        start = end + 1;
      }
      if (ch != -1) {
        spaces = ch == ' ';
      }
      end++;
    }
    raw("'");
  }

  private void writeDoubleQuoted(String text, int indent) {
    raw("\"");
    int[] cps = text.codePoints().toArray();
    int start = 0;
    int end = 0;
    while (end <= cps.length) {
      int ch = end < cps.length ? cps[end] : -1;
      if (ch == -1 || ch == '"' || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || ch == 0xFEFF
          || !(ch >= 0x20 && ch <= 0x7e)) {
        if (start < end) {
          write(cps, start, end);
          start = end;
        }
        if (ch != -1) {
          String esc = switch (ch) {
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
          raw(esc);
          start = end + 1;
        }
      }
      if (end > 0 && end < cps.length - 1 && (ch == ' ' || start >= end) && column + (end - start) > BEST_WIDTH) {
        StringBuilder data = new StringBuilder();
        for (int k = start; k < end; k++) {
          data.appendCodePoint(cps[k]);
        }
        data.append('\\');
        if (start < end) {
          start = end;
        }
        raw(data.toString());
        writeIndent(indent);
        if (cps[start] == ' ') {
          raw("\\");
        }
      }
      end++;
    }
    raw("\"");
  }

  private void write(int[] cps, int from, int to) {
    for (int k = from; k < to; k++) {
      out.appendCodePoint(cps[k]);
    }
    column += to - from;
  }
}
