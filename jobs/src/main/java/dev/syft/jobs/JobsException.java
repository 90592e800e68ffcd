package dev.syft.jobs;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;

/**
 * A job operation was refused or failed; the message is one line a person understands. Codes used:
 * {@code invalid-job}, {@code invalid-job-name}, {@code duplicate-job}, {@code no-such-job},
 * {@code ambiguous-job}, {@code wrong-status}, {@code not-owner}, {@code peer-unavailable},
 * {@code content-changed}, {@code sandbox-required}, {@code invalid-policy}, {@code jobs-io}.
 */
public class JobsException extends SyftException {
  private static final long serialVersionUID = 1L;

  public JobsException(ErrorCode code, String message) {
    super(code, message);
  }

  public JobsException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }

  public JobsException(String code, String message) {
    super(code, message);
  }

  public JobsException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
