package dev.syft.jobs.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Datetimes as the reference writes them in job files: ISO-8601 UTC with a {@code Z} suffix and
 * microseconds only when they are not zero ({@code 2024-04-05T19:34:38.123456Z},
 * {@code 2023-11-14T22:13:20Z}), like Python's {@code isoformat()}.
 */
public final class Times {
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
  private static final Pattern ISO = Pattern.compile(
      "(\\d{4}-\\d{1,2}-\\d{1,2})(?:[Tt ]|[ \\t]+)(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:[.,](\\d{1,9}))?"
          + "[ \\t]*(Z|z|[-+]\\d{2}(?::?\\d{2})?)?");

  private Times() {}

  /** Python's {@code isoformat()} of the instant in UTC, with {@code +00:00} written as {@code Z}. */
  public static String format(Instant t) {
    Instant micros = t.truncatedTo(ChronoUnit.MICROS);
    LocalDateTime ldt = LocalDateTime.ofInstant(micros, ZoneOffset.UTC);
    String s = SECONDS.format(ldt);
    int us = ldt.getNano() / 1000;
    if (us != 0) {
      s += String.format(".%06d", us);
    }
    return s + "Z";
  }

  /** The current time truncated to microseconds, as stored. */
  public static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Parses what the reference's loader accepts for a datetime: an ISO string (with {@code T} or a
   * space, optional fraction, {@code Z} or an offset; naive times are taken as UTC) or a date.
   *
   * @throws IllegalArgumentException when the text is no datetime
   */
  public static Instant parse(String text) {
    String s = text.trim();
    Matcher m = ISO.matcher(s);
    if (m.matches()) {
      try {
        LocalDate d = LocalDate.parse(pad(m.group(1)));
        int h = Integer.parseInt(m.group(2));
        int min = Integer.parseInt(m.group(3));
        int sec = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        long nanos = 0;
        if (m.group(5) != null) {
          String f = (m.group(5) + "000000000").substring(0, 9);
          nanos = Long.parseLong(f);
        }
        ZoneOffset off = ZoneOffset.UTC;
        String z = m.group(6);
        if (z != null && !z.equalsIgnoreCase("z")) {
          String zz = z.length() == 3 ? z + ":00" : z.length() == 5 ? z.substring(0, 3) + ":" + z.substring(3) : z;
          off = ZoneOffset.of(zz);
        }
        return OffsetDateTime.of(d.atTime(h, min, sec, (int) nanos), off).toInstant().truncatedTo(ChronoUnit.MICROS);
      } catch (java.time.DateTimeException | NumberFormatException e) {
        throw new IllegalArgumentException("not a valid datetime: '" + text + "'");
      }
    }
    try {
      return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a valid datetime: '" + text + "'");
    }
  }

  /** {@link #parse}, or null for null or text that is no datetime (a damaged record shows no time). */
  public static Instant parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String pad(String date) {
    String[] p = date.split("-");
    return p[0] + "-" + (p[1].length() == 1 ? "0" + p[1] : p[1]) + "-" + (p[2].length() == 1 ? "0" + p[2] : p[2]);
  }

  /** Seconds since the epoch (a number in a YAML file) as an instant, like pydantic does. */
  public static Instant ofEpochSeconds(double seconds) {
    long whole = (long) Math.floor(seconds);
    long micros = Math.round((seconds - whole) * 1_000_000);
    return Instant.ofEpochSecond(whole).plus(micros, ChronoUnit.MICROS);
  }
}
