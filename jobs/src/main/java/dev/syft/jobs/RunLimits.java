package dev.syft.jobs;

import java.time.Duration;

/**
 * Resource limits for one run, applied in the job's wrapper ({@code ulimit}) and by the runner.
 *
 * @param timeout wall-clock limit; the whole process tree is killed when it passes
 * @param cpu CPU time per process ({@code RLIMIT_CPU})
 * @param memoryBytes address space per process ({@code RLIMIT_AS}); Java jobs get a heap limit instead
 * @param fileBytes largest file a job may write ({@code RLIMIT_FSIZE}); also the size of the sandbox's {@code /tmp}
 * @param workBytes total bytes the job may keep in its work folder; the run is killed past it
 * @param outputBytes total size of {@code outputs/} released to the review folder
 * @param logBytes bytes kept of each of stdout and stderr (the rest is dropped with a note)
 * @param processes processes and threads the job may run at once ({@code RLIMIT_NPROC}, enforced in the sandbox)
 */
public record RunLimits(Duration timeout, Duration cpu, long memoryBytes, long fileBytes, long workBytes,
    long outputBytes, long logBytes, int processes) {
  /** Environment variable with the default timeout in seconds (the reference's). */
  public static final String TIMEOUT_ENV = "SYFT_DEFAULT_JOB_TIMEOUT_SECONDS";
  static final long MIB = 1024L * 1024;

  public RunLimits {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (cpu == null || cpu.toSeconds() < 1) {
      throw new IllegalArgumentException("cpu must be at least one second");
    }
    if (memoryBytes < 16 * MIB || fileBytes < 1024 || workBytes < fileBytes || outputBytes < 0 || logBytes < 1024
        || processes < 4) {
      throw new IllegalArgumentException("limits are too small to run anything");
    }
  }

  /**
   * 600 s wall time (or {@code $SYFT_DEFAULT_JOB_TIMEOUT_SECONDS}), the same CPU time, 2 GiB of
   * memory, 512 MiB per file, 2 GiB of work space, 512 MiB of outputs, 16 MiB per log, 256 processes.
   */
  public static RunLimits defaults() {
    Duration t = Duration.ofSeconds(600);
    String env = System.getenv(TIMEOUT_ENV);
    if (env != null && !env.isBlank()) {
      try {
        long s = (long) Double.parseDouble(env.trim());
        if (s > 0) {
          t = Duration.ofSeconds(s);
        }
      } catch (NumberFormatException e) {
        org.slf4j.LoggerFactory.getLogger(RunLimits.class).warn("{}={} is not a number; using 600 s", TIMEOUT_ENV, env);
      }
    }
    return new RunLimits(t, t, 2048 * MIB, 512 * MIB, 2048 * MIB, 512 * MIB, 16 * MIB, 256);
  }

  public RunLimits withTimeout(Duration d) {
    return new RunLimits(d, d.toSeconds() < 1 ? Duration.ofSeconds(1) : d, memoryBytes, fileBytes, workBytes,
        outputBytes, logBytes, processes);
  }

  public RunLimits withCpu(Duration d) {
    return new RunLimits(timeout, d, memoryBytes, fileBytes, workBytes, outputBytes, logBytes, processes);
  }

  public RunLimits withMemoryBytes(long b) {
    return new RunLimits(timeout, cpu, b, fileBytes, workBytes, outputBytes, logBytes, processes);
  }

  public RunLimits withFileBytes(long b) {
    return new RunLimits(timeout, cpu, memoryBytes, b, Math.max(workBytes, b), outputBytes, logBytes, processes);
  }

  public RunLimits withWorkBytes(long b) {
    return new RunLimits(timeout, cpu, memoryBytes, Math.min(fileBytes, b), b, outputBytes, logBytes, processes);
  }

  public RunLimits withOutputBytes(long b) {
    return new RunLimits(timeout, cpu, memoryBytes, fileBytes, workBytes, b, logBytes, processes);
  }

  public RunLimits withLogBytes(long b) {
    return new RunLimits(timeout, cpu, memoryBytes, fileBytes, workBytes, outputBytes, b, processes);
  }

  public RunLimits withProcesses(int n) {
    return new RunLimits(timeout, cpu, memoryBytes, fileBytes, workBytes, outputBytes, logBytes, n);
  }
}
