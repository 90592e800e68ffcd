package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every {@code --json} output follows one convention (cli/README.md): snake_case keys, times as
 * ISO-8601 UTC strings. One shared pair of homes (a connected owner and scientist, a dataset, a job);
 * one test per command, each running the packaged jar.
 */
class JsonConventionIT {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  static final Pattern ISO_UTC = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
  /** Objects whose keys are data (e-mails, paths, file names), not field names. */
  static final List<String> DATA_MAPS = List.of("peer_errors", "skipped_peers", "held_deletions", "shared_with",
      "files", "hashes");

  static Path tmp;
  static String doHome;
  static String dsHome;

  @BeforeAll
  static void connectedOwnerAndScientistWithADatasetAndAJob() throws Exception {
    tmp = Files.createTempDirectory("syft-json-it");
    String root = "local:" + tmp.resolve("shared");
    doHome = tmp.resolve("do").toString();
    dsHome = tmp.resolve("ds").toString();
    ok("init", "--offline", "--email", DO, "--transport", root, "--home", doHome);
    ok("init", "--offline", "--email", DS, "--transport", root, "--home", dsHome);
    ok("peers", "add", DO, "--home", dsHome);
    ok("sync", "--home", doHome);
    ok("peers", "approve", DS, "--home", doHome);
    Files.createDirectories(tmp.resolve("mock"));
    Files.createDirectories(tmp.resolve("private"));
    Files.writeString(tmp.resolve("mock/patients.csv"), "age\n40\n");
    Files.writeString(tmp.resolve("private/patients.csv"), "age\n61\n");
    ok("datasets", "create", "patients", "--mock", tmp.resolve("mock").toString(), "--private",
        tmp.resolve("private").toString(), "--any", "--home", doHome);
    ok("sync", "--home", doHome);
    ok("sync", "--home", dsHome);
    Files.writeString(tmp.resolve("run.sh"), "echo hi > outputs/x.txt\n");
    ok("jobs", "submit", "--to", DO, tmp.resolve("run.sh").toString(), "--name", "hello", "--home", dsHome);
    ok("sync", "--home", doHome);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try (var files = Files.walk(tmp)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static CliEndToEndIT.Run ok(String... args) throws Exception {
    CliEndToEndIT.Run r = CliEndToEndIT.syft(tmp, args);
    assertThat(r.exit()).as("syft %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  /** Runs the command, parses its output as one JSON document and checks the convention everywhere in it. */
  static JsonNode json(String... args) throws Exception {
    CliEndToEndIT.Run r = CliEndToEndIT.syft(tmp, args);
    assertThat(r.exit()).as("syft %s: %s", String.join(" ", args), r.err()).isIn(0, 1);
    JsonNode n = JsonMapper.builder().build().readTree(r.out());
    List<String> problems = new ArrayList<>();
    check(n, "$", problems);
    assertThat(problems).as("syft %s\n%s", String.join(" ", args), r.out()).isEmpty();
    return n;
  }

  static void check(JsonNode n, String path, List<String> problems) {
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        String k = e.getKey();
        if (!SNAKE.matcher(k).matches()) {
          problems.add(path + "." + k + ": key not snake_case");
        }
        JsonNode v = e.getValue();
        if (Json.isTimeKey(k) && !v.isNull() && !(v.isString() && ISO_UTC.matcher(v.asString()).matches())) {
          problems.add(path + "." + k + ": time not ISO-8601 UTC: " + v);
        }
        if (!DATA_MAPS.contains(k)) {
          check(v, path + "." + k, problems);
        }
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        check(n.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  @Test
  void status() throws Exception {
    JsonNode s = json("status", "--json", "--home", doHome);
    assertThat(s.path("status").path("email").asString()).isEqualTo(DO);
    assertThat(s.path("status").has("pending_uploads")).isTrue();
    assertThat(s.path("status").path("last_sync").asString()).matches(ISO_UTC);
    assertThat(s.path("transport_reachable").asBoolean()).isTrue();
  }

  @Test
  void whoami() throws Exception {
    json("whoami", "--json", "--home", doHome);
  }

  @Test
  void peersList() throws Exception {
    JsonNode p = json("peers", "list", "--json", "--home", doHome);
    assertThat(p.get(0).path("email").asString()).isEqualTo(DS);
    assertThat(p.get(0).path("last_sync").asString()).matches(ISO_UTC);
    assertThat(p.get(0).path("encrypted").isBoolean()).isTrue();
    assertThat(p.get(0).path("fingerprint").asString()).matches("([0-9A-F]{4} ){7}[0-9A-F]{4}");
  }

  @Test
  void sync() throws Exception {
    JsonNode r = json("sync", "--json", "--home", dsHome);
    // the typed report (peer and part errors apart) prints in the one shape it always had
    assertThat(r.path("report").properties().stream().map(java.util.Map.Entry::getKey).toList()).containsExactly(
        "local_changes", "accepted", "rejected", "proposed", "pulled", "uploaded", "pending_uploads", "peer_errors",
        "skipped_peers", "held_deletions");
    assertThat(r.path("changes").isArray()).isTrue();
  }

  @Test
  void datasetsListAndShow() throws Exception {
    json("datasets", "list", "--json", "--home", doHome);
    JsonNode shown = json("datasets", "show", "patients", "--json", "--home", dsHome);
    assertThat(shown.path("owner").asString()).as("found on the scientist's side without --peer").isEqualTo(DO);
  }

  @Test
  void jobsListAndShow() throws Exception {
    JsonNode list = json("jobs", "list", "--json", "--home", doHome);
    assertThat(list.get(0).has("submitted_at")).isTrue();
    JsonNode shown = json("jobs", "show", "hello", "--json", "--home", doHome);
    assertThat(shown.path("info").path("content_hash").asString()).hasSize(64);
  }

  @Test
  void jobsGroupsAndPolicies() throws Exception {
    json("jobs", "group", "--json", "--home", dsHome);
    json("jobs", "policy", "list", "--json", "--home", doHome);
  }

  @Test
  void checkpointStatus() throws Exception {
    json("checkpoint", "status", "--json", "--home", doHome);
  }

  @Test
  void daemonStatus() throws Exception {
    JsonNode d = json("daemon", "status", "--json", "--home", doHome);
    assertThat(d.path("alive").asBoolean()).isFalse();
  }

  @Test
  void permsCheck() throws Exception {
    json("perms", "check", "--json", "--home", doHome, "--user", DS, "--path", "public/x", "--level", "read");
  }
}
