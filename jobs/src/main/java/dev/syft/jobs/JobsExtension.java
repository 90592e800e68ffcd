package dev.syft.jobs;

import dev.syft.core.ClientContext;
import dev.syft.core.SyncExtension;
import dev.syft.jobs.internal.JobService;
import dev.syft.jobs.internal.Policies;
import dev.syft.jobs.internal.Settings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs part of every sync round (data-owner side, on the own datasite): marks jobs a crashed
 * runner left {@code running} as failed, restores lost job-folder permission files, validates new
 * submissions (which also takes the submitter's write access away), applies the auto-approval
 * policies, and, when {@code jobs.auto_run: true} is set in {@code config.yaml}, runs approved jobs
 * one after the other (blocking the round for up to each job's time limit) and, with
 * {@code jobs.auto_share: true}, releases their outputs (never their logs: those only with an explicit
 * {@code syft jobs share --logs}). The engine routes the resulting
 * state files in the same round.
 */
public final class JobsExtension implements SyncExtension {
  private static final Logger LOG = LoggerFactory.getLogger(JobsExtension.class);

  @Override
  public String name() {
    return "jobs";
  }

  @Override
  public void onRound(ClientContext ctx) {
    Settings settings = Settings.read(ctx.home());
    JobService svc = new JobService(ctx.home(), ctx::permissions, ctx.clock(), RunOptions.defaults(settings.requireSandbox()));
    svc.recoverStale();
    svc.restorePeerFolders(ctx.acceptedPeers());
    svc.receiveAll();
    svc.hideUnreleased();
    new Policies(svc).apply();
    if (!settings.autoRun()) {
      return;
    }
    List<JobId> approved = svc.approvedJobs();
    for (JobId id : approved) {
      try {
        RunResult r = svc.run(id);
        if (settings.autoShare()) {
          svc.share(id, java.util.EnumSet.of(Release.OUTPUTS));
        }
        LOG.info("auto-ran {}: {}", id.shortId(), r.status());
      } catch (RuntimeException e) {
        LOG.warn("auto-run of {} failed: {}", id.shortId(), e.getMessage());
      }
    }
  }
}
