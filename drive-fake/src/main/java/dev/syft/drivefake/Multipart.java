package dev.syft.drivefake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Binary-safe parsing of {@code multipart/related} and {@code multipart/mixed} bodies. */
final class Multipart {
  private Multipart() {}

  /** One part: headers (lower-case names) and body bytes. */
  record Part(Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** The {@code boundary} parameter of a multipart content type, or null. */
  static String boundary(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        String b = p.substring(9).trim();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        return b;
      }
    }
    return null;
  }

  /**
   * Splits a body into parts. Line breaks may be CRLF (RFC 2046) or a bare LF, as Python's Google
   * client sends in batch bodies (real Drive accepts both), anywhere: after delimiters, in part
   * headers, before the next delimiter. A delimiter counts only at the start of a line, so a body
   * that happens to contain the boundary text mid-line is not cut.
   */
  static List<Part> parse(byte[] body, String boundary) {
    byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int at = delimiter(body, delim, 0);
    if (at < 0) {
      throw DriveError.badRequest("Malformed multipart body: no boundary");
    }
    while (true) {
      int after = at + delim.length;
      if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
        return parts; // closing delimiter
      }
      int lf = indexOf(body, LF, after); // the rest of the delimiter line is transport padding
      int start = lf < 0 ? -1 : lf + 1;
      int next = start < 0 ? -1 : delimiter(body, delim, start);
      if (next < 0) {
        throw DriveError.badRequest("Malformed multipart body: unterminated part");
      }
      // the line break before a delimiter belongs to it
      parts.add(part(body, start, withoutLineBreak(body, start, next)));
      at = next;
    }
  }

  private static final byte[] LF = {'\n'};

  /** The next {@code delim} at or after {@code from} that starts a line, or -1. */
  private static int delimiter(byte[] b, byte[] delim, int from) {
    for (int i = indexOf(b, delim, from); i >= 0; i = indexOf(b, delim, i + 1)) {
      if (i == 0 || b[i - 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** {@code end} moved before one CRLF or LF that ends at it (not before {@code start}). */
  private static int withoutLineBreak(byte[] b, int start, int end) {
    if (end > start && b[end - 1] == '\n') {
      end--;
      if (end > start && b[end - 1] == '\r') {
        end--;
      }
    }
    return end;
  }

  /**
   * Where the content after a header block starting at {@code start} begins (after the blank line
   * ending it, CRLF or LF), or -1 when there is no blank line before {@code end}.
   */
  static int afterHeaders(byte[] b, int start, int end) {
    int i = start;
    while (i < end) {
      int lf = indexOf(b, LF, i);
      if (lf < 0 || lf >= end) {
        return -1;
      }
      if (withoutLineBreak(b, i, lf + 1) == i) {
        return lf + 1; // an empty line
      }
      i = lf + 1;
    }
    return -1;
  }

  /** The header lines of {@code b[start, end)} without their line breaks (CRLF or LF). */
  static List<String> lines(byte[] b, int start, int end, java.nio.charset.Charset cs) {
    List<String> out = new ArrayList<>();
    int i = start;
    while (i < end) {
      int lf = indexOf(b, LF, i);
      int eol = lf < 0 || lf >= end ? end : lf + 1;
      int contentEnd = withoutLineBreak(b, i, eol);
      if (contentEnd > i) {
        out.add(new String(b, i, contentEnd - i, cs));
      }
      i = eol;
    }
    return out;
  }

  private static Part part(byte[] b, int start, int end) {
    Map<String, String> headers = new LinkedHashMap<>();
    int bodyStart = afterHeaders(b, start, end);
    int headEnd = bodyStart < 0 ? end : bodyStart;
    for (String line : lines(b, start, headEnd, StandardCharsets.ISO_8859_1)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    byte[] body = bodyStart < 0 || bodyStart >= end ? new byte[0] : java.util.Arrays.copyOfRange(b, bodyStart, end);
    return new Part(headers, body);
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Builds a multipart body from parts given as header block + body. */
  static byte[] write(String boundary, List<Part> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part p : parts) {
      out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      for (Map.Entry<String, String> h : p.headers().entrySet()) {
        out.writeBytes((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(p.body());
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }
}
