package dev.syft.console.internal;

/**
 * A small HTML writer whose only way to add text is {@link #text}, which escapes it. Everything a
 * peer provides (names, code, logs, dataset cells) is hostile input and goes through {@code text}.
 * Control characters and bidirectional overrides, which could hide or reorder what a reviewer sees,
 * are shown as visible {@code \\u{..}} escapes, as the CLI does.
 */
public final class Html {
  private final StringBuilder b = new StringBuilder(4096);

  /** Markup written by the console itself (never data). */
  public Html raw(String markup) {
    b.append(markup);
    return this;
  }

  /** Text, escaped for element content and quoted attribute values. */
  public Html text(Object value) {
    escapeInto(b, value == null ? "" : value.toString());
    return this;
  }

  /** Opens {@code tag} with a class and writes escaped text inside it. */
  public Html el(String tag, String cls, Object value) {
    b.append('<').append(tag);
    if (cls != null) {
      b.append(" class=\"").append(cls).append('"');
    }
    b.append('>');
    text(value);
    b.append("</").append(tag).append('>');
    return this;
  }

  /** A hidden form field. */
  public Html hidden(String name, String value) {
    b.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"");
    text(value);
    return raw("\">");
  }

  @Override
  public String toString() {
    return b.toString();
  }

  /** Escapes {@code s}; see the class comment. */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    escapeInto(out, s);
    return out.toString();
  }

  /** URL query component encoding (UTF-8). */
  public static String url(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  static boolean hidden(char c, String s, int i) {
    boolean crlf = c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n';
    return (c < 0x20 && c != '\n' && c != '\t' && !crlf) || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
        || c == 0x061c || c == 0x2028 || c == 0x2029 || c == 0xfeff;
  }

  static void escapeInto(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (hidden(c, s, i)) {
            out.append("<span class=\"ctl\">\\u{").append(Integer.toHexString(c)).append("}</span>");
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  /** How many characters {@link #escape} shows as escapes (for a warning next to the code). */
  public static int hiddenCount(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (hidden(s.charAt(i), s, i)) {
        n++;
      }
    }
    return n;
  }
}
