package dev.syft.jobs;

/**
 * How a data owner runs jobs.
 *
 * @param limits resource limits per run
 * @param sandbox whether isolation is required (default), used when available, or not used
 * @param sandboxUid when the runner is root: the unprivileged uid jobs run as inside the sandbox
 * @param keepWorkDir keep the private work folder after the run (debugging)
 * @param isolation null for the strongest isolation that works here; else exactly this one (a run
 *     that cannot have it is refused, or falls back to {@link Isolation#NONE} under {@link SandboxMode#AUTO})
 */
public record RunOptions(RunLimits limits, SandboxMode sandbox, int sandboxUid, boolean keepWorkDir,
    Isolation isolation) {
  /** The uid of {@code nobody} on most Linux systems. */
  public static final int DEFAULT_SANDBOX_UID = 65534;

  public RunOptions {
    java.util.Objects.requireNonNull(limits, "limits");
    java.util.Objects.requireNonNull(sandbox, "sandbox");
    if (sandboxUid <= 0) {
      throw new IllegalArgumentException("sandboxUid must be an unprivileged uid");
    }
  }

  public RunOptions(RunLimits limits, SandboxMode sandbox, int sandboxUid, boolean keepWorkDir) {
    this(limits, sandbox, sandboxUid, keepWorkDir, null);
  }

  /** Default limits; isolation is required when {@code requireSandbox}, else used when available. */
  public static RunOptions defaults(boolean requireSandbox) {
    return new RunOptions(RunLimits.defaults(), requireSandbox ? SandboxMode.REQUIRE : SandboxMode.AUTO,
        DEFAULT_SANDBOX_UID, false, null);
  }

  public RunOptions withLimits(RunLimits l) {
    return new RunOptions(l, sandbox, sandboxUid, keepWorkDir, isolation);
  }

  public RunOptions withSandbox(SandboxMode m) {
    return new RunOptions(limits, m, sandboxUid, keepWorkDir, isolation);
  }

  public RunOptions withKeepWorkDir(boolean keep) {
    return new RunOptions(limits, sandbox, sandboxUid, keep, isolation);
  }

  /** Exactly this isolation (null: the strongest available); tests and diagnostics. */
  public RunOptions withIsolation(Isolation i) {
    return new RunOptions(limits, sandbox, sandboxUid, keepWorkDir, i);
  }
}
