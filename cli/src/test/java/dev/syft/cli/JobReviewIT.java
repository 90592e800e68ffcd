package dev.syft.cli;

import static dev.syft.cli.CliEndToEndIT.DO;
import static dev.syft.cli.CliEndToEndIT.DS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.cli.CliEndToEndIT.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Review and release through the packaged CLI in child processes: what a data owner sees before
 * approving and before releasing, what leaves by default, and the permission files on disk.
 */
class JobReviewIT {
  static final String MARKER = "REVIEW_MARKER = 'the data owner must see this line'";
  static final String JOB = "review-job";
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final YAMLMapper YAML = YAMLMapper.builder().build();

  @TempDir Path tmp;
  Path doHome;
  Path dsHome;

  Run ok(String... args) throws Exception {
    Run r = CliEndToEndIT.syft(tmp, args);
    assertThat(r.exit()).as("syft %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  @BeforeEach
  void connect() throws Exception {
    String root = "local:" + tmp.resolve("shared");
    doHome = tmp.resolve("do");
    dsHome = tmp.resolve("ds");
    ok("init", "--email", DO, "--transport", root, "--home", doHome.toString());
    ok("init", "--email", DS, "--transport", root, "--home", dsHome.toString());
    ok("peers", "add", DO, "--home", dsHome.toString());
    ok("sync", "--home", doHome.toString());
    ok("peers", "approve", DS, "--home", doHome.toString());
    ok("sync", "--home", dsHome.toString());
    ok("sync", "--home", doHome.toString());
  }

  /** A folder job: main.py prints a raw row with a non-UTF-8 byte, a helper, and a binary file. */
  Path submitJob() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("job-src"));
    Files.writeString(src.resolve("main.py"), "import os, sys\n" + MARKER + "\n"
        + "sys.stdout.buffer.write(b'row: alice,1961-02-03,\\xff\\xfe diabetic\\n')\n"
        + "sys.stdout.flush()\n"
        + "os.makedirs('outputs', exist_ok=True)\n"
        + "open('outputs/mean.txt', 'w').write('61.5')\n");
    Files.writeString(src.resolve("helper.py"), "def helper():\n    return 'helper line'\n");
    Files.write(src.resolve("blob.bin"), "\u0000\u0001HIDDEN-IN-BINARY\u0000\n".getBytes(StandardCharsets.UTF_8));
    ok("jobs", "submit", "--to", DO, src.toString(), "--name", JOB, "--dataset", "patients", "--home", dsHome.toString());
    ok("sync", "--home", doHome.toString());
    return doHome.resolve(DO).resolve("app_data/job/inbox/" + DS + "/" + JOB);
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Every file of the job folder except permission files, relative path to bytes. */
  static Map<String, byte[]> jobFiles(Path dir) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> w = Files.walk(dir)) {
      for (Path p : w.filter(Files::isRegularFile).toList()) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (!p.getFileName().toString().equals("syft.pub.yaml")) {
          out.put(rel, Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  /** Rules of every permission file at or above the job's review folder that mention it or everything. */
  List<JsonNode> reviewRules(String who) throws Exception {
    Path reviewRoot = doHome.resolve(DO).resolve("app_data/job/review/" + DS);
    List<JsonNode> rules = new ArrayList<>();
    try (Stream<Path> w = Files.walk(reviewRoot)) {
      for (Path f : w.filter(p -> p.getFileName().toString().equals("syft.pub.yaml")).toList()) {
        String prefix = reviewRoot.relativize(f.getParent()).toString().replace('\\', '/');
        for (JsonNode r : YAML.readTree(Files.readString(f)).path("rules")) {
          String pattern = (prefix.isEmpty() ? "" : prefix + "/") + r.path("pattern").asString();
          boolean reads = false;
          for (JsonNode e : r.path("access").path("read")) {
            reads |= e.asString().equals(who) || e.asString().equals("*");
          }
          if (reads && (pattern.startsWith(JOB + "/") || pattern.equals(JOB) || pattern.startsWith("**"))) {
            rules.add(JSON.createObjectNode().put("pattern", pattern));
          }
        }
      }
    }
    return rules;
  }

  Run permsCheck(String rel) throws Exception {
    return CliEndToEndIT.syft(tmp, "perms", "check", "--home", doHome.toString(), "--user", DS, "--path",
        "app_data/job/review/" + DS + "/" + JOB + "/" + rel, "--level", "read");
  }

  @Test
  void showThroughTheLauncherPrintsEveryFileHashesDatasetsAndWhatWouldBeReleased() throws Exception {
    Path jobDir = submitJob();
    DemoIT.Result shown = DemoIT.launcher(tmp, "jobs", "show", DS + "/" + JOB, "--home", doHome.toString());
    assertThat(shown.exit()).as(shown.out()).isZero();
    String out = shown.out();
    assertThat(out).as("the code itself, not only its header").contains(MARKER, "return 'helper line'");
    assertThat(out).contains("datasets   patients (config)", "status     pending");

    // every file with its size and sha256, the lines the content hash is computed over
    Map<String, byte[]> files = jobFiles(jobDir);
    assertThat(files.keySet()).containsExactly("code/blob.bin", "code/helper.py", "code/main.py", "config.yaml", "run.sh");
    StringBuilder lines = new StringBuilder();
    for (var e : files.entrySet()) {
      String sha = sha256(e.getValue());
      assertThat(out).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(e.getKey()) + " +" + e.getValue().length
          + " bytes  sha256 " + sha);
      lines.append(sha).append("  ").append(e.getKey()).append('\n');
    }
    String contentHash = sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(out).contains("content hash " + contentHash + "  (an approval binds to it");
    assertThat(out).contains("--- code/main.py (", "entrypoint").contains("--- run.sh (").contains("--- config.yaml (");

    // a binary file is flagged and never dumped
    assertThat(out).containsPattern("code/blob.bin +\\d+ bytes  sha256 [0-9a-f]{64}  BINARY");
    assertThat(out).contains("--- code/blob.bin (" + files.get("code/blob.bin").length + " bytes, BINARY: not shown");
    assertThat(out).doesNotContain("HIDDEN-IN-BINARY");
    assertThat(out).contains("nothing to release (status pending)").doesNotContain("shared]");

    JsonNode json = JSON.readTree(ok("jobs", "show", JOB, "--json", "--home", doHome.toString()).out());
    assertThat(json.path("info").path("content_hash").asString()).isEqualTo(contentHash);
    assertThat(json.path("files")).hasSize(5);
  }

  @Test
  void releaseSendsOutputsByDefaultAndLogsOnlyWithTheFlag() throws Exception {
    submitJob();
    String id = DS + "/" + JOB;
    String d = doHome.toString();

    // before release: no status text claims a release, and no permission file lets the submitter read results
    for (String step : List.of("pending", "approved")) {
      if (step.equals("approved")) {
        ok("jobs", "approve", id, "--reason", "aggregate only", "--home", d);
      }
      assertThat(ok("jobs", "show", id, "--home", d).out()).contains("status     " + step)
          .doesNotContainPattern("(outputs|logs) shared");
      assertThat(ok("jobs", "list", "--home", d).out()).doesNotContain("shared");
      assertThat(reviewRules(DS)).extracting(r -> r.path("pattern").asString())
          .as("only the folder-wide rule the reference writes (for state.yaml) may give the submitter read")
          .containsOnly("**");
      for (String f : List.of("outputs/mean.txt", "stdout.txt")) {
        assertThat(permsCheck(f).out().trim()).as(step + ": " + f).isEqualTo("deny");
      }
    }
    assertThat(permsCheck("state.yaml").out().trim()).as("the submitter follows the status").isEqualTo("allow");

    Run run = ok("jobs", "run", id, "--timeout", "60", "--home", d);
    assertThat(run.out()).contains("done (exit code 0");
    for (String f : List.of("outputs/mean.txt", "stdout.txt")) {
      assertThat(permsCheck(f).out().trim()).as("after the run, before release: " + f).isEqualTo("deny");
    }

    // the logs hold a non-UTF-8 byte: shown replaced and flagged, never hidden
    String logs = ok("jobs", "logs", id, "--home", d).out();
    assertThat(logs).contains("row: alice,1961-02-03,", " diabetic", "NOT VALID UTF-8: 2 invalid byte sequence(s)",
        "--- exit code 0");
    String show = ok("jobs", "show", id, "--home", d).out();
    assertThat(show).contains("row: alice,1961-02-03,", "NOT VALID UTF-8");
    assertThat(show).contains("[outputs not shared, logs not shared]");

    // the preview lists exactly the files and sizes that would leave
    long stdoutSize = Files.size(doHome.resolve(DO).resolve("app_data/job/review/" + DS + "/" + JOB + "/stdout.txt"));
    assertThat(show).contains("'syft jobs share " + id + "' sends (1 file(s), 4 bytes):")
        .containsPattern("(?m)^    outputs/mean\\.txt +4 bytes$")
        .contains("'--logs' also sends (3 file(s)")
        .containsPattern("(?m)^    stdout\\.txt +" + stdoutSize + " bytes$");

    // default: outputs only
    Run shared = ok("jobs", "share", id, "--home", d);
    assertThat(shared.out()).contains("released outputs of " + id, "1 file(s), 4 bytes", "outputs/mean.txt")
        .doesNotContain("stdout.txt");
    assertThat(permsCheck("outputs/mean.txt").out().trim()).isEqualTo("allow");
    assertThat(permsCheck("stdout.txt").out().trim()).isEqualTo("deny");
    assertThat(ok("jobs", "show", id, "--home", d).out()).contains("[outputs shared, logs not shared]");
    ok("sync", "--home", d);
    ok("sync", "--home", dsHome.toString());
    assertThat(ok("jobs", "outputs", JOB, "--home", dsHome.toString()).out()).contains("mean.txt");
    assertThat(ok("jobs", "logs", JOB, "--home", dsHome.toString()).out()).contains("not shared");
    assertThat(dsHome.resolve(DO).resolve("app_data/job/review/" + DS + "/" + JOB + "/stdout.txt")).doesNotExist();

    // --logs adds the logs
    assertThat(ok("jobs", "share", id, "--logs", "--home", d).out()).contains("released outputs and logs", "stdout.txt");
    assertThat(permsCheck("stdout.txt").out().trim()).isEqualTo("allow");
    ok("sync", "--home", d);
    ok("sync", "--home", dsHome.toString());
    String dsLogs = ok("jobs", "logs", JOB, "--home", dsHome.toString()).out();
    assertThat(dsLogs).contains("row: alice", "NOT VALID UTF-8");

    Run nothing = CliEndToEndIT.syft(tmp, "jobs", "share", id, "--no-outputs", "--home", d);
    assertThat(nothing.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(nothing.err()).contains("nothing to release");
  }

  @Test
  void everyCommandsOutputReachesAPipe() throws Exception {
    // print() without println used to stay in the writer's buffer when the process exited
    assertThat(ok("completion", "bash").out()).contains("complete");
    assertThat(ok("status", "--json", "--home", doHome.toString()).out().strip()).endsWith("}");
    Run refused = CliEndToEndIT.syft(tmp, "jobs", "show", "nope", "--home", doHome.toString());
    assertThat(refused.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(refused.err()).contains("no job 'nope'");
  }
}
