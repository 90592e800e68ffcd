package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** explain(): which file and rule decided, and notes in plain words. */
class ExplainTest {
  private static final String BOB = "bob@example.com";

  @TempDir Path tmp;

  private Datasite site(Map<String, String> files) throws IOException {
    return ConformanceTest.site(tmp, "owner@example.com", files);
  }

  @Test
  void ruleDecisionNamesFileRuleAndEntry() throws IOException {
    Datasite ds = site(Map.of("team", "{rules: [{pattern: '*.csv', access: {read: [Bob@Example.com]}},"
        + " {pattern: '**', access: {read: ['*@example.com']}}]}"));
    Explanation e = ds.explain("team/x.txt", BOB, Level.READ);
    assertThat(e.allowed()).isTrue();
    assertThat(e.decision().governingFile()).isEqualTo("team/syft.pub.yaml");
    assertThat(e.decision().pattern()).isEqualTo("**");
    assertThat(e.decision().ruleIndex()).isEqualTo(1);
    assertThat(e.decision().grantedBy()).isEqualTo("'*@example.com' in read");
    assertThat(e.toText()).contains("ALLOW read for bob@example.com on 'team/x.txt'").contains("rule 2 in the file");

    Explanation csv = ds.explain("team/x.csv", "BOB@example.com", Level.READ);
    assertThat(csv.allowed()).isFalse();
    assertThat(csv.user()).isEqualTo(BOB);
    assertThat(csv.notes()).anySatisfy(n -> assertThat(n).contains("'Bob@Example.com'").contains("only in case"));
  }

  @Test
  void dotFilesAndNoFallbackAreExplained() throws IOException {
    Datasite ds = site(Map.of("", "{rules: [{pattern: '**', access: {read: ['*']}}]}"));
    Explanation e = ds.explain("a/.env", BOB, Level.READ);
    assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_RULE);
    assertThat(e.decision().relativePath()).isEqualTo("a/.env");
    assertThat(e.notes()).anySatisfy(n -> assertThat(n).contains("dot").contains("'**/.env'"));
  }

  @Test
  void terminalFilesAreExplained() throws IOException {
    Datasite ds = site(Map.of("", "{rules: [{pattern: '**', access: {read: ['*']}}], terminal: true}",
        "team", "{rules: [{pattern: '**', access: {write: ['*']}}]}"));
    Explanation e = ds.explain("team/x", BOB, Level.WRITE);
    assertThat(e.allowed()).isFalse();
    assertThat(e.read()).isTrue();
    assertThat(e.notes()).anySatisfy(n -> assertThat(n).contains("terminal").contains("team/syft.pub.yaml is ignored"));
  }

  @Test
  void templateRulesShowTheResolvedPattern() throws IOException {
    Datasite ds = site(Map.of("", "{rules: [{pattern: '{{.UserEmail}}/**', access: {read: [USER]}}]}"));
    Explanation e = ds.explain(BOB + "/notes.txt", BOB, Level.READ);
    assertThat(e.decision().resolvedPattern()).isEqualTo(BOB + "/**");
    assertThat(e.decision().matcher()).isEqualTo(MatcherKind.GLOB);
    assertThat(e.toText()).contains("(as 'bob@example.com/**')");
  }

  @Test
  void readersAtTheBoundary() throws IOException {
    Datasite ds = site(Map.of("", "{rules: [{pattern: 'pub/**', access: {read: ['*']}}, {pattern: '**', access: {read: [bob@example.com]}}]}"));
    assertThat(ds.readers("x.txt", List.of("Bob@example.com", "carol@example.com", "owner@example.com")))
        .containsExactly(BOB, "owner@example.com");
    assertThat(ds.readers("pub/x.txt", List.of(BOB, "carol@example.com"))).containsExactly(BOB, "carol@example.com");
  }
}
