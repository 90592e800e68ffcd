package dev.syft;

import dev.syft.jobs.JobDetails;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.JobLogs;
import dev.syft.jobs.JobStatus;
import dev.syft.jobs.Jobs;
import dev.syft.jobs.Release;
import dev.syft.jobs.RunResult;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * One job, as a notebook user handles it: {@code hospital.jobList().get(0).approve()}. Each action
 * delegates to {@link Jobs} with this job's id and returns the handle refreshed, so calls chain
 * ({@code job.approve().run()}); {@link #info()} is the state read when the handle was made or last
 * refreshed. Prints as one line (id, status, submitter, owner), never file contents.
 */
public final class Job {
  private final Jobs jobs;
  private JobInfo info;

  Job(Jobs jobs, JobInfo info) {
    this.jobs = Objects.requireNonNull(jobs);
    this.info = Objects.requireNonNull(info);
  }

  /** The full id ({@code <submitter>/<job>} on the own datasite). */
  public String id() {
    return info.id();
  }

  public String name() {
    return info.name();
  }

  /** The status as last read ({@link JobStatus#PENDING}, {@link JobStatus#APPROVED}, {@link JobStatus#DONE}, ...). */
  public JobStatus status() {
    return info.jobStatus();
  }

  /** Everything known about the job, as last read. */
  public JobInfo info() {
    return info;
  }

  /** Reads the job's state again. */
  public Job refresh() {
    info = jobs.get(info.id());
    return this;
  }

  /** The review: every file with its SHA-256 and text, and what each release part would send. */
  public JobDetails show() {
    return jobs.show(info.id());
  }

  /** Approves the job (data owner); the approval binds to the job's current content hash. */
  public Job approve() {
    return approve("approved");
  }

  /** Approves the job with a reason recorded for the submitter. */
  public Job approve(String reason) {
    info = jobs.approve(info.id(), reason);
    return this;
  }

  /** Rejects the job; {@code reason} reaches the submitter with the next sync. */
  public Job reject(String reason) {
    info = jobs.reject(info.id(), reason);
    return this;
  }

  /** Runs the approved job isolated (bubblewrap, else namespaces; refused without either). */
  public RunResult run() {
    RunResult r = jobs.run(info.id());
    refresh();
    return r;
  }

  /** Releases the named parts to the submitter ({@link Release#OUTPUTS}; logs only when {@link Release#LOGS} is named). */
  public Job share(Release... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("name what to release, e.g. share(Release.OUTPUTS)");
    }
    info = jobs.share(info.id(), EnumSet.of(parts[0], parts));
    return this;
  }

  /** The captured stdout/stderr, when this client has them. */
  public JobLogs logs() {
    return jobs.logs(info.id());
  }

  /** The output files this client can read (the owner's, or the submitter's once shared and synced). */
  public List<Path> outputs() {
    return jobs.outputs(info.id());
  }

  @Override
  public String toString() {
    return "Job[" + info.id() + ", " + info.status() + ", from " + info.submitter() + " to " + info.owner() + "]";
  }
}
