package dev.syft.jobs;

import java.time.Instant;
import java.util.List;

/**
 * A job as one client sees it: its submission metadata, its state and what this client knows about
 * its review and run. Times are instants (the job files hold them as ISO-8601 UTC text); null when unknown.
 *
 * @param id the id to type ({@code <ds>/<job>} on the own datasite, {@code <owner>/<ds>/<job>} elsewhere)
 * @param owner the data owner
 * @param submitter the data scientist
 * @param name the job name
 * @param status the lifecycle state ({@code received} when there is no state file yet)
 * @param kind python, bash or java
 * @param entrypoint the file run, relative to {@code code/}
 * @param dependencies declared dependencies (first: the syft-client install source for Python jobs)
 * @param files the submitted files under {@code code/}
 * @param datasets the data owner's datasets the job may read when run here
 * @param datasetsSource where {@code datasets} came from: {@code config}, {@code detected} (from the code) or {@code none}
 * @param submittedAt submission time
 * @param receivedAt when the owner validated it
 * @param approvedBy who approved
 * @param approvedAt when
 * @param approvalMethod manual or auto
 * @param rejectedBy who rejected
 * @param rejectedAt when
 * @param reviewReason reason given at review, or the validation error
 * @param completedAt when the run ended
 * @param returnCode the run's exit code
 * @param contentHash hash of the job's files now (owner side; null on a replica)
 * @param approvedHash hash recorded at approval (owner side)
 * @param contentChanged true when the files differ from what was received or approved
 * @param isolation how the last run was isolated: {@code bubblewrap}, {@code namespaces}, {@code none}, or null when it never ran here
 * @param isolationNote details, e.g. why a run was not isolated
 * @param outputsShared whether the outputs are released: the job finished and the submitter may read them
 * @param logsShared whether stdout, stderr and the return code are released (finished and readable)
 * @param outputs output files present locally, relative to the outputs folder
 * @param jobDir the submission folder on this machine
 * @param reviewDir the review folder on this machine
 */
public record JobInfo(
    String id,
    String owner,
    String submitter,
    String name,
    String status,
    String kind,
    String entrypoint,
    List<String> dependencies,
    List<String> files,
    List<String> datasets,
    String datasetsSource,
    Instant submittedAt,
    Instant receivedAt,
    String approvedBy,
    Instant approvedAt,
    String approvalMethod,
    String rejectedBy,
    Instant rejectedAt,
    String reviewReason,
    Instant completedAt,
    Integer returnCode,
    String contentHash,
    String approvedHash,
    boolean contentChanged,
    String isolation,
    String isolationNote,
    boolean outputsShared,
    boolean logsShared,
    List<String> outputs,
    String jobDir,
    String reviewDir) {

  public JobInfo {
    dependencies = List.copyOf(dependencies);
    files = List.copyOf(files);
    datasets = List.copyOf(datasets);
    outputs = List.copyOf(outputs);
  }

  /** {@link #status} typed. */
  public JobStatus jobStatus() {
    return JobStatus.parse(status);
  }

  /** {@link #kind} typed. */
  public JobKind jobKind() {
    return JobKind.parse(kind);
  }

  public JobId jobId() {
    return new JobId(owner, submitter, name);
  }
}
