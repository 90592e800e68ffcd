package dev.syft.protocol.names;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.internal.PyText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalDouble;

/**
 * Epoch-second float timestamps as the reference spells them.
 *
 * <ul>
 *   <li>{@link #nameText} is Python's {@code repr(float)}, used inside file names: shortest
 *       round-trip digits, plain notation with at least one fractional digit when
 *       {@code 1e-4 <= |x| < 1e16} ({@code 1700000000.0}), otherwise {@code d[.ddd]e±XX}
 *       ({@code 1e-05}, {@code 1e+16}).
 *   <li>{@link #jsonText} is pydantic's JSON spelling, used inside message members: the same digits,
 *       plain for {@code 1e-5 <= |x| < 1e16}, otherwise an exponent without padding ({@code 1.5e-7},
 *       {@code 1e+16}); NaN and infinities become {@code null}.
 *   <li>{@link #parse} is Python's {@code float()}: it accepts either spelling (and what else
 *       {@code float()} accepts, such as surrounding spaces).
 * </ul>
 */
public final class Timestamps {
  private Timestamps() {}

  /** The current time as float epoch seconds, like Python's {@code time.time()}. */
  public static double now(Clock clock) {
    Instant t = clock.instant();
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  /** Python {@code repr(value)}: the spelling used in file names. */
  public static String nameText(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    Digits d = Digits.of(Math.abs(value));
    int exponent = d.pointPos - 1;
    String body = (exponent >= -4 && exponent < 16) ? d.plain() : d.scientific(true);
    return value < 0 ? "-" + body : body;
  }

  /**
   * The spelling pydantic writes inside JSON members, or {@code "null"} for NaN and infinities
   * (which a reader cannot turn back into a timestamp).
   */
  public static String jsonText(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return "null";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    Digits d = Digits.of(Math.abs(value));
    String body = (d.pointPos > -5 && d.pointPos <= 16) ? d.plain() : d.scientific(false);
    return value < 0 ? "-" + body : body;
  }

  /** Python {@code float(text)}; empty when Python would refuse the text. */
  public static OptionalDouble tryParse(String text) {
    return PyText.parseFloat(text);
  }

  /**
   * Python {@code float(text)}.
   *
   * @throws MalformedMessageException if Python would refuse the text
   */
  public static double parse(String text) {
    OptionalDouble v = PyText.parseFloat(text);
    if (v.isEmpty()) {
      throw new MalformedMessageException("not a number: '" + text + "'");
    }
    return v.getAsDouble();
  }

  /**
   * The shortest decimal digits that round-trip to a positive finite double, and where the decimal
   * point goes: {@code value = 0.<digits> * 10^pointPos}.
   */
  private record Digits(String digits, int pointPos) {
    static Digits of(double positive) {
      // Since JDK 19 Double.toString yields the shortest round-trip decimal, except that it prefers
      // two digits over one when the two-digit decimal is closer (4.9E-324); Python keeps one digit.
      BigDecimal exact = new BigDecimal(Double.toString(positive)).stripTrailingZeros();
      String digits = exact.unscaledValue().toString();
      int pointPos = digits.length() - exact.scale();
      if (digits.length() == 2) {
        Digits shorter = oneDigit(positive, digits, pointPos);
        if (shorter != null) {
          return shorter;
        }
      }
      return new Digits(digits, pointPos);
    }

    private static Digits oneDigit(double value, String twoDigits, int pointPos) {
      int lead = twoDigits.charAt(0) - '0';
      BigDecimal target = new BigDecimal(value);
      Digits best = null;
      BigDecimal bestDistance = null;
      for (int candidate : new int[] {lead, lead + 1}) {
        Digits d = candidate == 10 ? new Digits("1", pointPos + 1)
            : new Digits(Integer.toString(candidate), pointPos);
        BigDecimal decimal = new BigDecimal(new BigInteger(d.digits), -(d.pointPos - 1));
        if (Double.parseDouble(decimal.toString()) != value) {
          continue;
        }
        BigDecimal distance = decimal.subtract(target).abs();
        if (best == null || distance.compareTo(bestDistance) < 0) {
          best = d;
          bestDistance = distance;
        }
      }
      return best;
    }

    String plain() {
      int n = digits.length();
      if (pointPos <= 0) {
        return "0." + "0".repeat(-pointPos) + digits;
      }
      if (pointPos >= n) {
        return digits + "0".repeat(pointPos - n) + ".0";
      }
      return digits.substring(0, pointPos) + "." + digits.substring(pointPos);
    }

    /** {@code d[.ddd]e±X}; Python pads the exponent to two digits, pydantic does not. */
    String scientific(boolean padExponent) {
      int exponent = pointPos - 1;
      StringBuilder sb = new StringBuilder().append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (padExponent && abs < 10) {
        sb.append('0');
      }
      return sb.append(abs).toString();
    }
  }
}
