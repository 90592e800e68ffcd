package dev.syft.cli;

import dev.syft.core.SyftClient;
import dev.syft.datasets.Dataset;
import dev.syft.datasets.Datasets;
import dev.syft.datasets.NewDataset;
import dev.syft.jobs.JobDetails;
import dev.syft.jobs.JobGroup;
import dev.syft.jobs.Isolation;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.Jobs;
import dev.syft.jobs.RunResult;
import dev.syft.jobs.SandboxMode;
import dev.syft.jobs.SubmitRequest;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole flow on a temporary {@code local:} transport, narrated: a data scientist asks a hospital
 * to connect, the hospital approves and publishes a dataset, the scientist explores the mock and
 * sends a job, the hospital reviews, approves, runs it on the private data and releases the result.
 * It uses the same public API the CLI commands use.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole data-owner / data-scientist flow on a temporary local transport.",
    footer = {"", "Examples:", "  syft demo", "  syft demo --keep ./syft-demo     keep both homes and continue with the CLI"})
final class DemoCommand implements Callable<Integer> {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  private static final Pattern MEAN = Pattern.compile("\"mean_age\":\\s*([0-9.]+)");

  @Spec CommandSpec spec;

  @Option(names = "--keep", paramLabel = "DIR",
      description = "Create everything in DIR (new or empty) and keep it, instead of a temporary folder.")
  Path keep;

  private PrintWriter out;
  private int step;

  @Override
  public Integer call() throws IOException {
    out = spec.commandLine().getOut();
    Path base = prepareBase();
    try {
      run(base);
      return Main.EXIT_OK;
    } finally {
      if (keep == null) {
        deleteTree(base);
      }
    }
  }

