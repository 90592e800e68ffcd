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
    description = {"Keep a home in sync (change notifications plus polling); one daemon per home.",
        "Without a sub-command it runs in the foreground; 'start' runs it in the background.",
        "While it runs, other commands on the home wait for its current round to end (and say so)."},
    subcommands = {DaemonCommand.Start.class, DaemonCommand.Stop.class, DaemonCommand.StatusCmd.class,
        DaemonCommand.Install.class},
    footer = {"", "Examples:",
        "  syft daemon start --home ~/alice           in the background; returns once it runs",
        "  syft daemon status --home ~/alice          exit code 0 when it runs, 1 when not",
        "  syft daemon stop --home ~/alice            ends it after its current round",
        "  syft daemon --home ~/alice                 in the foreground until Ctrl-C (or SIGTERM)",
        "  syft daemon --console --home ~/alice       and serve the web console",
        "  syft daemon install --home ~/alice         write a systemd user unit (foreground mode)",
        "", "Rounds are logged as JSON lines in <home>/.syft/logs/daemon.jsonl; the output of a background",
        "daemon goes to <home>/.syft/logs/daemon.out."})
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
    try (SyftClient c = SyftClient.open(home.resolveReadOnly()); Daemon d = Daemon.start(c, Clock.systemUTC())) {
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

  /** The running daemon's status, if one runs on {@code dir}. */
  static java.util.Optional<tools.jackson.databind.JsonNode> running(Path dir) {
    return Daemon.status(dir).filter(n -> n.path("alive").asBoolean());
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Start the daemon in the background and return once it runs (exit 1 when it does not start).")
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Polling interval (default: config, 10).")
    Integer interval;

    @Override
    public Integer call() throws IOException, InterruptedException {
      Path dir = home.resolveReadOnly().toAbsolutePath();
      dev.syft.core.Home.open(dir); // a clear error for a folder that is no home
      PrintWriter out = spec.commandLine().getOut();
      var already = running(dir);
      if (already.isPresent()) {
        out.println("already running (pid " + already.get().path("pid").asLong() + ") for " + dir);
        return Main.EXIT_OK;
      }
      Path logs = Files.createDirectories(dir.resolve(".syft").resolve("logs"));
      Path output = logs.resolve("daemon.out");
      java.util.List<String> cmd = new java.util.ArrayList<>();
      if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
        cmd.add("/usr/bin/setsid"); // its own session: closing the terminal does not end it
      }
      cmd.addAll(javaCommand());
      cmd.addAll(java.util.List.of("daemon", "--home", dir.toString()));
      if (interval != null) {
        cmd.addAll(java.util.List.of("--interval", interval.toString()));
      }
      Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        var s = running(dir);
        if (s.isPresent()) {
          out.println("started the daemon (pid " + s.get().path("pid").asLong() + ") for " + dir + "; output: " + output
              + "; 'syft daemon stop' ends it");
          return Main.EXIT_OK;
        }
        if (p.waitFor(200, TimeUnit.MILLISECONDS) && running(dir).isEmpty()) {
          throw new dev.syft.protocol.SyftException("daemon-failed", "the daemon did not start: " + lastLine(output));
        }
      }
      throw new dev.syft.protocol.SyftException("daemon-failed", "the daemon did not report running within 120 s; see "
          + output);
    }

    private static String lastLine(Path f) {
      try {
        var lines = Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).replaceFirst("^syft: ", "");
      } catch (IOException e) {
        return "(no output)";
      }
    }

    /** This JVM and jar, so the daemon runs the same build as the command that started it. */
    private static java.util.List<String> javaCommand() {
      try {
        Path jar = Path.of(DaemonCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-jar", jar.toString());
      } catch (java.net.URISyntaxException | RuntimeException e) {
        throw new dev.syft.protocol.SyftException("daemon-failed", "cannot find the syft jar to start the daemon");
      }
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stop the daemon of this home after its current round (exit 1 when none runs).")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Override
    public Integer call() throws InterruptedException {
      Path dir = home.resolveReadOnly();
      var s = running(dir);
      if (s.isEmpty()) {
        spec.commandLine().getErr().println("syft: no daemon is running for " + dir);
        return Main.EXIT_REFUSED;
      }
      long pid = s.get().path("pid").asLong();
      var ph = ProcessHandle.of(pid);
      if (ph.isEmpty()) {
        spec.commandLine().getOut().println("stopped (pid " + pid + " had already ended)");
        return Main.EXIT_OK;
      }
      ph.get().destroy(); // SIGTERM: the daemon ends its round, logs and exits
      try {
        ph.get().onExit().get(90, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new dev.syft.protocol.SyftException("daemon-stop", "the daemon (pid " + pid
            + ") did not stop within 90 s; it may still be finishing a round");
      }
      spec.commandLine().getOut().println("stopped the daemon (pid " + pid + ") for " + dir);
      return Main.EXIT_OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Is a daemon running for this home? Exit code 0 when it runs, 1 when not.")
  static final class StatusCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      Path dir = home.resolveReadOnly();
      var s = Daemon.status(dir);
      PrintWriter out = spec.commandLine().getOut();
      int code = s.isPresent() && s.get().path("alive").asBoolean() ? Main.EXIT_OK : Main.EXIT_REFUSED;
      if (json) {
        out.println(s.map(Json::write).orElse("{\n  \"alive\" : false\n}"));
        return code;
      }
      if (s.isEmpty()) {
        out.println("not running (no daemon has run for " + dir + ")");
        return code;
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
      return code;
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
