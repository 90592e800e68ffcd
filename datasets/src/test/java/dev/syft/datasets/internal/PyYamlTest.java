package dev.syft.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PyYAML's scalar styling for the values datasets write (expected outputs as PyYAML 6 emits them). */
class PyYamlTest {
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
      "0x1F|'0x1F'",
      "1:30|'1:30'",
      ".inf|'.inf'",
      "-|'-'",
      "- item|'- item'",
      "-x|-x",
      "a: b|'a: b'",
      "a:b|a:b",
      "#tag|'#tag'",
      "a #b|'a #b'",
      "a#b|a#b",
      "it's|it's",
      "'quoted'|'''quoted'''",
      "*star|'*star'",
      "---x|'---x'",
      "@me|'@me'",
      "=|'='",
      "<<|'<<'",
      "a, b|a, b",
      "[x]|'[x]'",
      "x]|x]",
      "/home/a b/c|/home/a b/c",
  })
  void scalarsAreStyledAsPyYamlStylesThem(String in, String out) {
    assertThat(PyYaml.scalar(in)).isEqualTo(out);
  }

  @org.junit.jupiter.api.Test
  void specialValues() {
    assertThat(PyYaml.scalar("")).isEqualTo("''");
    assertThat(PyYaml.scalar(" lead")).isEqualTo("' lead'");
    assertThat(PyYaml.scalar("trail ")).isEqualTo("'trail '");
    assertThat(PyYaml.scalar("donn\u00e9es")).isEqualTo("\"donn\\xE9es\"");
    assertThat(PyYaml.scalar("\u65e5\u672c")).isEqualTo("\"\\u65E5\\u672C\"");
    assertThat(PyYaml.scalar("\uD83D\uDE00")).isEqualTo("\"\\U0001F600\"");
    assertThat(PyYaml.scalar("tab\there")).isEqualTo("\"tab\\there\"");
    assertThat(PyYaml.scalar("two\nlines")).isEqualTo("\"two\\nlines\"");
    assertThat(new PyYaml().put("a", (String) null).put("t", java.util.List.of()).put("l", java.util.List.of("x", "yes"))
        .render()).isEqualTo("a: null\nt: []\nl:\n- x\n- 'yes'\n");
  }
}
