package dev.syft.jobs;

import dev.syft.protocol.ErrorCode;
import java.util.Locale;

/**
 * What a job runs. {@link #PYTHON} and {@link #BASH} are the reference's {@code type} values.
 * {@link #JAVA} is a syft-java extension written as {@code type: bash} with the header
 * {@code syft_java_runtime: java} and a {@code run.sh} that calls {@code java}, so a Python data
 * owner can still run it as a bash job.
 */
public enum JobKind {
  PYTHON,
  BASH,
  JAVA;

  /** The header that marks a Java job inside a {@code type: bash} config. */
  public static final String RUNTIME_HEADER = "syft_java_runtime";

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The {@code type} written in {@code config.yaml}. */
  public String configType() {
    return this == PYTHON ? "python" : "bash";
  }

  public static JobKind parse(String s) {
    for (JobKind k : values()) {
      if (k.id().equalsIgnoreCase(s.trim())) {
        return k;
      }
    }
    throw new JobsException(ErrorCode.INVALID_JOB, "job type '" + s + "' is not one of python, bash, java");
  }

  @Override
  public String toString() {
    return id();
  }
}
