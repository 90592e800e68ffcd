package dev.syft.cli;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code syft} command. Exit codes are stable: 0 success, 1 refused (a denied
 * check, invalid input, a failed operation), 2 usage error. Errors are printed as one human line on
 * stderr; {@code --debug} adds the stack trace.
 */
@Command(
    name = "syft",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Syft datasites: share mock data, review and run jobs on private data, peer to peer.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      WireCommand.class,
      PermsCommand.class,
      InitCommand.class,
      WhoamiCommand.class,
      StatusCommand.class,
      PeersCommand.class,
      SyncCommand.class,
      CheckpointCommand.class,
      DaemonCommand.class,
      ConsoleCommand.class,
      CompletionCommand.class,
      DatasetsCommand.class,
      JobsCommand.class,
      DevCommand.class,
      AuthCommand.class,
      KeysCommand.class,
      CryptoCommand.class,
    },
    footer = {
      "",
      "Examples:",
      "  syft demo                         run the whole flow on a temporary local transport",
      "  syft wire decode msgv2_....tar.gz print a message archive as JSON",
      "  syft perms check --root ./alice@example.com --user bob@example.com --path public/x --level read",
    })
public final class Main implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_REFUSED = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces and debug logs.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    for (String a : args) {
      if (a.equals("--debug") && System.getProperty("SYFT_LOG_LEVEL") == null) {
        System.setProperty("SYFT_LOG_LEVEL", "DEBUG"); // read by logback.xml at first use
      }
    }
    // one writer per stream for every command; println flushes (long-running commands show lines at
    // once) and run() flushes whatever print() left before the process exits
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }

  /**
   * Runs the CLI with the given streams and returns the exit code (used by tests in-process). Both
   * streams are flushed before it returns, whatever the outcome (success, refusal, usage error, a
   * thrown error).
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    try {
      return newCommandLine(out, err).execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_REFUSED);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println("syft: " + ex.getMessage());
      cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      boolean dbg = parseResult.hasMatchedOption("--debug")
          || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
      cmd.getErr().println("syft: " + describe(ex));
      if (dbg) {
        ex.printStackTrace(cmd.getErr());
      }
      cmd.getErr().flush();
      return ex instanceof UsageException ? EXIT_USAGE : EXIT_REFUSED;
    });
    return cl;
  }

  static String describe(Throwable ex) {
    if (ex instanceof SyftException se) {
      return se.getMessage() + hint(se);
    }
    if (ex instanceof UsageException) {
      return ex.getMessage();
    }
    if (ex instanceof java.nio.file.NoSuchFileException nsf) {
      return "no such file: " + nsf.getFile();
    }
    if (ex instanceof java.nio.file.AccessDeniedException ade) {
      return "permission denied: " + ade.getFile();
    }
    String msg = ex.getMessage();
    return (msg == null || msg.isBlank()) ? ex.getClass().getSimpleName() : msg;
  }

  /** What to do next, for errors whose fix is a command (the library names no commands). */
  static String hint(SyftException e) {
    String m = String.valueOf(e.getMessage());
    if (e.errorCode() == ErrorCode.NO_SUCH_JOB) {
      return m.startsWith("no job '") ? " (see 'syft jobs list'; sync first if it is new)" : " (see 'syft jobs list')";
    }
    return "";
  }
}
