package dev.syft.jobs.internal;

import dev.syft.core.Config;
import dev.syft.core.Home;
import dev.syft.jobs.JobsException;
import dev.syft.protocol.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The executor part of the {@code jobs:} section of {@code config.yaml}:
 *
 * <pre>
 * jobs:
 *   executor: slurm            # or local (the default)
 *   slurm:
 *     staging_dir: /shared/syft-staging   # required: a folder every compute node sees at the same path
 *     partition: short         # optional
 *     account: research        # optional
 *     cpus: 2                  # optional, --cpus-per-task
 *     memory_mb: 4096          # optional, --mem
 *     time_limit_seconds: 3600 # optional, else the run's time limit
 *     slurm_conf: /etc/slurm/slurm.conf   # optional, SLURM_CONF for the Slurm commands
 *     poll_millis: 1000        # optional, how often squeue/scontrol is asked
 * </pre>
 *
 * Core keeps unknown keys of config.yaml, so this section is read here, by the jobs module.
 */
public record SlurmSettings(Path stagingDir, String partition, String account, int cpus, long memoryMb,
    long timeLimitSeconds, Path slurmConf, long pollMillis) {
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  public SlurmSettings {
    if (stagingDir == null) {
      throw new JobsException(ErrorCode.INVALID_CONFIG, "jobs.slurm.staging_dir is required with jobs.executor: slurm");
    }
    if (pollMillis <= 0) {
      pollMillis = 1000;
    }
  }

  /** The executor named by {@code jobs.executor}: {@code local} (default) or {@code slurm}. */
  public static String executor(Home home) {
    JsonNode jobs = jobsSection(home);
    String e = jobs == null ? null : text(jobs, "executor");
    if (e == null || e.isBlank()) {
      return "local";
    }
    if (!e.equals("local") && !e.equals("slurm")) {
      throw new JobsException(ErrorCode.INVALID_CONFIG, "jobs.executor must be local or slurm, not '" + e + "'");
    }
    return e;
  }

  /** The {@code jobs.slurm} settings. */
  public static SlurmSettings read(Home home) {
    JsonNode jobs = jobsSection(home);
    JsonNode s = jobs == null ? null : jobs.get("slurm");
    if (s == null || !s.isObject()) {
      throw new JobsException(ErrorCode.INVALID_CONFIG, "jobs.executor is slurm but config.yaml has no jobs.slurm section");
    }
    String staging = text(s, "staging_dir");
    String conf = text(s, "slurm_conf");
    return new SlurmSettings(staging == null ? null : Path.of(staging), text(s, "partition"), text(s, "account"),
        (int) number(s, "cpus"), number(s, "memory_mb"), number(s, "time_limit_seconds"),
        conf == null ? null : Path.of(conf), number(s, "poll_millis"));
  }

  private static JsonNode jobsSection(Home home) {
    Path f = home.dir().resolve(Config.FILE_NAME);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      JsonNode root = YAML.readTree(Files.readString(f));
      JsonNode jobs = root == null ? null : root.get("jobs");
      return jobs != null && jobs.isObject() ? jobs : null;
    } catch (java.io.IOException | RuntimeException e) {
      throw new JobsException(ErrorCode.INVALID_CONFIG, "cannot read the jobs section of " + f + ": " + e.getMessage());
    }
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static long number(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isNumber() || v.asLong() < 0) {
      throw new JobsException(ErrorCode.INVALID_CONFIG, "jobs.slurm." + key + " must be a non-negative number");
    }
    return v.asLong();
  }
}
