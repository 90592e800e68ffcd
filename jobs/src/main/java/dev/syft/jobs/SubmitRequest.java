package dev.syft.jobs;

import dev.syft.protocol.ErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A job to submit to one or more data owners (several make a map-reduce group).
 *
 * @param to the data owners
 * @param path the code: a {@code .py}, {@code .sh} or {@code .java} file, or a folder (Python, or Java
 *     with a jar); null when {@code script} is given
 * @param script the text of a bash job (instead of {@code path}), or null
 * @param name the job name; null or blank gives {@code job-<8 hex>}
 * @param entrypoint the file to run inside a folder; null to detect ({@code main.py}, else the only
 *     {@code .py} file; the only {@code .jar})
 * @param kind python, bash or java; null to infer from the path
 * @param dependencies extra Python requirements (the syft-client install source is added first)
 * @param datasets names of the data owners' datasets the job reads (written to {@code datasets});
 *     empty to let the owner detect them from the code
 */
public record SubmitRequest(List<String> to, Path path, String script, String name, String entrypoint, JobKind kind,
    List<String> dependencies, List<String> datasets) {
  public SubmitRequest {
    to = List.copyOf(Objects.requireNonNull(to, "to"));
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    datasets = datasets == null ? List.of() : List.copyOf(datasets);
    if (to.isEmpty()) {
      throw new JobsException(ErrorCode.INVALID_JOB, "say which data owner(s) the job goes to");
    }
    if ((path == null) == (script == null)) {
      throw new JobsException(ErrorCode.INVALID_JOB, "give either a code path or a bash script text");
    }
  }

  /** A job from a file or folder, everything else detected. */
  public static SubmitRequest of(Path path, String... to) {
    return new SubmitRequest(List.of(to), path, null, null, null, null, List.of(), List.of());
  }

  /** A bash job from script text (the reference's {@code submit_bash_job}). */
  public static SubmitRequest bash(String script, String... to) {
    return new SubmitRequest(List.of(to), null, script, null, null, JobKind.BASH, List.of(), List.of());
  }

  public SubmitRequest withName(String n) {
    return new SubmitRequest(to, path, script, n, entrypoint, kind, dependencies, datasets);
  }

  public SubmitRequest withEntrypoint(String e) {
    return new SubmitRequest(to, path, script, name, e, kind, dependencies, datasets);
  }

  public SubmitRequest withKind(JobKind k) {
    return new SubmitRequest(to, path, script, name, entrypoint, k, dependencies, datasets);
  }

  public SubmitRequest withDependencies(List<String> d) {
    return new SubmitRequest(to, path, script, name, entrypoint, kind, d, datasets);
  }

  public SubmitRequest withDatasets(List<String> d) {
    return new SubmitRequest(to, path, script, name, entrypoint, kind, dependencies, d);
  }
}
