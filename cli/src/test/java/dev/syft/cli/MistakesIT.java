package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** A user's mistakes get a helpful one-line answer from the packaged CLI, never a Java class name. */
class MistakesIT {
  static final Pattern CLASS_NAME = Pattern.compile("\\b([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(Exception|Error)\\b");

  @TempDir Path tmp;

  private CliEndToEndIT.Run ok(String... args) throws Exception {
    CliEndToEndIT.Run r = CliEndToEndIT.syft(tmp, args);
    assertThat(r.exit()).as("syft %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  @Test
  void aMistypedCommandSuggestsTheNearestOne() throws Exception {
    CliEndToEndIT.Run r = CliEndToEndIT.syft(tmp, "stauts");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("'stauts' is not a 'syft' command").contains("Did you mean: syft status?");
    CliEndToEndIT.Run sub = CliEndToEndIT.syft(tmp, "peers", "aprove", "x@y.example");
    assertThat(sub.exit()).isEqualTo(2);
    assertThat(sub.err()).contains("Did you mean: syft peers approve?");
  }

  @Test
  void aBadValueIsExplainedWithoutAClassName() throws Exception {
    Files.createDirectories(tmp.resolve("a@b.example"));
    CliEndToEndIT.Run r = CliEndToEndIT.syft(tmp, "perms", "grant", "--root", tmp.resolve("a@b.example").toString(),
        "--user", "c@d.example", "--path", "x", "--level", "raed");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown access level 'raed': use read, write or admin");
    assertThat(CLASS_NAME.matcher(r.err()).find()).as(r.err()).isFalse();
  }

  @Test
  void initRefusesAnUnknownTransportAndStatusReportsAnUnreachableOne() throws Exception {
    Path home = tmp.resolve("h");
    CliEndToEndIT.Run typo = CliEndToEndIT.syft(tmp, "init", "--email", "a@b.example", "--transport", "gdirve:foo",
        "--home", home.toString());
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("unknown transport 'gdirve:'").contains("did you mean 'gdrive:'");
    assertThat(home).doesNotExist();

    ok("init", "--email", "a@b.example", "--transport", "local:" + tmp.resolve("shared"), "--home", home.toString());
    Files.move(tmp.resolve("shared"), tmp.resolve("shared-unmounted"));
    assertThat(ok("status", "--home", home.toString()).out()).contains("TRANSPORT UNREACHABLE: ")
        .contains("shared folder " + tmp.resolve("shared") + " does not exist");
    var json = JsonMapper.builder().build().readTree(ok("status", "--json", "--home", home.toString()).out());
    assertThat(json.path("transport_reachable").asBoolean()).isFalse();
    assertThat(json.path("transport_problem").asString()).contains("does not exist");
  }

  @Test
  void cancellingAJobThatIsNotRunningSaysSo() throws Exception {
    String home = tmp.resolve("h").toString();
    ok("init", "--email", "a@b.example", "--transport", "local:" + tmp.resolve("shared"), "--home", home);
    CliEndToEndIT.Run r = CliEndToEndIT.syft(tmp, "jobs", "cancel", "nosuch", "--home", home);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("syft: ").contains("nosuch");
    assertThat(r.err().strip().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
    assertThat(CLASS_NAME.matcher(r.err()).find()).as(r.err()).isFalse();
  }

  @Test
  void aRequestCanBeWithdrawn() throws Exception {
    String home = tmp.resolve("h").toString();
    ok("init", "--email", "a@b.example", "--transport", "local:" + tmp.resolve("shared"), "--home", home);
    ok("peers", "add", "do@hosptial.example", "--home", home);
    assertThat(ok("peers", "remove", "do@hosptial.example", "--home", home).out())
        .contains("withdrew your request to do@hosptial.example");
    assertThat(ok("peers", "list", "--home", home).out()).doesNotContain("hosptial");
    assertThat(tmp.resolve("shared")).isDirectory();
    try (var files = Files.walk(tmp.resolve("shared"))) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString).filter(p -> p.contains("hosptial")).toList())
          .as("our folders and shares for them").isEmpty();
    }
    CliEndToEndIT.Run again = CliEndToEndIT.syft(tmp, "peers", "remove", "do@hosptial.example", "--home", home);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("no contact or request for do@hosptial.example");
  }

  @Test
  void defaultJobNamesHaveNoSpacesAndPartialIdsWork() throws Exception {
    String doHome = tmp.resolve("do").toString();
    String dsHome = tmp.resolve("ds").toString();
    String root = "local:" + tmp.resolve("shared");
    ok("init", "--offline", "--email", "do@x.example", "--transport", root, "--home", doHome);
    ok("init", "--offline", "--email", "ds@y.example", "--transport", root, "--home", dsHome);
    ok("peers", "add", "do@x.example", "--home", dsHome);
    assertThat(ok("sync", "--home", doHome).out()).contains("new contact request from ds@y.example");
    assertThat(ok("sync", "--home", doHome).out()).doesNotContain("new contact request"); // told once
    ok("peers", "approve", "ds@y.example", "--home", doHome);
    ok("sync", "--home", dsHome);
    Files.writeString(tmp.resolve("run.sh"), "echo hi\n");
    ok("jobs", "submit", "--to", "do@x.example", tmp.resolve("run.sh").toString(), "--home", dsHome);
    ok("jobs", "submit", "--to", "do@x.example", tmp.resolve("run.sh").toString(), "--name", "mean-a", "--home", dsHome);
    ok("jobs", "submit", "--to", "do@x.example", tmp.resolve("run.sh").toString(), "--name", "mean-b", "--home", dsHome);
    assertThat(ok("sync", "--home", doHome).out()).contains("job ds@y.example/mean-a: new, pending");

    var jobs = JsonMapper.builder().build().readTree(ok("jobs", "list", "--json", "--home", doHome).out());
    String name = null;
    for (var j : jobs) {
      if (j.path("name").asString().startsWith("job-")) {
        name = j.path("name").asString();
      }
    }
    assertThat(name).as("a default name").matches("job-[0-9a-f]{8}");
    String hex = name.substring(4);
    assertThat(ok("jobs", "approve", hex, "--home", doHome).out()).contains(name);

    CliEndToEndIT.Run ambiguous = CliEndToEndIT.syft(tmp, "jobs", "show", "mean", "--home", doHome);
    assertThat(ambiguous.exit()).isEqualTo(1);
    assertThat(ambiguous.err()).contains("'mean' matches 2 jobs: ").contains("mean-a").contains("mean-b");
  }
}
