package dev.syft.jobs.internal;

import dev.syft.jobs.JobId;
import java.nio.file.Path;

/**
 * Where job files live (JOBS-DATASETS 2.1) in a datasite or replica rooted at {@code <sb>/<owner>},
 * and where the data owner keeps its private job state ({@code <home>/.syft/jobs}).
 */
public final class Layout {
  public static final String JOB_ROOT = "app_data/job";
  public static final String INBOX = JOB_ROOT + "/inbox";
  public static final String REVIEW = JOB_ROOT + "/review";

  private final Path sb;
  private final Path stateDir;

  /**
   * @param sb the SyftBox folder (the client home: datasites and replicas side by side)
   * @param stateDir the client's private state folder ({@code <home>/.syft})
   */
  public Layout(Path sb, Path stateDir) {
    this.sb = sb.toAbsolutePath().normalize();
    this.stateDir = stateDir.toAbsolutePath().normalize();
  }

  public Path sb() {
    return sb;
  }

  public Path datasite(String owner) {
    return sb.resolve(owner);
  }

  public Path inbox(String owner) {
    return datasite(owner).resolve(INBOX);
  }

  public Path jobDir(JobId id) {
    return inbox(id.owner()).resolve(id.submitter()).resolve(id.name());
  }

  public Path reviewDir(JobId id) {
    return datasite(id.owner()).resolve(REVIEW).resolve(id.submitter()).resolve(id.name());
  }

  public Path stateFile(JobId id) {
    return reviewDir(id).resolve("state.yaml");
  }

  public Path outputsDir(JobId id) {
    return reviewDir(id).resolve("outputs");
  }

  /** Datasite-relative folder of a job's submission, with a trailing slash (a folder for the permission engine). */
  public static String jobRel(JobId id) {
    return INBOX + "/" + id.submitter() + "/" + id.name() + "/";
  }

  public static String reviewRel(JobId id) {
    return REVIEW + "/" + id.submitter() + "/" + id.name();
  }

  public static String inboxRel(String submitter) {
    return INBOX + "/" + submitter;
  }

  public static String reviewRootRel(String submitter) {
    return REVIEW + "/" + submitter;
  }

  public static final String[] LOG_FILES = {"stdout.txt", "stderr.txt", "returncode.txt"};

  // ------------------------------------------------------------------ private state

  public Path jobsState() {
    return stateDir.resolve("jobs");
  }

  /** Serialises state changes of all jobs of this home (short critical sections). */
  public Path stateLock() {
    return jobsState().resolve("state.lock");
  }

  public Path record(JobId id) {
    return jobsState().resolve("records").resolve(id.owner()).resolve(id.submitter()).resolve(id.name() + ".json");
  }

  public Path runLock(JobId id) {
    return jobsState().resolve("run").resolve(id.submitter()).resolve(id.name() + ".lock");
  }

  public Path workRoot() {
    return jobsState().resolve("work");
  }

  public Path policiesFile() {
    return jobsState().resolve("policies.json");
  }

  public Path policyCopies() {
    return jobsState().resolve("policies");
  }

  public Path groupsDir() {
    return jobsState().resolve("groups");
  }
}
