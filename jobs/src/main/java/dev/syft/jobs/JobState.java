package dev.syft.jobs;

import dev.syft.jobs.internal.Fields;
import dev.syft.jobs.internal.Times;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.yaml.PyYaml;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code review/<ds>/<job>/state.yaml}: a job's lifecycle as the data owner records it (the
 * reference's {@code JobState}). Only the data owner writes it; submitters read it.
 *
 * @param status the lifecycle state
 * @param receivedAt when the owner validated the submission
 * @param approvedBy who approved
 * @param approvedAt when
 * @param approvalMethod {@code manual} or {@code auto}
 * @param rejectedBy who rejected (the owner, also for automatic validation failures)
 * @param rejectedAt when
 * @param reviewReason the reason given at approval or rejection, or the validation error
 * @param completedAt when the run ended
 * @param returnCode the run's exit code ({@code -1} for a timeout or a runner error)
 */
public record JobState(
    JobStatus status,
    Instant receivedAt,
    String approvedBy,
    Instant approvedAt,
    String approvalMethod,
    String rejectedBy,
    Instant rejectedAt,
    String reviewReason,
    Instant completedAt,
    Integer returnCode) {

  public JobState {
    Objects.requireNonNull(status, "status");
    receivedAt = micros(receivedAt);
    approvedAt = micros(approvedAt);
    rejectedAt = micros(rejectedAt);
    completedAt = micros(completedAt);
  }

  private static Instant micros(Instant t) {
    return t == null ? null : Times.micros(t);
  }

  /** The state of a job without a state file. */
  public static JobState received() {
    return new JobState(JobStatus.RECEIVED, null, null, null, null, null, null, null, null, null);
  }

  /** The file text, byte for byte as the reference writes it (keys sorted, times with {@code Z}). */
  public String render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status.wire());
    m.put("received_at", time(receivedAt));
    m.put("approved_by", approvedBy);
    m.put("approved_at", time(approvedAt));
    m.put("approval_method", approvalMethod);
    m.put("rejected_by", rejectedBy);
    m.put("rejected_at", time(rejectedAt));
    m.put("review_reason", reviewReason);
    m.put("completed_at", time(completedAt));
    m.put("return_code", returnCode);
    return PyYaml.dump(m);
  }

  private static String time(Instant t) {
    return t == null ? null : Times.format(t);
  }

  /**
   * Reads a state file as the reference's model does: missing fields take their defaults, times may
   * be quoted strings or YAML timestamps, the status must be a known value.
   *
   * @throws JobsException ({@code invalid-job}) naming every invalid field
   */
  public static JobState parse(String text) {
    try {
      Fields f = Fields.parse("JobState", text);
      JobStatus status = JobStatus.RECEIVED;
      String s = f.string("status", null);
      if (s != null) {
        try {
          status = JobStatus.parse(s);
        } catch (IllegalArgumentException e) {
          f.error("status: " + e.getMessage());
        }
      }
      JobState st = new JobState(status, f.time("received_at"), f.string("approved_by", null), f.time("approved_at"),
          f.string("approval_method", null), f.string("rejected_by", null), f.time("rejected_at"),
          f.string("review_reason", null), f.time("completed_at"), f.integer("return_code"));
      f.done();
      return st;
    } catch (IllegalArgumentException e) {
      throw new JobsException(ErrorCode.INVALID_JOB, "invalid state.yaml: " + e.getMessage());
    }
  }

  public JobState withStatus(JobStatus s) {
    return new JobState(s, receivedAt, approvedBy, approvedAt, approvalMethod, rejectedBy, rejectedAt, reviewReason,
        completedAt, returnCode);
  }

  public JobState approved(String by, Instant at, String method, String reason) {
    return new JobState(JobStatus.APPROVED, receivedAt, by, at, method, rejectedBy, rejectedAt, reason, completedAt,
        returnCode);
  }

  public JobState rejected(String by, Instant at, String reason) {
    return new JobState(JobStatus.REJECTED, receivedAt, approvedBy, approvedAt, approvalMethod, by, at, reason,
        completedAt, returnCode);
  }

  public JobState completed(JobStatus s, Instant at, Integer rc) {
    return new JobState(s, receivedAt, approvedBy, approvedAt, approvalMethod, rejectedBy, rejectedAt, reviewReason,
        at, rc);
  }

  public JobState withReason(String reason) {
    return new JobState(status, receivedAt, approvedBy, approvedAt, approvalMethod, rejectedBy, rejectedAt, reason,
        completedAt, returnCode);
  }
}
