package dev.syft.jobs;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real single-node Slurm on localhost for tests: its own munged (fresh key, private socket),
 * slurmctld and slurmd with a generated slurm.conf, free ports and all state in one temp folder. Needs
 * root and the Debian packages {@code slurm-wlm} and {@code munge} ({@code .ci/run} installs them);
 * without them the test is skipped with the reason.
 *
 * <p>What works in a container without systemd or a writable cgroup tree: {@code proctrack/linuxproc},
 * {@code task/none}, {@code select/cons_tres}, no accounting (so {@code sacct} is unavailable and the
 * state comes from {@code squeue --states=all} while the controller remembers the job).
 */
final class LocalSlurm implements AutoCloseable {
  final Path dir;
  final Path conf;
  private final List<Path> pidFiles = new ArrayList<>();

  private LocalSlurm(Path dir) {
    this.dir = dir;
    this.conf = dir.resolve("slurm.conf");
  }

  /** Starts munged, slurmctld and slurmd; skips the calling test when that is impossible here. */
  static LocalSlurm start(Path dir) throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "Slurm test skipped: slurmd must run as root to start jobs (this JVM is not root)");
    for (String bin : List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch")) {
      Assumptions.assumeTrue(Files.isExecutable(Path.of(bin)), "Slurm test skipped: " + bin + " is missing (install the"
          + " Debian packages slurm-wlm and munge; .ci/run does)");
    }
    LocalSlurm s = new LocalSlurm(dir);
    try {
      s.boot();
    } catch (Exception e) {
      s.close();
      Assumptions.abort("Slurm test skipped: a local slurmctld/slurmd could not start here: " + e.getMessage());
    }
    return s;
  }

  private void boot() throws Exception {
    Path munge = Files.createDirectories(dir.resolve("munge"));
    Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwx------"));
    Path key = munge.resolve("munge.key");
    byte[] k = new byte[1024];
    new SecureRandom().nextBytes(k);
    Files.write(key, k);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
    Path sock = munge.resolve("sock");
    run(List.of("/usr/sbin/munged", "--force", "--key-file=" + key, "--socket=" + sock, "--pid-file="
        + munge.resolve("pid"), "--log-file=" + munge.resolve("log"), "--seed-file=" + munge.resolve("seed")));
    pidFiles.add(munge.resolve("pid"));
    for (String d : List.of("state", "spool", "log")) {
      Files.createDirectories(dir.resolve(d));
    }
    int cpus = Math.max(8, Runtime.getRuntime().availableProcessors());
    long memMb = Math.max(512, physicalMb() / 2);
    Files.writeString(conf, String.join("\n",
        "ClusterName=syfttest",
        "SlurmctldHost=localhost",
        "SlurmctldPort=" + freePort(),
        "SlurmdPort=" + freePort(),
        "SlurmUser=root",
        "SlurmdUser=root",
        "AuthType=auth/munge",
        "AuthInfo=socket=" + sock,
        "CredType=cred/munge",
        "StateSaveLocation=" + dir.resolve("state"),
        "SlurmdSpoolDir=" + dir.resolve("spool"),
        "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
        "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
        "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
        "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_Core_Memory",
        "SchedulerType=sched/backfill",
        // schedule at once (array tasks, a partition back up) instead of on the default 30-60 s passes
        "SchedulerParameters=sched_interval=1,bf_interval=1,batch_sched_delay=0",
        // more job slots than cores: test jobs are tiny and an array of 5 should run side by side
        "SlurmdParameters=config_overrides",
        "ReturnToService=2",
        "MpiDefault=none",
        "AccountingStorageType=accounting_storage/none",
        "JobAcctGatherType=jobacct_gather/none",
        "JobCompType=jobcomp/none",
        "MinJobAge=600",
        "KillWait=5",
        "InactiveLimit=0",
        "NodeName=localhost NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=" + memMb + " State=UNKNOWN",
        "PartitionName=syft Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
        ""));
    run(List.of("/usr/sbin/slurmctld", "-i", "-f", conf.toString()));
    pidFiles.add(dir.resolve("slurmctld.pid"));
    run(List.of("/usr/sbin/slurmd", "-N", "localhost", "-f", conf.toString()));
    pidFiles.add(dir.resolve("slurmd.pid"));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
        .until(() -> run(List.of("sinfo", "--noheader", "--format=%t")).trim().startsWith("idle"));
  }

  /** Runs a Slurm or munge command with this cluster's SLURM_CONF; returns its output, throws on failure. */
  String run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SLURM_CONF", conf.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " failed: " + out.trim() + logTail());
    }
    return out;
  }

  private String logTail() {
    StringBuilder s = new StringBuilder();
    for (String l : List.of("log/slurmctld.log", "log/slurmd.log")) {
      try {
        List<String> lines = Files.readAllLines(dir.resolve(l));
        s.append("\n").append(l).append(": ").append(String.join("\n", lines.subList(Math.max(0, lines.size() - 5),
            lines.size())));
      } catch (IOException e) {
        // not written yet
      }
    }
    return s.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static long physicalMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    }
    return 1024;
  }

  /** Stops the daemons (slurmd, slurmctld, munged) by the pids they wrote. */
  @Override
  public void close() {
    for (int i = pidFiles.size() - 1; i >= 0; i--) {
      try {
        long pid = Long.parseLong(Files.readString(pidFiles.get(i)).trim());
        ProcessHandle.of(pid).ifPresent(h -> {
          h.destroy();
          try {
            h.onExit().get(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            h.destroyForcibly();
          }
        });
      } catch (IOException | NumberFormatException e) {
        // never started
      }
    }
  }
}
