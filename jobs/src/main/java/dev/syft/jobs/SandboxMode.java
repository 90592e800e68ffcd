package dev.syft.jobs;

/** Whether a job must, may or must not run in the bubblewrap sandbox. */
public enum SandboxMode {
  /** Use the sandbox when it works here, else run unisolated and say so in the logs and in {@code show}. */
  AUTO,
  /** Refuse to run when the sandbox is not available ({@code jobs.require_sandbox: true}). */
  REQUIRE,
  /** Never use the sandbox (diagnostics and tests); the run is reported as not isolated. */
  OFF
}
