package dev.syft.cli;

import static dev.syft.cli.CliEndToEndIT.DO;
import static dev.syft.cli.CliEndToEndIT.DS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.cli.CliEndToEndIT.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code syft transports} and a pair that keeps syncing when its preferred shared folder goes away. */
class TransportsIT {
  @TempDir Path tmp;

  private Run ok(String... args) throws Exception {
    Run r = CliEndToEndIT.syft(tmp, args);
    assertThat(r.exit()).as("syft %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  private Path propose(String name) throws Exception {
    Path p = tmp.resolve("ds").resolve(DO).resolve("app_data/job/inbox/" + DS + "/" + name + "/run.sh");
    Files.createDirectories(p.getParent());
    Files.writeString(p, "echo " + name + "\n");
    return tmp.resolve("do").resolve(DO).resolve("app_data/job/inbox/" + DS + "/" + name + "/run.sh");
  }

  @Test
  void aPairWithTwoTransportsKeepsSyncingWhenThePreferredOneGoesAway() throws Exception {
    String a = "local:" + tmp.resolve("shared-a");
    String b = "local:" + tmp.resolve("shared-b");
    String doHome = tmp.resolve("do").toString();
    String dsHome = tmp.resolve("ds").toString();
    ok("init", "--email", DO, "--transport", a, "--home", doHome);
    ok("init", "--email", DS, "--transport", a, "--home", dsHome);
    assertThat(ok("transports", "add", b, "--home", doHome).out()).contains("added " + b);
    ok("transports", "add", b, "--home", dsHome);
    assertThat(tmp.resolve("shared-b")).isDirectory(); // created like init does
    assertThat(Files.readString(tmp.resolve("do/config.yaml"))).contains("transports:").contains(b);
    assertThat(ok("transports", "list", "--home", doHome).out())
        .contains(a + "  (preferred)  works").contains(b + "  works");

    ok("peers", "add", DO, "--home", dsHome);
    ok("sync", "--home", doHome);
    ok("peers", "approve", DS, "--home", doHome);
    ok("sync", "--home", dsHome);
    Path first = propose("first");
    ok("sync", "--home", dsHome);
    ok("sync", "--home", doHome);
    assertThat(first).hasContent("echo first\n");

    // the preferred shared folder goes away; both homes go on over B
    Files.move(tmp.resolve("shared-a"), tmp.resolve("shared-a-gone"));
    Path second = propose("second");
    ok("sync", "--home", dsHome);
    ok("sync", "--home", doHome);
    assertThat(second).hasContent("echo second\n");
    assertThat(first).hasContent("echo first\n");

    String status = ok("status", "--home", doHome).out();
    assertThat(status).doesNotContain("TRANSPORT UNREACHABLE").contains(a + "  FAILS: ").contains(b + "  works");
    JsonNode json = JsonMapper.builder().build().readTree(ok("status", "--json", "--home", doHome).out());
    assertThat(json.get("transport_reachable").asBoolean()).isTrue();
    assertThat(json.get("transports").get(0).get("works").asBoolean()).isFalse();
    assertThat(json.get("transports").get(1).get("works").asBoolean()).isTrue();
    assertThat(json.get("status").get("pending_uploads").asInt()).isZero();
    assertThat(json.get("status").get("quarantined").size()).isZero();

    ok("transports", "remove", a, "--home", doHome);
    assertThat(ok("transports", "list", "--offline", "--home", doHome).out().strip()).isEqualTo(b + "  (preferred)");
    Run last = CliEndToEndIT.syft(tmp, "transports", "remove", b, "--home", doHome);
    assertThat(last.exit()).isEqualTo(1);
    assertThat(last.err()).contains("cannot remove the only transport");
    Run unknown = CliEndToEndIT.syft(tmp, "transports", "add", "ftp://host/x", "--home", doHome);
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown transport 'ftp:'");
  }

  /** Paths under {@code dir} of the P2P folders between DO and DS. */
  private static java.util.List<String> pairFolders(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      return walk.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("syft_datasite#") && n.contains("#" + DO + "#") && n.endsWith("#" + DS)).toList();
    }
  }

  @Test
  void aPeerRoutedViaOneTransportExchangesOnlyThereAndStatusShowsItsHealth() throws Exception {
    String a = "local:" + tmp.resolve("shared-a");
    String b = "local:" + tmp.resolve("shared-b");
    String doHome = tmp.resolve("do").toString();
    String dsHome = tmp.resolve("ds").toString();
    ok("init", "--email", DO, "--transport", a, "--home", doHome);
    ok("init", "--email", DS, "--transport", a, "--home", dsHome);
    ok("transports", "add", b, "--home", doHome);
    ok("transports", "add", b, "--home", dsHome);

    assertThat(ok("peers", "add", DO, "--via", b, "--home", dsHome).out()).contains("traffic with " + DO + " goes via " + b);
    ok("sync", "--home", dsHome);
    ok("sync", "--home", doHome);
    // the DO approves by adding the DS back, choosing B too
    assertThat(ok("peers", "add", DS, "--via", b, "--home", doHome).out()).contains("approved " + DS);
    ok("sync", "--home", doHome);
    ok("sync", "--home", dsHome);
    Path job = propose("routed");
    ok("sync", "--home", dsHome);
    ok("sync", "--home", doHome);
    assertThat(job).hasContent("echo routed\n");
    assertThat(pairFolders(tmp.resolve("shared-b"))).isNotEmpty();
    assertThat(pairFolders(tmp.resolve("shared-a"))).as("nothing of the pair on A").isEmpty();

    assertThat(ok("peers", "list", "--home", doHome).out()).contains(DS).contains("via " + b);
    JsonNode peers = JsonMapper.builder().build().readTree(ok("peers", "list", "--json", "--home", doHome).out());
    assertThat(peers.get(0).get("via").get(0).asString()).isEqualTo(b);
    assertThat(Files.readString(tmp.resolve("do/config.yaml"))).contains("peer_transports:");

    String status = ok("status", "--home", doHome).out();
    assertThat(status).contains("peer traffic per transport").contains(DS + "  (via " + b + ")")
        .contains(b + "  works  last ok 20");
    JsonNode json = JsonMapper.builder().build().readTree(ok("status", "--json", "--home", doHome).out());
    JsonNode pt = json.get("peer_transports").get(0);
    assertThat(pt.get("peer").asString()).isEqualTo(DS);
    assertThat(pt.get("transports")).hasSize(1);
    assertThat(pt.get("transports").get(0).get("transport").asString()).isEqualTo(b);
    assertThat(pt.get("transports").get(0).get("last_ok_at").asString()).endsWith("Z");
    assertThat(pt.get("transports").get(0).get("last_error").isNull()).isTrue();
  }
}
