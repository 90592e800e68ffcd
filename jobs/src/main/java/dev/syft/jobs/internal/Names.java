package dev.syft.jobs.internal;

import dev.syft.jobs.JobsException;
import dev.syft.protocol.ErrorCode;
import java.util.regex.Pattern;

/** Job and dataset names that are safe as one path segment on every platform and in YAML. */
public final class Names {
  /**
   * Letters, digits, space, dot, underscore, dash; starts with a letter or digit; no trailing space or
   * dot; at most 100 characters. The reference's default {@code Job - 1a2b3c4d} fits.
   */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}");

  private Names() {}

  public static boolean isSafe(String name) {
    return name != null && SAFE.matcher(name).matches() && !name.endsWith(" ") && !name.endsWith(".")
        && !name.contains("..");
  }

  /** Returns the name or throws a {@code invalid-job-name} error saying what is allowed. */
  public static String checkJobName(String name) {
    if (!isSafe(name)) {
      throw new JobsException(ErrorCode.INVALID_JOB_NAME, "job name '" + (name == null ? "" : name)
          + "' is not allowed: use 1-100 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit"
          + " (no '..', no trailing space or dot)");
    }
    return name;
  }
}
