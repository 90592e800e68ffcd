package dev.syft.cli;

import dev.syft.drivefake.FakeDriveServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Developer tools. {@code syft dev fake-drive} runs the in-process Google Drive fake (module
 * drive-fake) so the {@code gdrive:} transport can be tried without a Google account: each client
 * names its user with {@code access_token=<its e-mail>}. {@code syft dev fake-sftp} runs an SFTP
 * server (Apache MINA SSHD) for the {@code sftp:} transport.
 */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Developer tools.",
    subcommands = {DevCommand.FakeDrive.class, DevCommand.FakeSftp.class, DevCommand.AotTrain.class})
final class DevCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "fake-drive", mixinStandardHelpOptions = true,
      description = "Serve a fake Google Drive (REST v3 subset) on 127.0.0.1 until interrupted.",
      footer = {"", "Example (two clients on one fake):",
          "  syft dev fake-drive --port 8765 --data ./fake-drive &",
          "  syft init --home ./alice --email alice@example.com \\",
          "      --transport 'gdrive:?root_url=http://127.0.0.1:8765/&access_token=alice@example.com'",
          "  syft init --home ./bob --email bob@example.com \\",
          "      --transport 'gdrive:?root_url=http://127.0.0.1:8765/&access_token=bob@example.com'"})
  static final class FakeDrive implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0",
        description = "Port to listen on (default: a free one, printed at start).")
    int port;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Keep the fake's files in DIR across restarts (default: memory only).")
    Path data;

    @Override
    public Integer call() throws IOException, InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      FakeDriveServer server = FakeDriveServer.builder().port(port).dataDir(data).start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      out.println(FakeDriveServer.banner(server));
      if (data != null) {
        out.println("state is kept in " + data.toAbsolutePath());
      }
      out.flush();
      new CountDownLatch(1).await(); // until Ctrl-C
      return Main.EXIT_OK;
    }
  }

  @Command(name = "fake-sftp", mixinStandardHelpOptions = true,
      description = "Serve a folder over SFTP on 127.0.0.1 until interrupted (password <account>-pw; host key pinned in"
          + " the printed URIs).",
      footer = {"", "Example (two clients on one server):",
          "  syft dev fake-sftp --port 2222 --data ./fake-sftp --account alice=alice@example.com \\",
          "      --account bob=bob@example.com &",
          "  syft init --home ./alice --email alice@example.com --transport '<the URI printed for alice>'"})
  static final class FakeSftp implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0",
        description = "Port to listen on (default: a free one, printed at start).")
    int port;

    @Option(names = "--data", paramLabel = "DIR", required = true,
        description = "The folder to serve (created if missing; the host key is kept beside it).")
    Path data;

    @Option(names = "--account", paramLabel = "NAME=EMAIL", required = true,
        description = "An SSH account and the e-mail it is mapped to (repeatable).")
    java.util.Map<String, String> accounts;

    @Override
    public Integer call() throws IOException, InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      dev.syft.transport.sftp.FakeSftpServer server = dev.syft.transport.sftp.FakeSftpServer.start(data, port, accounts);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
        } catch (IOException ignored) {
          // exiting anyway
        }
      }));
      out.println("fake SFTP server on 127.0.0.1:" + server.port() + " serving " + server.data()
          + " (host key " + server.fingerprint() + ")");
      for (String account : new java.util.TreeSet<>(accounts.keySet())) {
        out.println("  " + accounts.get(account) + ": --transport '" + server.uri(account) + "'");
      }
      out.flush();
      new CountDownLatch(1).await(); // until Ctrl-C
      return Main.EXIT_OK;
    }
  }

  /**
   * The training run of the JDK 25+ AOT cache the launcher builds next to the jar
   * ({@code -XX:AOTCacheOutput}): the everyday read commands on a throw-away home, in one JVM, so their
   * classes are loaded and linked ahead of time. Hidden; prints nothing.
   */
  @Command(name = "aot-train", hidden = true)
  static final class AotTrain implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      Path tmp = java.nio.file.Files.createTempDirectory("syft-aot-train");
      try {
        String home = tmp.resolve("home").toString();
        java.io.StringWriter sink = new java.io.StringWriter();
        PrintWriter w = new PrintWriter(sink);
        String[][] runs = {
            {"--version"}, {"--help"}, {"status", "--help"}, {"stauts"},
            {"init", "--offline", "--email", "train@example.com", "--transport", "local:" + tmp.resolve("shared"),
                "--home", home},
            {"whoami", "--home", home}, {"status", "--home", home}, {"status", "--json", "--home", home},
            {"peers", "list", "--home", home}, {"peers", "list", "--json", "--home", home},
            {"jobs", "list", "--home", home}, {"jobs", "list", "--json", "--home", home},
            {"datasets", "list", "--home", home}, {"daemon", "status", "--home", home},
        };
        for (String[] args : runs) {
          Main.run(args, w, w);
        }
        return Main.EXIT_OK;
      } finally {
        try (var files = java.nio.file.Files.walk(tmp)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}
