package dev.syft.jobs.internal;

import dev.syft.core.Home;
import dev.syft.jobs.RunOptions;
import dev.syft.permissions.Datasite;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The jobs of one home, split by concern and wired together: the store (finding and reading jobs),
 * the lifecycle (atomic state transitions), release (permission edits), runs (through an executor)
 * and views. {@code perms} is the client's one permission engine of the own datasite: as a round
 * left it during a round, re-checked before each use outside rounds ({@link #outsideRound}).
 */
public record JobParts(JobStore store, JobLifecycle lifecycle, JobRelease release, JobRuns runs, JobViews views) {

  /**
   * The client's permission engine for work outside a sync round: each use first re-checks the
   * permission files it knows (one stat each), since a user may have edited them since the last round.
   */
  public static Supplier<Datasite> outsideRound(Supplier<Datasite> engine) {
    return () -> {
      Datasite d = engine.get();
      d.restat();
      return d;
    };
  }

  public static JobParts of(Home home, Supplier<Datasite> perms, Clock clock, RunOptions options) {
    return of(home, perms, clock, options, executorFor(home, options));
  }

  /**
   * The executor {@code jobs.executor} in config.yaml names: local (default) or slurm. Read on first
   * use, so a broken executor section fails runs (clearly) but not listing or reviewing jobs.
   */
  public static JobExecutor executorFor(Home home, RunOptions options) {
    return new JobExecutor() {
      private JobExecutor chosen;

      private synchronized JobExecutor chosen() {
        if (chosen == null) {
          chosen = SlurmSettings.executor(home).equals("slurm") ? new SlurmExecutor(options, SlurmSettings.read(home))
              : new LocalExecutor(options);
        }
        return chosen;
      }

      @Override
      public Sandbox.Probe isolationFor(String jobId) {
        return chosen().isolationFor(jobId);
      }

      @Override
      public Runner.Outcome run(Runner.Plan plan, Sandbox.Probe isolation) throws java.io.IOException {
        return chosen().run(plan, isolation);
      }

      @Override
      public java.nio.file.Path workRoot(java.nio.file.Path local) {
        return chosen().workRoot(local);
      }

      @Override
      public boolean detached() {
        return chosen().detached();
      }

      @Override
      public java.util.List<Submitted> submit(java.util.List<Runner.Plan> plans, Sandbox.Probe isolation) {
        return chosen().submit(plans, isolation);
      }

      @Override
      public java.util.concurrent.CompletableFuture<Runner.Outcome> watch(SlurmTicket ticket) {
        return chosen().watch(ticket);
      }

      @Override
      public boolean cancel(SlurmTicket ticket) {
        return chosen().cancel(ticket);
      }

      @Override
      public synchronized void close() {
        if (chosen != null) {
          chosen.close();
        }
      }
    };
  }

  public static JobParts of(Home home, Supplier<Datasite> perms, Clock clock, RunOptions options,
      JobExecutor executor) {
    JobStore store = new JobStore(home, clock);
    JobRelease release = new JobRelease(store, perms);
    return new JobParts(store, new JobLifecycle(store, perms, release), release,
        new JobRuns(store, release, executor, options), new JobViews(store, perms));
  }
}
