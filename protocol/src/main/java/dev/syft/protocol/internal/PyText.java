package dev.syft.protocol.internal;

import java.math.BigInteger;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;

/**
 * Text-to-number rules of the Python reference ({@code float()}, {@code int()}, {@code uuid.UUID()}).
 *
 * <p>The reference parses file names and version strings with these builtins, so what they accept
 * (surrounding whitespace, underscores between digits, non-ASCII decimal digits, {@code inf}) decides
 * which names are usable. Everything here is pure and never throws: a refusal is an empty result.
 */
public final class PyText {
  private PyText() {}

  /** Python {@code float(text)}; empty when Python would raise {@code ValueError}. */
  public static OptionalDouble parseFloat(String text) {
    String s = stripPyWhitespace(text);
    if (s.isEmpty()) {
      return OptionalDouble.empty();
    }
    int i = 0;
    boolean negative = false;
    char first = s.charAt(0);
    if (first == '+' || first == '-') {
      negative = first == '-';
      i = 1;
    }
    String rest = s.substring(i).toLowerCase(java.util.Locale.ROOT);
    if (rest.equals("inf") || rest.equals("infinity")) {
      return OptionalDouble.of(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    if (rest.equals("nan")) {
      return OptionalDouble.of(Double.NaN);
    }
    // Rebuild an ASCII literal for Double.parseDouble (correctly rounded, like CPython's dtoa).
    StringBuilder ascii = new StringBuilder(s.length());
    if (negative) {
      ascii.append('-');
    }
    int n = s.length();
    int afterInt = digitRun(s, i, ascii);
    if (afterInt < 0) {
      return OptionalDouble.empty();
    }
    boolean anyDigit = afterInt > i;
    i = afterInt;
    if (i < n && s.charAt(i) == '.') {
      ascii.append('.');
      int afterFrac = digitRun(s, i + 1, ascii);
      if (afterFrac < 0) {
        return OptionalDouble.empty();
      }
      anyDigit |= afterFrac > i + 1;
      i = afterFrac;
    }
    if (!anyDigit) {
      return OptionalDouble.empty();
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      ascii.append('e');
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        ascii.append(s.charAt(i));
        i++;
      }
      int afterExp = digitRun(s, i, ascii);
      if (afterExp <= i) {
        return OptionalDouble.empty();
      }
      i = afterExp;
    }
    if (i != n) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Double.parseDouble(ascii.toString()));
  }

  /** Python {@code int(text)} (base 10); empty when Python would raise {@code ValueError}. */
  public static Optional<BigInteger> parseInt(String text) {
    String s = stripPyWhitespace(text);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    int i = 0;
    StringBuilder ascii = new StringBuilder(s.length());
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      if (s.charAt(0) == '-') {
        ascii.append('-');
      }
      i = 1;
    }
    int after = digitRun(s, i, ascii);
    if (after <= i || after != s.length()) {
      return Optional.empty();
    }
    return Optional.of(new BigInteger(ascii.toString()));
  }

  /**
   * Python {@code uuid.UUID(text)}: {@code urn:}/{@code uuid:} prefixes and surrounding braces are
   * dropped, hyphens are ignored, and exactly 32 hex digits must remain (any case).
   */
  public static Optional<UUID> parseUuid(String text) {
    String hex = text.replace("urn:", "").replace("uuid:", "");
    int start = 0;
    int end = hex.length();
    while (start < end && (hex.charAt(start) == '{' || hex.charAt(start) == '}')) {
      start++;
    }
    while (end > start && (hex.charAt(end - 1) == '{' || hex.charAt(end - 1) == '}')) {
      end--;
    }
    hex = hex.substring(start, end).replace("-", "");
    if (hex.length() != 32) {
      return Optional.empty();
    }
    for (int k = 0; k < 32; k++) {
      char c = hex.charAt(k);
      boolean isHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!isHex) {
        return Optional.empty();
      }
    }
    long msb = Long.parseUnsignedLong(hex.substring(0, 16), 16);
    long lsb = Long.parseUnsignedLong(hex.substring(16), 16);
    return Optional.of(new UUID(msb, lsb));
  }

  /** Removes leading and trailing characters that Python's {@code str.strip()} treats as whitespace. */
  public static String stripPyWhitespace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isPyWhitespace(s.charAt(start))) {
      start++;
    }
    while (end > start && isPyWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isPyWhitespace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }

  /**
   * Scans Python digit groups ({@code digit ('_'? digit)*}; any Unicode decimal digit counts, as in
   * CPython) starting at {@code from}, appending their ASCII form to {@code out}. Returns the index
   * after the run ({@code from} when there is no digit), or -1 when an underscore is misplaced.
   */
  private static int digitRun(String s, int from, StringBuilder out) {
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '_') {
        if (i == from || i + 1 >= s.length() || !Character.isDigit(s.charAt(i + 1))) {
          return -1;
        }
        i++;
        continue;
      }
      if (!Character.isDigit(c)) {
        break;
      }
      out.append((char) ('0' + Character.digit(c, 10)));
      i++;
    }
    return i;
  }
}
