package dev.syft.cli;

import dev.syft.core.Home;
import dev.syft.core.SyftClient;
import java.nio.file.Path;
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

  @Option(names = "--offline", description = "Do not check the transport now (it is checked at the first sync).")
  boolean offline;

  @Override
  public Integer call() {
    String e = Home.normalizeEmail(email);
    Path dir = home != null ? home : Home.defaultDir(e);
    try (SyftClient c = SyftClient.init(e, transport, dir)) {
      var out = spec.commandLine().getOut();
      out.println("created client home " + c.home().dir() + " for " + c.email());
      out.println("datasite: " + c.home().datasite());
      c.setupNote().ifPresent(out::println);
      out.println("next: syft peers add <email> --home " + c.home().dir());
    }
    return Main.EXIT_OK;
  }
}
