package dev.syft.jobs.internal;

import java.io.IOException;

/**
 * Where and how an approved job's code executes. {@link JobRuns} does everything around it (state,
 * locks, the review folder); an executor only decides the isolation and runs one prepared plan. The
 * local executor ({@link LocalExecutor}) runs it on this machine in the strongest sandbox that works;
 * a cluster executor (e.g. Slurm) would implement the same two calls.
 */
public interface JobExecutor {
  /**
   * How the next run would be isolated.
   *
   * @throws dev.syft.jobs.JobsException with code {@code sandbox-required} when isolation is required
   *     and none works here
   */
  Sandbox.Probe isolationFor(String jobId);

  /**
   * Runs one job to its end (or its time limit) and returns its logs and outputs, still in the work
   * folder. Must verify that the content still has the approved hash before executing anything.
   *
   * @throws Runner.ContentChanged when the copied content no longer has the approved hash
   */
  Runner.Outcome run(Runner.Plan plan, Sandbox.Probe isolation) throws IOException;

  /** The folder runs are staged in: the private local one, or a folder shared with the compute nodes. */
  default java.nio.file.Path workRoot(java.nio.file.Path local) {
    return local;
  }

  /**
   * Stops a running job (a cluster executor cancels its cluster job; the run then ends as failed).
   *
   * @return false when this executor has no running job with that id
   */
  default boolean cancel(String jobId) {
    return false;
  }
}
