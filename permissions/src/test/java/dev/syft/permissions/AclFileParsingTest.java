package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Grammar, malformed files, limits and warnings of syft.pub.yaml. */
class AclFileParsingTest {

  @Test
  void validFileLoads() {
    // syft-permissions tests 8 and 9
    AclFile f = AclFile.parse("dir", "rules:\n- pattern: '**'\n  access:\n    read: ['*']\n    write: [owner@test.com]\nterminal: false\n");
    assertThat(f.rules()).hasSize(1);
    assertThat(f.rules().get(0).pattern()).isEqualTo("**");
    assertThat(f.rules().get(0).access().read()).containsExactly("*");
    assertThat(f.rules().get(0).access().write()).containsExactly("owner@test.com");
    assertThat(f.terminal()).isFalse();
    assertThat(f.folder()).isEqualTo("dir");
    assertThat(AclFile.parse("", "rules: [{pattern: '**', access: {read: ['*']}}]\nterminal: true\n").terminal()).isTrue();
  }

  @Test
  void missingFieldsDefault() {
    // tests 10 and 11
    AclFile empty = AclFile.parse("", "{}\n");
    assertThat(empty.rules()).isEmpty();
    assertThat(empty.terminal()).isFalse();
    AclFile noAccessLists = AclFile.parse("", "rules: [{pattern: '**', access: {}}]\n");
    assertThat(noAccessLists.rules().get(0).access().isEmpty()).isTrue();
    assertThat(AclFile.parse("", "").rules()).isEmpty();
    assertThat(AclFile.parse("", "# only a comment\n").rules()).isEmpty();
    assertThat(AclFile.parse("", "   \n\n").rules()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', textBlock = """
      {{.UserHash}}/**
      reports/{{.Year}}/**
      reports/{{.Month}}/**
      reports/{{.Date}}/**
      upper_{{upper .UserEmail}}/*
      """)
  void unsupportedTemplatesAreRejected(String pattern) {
    // tests 12-15, A22/A23/A46
    assertThatThrownBy(() -> AclFile.parse("", "rules: [{pattern: '" + pattern + "', access: {read: ['*']}}]\n"))
        .isInstanceOf(AclFormatException.class).hasMessageContaining("Unsupported template")
        .hasMessageContaining("syft.pub.yaml:1:");
  }

  @Test
  void userEmailTemplateIsKeptVerbatim() {
    // test 16
    AclFile f = AclFile.parse("", "rules: [{pattern: '{{.UserEmail}}/**', access: {read: [USER]}}]\n");
    assertThat(f.rules().get(0).pattern()).isEqualTo("{{.UserEmail}}/**");
    assertThat(f.rules().get(0).isTemplate()).isTrue();
  }

  @Test
  void pathIsNotSerialised() {
    // tests 17 and 18
    AclFile f = AclFile.of("some/path", List.of(new AclRule("**", new Access(List.of(), List.of(), List.of("*")))), true);
    String text = f.render();
    assertThat(text).doesNotContain("path").doesNotContain("some");
    AclFile back = AclFile.parse("some/path", text);
    assertThat(back.rules()).hasSize(1);
    assertThat(back.terminal()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
      syntax error           ; "rules: [\\n"                                          ; 2 ; invalid YAML
      top-level list         ; "- a\\n- b\\n"                                          ; 1 ; must be a mapping
      top-level scalar       ; "hello\\n"                                              ; 1 ; must be a mapping
      rule without access    ; "rules:\\n- pattern: '**'\\n"                            ; 2 ; has no 'access'
      rule without pattern   ; "rules:\\n- access: {}\\n"                               ; 2 ; has no 'pattern'
      list as plain string   ; "rules:\\n- pattern: '**'\\n  access:\\n    read: alice@x.com\\n" ; 4 ; must be a list of users
      non-string pattern     ; "rules:\\n- pattern: 123\\n  access: {read: ['*']}\\n"    ; 2 ; must be a string
      boolean pattern        ; "rules:\\n- pattern: yes\\n  access: {read: ['*']}\\n"    ; 2 ; must be a string
      date pattern           ; "rules:\\n- pattern: 2024-01-01\\n  access: {}\\n"        ; 2 ; must be a string
      null entry             ; "rules:\\n- pattern: x\\n  access: {read: [~]}\\n"        ; 3 ; must be strings
      int entry              ; "rules:\\n- pattern: x\\n  access: {read: [7]}\\n"        ; 3 ; must be strings
      tab indentation        ; "rules:\\n\\t- pattern: '**'\\n"                          ; 2 ; invalid YAML
      rules is a mapping     ; "rules: {pattern: x}\\n"                                 ; 1 ; must be a list of rules
      rules is empty value   ; "rules:\\n"                                              ; 1 ; must be a list of rules
      rule is a string       ; "rules: [x]\\n"                                          ; 1 ; must be a mapping
      terminal is a word     ; "terminal: maybe\\n"                                     ; 1 ; must be true or false
      terminal is 2          ; "terminal: 2\\n"                                         ; 1 ; must be true or false
      two documents          ; "rules: []\\n---\\nrules: []\\n"                          ; 3 ; single YAML document
      alias to a list of ints ; "a: &x [1]\\nrules: *x\\n"                              ; 1 ; must be a mapping
      merge without pattern  ; "base: &b {}\\nrules:\\n- <<: *b\\n"                     ; 3 ; has no 'pattern'
      undefined alias        ; "rules: *nope\\n"                                       ; 1 ; undefined alias
      duplicate anchor       ; "a: &x []\\nb: &x []\\n"                                ; 2 ; duplicate anchor
      merge of a scalar      ; "rules:\\n- <<: x\\n"                                   ; 2 ; for merging
      """)
  void malformedFilesAreClearErrors(String name, String text, int line, String reason) {
    String yaml = text.replace("\\n", "\n").replace("\\t", "\t");
    assertThatThrownBy(() -> AclFile.parse("team", yaml))
        .isInstanceOfSatisfying(AclFormatException.class, e -> {
          AclProblem p = e.problems().get(0);
          assertThat(p.file()).isEqualTo("team/syft.pub.yaml");
          assertThat(p.line()).as(e.getMessage()).isEqualTo(line);
          assertThat(p.message()).contains(reason);
          assertThat(p.severity()).isEqualTo(AclProblem.Severity.ERROR);
          assertThat(e.getMessage()).startsWith("team/syft.pub.yaml:" + line).doesNotContain("\n");
          assertThat(e.code()).isEqualTo("malformed-message");
        });
  }

  @ParameterizedTest(name = "terminal: {0}")
  @CsvSource(delimiter = ';', textBlock = """
      yes   ; true
      Yes   ; true
      on    ; true
      true  ; true
      'yes' ; true
      1     ; true
      no    ; false
      off   ; false
      0     ; false
      'f'   ; false
      """)
  void yaml11Booleans(String value, boolean expected) {
    assertThat(AclFile.parse("", "terminal: " + value + "\n").terminal()).isEqualTo(expected);
  }

  @Test
  void unknownKeysAreIgnoredWithWarnings() {
    AclFile f = AclFile.parse("", "owner: someone\nrules:\n- pattern: '**'\n  terminal: true\n  access: {read: [a@x.com], execute: [b@x.com]}\n");
    assertThat(f.rules()).hasSize(1);
    assertThat(f.warnings()).extracting(AclProblem::message).anySatisfy(m -> assertThat(m).contains("unknown key 'owner'"))
        .anySatisfy(m -> assertThat(m).contains("'terminal' belongs at the top"))
        .anySatisfy(m -> assertThat(m).contains("unknown access level 'execute'"));
    assertThat(f.warnings()).allSatisfy(p -> assertThat(p.line()).isPositive());
  }

  @Test
  void suspiciousPatternsAndEntriesAreWarnedAbout() {
    AclFile f = AclFile.parse("", """
        rules:
        - {pattern: ../other/**, access: {read: ['*']}}
        - {pattern: /abs/*, access: {read: ['*']}}
        - {pattern: ./x.txt, access: {read: ['*']}}
        - {pattern: '*.{csv,txt}', access: {read: [Bob@X.org, ' a@x.com']}}
        """);
    assertThat(f.rules()).hasSize(4);
    assertThat(f.warnings()).extracting(AclProblem::message)
        .anySatisfy(m -> assertThat(m).contains("uses '..'"))
        .anySatisfy(m -> assertThat(m).contains("is absolute"))
        .anySatisfy(m -> assertThat(m).contains("'./'"))
        .anySatisfy(m -> assertThat(m).contains("braces are literal"))
        .anySatisfy(m -> assertThat(m).contains("upper-case"))
        .anySatisfy(m -> assertThat(m).contains("spaces"));
  }

  @Test
  void limitsAreEnforced(@TempDir Path tmp) throws Exception {
    AclLimits small = new AclLimits(1024, 3, 2, 20, 5);
    assertThatThrownBy(() -> AclFile.parse("", "rules: [{pattern: a, access: {}}, {pattern: b, access: {}},"
        + " {pattern: c, access: {}}, {pattern: d, access: {}}]\n", small)).hasMessageContaining("too many rules");
    assertThatThrownBy(() -> AclFile.parse("", "rules: [{pattern: a, access: {read: [a, b, c]}}]\n", small))
        .hasMessageContaining("too many entries");
    assertThatThrownBy(() -> AclFile.parse("", "rules: [{pattern: " + "x".repeat(21) + ", access: {}}]\n", small))
        .hasMessageContaining("longer than 20");

    // a huge file on disk is refused before it is read, and the datasite fails closed
    Path ds = Files.createDirectories(tmp.resolve("owner@example.com"));
    Files.writeString(ds.resolve("syft.pub.yaml"), "rules: [{pattern: '**', access: {read: ['*']}}]\n# " + "x".repeat(2 * 1024 * 1024) + "\n");
    Datasite site = Datasite.open(ds);
    assertThat(site.check("a.txt", "bob@example.com", Level.READ)).isFalse();
    assertThat(site.check("a.txt", "owner@example.com", Level.READ)).isFalse();
    assertThat(site.problems()).first().satisfies(p -> {
      assertThat(p.file()).isEqualTo("syft.pub.yaml");
      assertThat(p.message()).contains("limited to 1048576 bytes");
    });
    Explanation e = site.explain("a.txt", "bob@example.com", Level.READ);
    assertThat(e.reason()).isEqualTo(Reason.LOAD_ERROR);
    assertThat(e.toText()).contains("limited to 1048576 bytes");
  }

  @Test
  void invalidUtf8IsALoadError(@TempDir Path tmp) throws Exception {
    Path ds = Files.createDirectories(tmp.resolve("owner@example.com"));
    Files.write(ds.resolve("syft.pub.yaml"), new byte[] {'r', 'u', (byte) 0xff, '\n'});
    Datasite site = Datasite.open(ds);
    assertThat(site.tree().loaded()).isFalse();
    assertThat(site.problems().get(0).message()).contains("UTF-8");
  }

  @Test
  void anchorsAliasesAndMergeKeysAreResolvedAsPyYamlDoes() {
    String yaml = """
        people: &people [alice@x.org, bob@x.org]
        base: &base {read: *people}
        one: &one {read: [carol@x.org]}
        two: &two {read: [dave@x.org], write: [erin@x.org]}
        rules:
        - pattern: &p 'a/**'
          access:
            <<: *base
            write: [&w frank@x.org]
        - pattern: b/**
          access:
            <<: [*one, *two]
            admin: [*w]
        - pattern: *p
          access: {read: *people}
        terminal: &t yes
        again: *t
        """;
    AclFile f = AclFile.parse("", yaml);
    assertThat(f.terminal()).isTrue();
    assertThat(f.rules()).hasSize(3);
    assertThat(f.rules().get(0).pattern()).isEqualTo("a/**");
    assertThat(f.rules().get(0).access()).isEqualTo(
        new Access(List.of(), List.of("frank@x.org"), List.of("alice@x.org", "bob@x.org")));
    // of a list of merged mappings the first one wins; keys only the later one has still come through
    assertThat(f.rules().get(1).access()).isEqualTo(
        new Access(List.of("frank@x.org"), List.of("erin@x.org"), List.of("carol@x.org")));
    assertThat(f.rules().get(2).pattern()).isEqualTo("a/**");
    // a quoted '<<' is an ordinary key (ignored, with a warning), not a merge
    AclFile quoted = AclFile.parse("", "b: &b {read: [x@y.org]}\nrules:\n- pattern: '**'\n  access: {'<<': *b}\n");
    assertThat(quoted.rules().get(0).access().read()).isEmpty();
    assertThat(quoted.warnings()).anySatisfy(w -> assertThat(w.message()).contains("'<<'"));
  }

  @Test
  void aliasesCannotBlowAFileUpBeyondWhatItsSizeLimitCouldSpellOut() {
    StringBuilder sb = new StringBuilder("u: &u [");
    for (int i = 0; i < 800; i++) {
      sb.append(i == 0 ? "" : ", ").append("u").append(i).append("@x.org");
    }
    sb.append("]\nrules:\n");
    for (int i = 0; i < 1000; i++) {
      sb.append("- {pattern: 'p").append(i).append("', access: {read: *u, write: *u}}\n");
    }
    assertThat(sb.length()).isLessThan(100_000);
    assertThatThrownBy(() -> AclFile.parse("", sb.toString()))
        .isInstanceOfSatisfying(AclFormatException.class,
            e -> assertThat(e.problems().get(0).message()).contains("aliases expand to 1601000"));
    // the same shape within the bound loads, sharing the list
    AclFile small = AclFile.parse("", sb.substring(0, sb.indexOf("- {pattern: 'p10'")));
    assertThat(small.rules()).hasSize(10);
    assertThat(small.rules().get(9).access().read()).hasSize(800);
  }
}
