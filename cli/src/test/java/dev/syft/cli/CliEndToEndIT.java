package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs the packaged {@code syft.jar} in child processes against two homes on one local: root. */
class CliEndToEndIT {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  static final Path jar = Path.of(System.getProperty("syft.jar", "target/syft.jar"));

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void findJar() {
    assertThat(jar).as("the packaged CLI jar").exists();
  }

  static Run syft(Path cwd, String... args) throws IOException, InterruptedException {
    return syft(cwd, List.of(), 120, args);
  }

  /** Runs the jar in {@code cwd} with extra JVM options (e.g. {@code -Dsyft...}), failing after {@code timeoutSeconds}. */
  static Run syft(Path cwd, List<String> jvmOptions, int timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")); // as the ./syft launcher starts it
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar.toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().remove("SYFT_HOME");
    Path out = Files.createTempFile(cwd, "out", ".txt");
    Path err = Files.createTempFile(cwd, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("syft " + String.join(" ", args) + " did not finish");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private Run ok(String... args) throws IOException, InterruptedException {
    Run r = syft(tmp, args);
    assertThat(r.exit()).as("syft %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  @Test
  void twoHomesRequestApproveProposeAndSync() throws Exception {
    String root = "local:" + tmp.resolve("shared");
    String doHome = tmp.resolve("do").toString();
    String dsHome = tmp.resolve("ds").toString();
    ok("init", "--email", DO, "--transport", root, "--home", doHome);
    ok("init", "--email", DS, "--transport", root, "--home", dsHome);
    assertThat(ok("whoami", "--home", dsHome).out()).startsWith(DS);
    assertThat(ok("peers", "add", DO, "--home", dsHome).out()).contains("requested");
    ok("sync", "--home", doHome);
    assertThat(ok("peers", "list", "--home", doHome).out()).contains(DS).contains("requested_by_peer");
    ok("peers", "approve", DS, "--home", doHome);
    ok("sync", "--home", dsHome);
    JsonNode peers = JsonMapper.builder().build().readTree(ok("peers", "list", "--json", "--home", dsHome).out());
    assertThat(peers.get(0).get("state").asString()).isEqualTo("accepted");

    Path proposed = tmp.resolve("ds").resolve(DO).resolve("app_data/job/inbox/" + DS + "/hello/run.sh");
    Files.createDirectories(proposed.getParent());
    Files.writeString(proposed, "echo hello\n");
    assertThat(ok("sync", "--home", dsHome).out()).contains("1 change(s) proposed");
    assertThat(ok("sync", "--home", doHome).out()).contains("1 proposal(s) accepted");
    assertThat(tmp.resolve("do").resolve(DO).resolve("app_data/job/inbox/" + DS + "/hello/run.sh")).hasContent("echo hello\n");
    // end-to-end encrypted by default: each side pinned the other's key, as 'keys fingerprint' shows it
    JsonNode doPeers = JsonMapper.builder().build().readTree(ok("peers", "list", "--json", "--home", doHome).out());
    assertThat(doPeers.get(0).get("encrypted").asBoolean()).isTrue();
    String dsKey = ok("keys", "fingerprint", "--home", dsHome).out().lines().findFirst().orElseThrow();
    assertThat(doPeers.get(0).get("fingerprint").asString()).isEqualTo(dsKey);
    assertThat(ok("keys", "fingerprint", DS, "--home", doHome).out()).startsWith(dsKey);
    assertThat(ok("peers", "list", "--home", doHome).out()).contains("encrypted").contains(dsKey);
    Run wrong = syft(tmp, "peers", "trust", DS, "--fingerprint", "0000 0000", "--home", doHome);
    assertThat(wrong.exit()).isEqualTo(1);
    assertThat(wrong.err()).contains("does not match");
    assertThat(ok("peers", "trust", DS, "--fingerprint", dsKey, "--home", doHome).out()).contains(dsKey);

    JsonNode status = JsonMapper.builder().build().readTree(ok("status", "--json", "--home", doHome).out());
    assertThat(status.get("status").get("email").asString()).isEqualTo(DO);
    assertThat(status.get("status").get("pending_uploads").asInt()).isZero();
    assertThat(status.get("jobs_waiting_for_review").isArray()).isTrue();

    assertThat(ok("perms", "check", "--home", doHome, "--user", DS, "--path", "app_data/job/inbox/" + DS + "/x",
        "--level", "write").out().trim()).isEqualTo("allow");
    Run denied = syft(tmp, "perms", "check", "--home", doHome, "--user", DS, "--path", "public/x", "--level", "read");
    assertThat(denied.exit()).isEqualTo(1);
    assertThat(denied.out().trim()).isEqualTo("deny");
  }

  @Test
  void aRefusedProposalIsShownRolledBackInStatus() throws Exception {
    String root = "local:" + tmp.resolve("shared");
    String doHome = tmp.resolve("do").toString();
    String dsHome = tmp.resolve("ds").toString();
    ok("init", "--email", DO, "--transport", root, "--home", doHome);
    ok("init", "--email", DS, "--transport", root, "--home", dsHome);
    ok("peers", "add", DO, "--home", dsHome);
    ok("sync", "--home", doHome);
    ok("peers", "approve", DS, "--home", doHome);
    ok("sync", "--home", dsHome);
    Path defaced = tmp.resolve("ds").resolve(DO).resolve("public/index.html");
    Files.createDirectories(defaced.getParent());
    Files.writeString(defaced, "defaced\n");
    ok("sync", "--home", dsHome);
    assertThat(ok("sync", "--home", doHome).out()).contains("0 proposal(s) accepted, 1 rejected");
    ok("sync", "--home", dsHome);
    assertThat(defaced).doesNotExist();
    assertThat(tmp.resolve("ds/.syft/rejected").resolve(DO).resolve("public/index.html")).hasContent("defaced\n");
    assertThat(ok("status", "--home", dsHome).out())
        .contains("1 change(s) refused by owner " + DO + ", rolled back: ")
        .contains("may not write 'public/index.html'");
    JsonNode rolled = JsonMapper.builder().build().readTree(ok("status", "--json", "--home", dsHome).out())
        .get("status").get("rolled_back");
    assertThat(rolled.size()).isEqualTo(1);
    assertThat(rolled.get(0).get("owner").asString()).isEqualTo(DO);
    assertThat(rolled.get(0).get("changes").asInt()).isEqualTo(1);
    assertThat(rolled.get(0).get("moved_aside").asInt()).isEqualTo(1);
  }

  @Test
  void usageErrorsExitTwoAndRefusalsExitOneWithOneLine() throws Exception {
    Run usage = syft(tmp, "peers", "add");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required parameter");
    Run noHome = syft(tmp, "status", "--home", tmp.resolve("nothing").toString());
    assertThat(noHome.exit()).isEqualTo(1);
    assertThat(noHome.err().strip().lines()).hasSize(1);
    assertThat(noHome.err()).contains("no syft client in");
    Run badEmail = syft(tmp, "init", "--email", "not-an-email", "--transport", "local:/tmp/x", "--home", tmp.resolve("h").toString());
    assertThat(badEmail.exit()).isEqualTo(1);
    assertThat(badEmail.err()).contains("not a usable e-mail address");
    Run version = syft(tmp, "--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).contains("syft-java").contains("0.1.117");
  }
}
