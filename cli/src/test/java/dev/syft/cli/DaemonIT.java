package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a user runs it: start, a second start refused, status, a file synced, clean stop on SIGTERM. */
class DaemonIT {
  @TempDir Path tmp;

  @Test
  void oneDaemonPerHomeSyncsAndStopsCleanly() throws Exception {
    String root = "local:" + tmp.resolve("shared");
    Path doHome = tmp.resolve("do");
    Path dsHome = tmp.resolve("ds");
    assertThat(CliEndToEndIT.syft(tmp, "init", "--email", "do@x.example", "--transport", root, "--home", doHome.toString()).exit()).isZero();
    assertThat(CliEndToEndIT.syft(tmp, "init", "--email", "ds@y.example", "--transport", root, "--home", dsHome.toString()).exit()).isZero();
    assertThat(CliEndToEndIT.syft(tmp, "peers", "add", "do@x.example", "--home", dsHome.toString()).exit()).isZero();

    Path log = tmp.resolve("daemon-out.txt");
    Process daemon = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-jar", CliEndToEndIT.jar.toAbsolutePath().toString(),
        "daemon", "--home", doHome.toString(), "--interval", "1"))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("syft daemon for"));
      // the daemon sees the request within a few rounds
      await().atMost(Duration.ofSeconds(60)).until(() -> CliEndToEndIT.syft(tmp, "peers", "list", "--home",
          doHome.toString()).out().contains("requested_by_peer"));
      var second = CliEndToEndIT.syft(tmp, "daemon", "--home", doHome.toString());
      assertThat(second.exit()).isEqualTo(1);
      assertThat(second.err()).contains("already running");
      var status = CliEndToEndIT.syft(tmp, "daemon", "status", "--home", doHome.toString());
      assertThat(status.out()).contains("running (pid " + daemon.pid() + ")");
    } finally {
      daemon.destroy(); // SIGTERM: the shutdown hook ends the loop after the current round
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("syft daemon stopped");
    String events = Files.readString(doHome.resolve(".syft/logs/daemon.jsonl"));
    assertThat(events).contains("\"event\":\"started\"").contains("\"event\":\"round\"").contains("\"event\":\"stopped\"");
    assertThat(CliEndToEndIT.syft(tmp, "daemon", "status", "--home", doHome.toString()).out()).contains("not running");
  }

  @Test
  void installWritesASystemdUserUnit() throws Exception {
    Path home = tmp.resolve("h");
    assertThat(CliEndToEndIT.syft(tmp, "init", "--email", "a@b.example", "--transport", "local:" + tmp.resolve("s"),
        "--home", home.toString()).exit()).isZero();
    var r = CliEndToEndIT.syft(tmp, "daemon", "install", "--home", home.toString(), "--unit-dir", tmp.resolve("units").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("systemctl --user enable --now syft-a_b.example.service");
    String unit = Files.readString(tmp.resolve("units/syft-a_b.example.service"));
    assertThat(unit).contains("ExecStart=").contains("daemon --home " + home).contains("WantedBy=default.target");
  }

  @Test
  void completionScriptsAreProduced() throws Exception {
    var bash = CliEndToEndIT.syft(tmp, "completion", "bash");
    assertThat(bash.exit()).isZero();
    assertThat(bash.out()).contains("complete -F").contains("peers");
    var zsh = CliEndToEndIT.syft(tmp, "completion", "zsh");
    assertThat(zsh.out()).startsWith("autoload -U +X bashcompinit");
    assertThat(CliEndToEndIT.syft(tmp, "completion", "fish").exit()).isEqualTo(2);
  }
}
