package dev.syft.console.internal;

import java.util.ArrayList;
import java.util.List;

/** Just enough CSV (RFC 4180 quoting) to preview the first rows of a file. */
final class Csv {
  private static final int MAX_COLUMNS = 50;
  private static final int MAX_CELL = 200;

  private Csv() {}

  static List<List<String>> parse(String text, int maxRows) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (i < text.length() && rows.size() < maxRows) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"' && cell.isEmpty()) {
        quoted = true;
      } else if (c == ',') {
        add(row, cell);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        add(row, cell);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        cell.append(c);
      }
      i++;
    }
    if (rows.size() < maxRows && (!cell.isEmpty() || !row.isEmpty())) {
      add(row, cell);
      rows.add(row);
    }
    return rows;
  }

  private static void add(List<String> row, StringBuilder cell) {
    if (row.size() < MAX_COLUMNS) {
      String v = cell.toString();
      row.add(v.length() > MAX_CELL ? v.substring(0, MAX_CELL) + "…" : v);
    }
    cell.setLength(0);
  }
}
