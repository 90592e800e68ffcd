package dev.syft.console.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may talk to the console: a one-time token (printed in the URL) is exchanged for a session
 * cookie; every state-changing request carries the session's CSRF token; the Host header must name
 * this server (a DNS-rebinding page has its own host name) and an Origin, when sent, must be ours.
 */
public final class Security {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A browser session: its CSRF token and a one-shot message for the next page. */
  public static final class Session {
    final String csrf = random();
    volatile String flash;
    volatile boolean flashError;
  }

  private final Set<String> hosts;
  private final Set<String> origins;
  private final String cookieName;
  private volatile String token = random();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /**
   * @param hostNames the names this server answers to (without port)
   * @param port the bound port
   */
  public Security(List<String> hostNames, int port) {
    this.hosts = ConcurrentHashMap.newKeySet();
    this.origins = ConcurrentHashMap.newKeySet();
    for (String h : hostNames) {
      String hp = h.toLowerCase(Locale.ROOT) + ":" + port;
      hosts.add(hp);
      origins.add("http://" + hp);
    }
    // cookies are not scoped by port: two consoles on one machine need different names
    this.cookieName = "syft_console_" + port;
  }

  static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The token for the printed URL (null once used). */
  public String token() {
    return token;
  }

  public String cookieName() {
    return cookieName;
  }

  public boolean hostAllowed(String host) {
    return host != null && hosts.contains(host.trim().toLowerCase(Locale.ROOT));
  }

  /** An absent Origin is allowed (the CSRF token still guards writes); a present one must be ours. */
  public boolean originAllowed(String origin) {
    return origin == null || origins.contains(origin.trim().toLowerCase(Locale.ROOT));
  }

  /** Exchanges the one-time token for a new session id; null when the token is wrong or used. */
  public synchronized String redeem(String offered) {
    String t = token;
    if (t == null || offered == null || !MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8),
        offered.getBytes(StandardCharsets.UTF_8))) {
      return null;
    }
    token = null;
    String id = random();
    sessions.put(id, new Session());
    return id;
  }

  /** The session named by the request's cookie header, or null. */
  public Session session(String cookieHeader) {
    if (cookieHeader == null) {
      return null;
    }
    for (String c : cookieHeader.split(";")) {
      String p = c.trim();
      if (p.startsWith(cookieName + "=")) {
        Session s = sessions.get(p.substring(cookieName.length() + 1));
        if (s != null) {
          return s;
        }
      }
    }
    return null;
  }

  public static boolean csrfValid(Session s, String offered) {
    return offered != null && MessageDigest.isEqual(s.csrf.getBytes(StandardCharsets.UTF_8),
        offered.getBytes(StandardCharsets.UTF_8));
  }

  public static String csrf(Session s) {
    return s.csrf;
  }

  public String setCookie(String sessionId) {
    return cookieName + "=" + sessionId + "; Path=/; HttpOnly; SameSite=Strict";
  }
}
