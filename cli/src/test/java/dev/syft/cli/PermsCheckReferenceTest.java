package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code syft perms check --root} gives the reference's decision for every permission vector and for
 * every case of the permissions module's reference-decision families: user and path reach the engine
 * exactly as typed. (PermsCheckVectorsIT runs a sample of them through the packaged jar.)
 */
class PermsCheckReferenceTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  static Path repo() {
    String repo = System.getProperty("syft.repo"); // set for the integration tests
    if (repo != null && Files.isDirectory(Path.of(repo, "vectors"))) {
      return Path.of(repo).toAbsolutePath();
    }
    String prop = System.getProperty("syft.vectors.dir");
    if (prop == null || !Files.isDirectory(Path.of(prop))) {
      fail("golden vectors not found (system property syft.vectors.dir = " + prop + ")");
    }
    return Path.of(prop).toAbsolutePath().getParent();
  }

  static Path vectorsFile() {
    return repo().resolve("vectors/permissions/permissions.json");
  }

  static Path familiesFile() {
    return repo().resolve("permissions/src/test/resources/reference-decisions/families.json");
  }

  static List<JsonNode> cases(Path file) {
    List<JsonNode> out = new ArrayList<>();
    MAPPER.readTree(file.toFile()).get("cases").forEach(out::add);
    return out;
  }

  static Stream<Arguments> all() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : cases(vectorsFile())) {
      out.add(Arguments.of(Named.of("vector " + c.get("id").stringValue(), c)));
    }
    for (JsonNode c : cases(familiesFile())) {
      out.add(Arguments.of(Named.of("family " + c.get("id").stringValue(), c)));
    }
    return out.stream();
  }

  /** Writes the case's permission files into {@code <tmp>/owner@example.com} and returns that folder. */
  static Path datasite(Path tmp, JsonNode c) throws IOException {
    Path ds = Files.createDirectories(tmp.resolve("owner@example.com"));
    for (var e : c.get("acl_files").properties()) {
      Path dir = e.getKey().isEmpty() ? ds : ds.resolve(e.getKey());
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("syft.pub.yaml"), e.getValue().stringValue());
    }
    return ds;
  }

  /** What the CLI must print: a case the reference cannot load is a deny here (fail closed). */
  static String expectedOutput(JsonNode c) {
    return c.get("expected").stringValue().equals("allow") ? "allow" : "deny";
  }

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void bothTablesAreThere() {
    assertThat(cases(vectorsFile())).hasSize(121);
    assertThat(cases(familiesFile())).hasSizeGreaterThanOrEqualTo(100);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void checkPrintsTheReferencesDecision(JsonNode c, @TempDir Path tmp) throws IOException {
    Path ds = datasite(tmp, c);
    Result r = run("perms", "check", "--root", ds.toString(), "--user", c.get("user").stringValue(), "--path",
        c.get("path").stringValue(), "--level", c.get("level").stringValue());
    String want = expectedOutput(c);
    assertThat(r.out().strip()).as("%s: stderr %s", c.get("id"), r.err()).isEqualTo(want);
    assertThat(r.exit()).isEqualTo(want.equals("allow") ? 0 : 1);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void explainAgreesWithCheckOnTheExactStrings(@TempDir Path tmp) throws IOException {
    Path ds = Files.createDirectories(tmp.resolve("owner@example.com"));
    Files.createDirectories(ds.resolve("team"));
    Files.writeString(ds.resolve("syft.pub.yaml"), "{rules: [{pattern: '{{.UserEmail}}/**', access: {read: [USER]}}]}\n");
    Files.writeString(ds.resolve("team/syft.pub.yaml"), "{rules: [{pattern: '**', access: {read: ['*']}}]}\n");
    // the reference keeps the requester's case in the substituted pattern (vector tpl-07)
    Result e = run("perms", "explain", "--json", "--root", ds.toString(), "--user", "Alice@example.com", "--path",
        "alice@example.com/x.txt");
    JsonNode j = MAPPER.readTree(e.out());
    assertThat(j.get("decision").stringValue()).isEqualTo("deny");
    assertThat(j.get("user").stringValue()).isEqualTo("Alice@example.com");
    // the permission file's own folder: relative path '' matches nothing, not even '**'
    e = run("perms", "explain", "--json", "--root", ds.toString(), "--user", "bob@example.com", "--path", "team");
    j = MAPPER.readTree(e.out());
    assertThat(j.get("decision").stringValue()).isEqualTo("deny");
    assertThat(j.get("reason").stringValue()).isEqualTo("no-matching-rule");
    assertThat(j.get("notes").toString()).contains("own folder");
    // a wildcard id is decided as the reference decides it, and explain says why
    e = run("perms", "explain", "--root", ds.toString(), "--user", "*", "--path", "bob@example.com/x.txt");
    assertThat(e.out()).startsWith("ALLOW").contains("not a plain e-mail address");
  }

  @Test
  void theOwnerIsTheFolderNameExactly(@TempDir Path tmp) throws IOException {
    Path ds = Files.createDirectories(tmp.resolve("owner@example.com"));
    assertThat(run("perms", "check", "--root", ds.toString(), "--user", "owner@example.com", "--path", "x",
        "--level", "admin").out().strip()).isEqualTo("allow");
    for (String notOwner : List.of("Owner@example.com", "OWNER@EXAMPLE.COM", " owner@example.com")) {
      Result r = run("perms", "check", "--root", ds.toString(), "--user", notOwner, "--path", "x", "--level", "read");
      assertThat(r.out().strip()).as(notOwner).isEqualTo("deny");
      assertThat(r.exit()).isEqualTo(1);
    }
  }
}
