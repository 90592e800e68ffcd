package dev.syft.permissions;

import dev.syft.protocol.names.EmailAddress;
import java.util.Locale;

/**
 * The boundary where user ids enter the normalising permissions API. E-mails are lower-cased once
 * here (the decision engine itself compares ids exactly, as the reference does), so {@code Bob@X.org}
 * and {@code bob@x.org} are the same requester in that API; {@link #requireAddress} validates without
 * changing the id, for exact comparisons. What counts as an address is {@link EmailAddress}'s rule;
 * the checks here only add clearer messages for the usual mistakes.
 */
public final class Emails {
  /** Longest accepted id (RFC 5321 path limit is 256; be generous). */
  public static final int MAX_LENGTH = 320;

  /** The token for everyone. */
  public static final String EVERYONE = "*";

  /** The requester in a {@code {{.UserEmail}}} rule; everyone in any other rule. */
  public static final String USER = "USER";

  private Emails() {}

  /**
   * Validates and lower-cases an e-mail address (surrounding spaces are dropped).
   *
   * @throws InvalidPermissionRequestException when it is not a plain {@code local@domain} address
   *     (whitespace, control characters, wildcards, slashes, no or several {@code @})
   */
  public static String normalize(String email) {
    if (email == null) {
      throw new InvalidPermissionRequestException("an e-mail address is required");
    }
    return check(email.strip()).toLowerCase(Locale.ROOT);
  }

  /**
   * Validates an e-mail address like {@link #normalize} but returns it unchanged (no stripping, no
   * lower-casing): for ids that must be compared exactly, as the reference compares them.
   *
   * @throws InvalidPermissionRequestException when it is not a plain {@code local@domain} address
   */
  public static String requireAddress(String email) {
    if (email == null) {
      throw new InvalidPermissionRequestException("an e-mail address is required");
    }
    return check(email);
  }

  private static String check(String s) {
    checkCharacters(s, "e-mail address");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == ']') {
        throw new InvalidPermissionRequestException(
            "not an e-mail address: '" + shown(s) + "' contains the wildcard character '" + c + "'");
      }
    }
    int at = s.indexOf('@');
    if (at <= 0 || at != s.lastIndexOf('@') || at == s.length() - 1) {
      throw new InvalidPermissionRequestException(
          "not an e-mail address: '" + shown(s) + "' (expected one '@' between a name and a domain)");
    }
    if (!EmailAddress.isValid(s)) {
      throw new InvalidPermissionRequestException("not an e-mail address: '" + shown(s) + "'");
    }
    return s;
  }

  /** True when {@link #requireAddress} accepts {@code id}. */
  public static boolean isAddress(String id) {
    try {
      requireAddress(id);
      return true;
    } catch (InvalidPermissionRequestException e) {
      return false;
    }
  }

  /**
   * Validates a principal for grant/revoke: {@code *}, {@code USER}, a wildcard such as
   * {@code *@example.com} (lower-cased), or an e-mail address ({@link #normalize}).
   */
  public static String normalizePrincipal(String principal) {
    if (principal == null) {
      throw new InvalidPermissionRequestException("a user is required (an e-mail, '*' or '*@domain')");
    }
    String s = principal.strip();
    if (s.equals(EVERYONE) || s.equals(USER)) {
      return s;
    }
    if (s.indexOf('*') >= 0 || s.indexOf('?') >= 0) {
      checkCharacters(s, "user pattern");
      return s.toLowerCase(Locale.ROOT);
    }
    return normalize(s);
  }

  /** True for {@code *}, {@code USER} and wildcard principals (anything that is not one e-mail). */
  public static boolean isPattern(String principal) {
    return principal.equals(EVERYONE) || principal.equals(USER) || principal.indexOf('*') >= 0
        || principal.indexOf('?') >= 0;
  }

  private static void checkCharacters(String s, String what) {
    if (s.isEmpty()) {
      throw new InvalidPermissionRequestException("an empty " + what + " is not allowed");
    }
    if (s.length() > MAX_LENGTH) {
      throw new InvalidPermissionRequestException(what + " longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new InvalidPermissionRequestException(
            what + " '" + shown(s) + "' contains a space or control character");
      }
      if (c == '/' || c == '\\') {
        throw new InvalidPermissionRequestException(what + " '" + shown(s) + "' contains '" + c + "'");
      }
    }
  }

  private static String shown(String s) {
    StringBuilder sb = new StringBuilder();
    int limit = Math.min(80, s.length());
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return s.length() > limit ? sb + "..." : sb.toString();
  }
}
