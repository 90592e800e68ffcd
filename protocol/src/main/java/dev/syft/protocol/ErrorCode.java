package dev.syft.protocol;

/**
 * The stable error codes of {@link SyftException}: scripts and the CLI may depend on them. Each has a
 * kebab-case {@link #id()}, the string {@link SyftException#code()} returns.
 */
public enum ErrorCode {
  AMBIGUOUS_FOLDER("ambiguous-folder"),
  AMBIGUOUS_JOB("ambiguous-job"),
  APPLY_FAILED("apply-failed"),
  BAD_EVENT("bad-event"),
  BOOTSTRAP_FAILED("bootstrap-failed"),
  CONTENT_CHANGED("content-changed"),
  DAEMON_RUNNING("daemon-running"),
  DATASET_CREATE_FAILED("dataset-create-failed"),
  DATASET_DELETE_FAILED("dataset-delete-failed"),
  DATASET_NOT_FOUND("dataset-not-found"),
  DATASET_RESOLVE_FAILED("dataset-resolve-failed"),
  DATASET_SHARE_FAILED("dataset-share-failed"),
  DATASETS_IO("datasets-io"),
  DATASITE_MISSING("datasite-missing"),
  DEMO_FAILED("demo-failed"),
  DISK_FULL("disk-full"),
  DUPLICATE_JOB("duplicate-job"),
  HOME_BUSY("home-busy"),
  HOME_EXISTS("home-exists"),
  HOME_IO("home-io"),
  IDENTITY_MISMATCH("identity-mismatch"),
  INTERRUPTED("interrupted"),
  INVALID_CONFIG("invalid-config"),
  INVALID_DATASET_INPUT("invalid-dataset-input"),
  INVALID_DATASET_METADATA("invalid-dataset-metadata"),
  INVALID_DATASET_NAME("invalid-dataset-name"),
  INVALID_DATASET_SOURCE("invalid-dataset-source"),
  INVALID_EMAIL("invalid-email"),
  INVALID_JOB("invalid-job"),
  INVALID_JOB_NAME("invalid-job-name"),
  INVALID_PEER("invalid-peer"),
  INVALID_POLICY("invalid-policy"),
  INVALID_REQUEST("invalid-request"),
  INVALID_TRANSPORT("invalid-transport"),
  JOBS_IO("jobs-io"),
  LIMIT_EXCEEDED("limit-exceeded"),
  MALFORMED_FOLDER_NAME("malformed-folder-name"),
  MALFORMED_MESSAGE("malformed-message"),
  NO_DATASITE("no-datasite"),
  NO_HOME("no-home"),
  NO_PYTHON("no-python"),
  NO_REQUEST("no-request"),
  NO_SUCH_JOB("no-such-job"),
  NOT_OWNER("not-owner"),
  NOTICE_FAILED("notice-failed"),
  PEER_UNAVAILABLE("peer-unavailable"),
  PERMISSION_IO("permission-io"),
  PERMISSION_REFUSED("permission-refused"),
  SANDBOX_REQUIRED("sandbox-required"),
  SCAN_FAILED("scan-failed"),
  SPOOL_FAILED("spool-failed"),
  STAGING_FAILED("staging-failed"),
  STATE_DB("state-db"),
  TRANSIENT("transient"),
  TRANSPORT_ERROR("transport-error"),
  TRANSPORT_UNAVAILABLE("transport-unavailable"),
  TRANSPORT_UNREACHABLE("transport-unreachable"),
  UNKNOWN_TRANSPORT("unknown-transport"),
  UNSAFE_PATH("unsafe-path"),
  WRONG_STATUS("wrong-status"),
  /** A code this version does not name (e.g. from a newer module); {@link SyftException#code()} has it. */
  OTHER("other");

  private final String id;

  ErrorCode(String id) {
    this.id = id;
  }

  /** The kebab-case spelling, e.g. {@code no-such-job}. */
  public String id() {
    return id;
  }

  /** The code spelled {@code id}, or {@link #OTHER}. */
  public static ErrorCode of(String id) {
    for (ErrorCode c : values()) {
      if (c.id.equals(id)) {
        return c;
      }
    }
    return OTHER;
  }

  @Override
  public String toString() {
    return id;
  }
}
