package dev.syft.cli;

import dev.syft.core.Home;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option shared by every command that works on a client home. */
final class HomeOption {
  @Option(names = "--home", paramLabel = "DIR",
      description = "Client home folder (default: $SYFT_HOME, else the only ~/SyftBox_* folder).")
  Path home;

  /** Resolves the home: the option, then {@code $SYFT_HOME}, then a single {@code ~/SyftBox_*} folder. */
  Path resolve() {
    if (home != null) {
      return home;
    }
    String env = System.getenv("SYFT_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path userHome = Path.of(System.getProperty("user.home"));
    try (var s = Files.list(userHome)) {
      var candidates = s.filter(p -> p.getFileName().toString().startsWith("SyftBox_")
          && Files.isRegularFile(p.resolve(dev.syft.core.Config.FILE_NAME))).toList();
      if (candidates.size() == 1) {
        return candidates.get(0);
      }
      if (candidates.size() > 1) {
        throw new UsageException("several client homes in " + userHome + "; choose one with --home");
      }
    } catch (java.io.IOException e) {
      // fall through
    }
    throw new UsageException("no client home given: use --home DIR or set SYFT_HOME (create one with 'syft init')");
  }

  Home open() {
    return Home.open(resolve());
  }
}
