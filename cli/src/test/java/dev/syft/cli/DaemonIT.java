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
  void startStatusStopInTheBackgroundAndCommandsWaitForTheDaemonsRound() throws Exception {
    Path home = tmp.resolve("h");
    String h = home.toString();
    assertThat(CliEndToEndIT.syft(tmp, "init", "--offline", "--email", "a@b.example", "--transport",
        "local:" + tmp.resolve("s"), "--home", h).exit()).isZero();
    var none = CliEndToEndIT.syft(tmp, "daemon", "status", "--home", h);
    assertThat(none.exit()).as("nothing runs").isEqualTo(1);
    assertThat(none.out()).contains("not running");
    assertThat(CliEndToEndIT.syft(tmp, "daemon", "stop", "--home", h).exit()).isEqualTo(1);

    var start = CliEndToEndIT.syft(tmp, "daemon", "start", "--home", h, "--interval", "1");
    assertThat(start.exit()).as(start.err()).isZero();
    assertThat(start.out()).contains("started the daemon (pid ");
    try {
      var status = CliEndToEndIT.syft(tmp, "daemon", "status", "--home", h);
      assertThat(status.exit()).isZero();
      assertThat(status.out()).startsWith("running (pid ");
      assertThat(CliEndToEndIT.syft(tmp, "daemon", "start", "--home", h).out()).contains("already running");

      // a round in progress: the test holds the home lock as the daemon does during a round
      Path err = tmp.resolve("peers-add-err.txt");
      Process add;
      try (var ch = java.nio.channels.FileChannel.open(home.resolve(".syft/lock"), java.nio.file.StandardOpenOption.WRITE);
           var lock = ch.lock()) {
        add = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-jar", CliEndToEndIT.jar.toAbsolutePath().toString(),
            "peers", "add", "c@d.example", "--home", h))
            .redirectError(err.toFile()).redirectOutput(tmp.resolve("peers-add-out.txt").toFile()).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.readString(err).contains("waiting for its round to end"));
        assertThat(add.isAlive()).as("it waits instead of failing").isTrue();
      }
      assertThat(add.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(add.exitValue()).as(Files.readString(err)).isZero();
      assertThat(Files.readString(err)).contains("round ended after");
      assertThat(Files.readString(tmp.resolve("peers-add-out.txt"))).contains("requested c@d.example");
    } finally {
      var stop = CliEndToEndIT.syft(tmp, "daemon", "stop", "--home", h);
      assertThat(stop.exit()).as(stop.err()).isZero();
      assertThat(stop.out()).contains("stopped the daemon");
    }
    assertThat(CliEndToEndIT.syft(tmp, "daemon", "status", "--home", h).exit()).isEqualTo(1);
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
