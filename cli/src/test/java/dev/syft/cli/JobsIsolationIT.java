package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.cli.CliEndToEndIT.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code syft jobs run} and {@code syft demo} on machines with and without a sandbox, through the
 * packaged jar. A machine without bubblewrap or unshare is simulated by pointing the sandbox tool
 * lookup ({@code -Dsyft.jobs.sandbox.tools}) at a folder that lacks them.
 */
class JobsIsolationIT {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  static final Path jar = Path.of(System.getProperty("syft.jar", "target/syft.jar"));

  @TempDir Path tmp;

  @BeforeAll
  static void findJar() {
    assertThat(jar).as("the packaged CLI jar").exists();
  }

  @AfterEach
  void removeToolLinks() throws IOException {
    try (var dirs = Files.newDirectoryStream(tmp, "tools-*")) {
      for (Path d : dirs) {
        try (var links = Files.list(d)) {
          for (Path l : links.toList()) {
            Files.delete(l);
          }
        }
      }
    }
  }

  /** Runs the jar; {@code tools} (or null for the machine's own) is where it looks for bwrap, unshare and setpriv. */
  Run syft(Path tools, String... args) throws IOException, InterruptedException {
    List<String> options = tools == null ? List.of() : List.of("-Dsyft.jobs.sandbox.tools=" + tools);
    return CliEndToEndIT.syft(tmp, options, 180, args);
  }

  Run ok(Path tools, String... args) throws IOException, InterruptedException {
    Run r = syft(tools, args);
    assertThat(r.exit()).as("syft %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  /** A folder with only the named tools of this machine (links), or none. */
  Path tools(String... names) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("tools-" + String.join("-", names)));
    for (String n : names) {
      for (String d : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
        if (Files.isExecutable(Path.of(d, n))) {
          Files.createSymbolicLink(dir.resolve(n), Path.of(d, n));
          break;
        }
      }
    }
    return dir;
  }

  @Test
  void withoutAnySandboxRunIsRefusedInOneLineUntilTheOwnerOptsOut() throws Exception {
    String root = "local:" + tmp.resolve("shared");
    String doHome = tmp.resolve("do").toString();
    String dsHome = tmp.resolve("ds").toString();
    ok(null, "init", "--email", DO, "--transport", root, "--home", doHome);
    ok(null, "init", "--email", DS, "--transport", root, "--home", dsHome);
    ok(null, "peers", "add", DO, "--home", dsHome);
    ok(null, "sync", "--home", doHome);
    ok(null, "peers", "approve", DS, "--home", doHome);
    ok(null, "sync", "--home", dsHome);
    Path main = tmp.resolve("main.py");
    Files.writeString(main, "import os\nos.makedirs('outputs', exist_ok=True)\nopen('outputs/a.txt', 'w').write('1')\n");
    ok(null, "jobs", "submit", "--to", DO, main.toString(), "--name", "iso", "--home", dsHome);
    ok(null, "sync", "--home", doHome);
    ok(null, "jobs", "approve", "iso", "--home", doHome);
    assertThat(Files.readString(tmp.resolve("do/config.yaml"))).contains("require_sandbox: true");

    Path none = tools();
    Run refused = syft(none, "jobs", "run", "iso", "--home", doHome);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err().strip()).doesNotContain("\n")
        .startsWith("syft: refusing to run job " + DS + "/iso on private data without isolation")
        .contains("apt-get install bubblewrap", "--no-sandbox", "jobs.require_sandbox: false");
    Run all = syft(none, "jobs", "run", "--home", doHome); // every approved job: the same refusal
    assertThat(all.exit()).isEqualTo(1);
    assertThat(all.err()).contains("refusing to run job");
    assertThat(ok(none, "jobs", "show", "iso", "--home", doHome).out()).contains("status     approved",
        "isolation  not run here yet");
    assertThat(ok(none, "jobs", "sandbox", "--home", doHome).out()).contains("runs are refused");
    assertThat(syft(none, "jobs", "run", "iso", "--no-sandbox", "--require-sandbox", "--home", doHome).exit())
        .isEqualTo(2);

    Run optedOut = ok(none, "jobs", "run", "iso", "--no-sandbox", "--home", doHome);
    assertThat(optedOut.out()).contains("done (exit code 0, NOT isolated)");
    assertThat(ok(none, "jobs", "show", "iso", "--home", doHome).out()).contains("isolation  none");

    // with only util-linux, the same job runs in namespaces; with bubblewrap, in bubblewrap
    ok(null, "jobs", "rerun", "iso", "--home", doHome);
    Run ns = ok(tools("unshare", "setpriv"), "jobs", "run", "iso", "--home", doHome);
    assertThat(ns.out()).contains("done (exit code 0, isolated with namespaces)");
    assertThat(ok(null, "jobs", "show", "iso", "--home", doHome).out()).contains("isolation  namespaces");
  }

  @Test
  void theDemoOptsOutAndSaysSoWhereNoSandboxWorks() throws Exception {
    Run r = ok(tools(), "demo");
    assertThat(r.out()).contains("so 'syft jobs run' would refuse", "the demo opts out (as --no-sandbox does)",
        "apt-get install bubblewrap", "status done, exit code 0, NOT isolated (the demo's opt-out)", "demo complete.");
  }

  @Test
  void theDemoUsesNamespacesWithoutBubblewrap() throws Exception {
    Run r = ok(tools("unshare", "setpriv"), "demo");
    assertThat(r.out()).contains("status done, exit code 0, isolated with Linux namespaces").doesNotContain("opts out");
  }
}
