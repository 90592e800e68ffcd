package dev.syft.jobs.internal;

import dev.syft.core.Home;

/**
 * The {@code jobs:} section of the client's {@code config.yaml}, as core's {@code Config} read it:
 * {@code require_sandbox}, {@code auto_run} (run approved jobs after each sync round) and
 * {@code auto_share} (then release their outputs, not their logs). The file is read once, by core.
 */
public record Settings(boolean requireSandbox, boolean autoRun, boolean autoShare) {
  public static Settings read(Home home) {
    var c = home.config();
    return new Settings(c.requireSandbox(), c.jobsAutoRun(), c.jobsAutoShare());
  }
}
