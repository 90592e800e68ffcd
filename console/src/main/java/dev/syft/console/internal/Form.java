package dev.syft.console.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A submitted form: {@code application/x-www-form-urlencoded} or {@code multipart/form-data}
 * (uploads). Bodies are read whole, within a size limit checked before parsing.
 */
public final class Form {
  /** An uploaded file: the name the browser gave (a relative path for folder uploads) and its bytes. */
  public record Upload(String field, String filename, byte[] bytes) {}

  private final Map<String, List<String>> fields = new LinkedHashMap<>();
  private final List<Upload> uploads = new ArrayList<>();

  public String get(String name) {
    List<String> v = fields.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  public List<String> all(String name) {
    return fields.getOrDefault(name, List.of());
  }

  public List<Upload> uploads() {
    return uploads;
  }

  private void add(String k, String v) {
    fields.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
  }

  /** Parses a query string or an urlencoded body. */
  public static Form urlencoded(String s) {
    Form f = new Form();
    if (s == null || s.isEmpty()) {
      return f;
    }
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        f.add(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new BadRequest("malformed form encoding");
      }
    }
    return f;
  }

  /** Parses a body of the given content type. */
  public static Form parse(String contentType, byte[] body) {
    String ct = contentType == null ? "" : contentType;
    if (ct.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      String boundary = param(ct, "boundary");
      if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
        throw new BadRequest("multipart form without a boundary");
      }
      return multipart(boundary, body);
    }
    return urlencoded(new String(body, StandardCharsets.UTF_8));
  }

  private static Form multipart(String boundary, byte[] body) {
    Form f = new Form();
    byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] sep = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int pos = indexOf(body, delim, 0);
    if (pos != 0) {
      throw new BadRequest("malformed multipart body");
    }
    pos += delim.length;
    while (true) {
      if (pos + 2 <= body.length && body[pos] == '-' && body[pos + 1] == '-') {
        return f; // closing delimiter
      }
      if (pos + 2 > body.length || body[pos] != '\r' || body[pos + 1] != '\n') {
        throw new BadRequest("malformed multipart body");
      }
      pos += 2;
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
      if (headersEnd < 0) {
        throw new BadRequest("malformed multipart part");
      }
      String headers = new String(body, pos, headersEnd - pos, StandardCharsets.UTF_8);
      int dataStart = headersEnd + 4;
      int dataEnd = indexOf(body, sep, dataStart);
      if (dataEnd < 0) {
        throw new BadRequest("unterminated multipart part");
      }
      String disposition = null;
      for (String h : headers.split("\r\n")) {
        if (h.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
          disposition = h.substring(h.indexOf(':') + 1);
        }
      }
      if (disposition != null) {
        String name = param(disposition, "name");
        String filename = param(disposition, "filename");
        byte[] data = java.util.Arrays.copyOfRange(body, dataStart, dataEnd);
        if (name != null) {
          if (filename != null) {
            if (!filename.isEmpty()) {
              f.uploads.add(new Upload(name, filename, data));
            }
          } else {
            f.add(name, new String(data, StandardCharsets.UTF_8));
          }
        }
      }
      pos = dataEnd + sep.length;
    }
  }

  /** A {@code key=value} or {@code key="value"} parameter of a header value. */
  static String param(String header, String key) {
    for (String part : header.split(";")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(key)) {
        String v = p.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("%22", "\"");
        }
        return v;
      }
    }
    return null;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A request the console refuses with 400 and a one-line reason. */
  public static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRequest(String message) {
      super(message);
    }
  }
}
