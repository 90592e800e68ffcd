package dev.syft.jobs.internal;

import dev.syft.core.Home;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The {@code jobs:} section of the client's {@code config.yaml} beyond what core reads
 * ({@code require_sandbox}): {@code auto_run} runs approved jobs at the end of each sync round,
 * {@code auto_share} then releases their outputs (not their logs) to the submitter. Both default to false.
 */
public record Settings(boolean requireSandbox, boolean autoRun, boolean autoShare) {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  public static Settings read(Home home) {
    boolean require = home.config().requireSandbox();
    Path f = home.dir().resolve(dev.syft.core.Config.FILE_NAME);
    try {
      JsonNode root = YAML.readTree(Files.readString(f));
      JsonNode jobs = root == null ? null : root.path("jobs");
      if (jobs == null || !jobs.isObject()) {
        return new Settings(require, false, false);
      }
      return new Settings(require, jobs.path("auto_run").asBoolean(false), jobs.path("auto_share").asBoolean(false));
    } catch (java.io.IOException | RuntimeException e) {
      return new Settings(require, false, false);
    }
  }
}
