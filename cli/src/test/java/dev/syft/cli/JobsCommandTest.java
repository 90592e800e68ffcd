package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code syft jobs ...} end to end: two homes over a local transport, every documented command. */
class JobsCommandTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path tmp;
  Path doHome;
  Path dsHome;

  record Result(int exit, String out, String err) {}

  /** Runs the CLI in-process; registers the jobs command when Main does not list it (yet). */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter o = new PrintWriter(out, true);
    PrintWriter e = new PrintWriter(err, true);
    CommandLine cl = Main.newCommandLine(o, e);
    if (!cl.getSubcommands().containsKey("jobs")) {
      cl.addSubcommand("jobs", new JobsCommand());
      // settings given before a subcommand is added do not reach it
      cl.setOut(o);
      cl.setErr(e);
      cl.setCaseInsensitiveEnumValuesAllowed(true);
    }
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  Result ok(String... args) {
    Result r = run(args);
    assertThat(r.exit()).as(String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err()).isZero();
    return r;
  }

  String[] as(Path home, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--home";
    all[args.length + 1] = home.toString();
    return all;
  }

  @BeforeEach
  void connect() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    doHome = tmp.resolve("do");
    dsHome = tmp.resolve("ds");
    ok("init", "--email", DO, "--transport", "local:" + shared, "--home", doHome.toString());
    ok("init", "--email", DS, "--transport", "local:" + shared, "--home", dsHome.toString());
    ok(as(dsHome, "peers", "add", DO));
    ok(as(doHome, "sync"));
    ok(as(doHome, "peers", "approve", DS));
    ok(as(dsHome, "sync"));
    ok(as(doHome, "sync"));
  }

  @Test
  void theWholeJobFlowThroughTheCli() throws Exception {
    Path main = tmp.resolve("main.py");
    Files.writeString(main, "import os\nprint('cli job ran')\nos.makedirs('outputs', exist_ok=True)\n"
        + "open('outputs/answer.txt', 'w').write('42')\n");
    Result sub = ok(as(dsHome, "jobs", "submit", "--to", DO, main.toString(), "--name", "cli-job"));
    assertThat(sub.out()).contains("submitted 'cli-job'");

    ok(as(doHome, "sync"));
    JsonNode list = JSON.readTree(ok(as(doHome, "jobs", "list", "--json")).out());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("id").asString()).isEqualTo(DS + "/cli-job");
    assertThat(list.get(0).get("status").asString()).isEqualTo("pending");
    assertThat(ok(as(doHome, "jobs", "list")).out()).contains(DS + "/cli-job", "pending", "1 job(s)");

    Result show = ok(as(doHome, "jobs", "show", "cli-job"));
    assertThat(show.out()).contains("submitter  " + DS, "--- config.yaml", "--- run.sh", "print('cli job ran')",
        "runs       python3 main.py");

    assertThat(run(as(doHome, "jobs", "reject", "cli-job")).exit()).isEqualTo(Main.EXIT_USAGE); // --reason required
    assertThat(ok(as(doHome, "jobs", "approve", "cli-job", "--reason", "fine")).out()).contains("approved " + DS
        + "/cli-job");
    Result r = ok(as(doHome, "jobs", "run", "cli-job", "--timeout", "60"));
    assertThat(r.out()).contains("done (exit code 0");
    assertThat(ok(as(doHome, "jobs", "logs", "cli-job")).out()).contains("cli job ran", "--- exit code 0");
    assertThat(ok(as(doHome, "jobs", "outputs", "cli-job")).out()).contains("answer.txt");

    // the submitter sees the state but not the outputs until they are shared
    ok(as(doHome, "sync"));
    ok(as(dsHome, "sync"));
    assertThat(ok(as(dsHome, "jobs", "list")).out()).contains(DO + "/" + DS + "/cli-job", "done");
    assertThat(ok(as(dsHome, "jobs", "outputs", "cli-job")).out()).contains("no outputs");
    assertThat(ok(as(dsHome, "jobs", "logs", "cli-job")).out()).contains("not shared");

    assertThat(ok(as(doHome, "jobs", "share", "cli-job", "--logs")).out()).contains("released outputs and logs",
        "outputs/answer.txt", "stdout.txt");
    ok(as(doHome, "sync"));
    ok(as(dsHome, "sync"));
    JsonNode outs = JSON.readTree(ok(as(dsHome, "jobs", "outputs", "cli-job", "--json")).out());
    assertThat(outs).hasSize(1);
    assertThat(Files.readString(Path.of(outs.get(0).asString()))).isEqualTo("42");
    assertThat(ok(as(dsHome, "jobs", "logs", "cli-job")).out()).contains("cli job ran");

    // group and collect work for a single owner too
    assertThat(ok(as(dsHome, "jobs", "group", "cli-job")).out()).contains(DO, "done");
    Path into = tmp.resolve("collected");
    assertThat(ok(as(dsHome, "jobs", "collect", "cli-job", "--into", into.toString())).out()).contains("1 file(s)");
    assertThat(into.resolve(DO).resolve("answer.txt")).hasContent("42");

    // rerun, then a deposit on a fresh job
    assertThat(ok(as(doHome, "jobs", "rerun", "cli-job")).out()).contains("approved again");
    ok(as(dsHome, "jobs", "submit", "--to", DO, main.toString(), "--name", "second"));
    ok(as(doHome, "sync"));
    Path result = tmp.resolve("result.txt");
    Files.writeString(result, "deposited");
    assertThat(ok(as(doHome, "jobs", "deposit", DS + "/second", result.toString())).out()).contains("done with result.txt");
  }

  @Test
  void policiesAndRefusals() throws Exception {
    Path main = tmp.resolve("main.py");
    Files.writeString(main, "print(1)\n");
    ok(as(dsHome, "jobs", "submit", "--to", DO, main.toString(), "--name", "p1"));
    ok(as(doHome, "sync"));
    assertThat(run(as(doHome, "jobs", "policy", "add")).exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run(as(doHome, "jobs", "policy", "add", "--files", main.toString())).exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(ok(as(doHome, "jobs", "policy", "add", "--from-job", "p1", "--name", "one")).out())
        .contains("added policy one for " + DS);
    JsonNode pols = JSON.readTree(ok(as(doHome, "jobs", "policy", "list", "--json")).out());
    assertThat(pols.get(0).get("name").asString()).isEqualTo("one");
    ok(as(dsHome, "jobs", "submit", "--to", DO, main.toString(), "--name", "p2"));
    ok(as(doHome, "sync"));
    assertThat(ok(as(doHome, "jobs", "show", "p2")).out()).contains("approved", "(auto)");
    assertThat(ok(as(doHome, "jobs", "policy", "remove", "one")).out()).contains("removed");

    Result missing = run(as(doHome, "jobs", "show", "nope"));
    assertThat(missing.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(missing.err()).contains("no job 'nope'");
    Result dup = run(as(dsHome, "jobs", "submit", "--to", DO, main.toString(), "--name", "p1"));
    assertThat(dup.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(dup.err()).contains("already");
    Result stranger = run(as(dsHome, "jobs", "submit", "--to", "x@y.example", main.toString()));
    assertThat(stranger.err()).contains("not an approved peer");
    assertThat(run(as(dsHome, "jobs", "submit", "--to", DO, main.toString(), "--type", "cobol")).exit())
        .isEqualTo(Main.EXIT_USAGE);
    assertThat(ok(as(doHome, "jobs", "sandbox")).out()).startsWith("sandbox: ");
    assertThat(ok("jobs", "--help").out()).contains("submit", "approve", "policy", "collect");
  }
}
