package dev.syft.protocol.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.MalformedMessageException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Edge cases beyond the vectors: Java's two-digit quirk, specials, Python float() syntax. */
class TimestampsTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "4.9E-324|5e-324", // Java prefers 4.9E-324; Python keeps the one-digit 5e-324
    "9.9E-324|1e-323",
    "-1.5|-1.5",
    "-0.0|-0.0",
    "NaN|nan",
    "Infinity|inf",
    "-Infinity|-inf",
    "1.0E23|1e+23",
    "123.0|123.0",
    "1.0E-5|1e-05",
    "2.0E-4|0.0002",
  })
  void nameTextIsPythonRepr(String javaLiteral, String python) {
    assertThat(Timestamps.nameText(Double.parseDouble(javaLiteral))).isEqualTo(python);
  }

  @Test
  void jsonTextWritesNullForNonFinite() {
    assertThat(Timestamps.jsonText(Double.NaN)).isEqualTo("null");
    assertThat(Timestamps.jsonText(Double.POSITIVE_INFINITY)).isEqualTo("null");
    assertThat(Timestamps.jsonText(-2.5e-5)).isEqualTo("-0.000025");
    assertThat(Timestamps.jsonText(-2.5e-6)).isEqualTo("-2.5e-6");
    assertThat(Timestamps.jsonText(4.9e-324)).isEqualTo("5e-324");
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(delimiter = '|', value = {
    "' 1.5 '|1.5", "1_0.2_5|10.25", "+.5|0.5", "5.|5.0", "1E3|1000.0", "inf|Infinity", "-Infinity|-Infinity",
    "\u0661.\u0665|1.5"})
  void parseAcceptsWhatPythonFloatAccepts(String text, String expected) {
    assertThat(Timestamps.parse(text)).isEqualTo(Double.parseDouble(expected));
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource(delimiter = '|', value = {"abc", "0x10", "1__0", "_1", "1_", "1.5d", "1e", ".", "1.5 2", "--1", "Infinit"})
  void parseRefusesWhatPythonRefuses(String text) {
    assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(MalformedMessageException.class);
    assertThat(Timestamps.tryParse(text)).isEmpty();
  }

  @RepeatedTest(5)
  void randomDoublesRoundTripThroughBothSpellingsWithShortestDigits(RepetitionInfo info) {
    long seed = 0x5eed0000L + info.getCurrentRepetition();
    System.out.println("TimestampsTest seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 20_000; i++) {
      double v = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(v)) {
        continue;
      }
      String name = Timestamps.nameText(v);
      assertThat(Timestamps.parse(name)).as(name).isEqualTo(v);
      assertThat(Timestamps.parse(Timestamps.jsonText(v))).isEqualTo(v);
      // No shorter decimal round-trips (Python repr is shortest).
      BigDecimal digits = new BigDecimal(name.replace("e+", "e")).stripTrailingZeros();
      if (digits.precision() > 1) {
        BigDecimal shorter = digits.round(new java.math.MathContext(digits.precision() - 1));
        BigDecimal up = digits.round(new java.math.MathContext(digits.precision() - 1, java.math.RoundingMode.UP));
        BigDecimal down = digits.round(new java.math.MathContext(digits.precision() - 1, java.math.RoundingMode.DOWN));
        for (BigDecimal candidate : new BigDecimal[] {shorter, up, down}) {
          assertThat(Double.parseDouble(candidate.toString())).as("shorter than " + name).isNotEqualTo(v);
        }
      }
    }
  }

  @Test
  void nowIsEpochSecondsWithFraction() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1712345678, 500_000_000), ZoneOffset.UTC);
    assertThat(Timestamps.now(clock)).isEqualTo(1712345678.5);
  }
}
