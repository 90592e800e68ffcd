package dev.syft.jobs.internal;

import dev.syft.jobs.RunOptions;
import java.io.IOException;

/** Runs jobs on this machine: bubblewrap, else namespaces, else (when allowed) not isolated. */
public final class LocalExecutor implements JobExecutor {
  private final RunOptions options;

  public LocalExecutor(RunOptions options) {
    this.options = options;
  }

  @Override
  public Sandbox.Probe isolationFor(String jobId) {
    return Runner.sandboxFor(options, jobId);
  }

  @Override
  public Runner.Outcome run(Runner.Plan plan, Sandbox.Probe isolation) throws IOException {
    return Runner.run(plan, isolation);
  }
}
