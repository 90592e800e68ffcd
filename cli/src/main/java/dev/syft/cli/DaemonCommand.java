package dev.syft.cli;

import dev.syft.core.Daemon;
import dev.syft.core.SyftClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = "Keep a home in sync in the foreground (change notifications plus polling); one daemon per home.",
    subcommands = {DaemonCommand.StatusCmd.class, DaemonCommand.Install.class},
    footer = {"", "Examples:", "  syft daemon --home ~/alice                 run until Ctrl-C (or SIGTERM)",
        "  syft daemon --console --home ~/alice       and serve the web console",
        "  syft daemon status --home ~/alice", "  syft daemon install --home ~/alice         write a systemd user unit",
        "", "Rounds are logged as JSON lines in <home>/.syft/logs/daemon.jsonl."})
final class DaemonCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOption home;

  @Option(names = "--interval", paramLabel = "SECONDS", description = "Polling interval (default: config, 10).")
  Integer interval;

  @Option(names = "--console", description = "Also serve the web console on 127.0.0.1 (prints its URL).")
  boolean console;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (SyftClient c = SyftClient.open(home.resolve()); Daemon d = Daemon.start(c, Clock.systemUTC())) {
      int seconds = interval != null ? interval : c.home().config().pollSeconds();
      CountDownLatch done = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        d.stop();
        try {
          done.await(30, TimeUnit.SECONDS); // let the current round finish and the log close
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "syft-daemon-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("syft daemon for " + c.email() + " (pid " + ProcessHandle.current().pid() + "), polling every "
          + seconds + " s; log: " + c.home().stateDir().resolve("logs/daemon.jsonl"));
      out.flush();
      dev.syft.console.Console web = console
          ? ConsoleCommand.start(dev.syft.console.Console.Options.loopback(home.resolve(), 0), out) : null;
      try {
        d.run(Duration.ofSeconds(Math.max(1, seconds)));
      } finally {
        if (web != null) {
          web.close();
        }
        done.countDown();
      }
      out.println("syft daemon stopped");
      return Main.EXIT_OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Is a daemon running for this home?")
  static final class StatusCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      Path dir = home.resolve();
      var s = Daemon.status(dir);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(s.map(Json::write).orElse("{\"alive\" : false}"));
        return Main.EXIT_OK;
      }
      if (s.isEmpty()) {
        out.println("no daemon has run for " + dir);
        return Main.EXIT_OK;
      }
      var n = s.get();
      if (n.path("alive").asBoolean()) {
        out.println("running (pid " + n.path("pid").asLong() + ") since " + n.path("started_at").asString()
            + "; " + n.path("rounds").asInt() + " round(s), last at " + n.path("updated_at").asString());
      } else {
        out.println("not running (last state: " + n.path("state").asString() + " at " + n.path("updated_at").asString() + ")");
      }
      if (!n.path("last_error").isNull() && !n.path("last_error").asString("").isEmpty()) {
        out.println("last problem: " + n.path("last_error").asString());
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "install", mixinStandardHelpOptions = true,
      description = "Write a systemd user unit that runs the daemon for this home, and print how to enable it.")
  static final class Install implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--unit-dir", paramLabel = "DIR", description = "Where to write the unit (default: ~/.config/systemd/user).")
    Path unitDir;

    @Override
    public Integer call() throws IOException {
      var h = dev.syft.core.Home.open(home.resolve());
      Path dir = unitDir != null ? unitDir : Path.of(System.getProperty("user.home"), ".config", "systemd", "user");
      String unit = "syft-" + h.email().replaceAll("[^A-Za-z0-9._-]", "_") + ".service";
      String launcher = launcherPath();
      String text = String.join("\n",
          "[Unit]",
          "Description=syft-java sync daemon for " + h.email(),
          "After=network-online.target",
          "",
          "[Service]",
          "Type=simple",
          "ExecStart=" + launcher + " daemon --home " + h.dir(),
          "Restart=on-failure",
          "RestartSec=10",
          "Environment=SYFT_SKIP_BUILD=1",
          "",
          "[Install]",
          "WantedBy=default.target",
          "");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(unit), text);
      PrintWriter out = spec.commandLine().getOut();
      out.println("wrote " + dir.resolve(unit));
      out.println("enable it with:");
      out.println("  systemctl --user daemon-reload");
      out.println("  systemctl --user enable --now " + unit);
      out.println("follow it with: journalctl --user -u " + unit + " -f");
      return Main.EXIT_OK;
    }

    /** The ./syft launcher next to the jar's repository when there is one, else java -jar. */
    private static String launcherPath() {
      try {
        Path jar = Path.of(DaemonCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path launcher = jar.getParent().getParent().getParent().resolve("syft");
        if (Files.isExecutable(launcher)) {
          return launcher.toString();
        }
        return Path.of(System.getProperty("java.home"), "bin", "java") + " --enable-native-access=ALL-UNNAMED -jar " + jar;
      } catch (Exception e) {
        return "syft";
      }
    }
  }
}
