package dev.syft.jobs;

import java.util.Locale;

/**
 * A job's lifecycle state as written in {@code state.yaml} ({@code status}). {@link #RECEIVED} is
 * virtual: it is what a job without a state file is shown as, never written by a data owner.
 */
public enum JobStatus {
  RECEIVED,
  PENDING,
  APPROVED,
  REJECTED,
  RUNNING,
  DONE,
  FAILED;

  /** The lower-case value used in files. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a file value (exact lower case, as the reference's model requires). */
  public static JobStatus parse(String value) {
    for (JobStatus s : values()) {
      if (s.wire().equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("status '" + value
        + "' is not one of received, pending, approved, rejected, running, done, failed");
  }

  /** Order used when listing (the reference's: received < pending < approved < running < rejected < done < failed). */
  int listOrder() {
    return switch (this) {
      case RECEIVED -> 0;
      case PENDING -> 1;
      case APPROVED -> 2;
      case RUNNING -> 3;
      case REJECTED -> 4;
      case DONE -> 5;
      case FAILED -> 6;
    };
  }

  /** True when the job will not change again without a data-owner action. */
  public boolean terminal() {
    return this == REJECTED || this == DONE || this == FAILED;
  }

  @Override
  public String toString() {
    return wire();
  }
}
