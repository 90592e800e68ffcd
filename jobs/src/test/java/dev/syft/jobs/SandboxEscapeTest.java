package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.jobs.internal.Host;
import dev.syft.jobs.internal.Sandbox;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jobs that try to get out: each attempt must be contained and reported, under every isolation mode
 * (bubblewrap; namespaces; and, for a root runner, namespaces set up the way a normal user's runner
 * does it, through a user namespace as uid 65534). A mode that does not work here is skipped with
 * the probe's reason.
 */
@Timeout(120)
@ParameterizedClass(name = "{0}")
@MethodSource("modes")
class SandboxEscapeTest {
  /** An isolation mode to test, and the uid a root runner sets the namespaces up as (0: as itself). */
  record Mode(String name, Isolation isolation, int namespacesAs) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Mode> modes() {
    return List.of(new Mode("bubblewrap", Isolation.BUBBLEWRAP, 0), new Mode("namespaces", Isolation.NAMESPACES, 0),
        new Mode("namespaces via a user namespace (root runner as uid 65534)", Isolation.NAMESPACES, 65534));
  }

  @Parameter Mode mode;
  @TempDir Path tmp;
  JobsFixture f;
  RunOptions tight;

  @BeforeEach
  void setUp() throws Exception {
    if (mode.namespacesAs() > 0) {
      Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
          "only a root runner can set up the sandbox as another uid; a normal user's runner is the 'namespaces' case");
      System.setProperty(Sandbox.NAMESPACES_AS_PROPERTY, Integer.toString(mode.namespacesAs()));
      // that uid must reach the job's folders and the datasets, as a normal user reaches their own
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Sandbox.Probe p = Sandbox.probe(mode.isolation(), RunOptions.DEFAULT_SANDBOX_UID);
    Assumptions.assumeTrue(p.available(), () -> mode + " unavailable here: " + p.reason());
    f = new JobsFixture(tmp).connect(DS, DO);
    tight = f.options.withSandbox(SandboxMode.REQUIRE).withIsolation(mode.isolation()).withLimits(RunLimits.defaults()
        .withTimeout(Duration.ofSeconds(10)).withMemoryBytes(512L * 1024 * 1024).withFileBytes(1024 * 1024)
        .withWorkBytes(8L * 1024 * 1024).withOutputBytes(4L * 1024 * 1024).withProcesses(32));
  }

  @AfterEach
  void tearDown() {
    System.clearProperty(Sandbox.NAMESPACES_AS_PROPERTY);
    if (f != null) {
      f.close();
    }
  }

  private RunResult run(String name, String code) {
    return run(name, code, tight);
  }

  private RunResult run(String name, String code, RunOptions o) {
    assumePythonReachable();
    f.jobs(DS).submit(SubmitRequest.of(f.file(name + "/main.py", code), DO).withName(name));
    return runSubmitted(name, o);
  }

