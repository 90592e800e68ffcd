package dev.syft.cli;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.PrintWriter;
import java.util.List;
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
    footer = {
      "",
      "Everyday commands:",
      "  syft init --email you@example.com --transport local:/shared/folder",
      "  syft peers add them@example.org        ask someone to connect",
      "  syft sync                              exchange with every peer",
      "  syft status                            peers, last sync, jobs to review, problems",
      "  syft datasets list                     what you and your peers share",
      "  syft jobs list                         jobs here; then show / approve / run / share",
      "  syft daemon start                      keep syncing in the background",
      "  syft demo                              the whole flow on a temporary local transport",
      "",
      "Every command has --help with examples. Home: --home DIR, else $SYFT_HOME.",
    })
public final class Main implements Runnable {
  /**
   * Every top-level command, in help order. They are added per call rather than in the annotation so
   * a run of one command builds only its own model (picocli reads every command's annotations up
   * front; that was 40% of a {@code syft status}).
   */
  static final List<Class<?>> COMMANDS = List.of(
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      WireCommand.class,
      PermsCommand.class,
      InitCommand.class,
      WhoamiCommand.class,
      StatusCommand.class,
      PeersCommand.class,
      TransportsCommand.class,
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
      CryptoCommand.class);

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
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // answered before picocli builds its model of every command and before SQLite is prepared:
      // the one call scripts and users make just to see that syft runs
      for (String line : new VersionProvider().getVersion()) {
        System.out.println(line);
      }
      return;
    }
    for (String a : args) {
      if (a.equals("--debug") && System.getProperty("SYFT_LOG_LEVEL") == null) {
        System.setProperty("SYFT_LOG_LEVEL", "DEBUG"); // read by LogSetup at the first log call
      }
    }
    NativeLibs.prepareSqlite();
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
      return newCommandLine(out, err, args).execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The whole command tree (help, completion scripts, tests). */
  static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
    return newCommandLine(out, err, new String[0]);
  }

  /**
   * The command tree for these arguments: only the named top-level command when the first argument
   * names one that does not look at its siblings, else every command (top-level help, suggestions
   * for a mistyped name, completion scripts).
   */
  static CommandLine newCommandLine(PrintWriter out, PrintWriter err, String[] args) {
    CommandLine cl = new CommandLine(new Main());
    Class<?> only = args.length > 0 ? commandNamed(args[0]) : null;
    for (Class<?> c : only != null ? List.<Class<?>>of(only) : COMMANDS) {
      cl.addSubcommand(c);
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // help fits the terminal (the examples are written to stay whole at 80 columns)
    cl.setUsageHelpAutoWidth(true);
    cl.setUsageHelpLongOptionsMaxWidth(30);
    useFooterRenderer(cl);
    cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_REFUSED);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine cmd = ex.getCommandLine();
      String name = cmd.getCommandSpec().qualifiedName();
      if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
          && !u.getUnmatched().get(0).startsWith("-") && !cmd.getSubcommands().isEmpty()) {
        // an unknown sub-command: name it and offer the close ones (picocli's own hint is lost otherwise)
        cmd.getErr().println("syft: '" + u.getUnmatched().get(0) + "' is not a '" + name + "' command");
      } else {
        cmd.getErr().println("syft: " + userMessage(ex.getMessage()));
      }
      if (ex instanceof CommandLine.UnmatchedArgumentException u) {
        List<String> close = closest(u.getUnmatched().get(0), u.getSuggestions());
        if (!close.isEmpty()) {
          cmd.getErr().println("Did you mean: " + close.stream().map(c -> name + " " + c)
              .collect(java.util.stream.Collectors.joining(" or ")) + "?");
        }
      }
      cmd.getErr().println("Try '" + name + " --help' for more information.");
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
      return userMessage(se.getMessage()) + hint(se);
    }
    if (ex instanceof UsageException) {
      return userMessage(ex.getMessage());
    }
    if (ex instanceof java.nio.file.NoSuchFileException nsf) {
      return "no such file: " + nsf.getFile();
    }
    if (ex instanceof java.nio.file.AccessDeniedException ade) {
      return "permission denied: " + ade.getFile();
    }
    String msg = ex.getMessage();
    return (msg == null || msg.isBlank()) ? "unexpected error (run again with --debug for details)" : userMessage(msg);
  }

  private static void useFooterRenderer(CommandLine cl) {
    cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, Main::footer);
    cl.getSubcommands().values().forEach(Main::useFooterRenderer);
  }

  /**
   * The footer, fitted to the help width without cutting an example in the middle of a word: an example
   * ({@code "  syft ..."}) too long for the line is continued with {@code \} at a space, and its trailing
   * explanation moves to the next line; prose is wrapped at spaces.
   */
  static String footer(CommandLine.Help help) {
    int width = Math.max(40, help.commandSpec().usageMessage().width());
    StringBuilder sb = new StringBuilder();
    for (String line : help.commandSpec().usageMessage().footer()) {
      if (line.length() <= width) {
        sb.append(line).append('\n');
        continue;
      }
      if (line.startsWith("  ")) {
        String body = line.strip();
        String note = null;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s{3,}|\\s{2}(?=\\()").matcher(body);
        if (m.find()) {
          note = body.substring(m.end()).strip();
          body = body.substring(0, m.start());
        }
        wrap(sb, body, "  ", "      ", width, " \\");
        if (note != null) {
          wrap(sb, note, "      ", "      ", width, "");
        }
      } else {
        wrap(sb, line.strip(), "", "", width, "");
      }
    }
    return sb.toString();
  }

  private static void wrap(StringBuilder sb, String text, String first, String next, int width, String cont) {
    StringBuilder cur = new StringBuilder(first);
    boolean empty = true;
    // a command is cut between words only, never inside a quoted argument
    java.util.regex.Matcher words = java.util.regex.Pattern.compile("(?:[^\\s'\"]|'[^']*'|\"[^\"]*\")+|\\S+")
        .matcher(text);
    while (words.find()) {
      String word = words.group();
      if (!empty && cur.length() + 1 + word.length() + cont.length() > width) {
        sb.append(cur).append(cont).append('\n');
        cur = new StringBuilder(next);
        empty = true;
      }
      if (!empty) {
        cur.append(' ');
      }
      cur.append(word);
      empty = false;
    }
    sb.append(cur).append('\n');
  }

  /** The suggestions nearest to what was typed (edit distance, a swap of two letters counting one). */
  /** The top-level command a run can be built with alone, or null (help and completion see every command). */
  private static Class<?> commandNamed(String name) {
    for (Class<?> c : COMMANDS) {
      Command cmd = c.getAnnotation(Command.class);
      if (cmd == null || c == CommandLine.HelpCommand.class || c == CompletionCommand.class) {
        continue;
      }
      if (cmd.name().equals(name) || java.util.Arrays.asList(cmd.aliases()).contains(name)) {
        return c;
      }
    }
    return null;
  }

  static List<String> closest(String typed, List<String> suggestions) {
    int best = Integer.MAX_VALUE;
    List<String> out = new java.util.ArrayList<>();
    for (String s : suggestions) {
      int d = distance(typed.toLowerCase(java.util.Locale.ROOT), s.toLowerCase(java.util.Locale.ROOT));
      if (d > Math.max(2, typed.length() / 3)) {
        continue;
      }
      if (d < best) {
        best = d;
        out.clear();
      }
      if (d == best) {
        out.add(s);
      }
    }
    return out;
  }

  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** Java class names a library or picocli put into a message ("(a.b.SomeException: why)") are dropped. */
  static String userMessage(String msg) {
    if (msg == null) {
      return "";
    }
    String m = msg.replaceAll("\\(?\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*", "");
    m = m.replaceAll("\\(\\s*\\)", "").replaceAll("\\s+\\)", ")").strip();
    return m.isEmpty() ? msg : m;
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
