package dev.syft.cli;

import dev.syft.core.Home;
import dev.syft.core.Transports;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "transports", mixinStandardHelpOptions = true,
    description = "The transports of this home, preferred first. With several, each message is written to every"
        + " one that works and read from all of them, so the loss of one loses nothing.",
    subcommands = {TransportsCommand.ListCmd.class, TransportsCommand.Add.class, TransportsCommand.Remove.class},
    footer = {"", "Examples:",
        "  syft transports add local:/mnt/backup-share --home ~/do",
        "  syft transports list --home ~/do            each transport and whether it works now",
        "  syft transports remove local:/mnt/backup-share --home ~/do",
        "", "Changes take effect when a client or the daemon next opens the home."})
final class TransportsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the transports and check each.")
  static final class ListCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--offline", description = "Do not check whether each transport works.")
    boolean offline;

    @Override
    public Integer call() {
      var config = Home.open(home.resolveReadOnly()).config();
      var out = spec.commandLine().getOut();
      var checked = offline ? null : TransportCheck.each(config, Duration.ofSeconds(10));
      List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>();
      int rank = 0;
      for (String t : config.transports()) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("uri", t);
        m.put("preferred", rank++ == 0);
        if (checked != null) {
          m.put("works", checked.get(t).isEmpty());
          m.put("problem", checked.get(t).orElse(null));
        }
        rows.add(m);
      }
      if (json) {
        out.println(Json.write(rows));
        return Main.EXIT_OK;
      }
      for (var m : rows) {
        String state = checked == null ? "" : Boolean.TRUE.equals(m.get("works")) ? "  works" : "  FAILS: " + m.get("problem");
        out.println(m.get("uri") + (Boolean.TRUE.equals(m.get("preferred")) ? "  (preferred)" : "") + state);
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add a transport (last, or first with --preferred); creates a missing local: shared folder.")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "URI") String uri;

    @Option(names = "--preferred", description = "Make it the preferred (first) transport.")
    boolean preferred;

    @Override
    public Integer call() {
      var scheme = TransportCheck.schemeProblem(uri);
      if (scheme.isPresent()) {
        throw new dev.syft.protocol.SyftException(dev.syft.protocol.ErrorCode.UNKNOWN_TRANSPORT, scheme.get());
      }
      var note = Transports.add(home.resolve(), uri, preferred);
      var out = spec.commandLine().getOut();
      note.ifPresent(out::println);
      out.println("added " + uri + (preferred ? " as the preferred transport" : "")
          + "; 'syft transports list' checks that it works");
      return Main.EXIT_OK;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove a transport from this home (nothing on it is deleted).")
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "URI") String uri;

    @Override
    public Integer call() {
      Transports.remove(home.resolve(), uri);
      spec.commandLine().getOut().println("removed " + uri + " (its files are left as they are)");
      return Main.EXIT_OK;
    }
  }
}
