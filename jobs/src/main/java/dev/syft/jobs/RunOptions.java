package dev.syft.jobs;

/**
 * How a data owner runs jobs.
 *
 * @param limits resource limits per run
 * @param sandbox whether the bubblewrap sandbox is required, used when available, or not used
 * @param sandboxUid when the runner is root: the unprivileged uid jobs run as inside the sandbox
 * @param keepWorkDir keep the private work folder after the run (debugging)
 */
public record RunOptions(RunLimits limits, SandboxMode sandbox, int sandboxUid, boolean keepWorkDir) {
  /** The uid of {@code nobody} on most Linux systems. */
  public static final int DEFAULT_SANDBOX_UID = 65534;

  public RunOptions {
    java.util.Objects.requireNonNull(limits, "limits");
    java.util.Objects.requireNonNull(sandbox, "sandbox");
    if (sandboxUid <= 0) {
      throw new IllegalArgumentException("sandboxUid must be an unprivileged uid");
    }
  }

  /** Default limits; the sandbox is required when {@code requireSandbox}, else used when available. */
  public static RunOptions defaults(boolean requireSandbox) {
    return new RunOptions(RunLimits.defaults(), requireSandbox ? SandboxMode.REQUIRE : SandboxMode.AUTO,
        DEFAULT_SANDBOX_UID, false);
  }

  public RunOptions withLimits(RunLimits l) {
    return new RunOptions(l, sandbox, sandboxUid, keepWorkDir);
  }

  public RunOptions withSandbox(SandboxMode m) {
    return new RunOptions(limits, m, sandboxUid, keepWorkDir);
  }

  public RunOptions withKeepWorkDir(boolean keep) {
    return new RunOptions(limits, sandbox, sandboxUid, keep);
  }
}