  /**
   * A runner set up as another uid mounts only what that uid can reach, as a normal user's runner
   * does; a python3 in root's home (pyenv) is not, so Python jobs are skipped in that mode.
   */
  private void assumePythonReachable() {
    if (mode.namespacesAs() <= 0) {
      return;
    }
    Path prefix = Host.python().map(Host.Python::prefix).orElse(null);
    boolean reachable = prefix != null;
    for (Path p = prefix; reachable && p != null; p = p.getParent()) {
      try {
        reachable = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE);
      } catch (java.io.IOException e) {
        reachable = false;
      }
    }
    Assumptions.assumeTrue(reachable, () -> "python3 at " + prefix + " is not reachable by uid " + mode.namespacesAs());
  }

  private RunResult runSubmitted(String name, RunOptions o) {
    f.sync(DO);
    f.jobs(DO).approve(DS + "/" + name, null);
    RunResult r = f.jobs(DO, o).run(DS + "/" + name);
    assertThat(r.isolation()).isEqualTo(mode.isolation().id());
    return r;
  }

  private String out(String name, String file) throws Exception {
    return Files.readString(f.c.datasite(DO).resolve("app_data/job/review/" + DS + "/" + name + "/" + file));
  }

  private static final String PROBE = "import os, json\nos.makedirs('outputs', exist_ok=True)\nres = {}\n"
      + "def attempt(key, fn):\n    try:\n        res[key] = 'ALLOWED: ' + str(fn())[:200]\n"
      + "    except Exception as e:\n        res[key] = 'blocked: ' + type(e).__name__\n";
  private static final String SAVE = "json.dump(res, open('outputs/probe.json', 'w'))\nprint(json.dumps(res))\n";

  @Test
  void onlyTheNamedDatasetIsReadable() throws Exception {
    f.dataset(DO, "census", "census-private\n", "m\n");
    f.dataset(DO, "salaries", "salaries-private\n", "m\n");
    Path other = f.c.datasite(DO).resolve("private/syft_datasets/salaries/data.csv");
    String code = PROBE + "import syft_client as sc\n"
        + "attempt('named', lambda: open(sc.resolve_dataset_file_path('census')).read())\n"
        + "attempt('other_in_view', lambda: open(os.environ['SYFTBOX_FOLDER'] + '/" + DO
        + "/private/syft_datasets/salaries/data.csv').read())\n"
        + "attempt('other_host_path', lambda: open('" + other + "').read())\n" + SAVE;
    RunResult r = run("ds-only", code);
    assertThat(r.status()).as(out("ds-only", "stderr.txt")).isEqualTo(JobStatus.DONE);
    String probe = out("ds-only", "outputs/probe.json");
    assertThat(probe).contains("\"named\": \"ALLOWED: census-private");
    assertThat(probe).contains("\"other_in_view\": \"blocked", "\"other_host_path\": \"blocked").doesNotContain(
        "salaries-private");
  }

  @Test
  void inputsAreReadOnlyAndOnlyOutputsLeaveTheJob() throws Exception {
    f.dataset(DO, "census", "census-private\n", "m\n");
    Path data = f.c.datasite(DO).resolve("private/syft_datasets/census");
    String code = PROBE + "import syft_client as sc\np = sc.resolve_dataset_file_path('census')\n"
        + "attempt('read_dataset', lambda: open(p).read())\n"
        + "attempt('write_dataset', lambda: open(p, 'a').write('tampered'))\n"
        + "attempt('new_in_dataset', lambda: open(os.path.join(os.path.dirname(p), 'new.csv'), 'w').write('x'))\n"
        + "attempt('rm_dataset', lambda: os.remove(p))\n"
        + "attempt('write_syftbox', lambda: open(os.environ['SYFTBOX_FOLDER'] + '/x', 'w').write('x'))\n"
        + "attempt('write_etc', lambda: open('/etc/passwd', 'a').write('x'))\n"
        + "attempt('write_shim', lambda: open('" + Sandbox.SHIM + "/syft_client/__init__.py', 'a').write('x'))\n"
        + "attempt('write_wrapper', lambda: open('" + Sandbox.WRAPPER + "', 'a').write('x'))\n"
        + "attempt('write_home', lambda: open(os.environ['HOME'] + '/scratch', 'w').write('x'))\n"
        + "open('outputs/result.txt', 'w').write('landed')\n" + SAVE;
    assumePythonReachable();
    f.jobs(DS).submit(SubmitRequest.of(f.file("ro/main.py", code), DO).withName("ro").withDatasets(List.of("census")));
    RunResult r = runSubmitted("ro", tight);
    assertThat(r.status()).as(out("ro", "stderr.txt")).isEqualTo(JobStatus.DONE);
    String probe = out("ro", "outputs/probe.json");
    assertThat(probe).contains("\"read_dataset\": \"ALLOWED: census-private", "\"write_dataset\": \"blocked",
        "\"new_in_dataset\": \"blocked", "\"rm_dataset\": \"blocked", "\"write_syftbox\": \"blocked",
        "\"write_etc\": \"blocked", "\"write_shim\": \"blocked", "\"write_wrapper\": \"blocked",
        "\"write_home\": \"ALLOWED");
    assertThat(data.resolve("data.csv")).hasContent("census-private");
    assertThat(data.resolve("new.csv")).doesNotExist();
    assertThat(r.outputs()).contains("result.txt", "probe.json");
    assertThat(out("ro", "outputs/result.txt")).isEqualTo("landed");
  }

  @Test
  void aBackgroundProcessDoesNotSurviveTheRun() throws Exception {
    String marker = Long.toString(900_000 + new java.util.Random().nextInt(99_999));
    String script = "setsid nohup sleep " + marker + " >/dev/null 2>&1 &\n"
        + "for i in $(seq 200); do if grep -qs " + marker + " /proc/[0-9]*/cmdline; then echo bg-running; break; fi;"
        + " sleep 0.05; done\n";
    f.jobs(DS).submit(SubmitRequest.bash(script, DO).withName("bg"));
    RunResult r = runSubmitted("bg", tight);
    assertThat(r.status()).as(out("bg", "stderr.txt")).isEqualTo(JobStatus.DONE);
    assertThat(out("bg", "stdout.txt")).contains("bg-running"); // it did start
    assertThat(processesWith("sleep\0" + marker)).isEmpty();
  }

  @Test
  void aShellJobSeesOnlyItsOwnWritableFolderNoNetworkAndNoOtherProcess() throws Exception {
    f.dataset(DO, "census", "census-private\n", "m\n");
    String data = "$SYFTBOX_FOLDER/" + DO + "/private/syft_datasets/census/data.csv";
    String script = "try() { if (eval \"$2\") >/dev/null 2>&1; then echo \"ALLOWED $1\"; else echo \"blocked $1\"; fi; }\n"
        + "try read_dataset 'cat " + data + "'\n"
        + "try write_dataset 'echo x >> " + data + "'\n"
        + "try write_usr 'echo x > /usr/x'\ntry write_etc 'echo x > /etc/x'\ntry write_root 'echo x > /x'\n"
        + "try write_syftbox 'echo x > $SYFTBOX_FOLDER/x'\ntry write_tmp 'echo x > /tmp/x'\n"
        + "try network 'echo > /dev/tcp/1.1.1.1/53'\ntry loopback 'echo > /dev/tcp/127.0.0.1/22'\n"
        + "echo \"processes $(ls -d /proc/[0-9]* | wc -l)\"\n"
        + "mkdir -p code/outputs && echo landed > code/outputs/b.txt\n";
    f.jobs(DS).submit(SubmitRequest.bash(script, DO).withName("sh").withDatasets(List.of("census")));
    RunResult r = runSubmitted("sh", tight);
    String out = out("sh", "stdout.txt");
    assertThat(r.status()).as(out + out("sh", "stderr.txt")).isEqualTo(JobStatus.DONE);
    assertThat(out).contains("ALLOWED read_dataset", "blocked write_dataset", "blocked write_usr", "blocked write_etc",
        "blocked write_root", "blocked write_syftbox", "ALLOWED write_tmp", "blocked network", "blocked loopback");
    // the PID namespace: its init, the job's shell, ls and the command substitution's subshell, nothing else
    int processes = Integer.parseInt(out.replaceAll("(?s).*processes (\\d+).*", "$1"));
    assertThat(processes).isLessThan(10);
    assertThat(f.c.datasite(DO).resolve("private/syft_datasets/census/data.csv")).hasContent("census-private");
    assertThat(r.outputs()).containsExactly("b.txt");
    assertThat(out("sh", "outputs/b.txt")).isEqualTo("landed\n");
  }

  /** Host processes whose command line contains {@code text}, read from /proc. */
  static List<String> processesWith(String text) throws java.io.IOException {
    List<String> found = new java.util.ArrayList<>();
    try (var procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : procs) {
        try {
          String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
          if (cmd.contains(text)) {
            found.add(d.getFileName() + ": " + cmd.replace('\0', ' '));
          }
        } catch (java.io.IOException e) {
          // exited meanwhile
        }
      }
    }
    return found;
  }

  @Test
  void theOwnersHomeAndEnvironmentAreNotVisible() throws Exception {
    Path home = f.c.client(DO).home().dir();
    String code = PROBE
        + "attempt('config', lambda: open('" + home.resolve("config.yaml") + "').read())\n"
        + "attempt('statedb', lambda: open('" + home.resolve(".syft/state.db") + "', 'rb').read(10))\n"
        + "attempt('datasite', lambda: os.listdir('" + f.c.datasite(DO) + "'))\n"
        + "attempt('user_home', lambda: os.listdir('" + System.getProperty("user.home") + "'))\n"
        + "attempt('write_root', lambda: open('/pwned', 'w').write('x'))\n"
        + "attempt('write_usr', lambda: open('/usr/pwned', 'w').write('x'))\n"
        + "attempt('write_tmp', lambda: open('/tmp/ok', 'w').write('x'))\n"
        + "attempt('write_shm', lambda: open('/dev/shm/ok', 'w').write('x'))\n"
        + "attempt('fill_tmp', lambda: open('/tmp/fill', 'wb').write(b'z' * (4 * 1024 * 1024)))\n"
        + "res['extra_env'] = sorted(set(os.environ) - {'HOME','LANG','PATH','PYTHONPATH','PYTHONUNBUFFERED',"
        + "'SYFTBOX_EMAIL','SYFTBOX_FOLDER','SYFT_IS_IN_JOB','TMPDIR','PWD','SHLVL','_','LC_CTYPE'})\n"
        + SAVE;
    RunResult r = run("home", code);
    assertThat(r.status()).isEqualTo(JobStatus.DONE);
    String probe = out("home", "outputs/probe.json");
    assertThat(probe).contains("\"config\": \"blocked", "\"statedb\": \"blocked", "\"datasite\": \"blocked",
        "\"write_root\": \"blocked", "\"write_usr\": \"blocked", "\"extra_env\": []",
        "\"write_tmp\": \"ALLOWED", "\"write_shm\": \"ALLOWED", "\"fill_tmp\": \"blocked");
    assertThat(probe).doesNotContain("\"user_home\": \"ALLOWED: [" + "'.m2'");
    assertThat(Path.of("/pwned")).doesNotExist();
  }

  @Test
  void thereIsNoNetwork() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      String code = PROBE + "import socket\n"
          + "attempt('loopback_host', lambda: socket.create_connection(('127.0.0.1', " + server.getLocalPort()
          + "), timeout=2))\n"
          + "attempt('internet', lambda: socket.create_connection(('1.1.1.1', 53), timeout=2))\n"
          + "attempt('dns', lambda: socket.getaddrinfo('example.com', 80))\n" + SAVE;
      RunResult r = run("net", code);
      assertThat(r.status()).isEqualTo(JobStatus.DONE);
      String probe = out("net", "outputs/probe.json");
      assertThat(probe).contains("\"loopback_host\": \"blocked", "\"internet\": \"blocked", "\"dns\": \"blocked");
    }
  }

  @Test
  void aForkBombIsContained() throws Exception {
    f.jobs(DS).submit(SubmitRequest.bash("bomb() { bomb | bomb & }; bomb\nsleep 1\n", DO).withName("bomb"));
    f.sync(DO);
    f.jobs(DO).approve(DS + "/bomb", null);
    RunResult r = f.jobs(DO, tight.withLimits(tight.limits().withTimeout(Duration.ofSeconds(4)))).run(DS + "/bomb");
    assertThat(r.isolation()).isEqualTo(mode.isolation().id());
    assertThat(out("bomb", "stderr.txt")).containsAnyOf("fork", "Resource temporarily unavailable", "retry");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
    // the machine still runs jobs afterwards
    f.jobs(DS).submit(SubmitRequest.bash("echo still fine\n", DO).withName("after"));
    assertThat(runSubmitted("after", tight).status()).isEqualTo(JobStatus.DONE);
  }

  @Test
  void aHugeFileIsStoppedAtTheFileLimit() throws Exception {
    String code = "import os\nos.makedirs('outputs', exist_ok=True)\nwith open('outputs/big.bin', 'wb') as f:\n"
        + "    while True:\n        f.write(b'x' * 65536)\n";
    RunResult r = run("big", code);
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    // Python ignores SIGXFSZ, so the write fails with EFBIG instead of the process being killed
    assertThat(String.join(" ", r.notes()) + out("big", "stderr.txt")).containsAnyOf("file size limit", "work folder",
        "File too large");
    Path big = f.c.datasite(DO).resolve("app_data/job/review/" + DS + "/big/outputs/big.bin");
    if (Files.exists(big)) {
      assertThat(Files.size(big)).isLessThanOrEqualTo(1024 * 1024);
    }
  }

  @Test
  void manySmallFilesHitTheWorkQuota() throws Exception {
    String code = "import os\nos.makedirs('outputs', exist_ok=True)\ni = 0\nwhile True:\n"
        + "    open('outputs/f%06d' % i, 'wb').write(b'y' * 500000)\n    i += 1\n";
    RunResult r = run("quota", code);
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(r.returnCode()).isEqualTo(-1);
    assertThat(String.join(" ", r.notes())).contains("work folder");
  }

  @Test
  void sleepingForeverIsKilledAtTheTimeLimit() throws Exception {
    String code = "import subprocess, time\nsubprocess.Popen(['sleep', '1000'])\nprint('sleeping', flush=True)\n"
        + "time.sleep(1000)\n";
    RunResult r = run("sleep", code, tight.withLimits(tight.limits().withTimeout(Duration.ofSeconds(8))));
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(r.timedOut()).isTrue();
    assertThat(out("sleep", "stdout.txt")).contains("sleeping", "PROCESS TIMED OUT");
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
  }

  @Test
  void memoryBeyondTheLimitFails() throws Exception {
    RunResult r = run("mem", "x = bytearray(2 * 1024 * 1024 * 1024)\nprint('allocated')\n");
    assertThat(r.status()).isEqualTo(JobStatus.FAILED);
    assertThat(out("mem", "stderr.txt")).contains("MemoryError");
  }

  @Test
  void linksInOutputsAreNotReleased() throws Exception {
    Path secret = f.c.client(DO).home().dir().resolve("config.yaml");
    String code = "import os\nos.makedirs('outputs', exist_ok=True)\nos.symlink('" + secret + "', 'outputs/secret')\n"
        + "os.symlink('/etc/hostname', 'outputs/host')\nopen('outputs/ok.txt', 'w').write('ok')\n";
    RunResult r = run("links", code);
    assertThat(r.status()).isEqualTo(JobStatus.DONE);
    assertThat(r.outputs()).containsExactly("ok.txt");
    assertThat(r.notes()).anyMatch(n -> n.contains("outputs/secret") && n.contains("link"));
    Path outDir = f.c.datasite(DO).resolve("app_data/job/review/" + DS + "/links/outputs");
    assertThat(outDir.resolve("secret")).doesNotExist();
  }

  @Test
  void aHugeLogIsTruncated() throws Exception {
    RunOptions small = tight.withLimits(tight.limits().withLogBytes(4096));
    RunResult r = run("chatty", "import sys\nfor i in range(20000):\n    print('line', i)\nsys.stdout.flush()\n", small);
    assertThat(r.status()).isEqualTo(JobStatus.DONE);
    String out = out("chatty", "stdout.txt");
    assertThat(out).contains("OUTPUT TRUNCATED");
    assertThat(out.length()).isLessThan(4096 + 200);
  }
}
