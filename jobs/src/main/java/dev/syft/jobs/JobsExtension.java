package dev.syft.jobs;

import dev.syft.core.ClientContext;
import dev.syft.core.Home;
import dev.syft.core.SyncExtension;
import dev.syft.jobs.internal.JobExecutor;
import dev.syft.jobs.internal.JobParts;
import dev.syft.jobs.internal.Policies;
import dev.syft.jobs.internal.Settings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs part of every sync round (data-owner side, on the own datasite): marks jobs a crashed
 * runner left {@code running} as failed, restores lost job-folder permission files, validates new
 * submissions (which also takes the submitter's write access away) and applies the auto-approval
 * policies, after re-attaching to Slurm jobs a stopped runner left (a daemon restart). When
 * {@code jobs.auto_run: true} is set in {@code config.yaml}, approved jobs are queued to run after the
 * round, outside the home lock ({@link ClientContext#afterRound}): locally one after the other, on
 * Slurm submitted together and watched without blocking later rounds; with {@code jobs.auto_share: true} their outputs are then released (never their logs: those
 * only with an explicit share of the logs). The results are routed by the next round (which
 * {@code SyftClient.sync()} runs at once).
 */
public final class JobsExtension implements SyncExtension {
  private static final Logger LOG = LoggerFactory.getLogger(JobsExtension.class);

  private final Function<RunOptions, JobExecutor> executors;

  /** The extension found by {@link java.util.ServiceLoader}: jobs run on this machine. */
  public JobsExtension() {
    this(null);
  }

  /** With another executor for auto-runs (tests); null: the one config.yaml names. */
  JobsExtension(Function<RunOptions, JobExecutor> executors) {
    this.executors = executors;
  }

  /** One executor per home and options for the life of this extension, so cluster runs are watched across rounds. */
  private final java.util.Map<java.util.List<Object>, JobExecutor> cached = new java.util.concurrent.ConcurrentHashMap<>();

  private JobExecutor executor(Home home, RunOptions options) {
    return executors != null ? executors.apply(options)
        : cached.computeIfAbsent(java.util.List.of(home.dir(), options), k -> JobParts.executorFor(home, options));
  }

  @Override
  public String name() {
    return "jobs";
  }

  @Override
  public void onRound(ClientContext ctx) {
    Settings settings = Settings.read(ctx.home());
    RunOptions options = RunOptions.defaults(settings.requireSandbox());
    JobParts jobs = JobParts.of(ctx.home(), ctx::permissions, ctx.clock(), options, executor(ctx.home(), options));
    jobs.runs().reattach();
    jobs.lifecycle().recoverStale();
    jobs.release().restorePeerFolders(ctx.acceptedPeers());
    jobs.lifecycle().receiveAll();
    jobs.release().hideUnreleased();
    new Policies(jobs).apply();
    if (!settings.autoRun() || jobs.store().approvedJobs().isEmpty()) {
      return;
    }
    ctx.afterRound("jobs:run", () -> autoRun(ctx, options, settings.autoShare()));
  }

  /**
   * Runs outside the round: the client's permission engine (thread-safe, re-checked before use), the
   * job state lock and run lock guard each job. Every approved job starts at once (on Slurm: one array,
   * and this returns once it is submitted); outputs are shared when each ends.
   */
  private void autoRun(ClientContext ctx, RunOptions options, boolean share) {
    Home home = ctx.home();
    JobParts jobs = JobParts.of(home, JobParts.outsideRound(ctx::permissions), ctx.clock(), options,
        executor(home, options));
    List<JobId> ids = jobs.store().approvedJobs();
    List<CompletableFuture<RunResult>> started;
    try {
      started = jobs.runs().startAll(ids);
    } catch (RuntimeException e) {
      LOG.warn("auto-run of {} job(s) failed: {}", ids.size(), e.getMessage());
      return;
    }
    for (int i = 0; i < ids.size(); i++) {
      JobId id = ids.get(i);
      started.get(i).whenComplete((r, err) -> {
        if (err != null) {
          LOG.warn("auto-run of {} failed: {}", id.shortId(), err.getCause() != null ? err.getCause().getMessage()
              : err.getMessage());
          return;
        }
        try {
          if (share) {
            jobs.release().share(id, EnumSet.of(Release.OUTPUTS));
          }
          LOG.info("auto-ran {}: {}", id.shortId(), r.status());
        } catch (RuntimeException e) {
          LOG.warn("sharing the outputs of {} failed: {}", id.shortId(), e.getMessage());
        }
      });
    }
  }
}
