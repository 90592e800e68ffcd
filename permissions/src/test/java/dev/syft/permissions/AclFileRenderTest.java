package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link AclFile#render()}: the file layout and scalar styles as PyYAML's {@code yaml.dump} writes them. */
class AclFileRenderTest {

  private static String render(List<AclRule> rules, boolean terminal) {
    return AclFile.of("", rules, terminal).render();
  }

  private static String patternLine(String pattern) {
    String text = render(List.of(new AclRule(pattern, Access.none())), false);
    String line = text.lines().filter(l -> l.startsWith("  pattern:")).findFirst().orElseThrow();
    return line.substring("  pattern: ".length());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      **                 ; '**'
      *                  ; '*'
      *.csv              ; '*.csv'
      docs/**            ; docs/**
      data.csv           ; data.csv
      todo.txt           ; todo.txt
      secret.txt         ; secret.txt
      {{.UserEmail}}/**  ; '{{.UserEmail}}/**'
      [ab].txt           ; '[ab].txt'
      ?x                 ; ?x
      ? x                ; '? x'
      -x                 ; -x
      - x                ; '- x'
      a: b               ; 'a: b'
      a:b                ; a:b
      a #b               ; 'a #b'
      a#b                ; a#b
      @x                 ; '@x'
      %x                 ; '%x'
      !x                 ; '!x'
      &x                 ; '&x'
      |x                 ; '|x'
      >x                 ; '>x'
      `x                 ; '`x'
      ---x               ; '---x'
      my docs/a b.txt    ; my docs/a b.txt
      yes                ; 'yes'
      No                 ; 'No'
      null               ; 'null'
      ~                  ; '~'
      123                ; '123'
      1.5                ; '1.5'
      1e5                ; 1e5
      0x1F               ; '0x1F'
      2024-01-01         ; '2024-01-01'
      it's               ; it's
      'q                 ; '''q'
      """)
  void styles(String pattern, String expected) {
    assertThat(patternLine(pattern)).isEqualTo(expected);
  }

  @Test
  void nonAsciiAndControlCharactersAreDoubleQuotedEscapes() {
    assertThat(patternLine("données/*")).isEqualTo("\"donn\\xE9es/*\"");
    assertThat(patternLine("\u65e5\u672c")).isEqualTo("\"\\u65E5\\u672C\"");
    assertThat(patternLine("a\tb")).isEqualTo("\"a\\tb\"");
    assertThat(patternLine("\ud83d\ude00")).isEqualTo("\"\\U0001F600\"");
    assertThat(patternLine(" lead")).isEqualTo("' lead'");
    assertThat(patternLine("trail ")).isEqualTo("'trail '");
    assertThat(patternLine("")).isEqualTo("''");
  }

  @Test
  void longPlainScalarsFoldAtSpacesAfterColumn80() {
    String words = "word ".repeat(30).strip();
    String text = render(List.of(new AclRule(words, Access.none())), false);
    // PyYAML breaks at the first space past column 80 and continues at the scalar's indent (4)
    assertThat(text).contains("\n    word");
    AclFile back = AclFile.parse("", text);
    assertThat(back.rules().get(0).pattern()).isEqualTo(words);
  }

  @Test
  void roundTripsOddStrings() {
    List<String> odd = List.of("a'b", "x: y", "#c", "yes", "2024-01-01", "données", "a\\b", "\"q\"", "é".repeat(60),
        "ü ".repeat(50) + "end");
    for (String s : odd) {
      AclRule r = new AclRule(s, new Access(List.of(s), List.of(), List.of("*", "USER", s)));
      String text = render(List.of(r), true);
      AclFile back = AclFile.parse("", text);
      assertThat(back.rules()).as(text).containsExactly(r);
      assertThat(back.terminal()).isTrue();
    }
  }

  @Test
  void emptyFileLayout() {
    assertThat(render(List.of(), false)).isEqualTo("rules: []\nterminal: false\n");
  }
}
