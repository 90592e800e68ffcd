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

  static List<Part> parse(byte[] body, String boundary) {
    byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delim, 0);
    if (at < 0) {
      throw DriveError.badRequest("Malformed multipart body: no boundary");
    }
    while (true) {
      int after = at + delim.length;
      if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
        return parts; // closing delimiter
      }
      int lineEnd = indexOf(body, new byte[] {'\r', '\n'}, after);
      int start = lineEnd < 0 ? -1 : lineEnd + 2;
      int next = start < 0 ? -1 : indexOf(body, delim, start);
      if (next < 0) {
        throw DriveError.badRequest("Malformed multipart body: unterminated part");
      }
      int end = next;
      if (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') {
        end -= 2; // the CRLF before a delimiter belongs to it
      }
      parts.add(part(body, start, end));
      at = next;
    }
  }

  private static Part part(byte[] b, int start, int end) {
    Map<String, String> headers = new LinkedHashMap<>();
    int i = start;
    while (i < end) {
      int eol = indexOf(b, new byte[] {'\r', '\n'}, i);
      if (eol < 0 || eol > end) {
        eol = end;
      }
      if (eol == i) {
        i += 2;
        break;
      }
      String line = new String(b, i, eol - i, StandardCharsets.ISO_8859_1);
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      i = eol + 2;
    }
    byte[] body = i >= end ? new byte[0] : java.util.Arrays.copyOfRange(b, i, end);
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
