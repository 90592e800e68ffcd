package dev.syft.protocol.names;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for what an e-mail address (a user's identity) looks like: a local part of letters,
 * digits and {@code . _ % + ' -}, one {@code @}, and a domain of letter/digit/hyphen labels separated by
 * single dots; at most {@value #MAX_LENGTH} characters; no {@code ..}. Comparison is case-insensitive
 * ({@link #normalize} lower-cases). A client's own e-mail, its peers, job configs' {@code datasite_email}
 * and the users of the permission API are all checked with it.
 */
public final class EmailAddress {
  /** Longest accepted address (the RFC 5321 path limit minus the angle brackets). */
  public static final int MAX_LENGTH = 254;

  private static final Pattern SHAPE = Pattern.compile("^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*$");

  private EmailAddress() {}

  /** True when {@code s} is an address by the rule above (as given: no stripping, any case). */
  public static boolean isValid(String s) {
    return s != null && s.length() <= MAX_LENGTH && SHAPE.matcher(s).matches() && !s.contains("..");
  }

  /**
   * Strips, lower-cases and checks an address.
   *
   * @throws SyftException {@code invalid-email} when it is missing or not an address
   */
  public static String normalize(String email) {
    if (email == null || email.isBlank()) {
      throw new SyftException(ErrorCode.INVALID_EMAIL, "an e-mail address is required");
    }
    String e = email.trim().toLowerCase(Locale.ROOT);
    if (!isValid(e)) {
      throw new SyftException(ErrorCode.INVALID_EMAIL, "not a usable e-mail address: '" + email + "'");
    }
    return e;
  }
}
