package dev.syft.console.internal;

import java.util.Locale;
import java.util.Set;

/**
 * Server-side syntax highlighting for the review page: comments, strings, numbers and keywords of
 * Python, shell, Java and YAML, as spans around escaped text. It only colours; it never hides or
 * drops a character, so what the reviewer reads is exactly the file.
 */
public final class Highlighter {
  private static final Set<String> PY = Set.of("False", "None", "True", "and", "as", "assert", "async", "await",
      "break", "class", "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
      "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
      "yield", "open", "exec", "eval", "print", "__import__");
  private static final Set<String> SH = Set.of("if", "then", "else", "elif", "fi", "for", "while", "until", "do",
      "done", "case", "esac", "in", "function", "return", "exit", "export", "local", "set", "unset", "source",
      "eval", "exec", "cd", "echo", "curl", "wget", "rm", "python", "python3", "uv", "pip", "bash", "sh");
  private static final Set<String> JAVA = Set.of("abstract", "boolean", "break", "byte", "case", "catch", "char",
      "class", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for",
      "if", "implements", "import", "instanceof", "int", "interface", "long", "new", "package", "private",
      "protected", "public", "record", "return", "static", "super", "switch", "this", "throw", "throws", "try",
      "var", "void", "while", "null", "true", "false");
  private static final Set<String> YAML = Set.of("true", "false", "null", "yes", "no");

  private enum Lang { PYTHON, SHELL, JAVA, YAML, PLAIN }

  private Highlighter() {}

  /** The highlighted HTML of {@code text} for the file {@code path} (language from its extension). */
  public static String html(String path, String text) {
    Lang lang = lang(path);
    if (lang == Lang.PLAIN) {
      return Html.escape(text);
    }
    Set<String> kw = switch (lang) {
      case PYTHON -> PY;
      case SHELL -> SH;
      case JAVA -> JAVA;
      default -> YAML;
    };
    StringBuilder out = new StringBuilder(text.length() * 2);
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      int end;
      String cls = null;
      if (c == '#' && lang != Lang.JAVA || lang == Lang.JAVA && text.startsWith("//", i)) {
        end = lineEnd(text, i);
        cls = "c";
      } else if (lang == Lang.JAVA && text.startsWith("/*", i)) {
        int e = text.indexOf("*/", i + 2);
        end = e < 0 ? n : e + 2;
        cls = "c";
      } else if (lang == Lang.PYTHON && (text.startsWith("\"\"\"", i) || text.startsWith("'''", i))) {
        int e = text.indexOf(text.substring(i, i + 3), i + 3);
        end = e < 0 ? n : e + 3;
        cls = "s";
      } else if (c == '"' || c == '\'') {
        end = stringEnd(text, i, c);
        cls = "s";
      } else if (Character.isDigit(c)) {
        end = i + 1;
        while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '.'
            || text.charAt(end) == '_')) {
          end++;
        }
        cls = "n";
      } else if (Character.isLetter(c) || c == '_') {
        end = i + 1;
        while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
          end++;
        }
        if (kw.contains(text.substring(i, end))) {
          cls = "k";
        }
      } else {
        end = i + 1;
      }
      if (cls != null) {
        out.append("<span class=\"").append(cls).append("\">");
      }
      Html.escapeInto(out, text.substring(i, end));
      if (cls != null) {
        out.append("</span>");
      }
      i = end;
    }
    return out.toString();
  }

  private static int lineEnd(String t, int from) {
    int e = t.indexOf('\n', from);
    return e < 0 ? t.length() : e;
  }

  /** A string ends at its closing quote or at the end of the line (never swallows the file). */
  private static int stringEnd(String t, int from, char q) {
    int i = from + 1;
    while (i < t.length()) {
      char c = t.charAt(i);
      if (c == '\\' && i + 1 < t.length() && t.charAt(i + 1) != '\n') {
        i += 2;
        continue;
      }
      if (c == q) {
        return i + 1;
      }
      if (c == '\n') {
        return i;
      }
      i++;
    }
    return t.length();
  }

  private static Lang lang(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".py")) {
      return Lang.PYTHON;
    }
    if (p.endsWith(".sh") || p.endsWith(".bash")) {
      return Lang.SHELL;
    }
    if (p.endsWith(".java")) {
      return Lang.JAVA;
    }
    if (p.endsWith(".yaml") || p.endsWith(".yml")) {
      return Lang.YAML;
    }
    return Lang.PLAIN;
  }
}
