package dev.syft.jobs.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code [project] dependencies} from a {@code pyproject.toml}: enough TOML for that one array
 * of strings (basic or literal, on one or several lines, with comments), which is what the
 * reference's {@code uv sync} installs.
 */
final class Pyproject {
  private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'");

  private Pyproject() {}

  static List<String> dependencies(String toml) {
    List<String> out = new ArrayList<>();
    boolean inProject = false;
    String[] lines = toml.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = stripComment(lines[i]).trim();
      if (line.startsWith("[")) {
        inProject = line.equals("[project]");
        continue;
      }
      if (!inProject || !line.matches("dependencies\\s*=.*")) {
        continue;
      }
      StringBuilder arr = new StringBuilder(line.substring(line.indexOf('=') + 1));
      while (!closed(arr) && i + 1 < lines.length) {
        arr.append('\n').append(stripComment(lines[++i]));
      }
      Matcher m = STRING.matcher(arr);
      while (m.find()) {
        out.add(m.group(1) != null ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : m.group(2));
      }
      break;
    }
    return out;
  }

  private static boolean closed(CharSequence s) {
    int depth = 0;
    boolean inStr = false;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (inStr) {
        if (ch == '\\' && quote == '"') {
          i++;
        } else if (ch == quote) {
          inStr = false;
        }
      } else if (ch == '"' || ch == '\'') {
        inStr = true;
        quote = ch;
      } else if (ch == '[') {
        depth++;
      } else if (ch == ']') {
        depth--;
        if (depth == 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static String stripComment(String line) {
    boolean inStr = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (inStr) {
        if (ch == '\\' && quote == '"') {
          i++;
        } else if (ch == quote) {
          inStr = false;
        }
      } else if (ch == '"' || ch == '\'') {
        inStr = true;
        quote = ch;
      } else if (ch == '#') {
        return line.substring(0, i);
      }
    }
    return line;
  }
}
