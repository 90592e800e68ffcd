package dev.syft.cli;

import dev.syft.core.Home;
import dev.syft.permissions.ChangeResult;
import dev.syft.permissions.Datasite;
import dev.syft.permissions.Explanation;
import dev.syft.permissions.Level;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "perms", mixinStandardHelpOptions = true,
    description = "Decide, explain and edit syft.pub.yaml permissions of a datasite.",
    subcommands = {PermsCommand.Check.class, PermsCommand.Explain.class, PermsCommand.Grant.class, PermsCommand.Revoke.class},
    footer = {"", "Examples:",
        "  syft perms check --root ./alice@example.com --user bob@example.com --path public/data.csv --level read",
        "  syft perms explain --home ~/alice --user bob@example.com --path reports/q1.csv",
        "  syft perms grant --home ~/alice --user bob@example.com --path reports/ --level read",
        "  syft perms revoke --home ~/alice --user bob@example.com --path reports/ --level read",
        "", "check and explain decide exactly as the reference engine does for the strings given: the user is",
        "compared as typed (no lower-casing) and the path is matched as typed (no folder probe). For grant and",
        "revoke a path ending in '/' (or an existing folder) means the folder and everything below it."})
final class PermsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the datasite is: a client home or a datasite folder named after its owner. */
  static final class Target {
    @Option(names = "--home", paramLabel = "DIR", description = "A client home: its own datasite is used.")
    Path home;

    @Option(names = "--root", paramLabel = "DIR",
        description = "A datasite folder; its name is the owner's e-mail (compared exactly).")
    Path root;

    Datasite open() {
      Path folder = root != null ? root : Home.open(home).datasite();
      if (!Files.isDirectory(folder)) {
        throw new dev.syft.protocol.SyftException("no-datasite", "no datasite folder at " + folder);
      }
      return Datasite.open(folder.toAbsolutePath().normalize());
    }
  }

  static final class LevelConverter implements ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      try {
        return Level.parse(value);
      } catch (RuntimeException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage()); // the reason, not the class
      }
    }
  }

  /** Options every sub-command shares. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--user", required = true, paramLabel = "E", description = "The user asking (an e-mail).")
    String user;

    @Option(names = "--path", required = true, paramLabel = "P", description = "Datasite-relative path.")
    String path;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Prints what an edit did: JSON, or a summary line plus warnings. */
    void print(ChangeResult r) {
      if (json) {
        out().println(Json.write(r));
        return;
      }
      out().println(r.toText());
      r.warnings().forEach(w -> out().println("warning: " + w));
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Print allow or deny; exit 0 when allowed, 1 when denied.")
  static final class Check extends Base {
    @Option(names = "--level", required = true, paramLabel = "L", converter = LevelConverter.class,
        description = "read, write or admin.")
    Level level;

    @Override
    public Integer call() {
      // exactly what the reference engine would see: no lower-casing, no path normalisation
      boolean allowed = target.open().decide(path, user, level).allowed();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", user);
        m.put("path", path);
        m.put("level", level.id());
        m.put("decision", allowed ? "allow" : "deny");
        out().println(Json.write(m));
      } else {
        out().println(allowed ? "allow" : "deny");
      }
      return allowed ? Main.EXIT_OK : Main.EXIT_REFUSED;
    }
  }

  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = "Show which permission file and rule decide, and why.")
  static final class Explain extends Base {
    @Option(names = "--level", paramLabel = "L", converter = LevelConverter.class, defaultValue = "read",
        description = "read (default), write or admin.")
    Level level;

    @Override
    public Integer call() {
      Explanation e = target.open().explainExactly(path, user, level);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", e.user());
        m.put("path", e.path());
        m.put("level", e.level().id());
        m.put("decision", e.allowed() ? "allow" : "deny");
        m.put("reason", e.reason().code());
        m.put("governing_file", e.decision().governingFile());
        m.put("pattern", e.decision().pattern());
        m.put("read", e.read());
        m.put("write", e.write());
        m.put("admin", e.admin());
        m.put("notes", e.notes());
        out().println(Json.write(m));
      } else {
        out().print(e.toText());
        out().flush();
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "grant", mixinStandardHelpOptions = true,
      description = "Give USER a level on PATH by editing the nearest permission file (others keep their access).")
  static final class Grant extends Base {
    @Option(names = "--level", required = true, paramLabel = "L", converter = LevelConverter.class,
        description = "read, write or admin (each implies the ones before).")
    Level level;

    @Override
    public Integer call() {
      print(target.open().grant(path, user, level));
      return Main.EXIT_OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Take a level away from USER on PATH (revoking read also revokes write and admin).")
  static final class Revoke extends Base {
    @Option(names = "--level", required = true, paramLabel = "L", converter = LevelConverter.class,
        description = "read, write or admin.")
    Level level;

    @Override
    public Integer call() {
      print(target.open().revoke(path, user, level));
      return Main.EXIT_OK;
    }
  }
}
