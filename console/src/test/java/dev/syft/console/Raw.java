package dev.syft.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plain HTTP/1.1 exchange over a socket, so tests control every header (java.net.http does not
 * let a caller set Host).
 */
final class Raw {
  record Response(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null ? null : v.get(0);
    }
  }

  private Raw() {}

  static Response send(InetSocketAddress to, String method, String path, Map<String, String> headers, String body)
      throws IOException {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "127.0.0.1:" + to.getPort());
    h.put("Connection", "close");
    h.putAll(headers);
    if (body != null) {
      h.putIfAbsent("Content-Type", "application/x-www-form-urlencoded");
      h.put("Content-Length", String.valueOf(b.length));
    }
    h.forEach((k, v) -> {
      if (v != null) {
        req.append(k).append(": ").append(v).append("\r\n");
      }
    });
    req.append("\r\n");
    try (Socket s = new Socket()) {
      s.connect(to, 5000);
      s.setSoTimeout(20000);
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(b);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String rest = split < 0 ? "" : text.substring(split + 4);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, List<String>> hs = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        hs.computeIfAbsent(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(lines[i].substring(c + 1).trim());
      }
      return new Response(status, hs, rest);
    }
  }
}
