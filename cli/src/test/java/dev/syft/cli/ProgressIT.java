package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transfer progress through the packaged jar (never a terminal here): silent by default, plain lines on
 * stderr with {@code --progress}, and never on stdout, so {@code --json} stays one document.
 */
class ProgressIT {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

  static Path tmp;
  static String doHome;
  static String dsHome;

  @BeforeAll
  static void connectedOwnerAndScientist() throws Exception {
    tmp = Files.createTempDirectory("syft-progress-it");
    String root = "local:" + tmp.resolve("shared");
    doHome = tmp.resolve("do").toString();
    dsHome = tmp.resolve("ds").toString();
    ok("init", "--offline", "--email", DO, "--transport", root, "--home", doHome);
    ok("init", "--offline", "--email", DS, "--transport", root, "--home", dsHome);
    ok("peers", "add", DO, "--home", dsHome);
    ok("sync", "--home", doHome);
    ok("peers", "approve", DS, "--home", doHome);
    ok("sync", "--home", dsHome);
    for (String side : new String[] {"mock", "private"}) {
      Path dir = Files.createDirectories(tmp.resolve(side));
      Files.write(dir.resolve("a.bin"), new byte[3000]);
      Files.write(dir.resolve("b.bin"), new byte[1000]);
    }
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

  @Test
  void uploadAndDownloadReportProgressOnlyWhenAskedAndNeverOnStdout() throws Exception {
    CliEndToEndIT.Run quiet = ok("datasets", "create", "quiet", "--mock", tmp.resolve("mock").toString(), "--private",
        tmp.resolve("private").toString(), "--any", "--home", doHome);
    assertThat(quiet.err()).doesNotContain("uploading");

    CliEndToEndIT.Run created = ok("datasets", "create", "scans", "--mock", tmp.resolve("mock").toString(), "--private",
        tmp.resolve("private").toString(), "--any", "--progress", "--home", doHome);
    // the two mock files and the metadata, sized in bytes
    assertThat(created.err()).containsPattern("syft: uploading \\d+ file\\(s\\), [\\d.]+ kB: dataset scans \\(mock\\) \\.\\.\\.")
        .contains("dataset scans (mock): done");
    assertThat(created.out()).doesNotContain("uploading");

    ok("sync", "--home", doHome);
    CliEndToEndIT.Run synced = ok("sync", "--json", "--progress", "--home", dsHome);
    assertThat(synced.err()).containsPattern("syft: downloading \\d+ file\\(s\\), [\\d.]+ kB: .* \\.\\.\\.")
        .contains(": done");
    JsonNode report = JsonMapper.builder().build().readTree(synced.out());
    assertThat(report.has("report")).as(synced.out()).isTrue();
    assertThat(ok("datasets", "list", "--home", dsHome).out()).contains("scans").contains("quiet");
  }

  @Test
  void aSyncWithoutTheFlagOffATerminalPrintsNoProgress() throws Exception {
    ok("datasets", "create", "later", "--mock", tmp.resolve("mock").toString(), "--private",
        tmp.resolve("private").toString(), "--any", "--home", doHome);
    ok("sync", "--home", doHome);
    CliEndToEndIT.Run synced = ok("sync", "--home", dsHome);
    assertThat(synced.err()).doesNotContain("downloading").doesNotContain("%");
    assertThat(ok("datasets", "list", "--home", dsHome).out()).contains("later");
  }
  @Test
  void collectingAGroupsOutputsReportsProgressOnlyWhenAsked() throws Exception {
    Path main = tmp.resolve("collect-main.py");
    Files.writeString(main, "import os\nos.makedirs('outputs', exist_ok=True)\n"
        + "open('outputs/answer.txt', 'w').write('x' * 5000)\n");
    ok("jobs", "submit", "--to", DO, main.toString(), "--name", "collect-me", "--home", dsHome);
    ok("sync", "--home", doHome);
    ok("jobs", "approve", "collect-me", "--reason", "fine", "--home", doHome);
    ok("jobs", "run", "collect-me", "--timeout", "60", "--home", doHome);
    ok("jobs", "share", "collect-me", "--home", doHome);
    ok("sync", "--home", doHome);
    ok("sync", "--home", dsHome);

    CliEndToEndIT.Run quiet = ok("jobs", "collect", "collect-me", "--into", tmp.resolve("quiet").toString(),
        "--home", dsHome);
    assertThat(quiet.err()).doesNotContain("collecting");
    assertThat(tmp.resolve("quiet").resolve(DO).resolve("answer.txt")).hasSize(5000);

    CliEndToEndIT.Run loud = ok("jobs", "collect", "collect-me", "--into", tmp.resolve("loud").toString(),
        "--json", "--progress", "--home", dsHome);
    assertThat(loud.err()).containsPattern("syft: collecting the outputs of 1 job\\(s\\), [\\d,]+ byte\\(s\\): collect-me")
        .contains(": done");
    JsonNode report = JsonMapper.builder().build().readTree(loud.out());
    assertThat(report.get("members").get(0).get("collected").asBoolean()).as(loud.out()).isTrue();
    assertThat(tmp.resolve("loud").resolve(DO).resolve("answer.txt")).hasSize(5000);
  }
}
