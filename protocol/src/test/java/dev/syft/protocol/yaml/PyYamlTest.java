package dev.syft.protocol.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The emitter against {@code yaml.dump} of PyYAML 6.0.3: quoting, folding at 80 columns, line breaks,
 * nested maps and lists. {@code pyyaml-dump-cases.json} was produced with PyYAML itself (fixed values
 * plus 150 random strings from a seeded generator, seed 42); {@code pyyaml-extra-cases.json} holds
 * {@code yaml.dump(value, sort_keys=...)} of PyYAML 6.0.3 for key order, floats, explicit keys and
 * the permission-file shape.
 */
class PyYamlTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Stream<Arguments> cases() throws Exception {
    return load("/pyyaml-dump-cases.json");
  }

  static Stream<Arguments> extraCases() throws Exception {
    return load("/pyyaml-extra-cases.json");
  }

  private static Stream<Arguments> load(String resource) throws Exception {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = PyYamlTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      int i = 0;
      for (JsonNode c : JSON.readTree(in)) {
        out.add(Arguments.of(Named.of("case " + (i++) + ": " + c.get("value"), c)));
      }
    }
    return out.stream();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> value(JsonNode c) {
    // Jackson's default map is a LinkedHashMap, so the JSON member order is the insertion order
    return JSON.convertValue(c.get("value"), LinkedHashMap.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void dumpsLikePyYaml(JsonNode c) {
    assertThat(PyYaml.dump(value(c))).isEqualTo(c.get("yaml").asString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("extraCases")
  void dumpsLikePyYamlWithKeyOrderOption(JsonNode c) {
    assertThat(PyYaml.dump(value(c), c.get("sort_keys").asBoolean())).isEqualTo(c.get("yaml").asString());
  }

  @Test
  void nonFiniteFloatsAndEmptyDocument() {
    assertThat(PyYaml.dump(Map.of("f", List.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN))))
        .isEqualTo("f:\n- .inf\n- -.inf\n- .nan\n");
    assertThat(PyYaml.dump(Map.of())).isEqualTo("{}\n");
  }

  @Test
  void sortedKeysCompareByCodePointNotUtf16Unit() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("\uD83D\uDE00", 1); // U+1F600, a surrogate pair in UTF-16
    m.put("\uFF21", 2); // U+FF21 sorts before U+1F600 in Python, after it by UTF-16 units
    assertThat(PyYaml.dump(m)).isEqualTo("\"\\uFF21\": 2\n\"\\U0001F600\": 1\n");
    assertThat(PyYaml.dump(m, false)).isEqualTo("\"\\U0001F600\": 1\n\"\\uFF21\": 2\n");
  }

  @Test
  void refusesNonStringKeys() {
    assertThatThrownBy(() -> PyYaml.dump(Map.of("m", Map.of(1, "x"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a string");
  }

  /** Scalar styles for values the callers write (expected outputs as PyYAML 6.0.3 emits them). */
  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "census|census",
      "Census sample (mock)|Census sample (mock)",
      "syft://a@b.org/public/x|syft://a@b.org/public/x",
      "2024-04-05T19:34:38.123456Z|'2024-04-05T19:34:38.123456Z'",
      "2024-04-05|'2024-04-05'",
      "yes|'yes'",
      "Off|'Off'",
      "null|'null'",
      "~|'~'",
      "123|'123'",
      "1.5|'1.5'",
      "1e5|1e5",
      "0x1F|'0x1F'",
      "1:30|'1:30'",
      ".inf|'.inf'",
      "-|'-'",
      "- item|'- item'",
      "-x|-x",
      "?x|?x",
      "? x|'? x'",
      "a: b|'a: b'",
      "a:b|a:b",
      "#tag|'#tag'",
      "a #b|'a #b'",
      "a#b|a#b",
      "it's|it's",
      "'quoted'|'''quoted'''",
      "*star|'*star'",
      "**|'**'",
      "*.csv|'*.csv'",
      "docs/**|docs/**",
      "{{.UserEmail}}/**|'{{.UserEmail}}/**'",
      "---x|'---x'",
      "@me|'@me'",
      "%x|'%x'",
      "!x|'!x'",
      "&x|'&x'",
      ">x|'>x'",
      "`x|'`x'",
      "=|'='",
      "<<|'<<'",
      "a, b|a, b",
      "[x]|'[x]'",
      "x]|x]",
      "/home/a b/c|/home/a b/c",
  })
  void scalarsAreStyledAsPyYamlStylesThem(String in, String out) {
    assertThat(PyYaml.dump(Map.of("k", in))).isEqualTo("k: " + out + "\n");
  }

  @Test
  void specialScalars() {
    assertThat(PyYaml.dump(Map.of("k", ""))).isEqualTo("k: ''\n");
    assertThat(PyYaml.dump(Map.of("k", "|x"))).isEqualTo("k: '|x'\n");
    assertThat(PyYaml.dump(Map.of("k", " lead"))).isEqualTo("k: ' lead'\n");
    assertThat(PyYaml.dump(Map.of("k", "trail "))).isEqualTo("k: 'trail '\n");
    assertThat(PyYaml.dump(Map.of("k", "donn\u00e9es/*"))).isEqualTo("k: \"donn\\xE9es/*\"\n");
    assertThat(PyYaml.dump(Map.of("k", "\u65e5\u672c"))).isEqualTo("k: \"\\u65E5\\u672C\"\n");
    assertThat(PyYaml.dump(Map.of("k", "\uD83D\uDE00"))).isEqualTo("k: \"\\U0001F600\"\n");
    assertThat(PyYaml.dump(Map.of("k", "tab\there"))).isEqualTo("k: \"tab\\there\"\n");
    assertThat(PyYaml.dump(Map.of("k", "two\nlines"))).isEqualTo("k: 'two\n\n  lines'\n");
  }
}
