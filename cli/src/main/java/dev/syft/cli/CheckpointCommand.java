package dev.syft.cli;

import dev.syft.core.CheckpointInfo;
import dev.syft.core.CheckpointStatus;
import dev.syft.core.SyftClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "checkpoint", mixinStandardHelpOptions = true,
    description = "Checkpoints let a new or wiped client restore its datasite without replaying history.",
    subcommands = {CheckpointCommand.Create.class, CheckpointCommand.StatusCmd.class},
    footer = {"", "Examples:", "  syft checkpoint create --home ~/alice", "  syft checkpoint status --home ~/alice --json",
        "", "Bootstrap from checkpoints happens by itself on the first sync of an empty home."})
final class CheckpointCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Write a full checkpoint now (retires the incremental checkpoints and rolling state it covers).")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      try (SyftClient c = SyftClient.open(home.resolve())) {
        CheckpointInfo cp = c.createCheckpoint();
        if (json) {
          spec.commandLine().getOut().println(Json.write(cp));
        } else {
          spec.commandLine().getOut().println("wrote " + cp.name() + " with " + cp.files() + " file(s)");
        }
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Counts, sizes and the last event covered.")
  static final class StatusCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      try (SyftClient c = SyftClient.open(home.resolve())) {
        CheckpointStatus s = c.checkpointStatus();
        var out = spec.commandLine().getOut();
        if (json) {
          out.println(Json.write(s));
          return Main.EXIT_OK;
        }
        out.printf("full checkpoints: %d (%d bytes), latest %s%n", s.fullCheckpoints(), s.fullBytes(),
            StatusCommand.time(s.fullTimestamp()));
        out.printf("incremental checkpoints: %d (%d bytes)%n", s.incrementals(), s.incrementalBytes());
        out.printf("rolling state: %d path(s)%n", s.rollingPaths());
        out.printf("last event: %s; event-log messages since the last full checkpoint: %d%n",
            StatusCommand.time(s.lastEventTimestamp()), s.eventLogMessages());
        return Main.EXIT_OK;
      }
    }
  }
}
