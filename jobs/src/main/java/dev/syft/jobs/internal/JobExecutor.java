package dev.syft.jobs.internal;

import dev.syft.jobs.JobsException;
import dev.syft.protocol.ErrorCode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where and how an approved job's code executes. {@link JobRuns} does everything around it (state,
 * locks, the review folder); an executor only decides the isolation and runs prepared plans. The
 * local executor ({@link LocalExecutor}) runs one plan to its end on this machine, in the strongest
 * sandbox that works. A cluster executor ({@link SlurmExecutor}) is {@link #detached()}: it hands
 * plans to the cluster ({@link #submit}) and reports their end later ({@link #watch}), so no thread
 * waits for a job, and a run outlives the process that started it (a restarted daemon watches its
 * {@link SlurmTicket} again).
 */
public interface JobExecutor extends AutoCloseable {
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

  /** True when runs go to a cluster through {@link #submit} and {@link #watch} instead of {@link #run}. */
  default boolean detached() {
    return false;
  }

  /**
   * The result of submitting one plan: its ticket, or why it was not submitted.
   *
   * @param ticket what identifies the cluster job (persisted with the run), null on failure
   * @param failure why the plan was not submitted (e.g. {@link Runner.ContentChanged}), null on success
   */
  record Submitted(SlurmTicket ticket, RuntimeException failure) {}

  /**
   * Stages the plans and submits them together (several at once: one cluster submission, e.g. a
   * Slurm array). Returns one {@link Submitted} per plan, in order; never throws for a single plan.
   */
  default List<Submitted> submit(List<Runner.Plan> plans, Sandbox.Probe isolation) {
    throw new JobsException(ErrorCode.JOBS_IO, "this executor runs jobs here, not on a cluster");
  }

  /**
   * Completes with the outcome once the submitted job ended; never blocks. Completes exceptionally
   * with {@link SlurmMonitor.Detached} when this executor is closed first (the cluster job goes on).
   */
  default CompletableFuture<Runner.Outcome> watch(SlurmTicket ticket) {
    return CompletableFuture.failedFuture(new JobsException(ErrorCode.JOBS_IO, "this executor has no cluster jobs"));
  }

  /**
   * Stops a submitted job (the run then ends as failed).
   *
   * @return false when this executor cannot cancel it
   */
  default boolean cancel(SlurmTicket ticket) {
    return false;
  }

  /** Stops watching (detaches from cluster jobs, which keep running); a local executor has nothing to do. */
  @Override
  default void close() {}
}
