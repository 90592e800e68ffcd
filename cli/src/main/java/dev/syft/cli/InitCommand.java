package dev.syft.cli;

import dev.syft.core.Home;
import dev.syft.core.SyftClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create a client home: config.yaml, your datasite folder and the local state database.",
    footer = {"", "Examples:",
        "  syft init --email alice@example.com --transport local:/srv/syft-shared --home ~/alice",
        "  SYFT_HOME=~/alice syft whoami"})
final class InitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--email", required = true, paramLabel = "E", description = "Your identity on the transport.")
  String email;

  @Option(names = "--transport", required = true, paramLabel = "URI",
      description = "Where peers meet, e.g. local:/path/to/shared/folder.")
  String transport;

  @Option(names = "--home", paramLabel = "DIR", description = "Home folder (default: $SYFT_HOME or ~/SyftBox_<email>).")
  Path home;

  @Option(names = "--offline", description = "Do not check now that the transport can be reached and knows you"
      + " (the first sync does).")
  boolean offline;

  @Override
  public Integer call() {
    String e = Home.normalizeEmail(email);
    Path dir = home != null ? home : Home.defaultDir(e);
    TransportCheck.schemeProblem(transport).ifPresent(p -> {
      throw new UsageException(p);
    });
    boolean existed = java.nio.file.Files.exists(dir);
    // what init creates in a folder that already exists; only those that were not there are undone
    java.util.List<Path> created = java.util.stream.Stream.of(dev.syft.core.Config.FILE_NAME, ".syft", e)
        .map(dir::resolve).filter(p -> !java.nio.file.Files.exists(p)).toList();
    try (SyftClient c = SyftClient.init(e, transport, dir)) {
      if (!offline) {
        var problem = TransportCheck.problem(c.home().config(), Duration.ofSeconds(15));
        if (problem.isPresent()) {
          c.close();
          // leave no half-made home behind, and nothing else touched
          if (existed) {
            created.forEach(InitCommand::deleteTree);
          } else {
            deleteTree(dir);
          }
          throw new dev.syft.protocol.SyftException("transport-unreachable", problem.get()
              + " (no home created; fix the transport, or use --offline to create it anyway)");
        }
      }
      var out = spec.commandLine().getOut();
      out.println("created client home " + c.home().dir() + " for " + c.email());
      out.println("datasite: " + c.home().datasite());
      c.setupNote().ifPresent(out::println);
      keyLine(c).ifPresent(out::println);
      out.println("next: syft peers add <email> --home " + c.home().dir());
    }
    return Main.EXIT_OK;
  }

  /** The new home's end-to-end key, and how to back it up (the recovery key is not printed here). */
  private static java.util.Optional<String> keyLine(dev.syft.core.SyftClient c) {
    try {
      return dev.syft.crypto.PrivateKeyFile.read(dev.syft.crypto.PrivateKeyFile.in(c.home().dir()))
          .map(id -> "encryption key: " + id.fingerprint().shortForm()
              + " (back it up: syft keys export-recovery --home " + c.home().dir() + ")");
    } catch (java.io.IOException | dev.syft.crypto.CryptoException e) {
      return java.util.Optional.empty();
    }
  }

  private static void deleteTree(Path dir) {
    try (var files = java.nio.file.Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      // best effort
    }
  }
}
