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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs part of every sync round (data-owner side, on the own datasite): marks jobs a crashed
 * runner left {@code running} as failed, restores lost job-folder permission files, validates new
 * submissions (which also takes the submitter's write access away) and applies the auto-approval
 * policies. When {@code jobs.auto_run: true} is set in {@code config.yaml}, approved jobs are queued
 * to run after the round, outside the home lock ({@link ClientContext#afterRound}), one after the
 * other; with {@code jobs.auto_share: true} their outputs are then released (never their logs: those
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

  private JobExecutor executor(Home home, RunOptions options) {
    return executors != null ? executors.apply(options) : JobParts.executorFor(home, options);
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
    jobs.lifecycle().recoverStale();
    jobs.release().restorePeerFolders(ctx.acceptedPeers());
    jobs.lifecycle().receiveAll();
    jobs.release().hideUnreleased();
    new Policies(jobs).apply();
    if (!settings.autoRun()) {
      return;
    }
    for (JobId id : jobs.store().approvedJobs()) {
      ctx.afterRound("jobs:run:" + id.key(), () -> autoRun(ctx, options, settings.autoShare(), id));
    }
  }

  /**
   * Runs outside the round: the client's permission engine (thread-safe, re-checked before use), the
   * job state lock and run lock guard the job.
   */
  private void autoRun(ClientContext ctx, RunOptions options, boolean share, JobId id) {
    Home home = ctx.home();
    JobParts jobs = JobParts.of(home, JobParts.outsideRound(ctx::permissions), ctx.clock(), options,
        executor(home, options));
    try {
      RunResult r = jobs.runs().run(id);
      if (share) {
        jobs.release().share(id, EnumSet.of(Release.OUTPUTS));
      }
      LOG.info("auto-ran {}: {}", id.shortId(), r.status());
    } catch (RuntimeException e) {
      LOG.warn("auto-run of {} failed: {}", id.shortId(), e.getMessage());
    }
  }
}