  private Path prepareBase() throws IOException {
    if (keep == null) {
      return Files.createTempDirectory("syft-demo-");
    }
    Path dir = keep.toAbsolutePath().normalize();
    if (Files.exists(dir)) {
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new UsageException("--keep " + dir + " is not empty; choose a new folder");
        }
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  private void say(String title) {
    out.println();
    out.println(String.format("%2d. %s", ++step, title));
    out.flush();
  }

  private void detail(String text) {
    text.lines().forEach(l -> out.println("      " + l));
    out.flush();
  }

  private void run(Path base) throws IOException {
    Path shared = base.resolve("shared");
    Path doHome = base.resolve("do-home");
    Path dsHome = base.resolve("ds-home");
    Path inputs = base.resolve("inputs");
    Files.createDirectories(inputs);
    Path mock = copyResource("mock.csv", inputs.resolve("mock/patients.csv"));
    Path priv = copyResource("private.csv", inputs.resolve("private/patients.csv"));
    Path readme = copyResource("README.md", inputs.resolve("README.md"));
    Path job = copyResource("mean_age.py", inputs.resolve("job/mean_age.py"));

    out.println("syft-java " + VersionProvider.version() + " demo: a hospital (" + DO + ") and a data scientist (" + DS + ")");
    out.println("sharing the folder " + shared + " as their transport (local:)");
    String transport = "local:" + shared;
    try (SyftClient hospital = SyftClient.init(DO, transport, doHome);
        SyftClient scientist = SyftClient.init(DS, transport, dsHome)) {
      say("The data scientist asks the hospital to connect");
      scientist.peers().add(DO);
      detail("syft peers add " + DO);

      say("The hospital syncs, sees the request and approves it");
      hospital.sync();
      detail(hospital.peers().list().stream().map(p -> p.email() + ": " + p.state()).reduce((a, b) -> a + "\n" + b).orElse(""));
      hospital.peers().approve(DS);
      scientist.sync();
      detail("approved; the scientist now sees: " + scientist.peers().list().get(0).state());

      say("The hospital publishes a dataset: a mock part to share, a private part that stays home");
      Dataset ds = Datasets.of(hospital).create(NewDataset.builder("patients", mock.getParent(), priv.getParent())
          .summary("Patients of the cardiology ward (demo)").readme(readme).tags(List.of("health", "demo"))
          .shareWith(DS).build());
      hospital.sync();
      detail("dataset '" + ds.name() + "': " + ds.mockFiles().size() + " mock file(s), " + ds.privateFiles().size()
          + " private file(s); mock shared with " + DS);

      say("The data scientist syncs and explores the mock");
      scientist.sync();
      Dataset seen = Datasets.of(scientist).get("patients", DO);
      Path mockCopy = seen.mockFiles().get(0);
      List<String> lines = Files.readAllLines(mockCopy);
      detail(mockCopy.getFileName() + " (" + (lines.size() - 1) + " rows, made-up values):\n" + String.join("\n", lines.subList(0, 4))
          + "\n...");
      double mockMean = lines.stream().skip(1).mapToInt(l -> Integer.parseInt(l.split(",")[1])).average().orElse(0);
      detail(String.format("mean age on the mock: %.2f", mockMean));
      boolean privateLeaked;
      try (var walk = Files.walk(dsHome)) {
        privateLeaked = walk.anyMatch(p -> p.toString().contains("private/syft_datasets"));
      }
      detail("private files on the scientist's machine: " + (privateLeaked ? "SOME (this is a bug)" : "none"));

      say("The data scientist submits a job that computes the mean age");
      Jobs dsJobs = Jobs.of(scientist);
      JobGroup group = dsJobs.submit(SubmitRequest.of(job, DO).withName("mean-age").withDatasets(List.of("patients")));
      detail("syft jobs submit --to " + DO + " " + job.getFileName() + " --name mean-age");
      detail("job id: " + group.members().get(0).id() + " (one proposal message in the scientist's inbox for the hospital)");

      say("The hospital syncs and reviews the code");
      hospital.sync();
      Jobs doJobs = Jobs.of(hospital);
      JobInfo received = doJobs.list().stream().filter(j -> j.name().equals("mean-age")).findFirst()
          .orElseThrow(() -> new SyftException(ErrorCode.DEMO_FAILED, "the hospital did not receive the job"));
      JobDetails details = doJobs.show(received.id());
      detail("from " + received.submitter() + ", status " + received.status() + ", reads dataset(s) " + received.datasets());
      detail("--- code/" + received.entrypoint() + "\n" + details.file("code/" + received.entrypoint())
          .map(f -> f.text() == null ? "(binary)" : f.text().strip()).orElse("(missing)"));
      detail("--- what will run: " + details.executes());

      say("The hospital approves and runs it on the private data");
      doJobs.approve(received.id(), "aggregate statistic only");
      if (doJobs.isolation() == Isolation.NONE) {
        // a real data owner would be refused here; the demo's data is made up, so it opts out and says so
        detail("neither bubblewrap nor Linux namespaces work on this machine, so 'syft jobs run' would refuse;"
            + "\nthe demo opts out (as --no-sandbox does) because its data is made up."
            + "\nFor real data: apt-get install bubblewrap");
        doJobs = doJobs.withOptions(doJobs.options().withSandbox(SandboxMode.AUTO));
      }
      RunResult result = doJobs.run(received.id());
      String limits = "no network, only the 'patients' dataset visible, limits on time and memory";
      detail("status " + result.status() + ", exit code " + result.returnCode() + ", " + switch (result.isolation()) {
        case "bubblewrap" -> "isolated with bubblewrap (" + limits + ")";
        case "namespaces" -> "isolated with Linux namespaces via unshare, as bubblewrap is not installed (" + limits + ")";
        default -> "NOT isolated (the demo's opt-out), with a scrubbed environment and limits";
      });
      if (result.returnCode() != 0) {
        JobInfo failed = doJobs.get(received.id());
        throw new SyftException(ErrorCode.DEMO_FAILED, "the job failed on the hospital's side: " + doJobs.logs(failed.id()).stderr());
      }

      say("The hospital releases the output to the scientist and syncs");
      doJobs.share(received.id(), java.util.EnumSet.of(dev.syft.jobs.Release.OUTPUTS)); // the logs stay here
      hospital.sync();
      detail("outputs shared: " + doJobs.get(received.id()).outputs());

      say("The data scientist syncs and reads the result");
      scientist.sync();
      List<Path> outputs = Jobs.of(scientist).outputs(group.members().get(0).id());
      Path resultFile = outputs.stream().filter(p -> p.getFileName().toString().equals("result.json")).findFirst()
          .orElseThrow(() -> new SyftException(ErrorCode.DEMO_FAILED, "the result did not reach the scientist"));
      String json = Files.readString(resultFile, StandardCharsets.UTF_8).strip();
      detail(resultFile.getFileName() + ": " + json);
      Matcher m = MEAN.matcher(json);
      double privateMean = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
      if (Double.isNaN(privateMean) || Math.abs(privateMean - mockMean) < 1e-9) {
        throw new SyftException(ErrorCode.DEMO_FAILED, "the released result should differ from the mock's answer");
      }
      detail(String.format("mean age on the private data: %.2f (mock: %.2f): computed where the data lives,", privateMean,
          mockMean));
      detail("only the statistic left the hospital.");
    }
    out.println();
    out.println("demo complete.");
    if (keep != null) {
      out.println();
      out.println("Both homes are kept in " + base + ". Continue with, for example:");
      out.println("  ./syft status --home " + doHome);
      out.println("  ./syft jobs list --home " + doHome);
      out.println("  ./syft datasets list --peer " + DO + " --home " + dsHome);
      out.println("  ./syft sync --home " + dsHome);
      out.println("Or look at them in the web console (each prints a URL to open in a browser):");
      out.println("  ./syft console --home " + doHome + "      the data owner: review, run, release");
      out.println("  ./syft console --home " + dsHome + "      the data scientist: datasets, jobs, results");
    }
    out.flush();
  }

  private static Path copyResource(String name, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("demo resource missing: " + name);
      }
      Files.copy(in, target);
    }
    return target;
  }

  private static void deleteTree(Path p) {
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    } catch (IOException e) {
      // a leftover temporary folder is not worth failing the demo for
    }
  }
}
