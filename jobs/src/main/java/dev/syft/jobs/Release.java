package dev.syft.jobs;

/**
 * What a data owner releases to a job's submitter with {@link Jobs#share}. Nothing is released
 * unless named: outputs and logs are separate decisions because a job's stdout often holds raw rows.
 */
public enum Release {
  /** The files under the job's {@code outputs/} folder. */
  OUTPUTS,
  /** {@code stdout.txt}, {@code stderr.txt} and {@code returncode.txt}. */
  LOGS
}
