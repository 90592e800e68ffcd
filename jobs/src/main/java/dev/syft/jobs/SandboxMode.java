package dev.syft.jobs;

/** Whether a job must, may or must not run isolated (see {@link Isolation}). */
public enum SandboxMode {
  /**
   * Use the strongest isolation that works here; when none does, run unisolated and say so in the
   * logs and in {@code show} ({@code jobs.require_sandbox: false}).
   */
  AUTO,
  /** Use the strongest isolation that works here and refuse to run when none does (the default). */
  REQUIRE,
  /** No sandbox for this run ({@code --no-sandbox}); the job's processes are still all killed at its end. */
  OFF
}
