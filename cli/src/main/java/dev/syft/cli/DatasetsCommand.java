package dev.syft.cli;

import dev.syft.core.SyftClient;
import dev.syft.datasets.Audience;
import dev.syft.datasets.Dataset;
import dev.syft.datasets.Datasets;
import dev.syft.datasets.DeleteResult;
import dev.syft.datasets.NewDataset;
import dev.syft.protocol.SyftException;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "datasets", mixinStandardHelpOptions = true,
    description = "Publish mock data next to private data, see the datasets peers share with you.",
    subcommands = {DatasetsCommand.Create.class, DatasetsCommand.ListCmd.class, DatasetsCommand.Show.class,
        DatasetsCommand.Share.class, DatasetsCommand.Unshare.class, DatasetsCommand.Delete.class},
    footer = {"", "Examples:",
        "  syft datasets create census --mock ./mock --private ./real --share ds@uni.org",
        "  syft datasets create stats --mock m.csv --private full.csv --any",
        "  syft datasets list                  yours, and those received by 'syft sync'",
        "  syft datasets show census --peer do@hospital.org",
        "  syft datasets delete census --yes"})
final class DatasetsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a dataset: mock data to share, private data that stays with you.",
          "Copies the mock data to public/syft_datasets/NAME and the private data to",
          "private/syft_datasets/NAME, then publishes the mock side to the users you share",
          "it with. Nothing is left behind if a step fails."})
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "NAME", description = "Letters, digits, '_' and '-'.")
    String name;

    @Option(names = "--mock", required = true, paramLabel = "PATH", description = "Mock data: a file or a folder.")
    Path mock;

    @Option(names = "--private", required = true, paramLabel = "PATH", description = "Private data: a file or a folder.")
    Path privateData;

    @Option(names = "--summary", paramLabel = "TEXT", description = "One-line summary.")
    String summary;

    @Option(names = "--readme", paramLabel = "FILE.md", description = "A Markdown README shown to peers.")
    Path readme;

    @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "Comma-separated tags.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--share", split = ",", paramLabel = "EMAIL",
        description = "Users who may see the mock data (comma-separated). Default: nobody yet.")
    List<String> share = new ArrayList<>();

    @Option(names = "--any", description = "Share with every approved peer, now and later.")
    boolean any;

    @Option(names = "--upload-private",
        description = "Also upload the private files to a folder only you can read (restores them on another machine).")
    boolean uploadPrivate;

    @Option(names = "--json", description = "Print the dataset as JSON.")
    boolean json;

    @Mixin ProgressOption progress;

    @Override
    public Integer call() {
      Audience audience = audience(share, any);
      NewDataset spec0 = NewDataset.builder(name, mock, privateData).summary(summary).readme(readme).tags(tags)
          .audience(audience).uploadPrivate(uploadPrivate).build();
      try (SyftClient c = SyftClient.open(home.resolve())) {
        c.onProgress(progress.listener(spec.commandLine().getErr(), json));
        Dataset d = Datasets.of(c).create(spec0);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(Json.write(view(d)));
          return Main.EXIT_OK;
        }
        out.println("created dataset " + d.name() + " (" + describeSharing(d.sharedWith()) + ")");
        out.println("  mock:    " + d.mockDir() + " (" + d.mockFiles().size() + " file(s))");
        out.println("  private: " + d.privateDir() + " (" + d.privateFiles().size() + " file(s), never shared"
            + (uploadPrivate ? "; backup uploaded for you only" : "") + ")");
        if (!audience.isNobody()) {
          out.println("peers receive the mock data in their next 'syft sync'");
        } else {
          out.println("not shared yet: 'syft datasets share " + d.name() + " EMAIL' or '--any'");
        }
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List your datasets and those peers shared with you (received by 'syft sync').")
  static final class ListCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--peer", paramLabel = "EMAIL", description = "Only the datasets of this owner.")
    String peer;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      try (SyftClient c = SyftClient.open(home.resolve())) {
        Datasets ds = Datasets.of(c);
        List<Dataset> all = peer == null ? ds.list() : ds.list(peer);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(Json.write(all.stream().map(DatasetsCommand::view).toList()));
          return Main.EXIT_OK;
        }
        if (all.isEmpty()) {
          out.println(peer == null
              ? "no datasets yet: create one with 'syft datasets create NAME --mock P --private P', or run 'syft sync'"
                  + " to receive those peers share with you"
              : "no datasets from " + peer + " (not shared with you, not a peer yet, or not synced)");
          return Main.EXIT_OK;
        }
        for (Dataset d : all) {
          String who = d.own() ? "yours, " + describeSharing(d.sharedWith()) : "from " + d.owner();
          out.printf("%-24s %-40s %3d mock file(s)%s%n", d.name(), who, d.mockFiles().size(),
              d.summary() == null ? "" : "  " + d.summary());
        }
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one dataset: metadata, files, sharing.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "NAME") String name;

    @Option(names = "--peer", paramLabel = "EMAIL", description = "The owner, when it is not you.")
    String peer;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      try (SyftClient c = SyftClient.open(home.resolve())) {
        Datasets ds = Datasets.of(c);
        Dataset d = peer == null ? byName(ds, c.email(), name) : ds.get(name, peer);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(Json.write(view(d)));
          return Main.EXIT_OK;
        }
        out.println("name:        " + d.name());
        out.println("owner:       " + d.owner() + (d.own() ? " (you)" : ""));
        out.println("summary:     " + (d.summary() == null ? "-" : d.summary()));
        out.println("tags:        " + (d.tags().isEmpty() ? "-" : String.join(", ", d.tags())));
        out.println("created:     " + (d.createdAt() == null ? "-" : d.createdAt()));
        out.println("mock folder: " + d.mockDir());
        d.mockFiles().forEach(f -> out.println("  " + f));
        out.println("readme:      " + (d.readme() == null ? "-" : d.readme()));
        if (d.own()) {
          out.println("private:     " + d.privateDir());
          d.privateFiles().forEach(f -> out.println("  " + f));
          out.println("shared with: " + describeSharing(d.sharedWith()));
        }
        return Main.EXIT_OK;
      }
    }
  }

  /**
   * A dataset by name without {@code --peer}: your own, else the only peer's dataset of that name (a
   * scientist rarely has datasets of its own); several peers' datasets of that name ask for {@code --peer}.
   */
  static Dataset byName(Datasets ds, String me, String name) {
    var own = ds.find(name, me);
    if (own.isPresent()) {
      return own.get();
    }
    List<Dataset> theirs = ds.list().stream().filter(d -> d.name().equals(name) && !d.owner().equals(me)).toList();
    if (theirs.size() == 1) {
      return theirs.get(0);
    }
    if (theirs.size() > 1) {
      throw new UsageException("several peers share a dataset '" + name + "': "
          + String.join(", ", theirs.stream().map(Dataset::owner).toList()) + "; choose one with --peer EMAIL");
    }
    return ds.get(name); // not found: the library lists what exists
  }

  @Command(name = "share", mixinStandardHelpOptions = true,
      description = "Share a dataset's mock data with more users, or with every approved peer.")
  static final class Share implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(index = "0", paramLabel = "NAME", description = "One of your datasets.") String name;

    @Parameters(index = "1..*", arity = "0..*", split = ",", paramLabel = "EMAIL",
        description = "Users to add (comma- or space-separated).") List<String> users = new ArrayList<>();

    @Option(names = "--any", description = "Every approved peer, now and later.")
    boolean any;

    @Mixin ProgressOption progress;

    @Override
    public Integer call() {
      Audience a = audience(users, any);
      if (a.isNobody()) {
        throw new UsageException("give the users to share with (EMAIL,...) or --any");
      }
      try (SyftClient c = SyftClient.open(home.resolve())) {
        c.onProgress(progress.listener(spec.commandLine().getErr(), false));
        Dataset d = Datasets.of(c).share(name, a);
        spec.commandLine().getOut().println("dataset " + d.name() + " is now " + describeSharing(d.sharedWith())
            + "; peers receive it in their next 'syft sync'");
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "unshare", mixinStandardHelpOptions = true,
      description = "Stop sharing a dataset with some users, or with every approved peer.")
  static final class Unshare implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(index = "0", paramLabel = "NAME", description = "One of your datasets.") String name;

    @Parameters(index = "1..*", arity = "0..*", split = ",", paramLabel = "EMAIL",
        description = "Users to remove (comma- or space-separated).") List<String> users = new ArrayList<>();

    @Option(names = "--any", description = "Remove the 'every approved peer' sharing.")
    boolean any;

    @Override
    public Integer call() {
      Audience a = audience(users, any);
      if (a.isNobody()) {
        throw new UsageException("give the users to remove (EMAIL,...) or --any");
      }
      try (SyftClient c = SyftClient.open(home.resolve())) {
        Dataset d = Datasets.of(c).unshare(name, a);
        spec.commandLine().getOut().println("dataset " + d.name() + " is now " + describeSharing(d.sharedWith())
            + "; removed peers drop their copy in their next 'syft sync'");
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = {"Delete one of your datasets, locally and on the transport.",
          "Removes its mock and private folders and its transport folders; peers drop their",
          "copy in their next sync. Asks for confirmation unless --yes."})
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "NAME") String name;

    @Option(names = "--yes", description = "Do not ask (required when not run in a terminal).")
    boolean yes;

    @Override
    public Integer call() {
      try (SyftClient c = SyftClient.open(home.resolve())) {
        Datasets ds = Datasets.of(c);
        PrintWriter out = spec.commandLine().getOut();
        if (!yes) {
          Console console = System.console();
          if (console == null) {
            throw new UsageException("refusing to delete dataset '" + name + "' without --yes (not an interactive terminal)");
          }
          Dataset d = ds.get(name);
          out.println("this deletes:");
          out.println("  mock data:    " + d.mockDir());
          out.println("  private data: " + d.privateDir() + "  (your copy of the private files!)");
          out.println("  its folders on the transport (peers lose access)");
          out.flush();
          String answer = console.readLine("type 'yes' to delete: ");
          if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).equals("yes")) {
            out.println("not deleted");
            return Main.EXIT_REFUSED;
          }
        }
        DeleteResult r = ds.delete(name);
        out.println("deleted dataset " + r.name() + ": " + r.localFolders().size() + " local folder(s), "
            + r.remoteFolders().size() + " transport folder(s)");
        r.warnings().forEach(w -> out.println("  warning: " + w));
        return Main.EXIT_OK;
      }
    }
  }

  /** {@code --share a,b} / {@code --any} (or the reference's literal {@code any}) as an audience. */
  static Audience audience(List<String> users, boolean any) {
    List<String> u = users == null ? List.of() : users.stream().filter(s -> s != null && !s.isBlank()).toList();
    if (any && !u.isEmpty()) {
      throw new UsageException("use either a list of users or --any, not both");
    }
    if (any) {
      return Audience.anyPeer();
    }
    try {
      return Audience.users(u);
    } catch (SyftException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static String describeSharing(List<String> readers) {
    if (readers.contains("*")) {
      List<String> others = readers.stream().filter(r -> !r.equals("*")).toList();
      return "shared with every approved peer" + (others.isEmpty() ? "" : " and " + String.join(", ", others));
    }
    return readers.isEmpty() ? "not shared" : "shared with " + String.join(", ", readers);
  }

  /** The stable JSON shape of a dataset (paths as plain strings, times ISO-8601). */
  static Map<String, Object> view(Dataset d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.name());
    m.put("owner", d.owner());
    m.put("own", d.own());
    m.put("uid", d.uid());
    m.put("summary", d.summary());
    m.put("tags", d.tags());
    m.put("location", d.location());
    m.put("created_at", d.createdAt() == null ? null : d.createdAt().toString());
    m.put("updated_at", d.updatedAt() == null ? null : d.updatedAt().toString());
    m.put("mock_dir", d.mockDir().toString());
    m.put("mock_files", d.mockFiles().stream().map(Path::toString).toList());
    m.put("readme", d.readme() == null ? null : d.readme().toString());
    m.put("private_dir", d.privateDir() == null ? null : d.privateDir().toString());
    m.put("private_files", d.privateFiles().stream().map(Path::toString).toList());
    m.put("shared_with", d.sharedWith());
    return m;
  }
}
