package dev.syft.jobs;

import dev.syft.jobs.internal.Fields;
import dev.syft.jobs.internal.Times;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.yaml.PyYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code inbox/<ds>/<job>/config.yaml}: what a data scientist submitted (the reference's
 * {@code JobSubmissionMetadata}). {@code submittedBy} and {@code datasiteEmail} are never written;
 * they come from the file's location, so a submitter cannot claim to be someone else.
 *
 * @param name job name (syft-java requires it to equal the folder name)
 * @param type {@code python} or {@code bash}
 * @param submittedBy the submitter, from the path ({@code inbox/<ds>/...}); null when unknown
 * @param datasiteEmail the data owner, from the path; null when unknown
 * @param submittedAt submission time (UTC, microseconds), or null when the file has none
 * @param entrypoint the file to run, relative to {@code code/}, or null
 * @param dependencies installed before a Python job runs; the first is the syft-client install source
 * @param files every file under {@code code/}, relative to it
 * @param isFolderSubmission whether the code came from a folder
 * @param codePath the submitter's source path (informational)
 * @param jobType {@code local} or {@code enclave}
 * @param datasets data owner e-mail to the dataset names the job uses, or null
 * @param headers extensible metadata (e.g. {@link JobKind#RUNTIME_HEADER})
 */
public record JobConfig(
    String name,
    String type,
    String submittedBy,
    String datasiteEmail,
    Instant submittedAt,
    String entrypoint,
    List<String> dependencies,
    List<String> files,
    boolean isFolderSubmission,
    String codePath,
    String jobType,
    Map<String, List<String>> datasets,
    Map<String, Object> headers) {


  public JobConfig {
    dependencies = List.copyOf(dependencies);
    files = List.copyOf(files);
    datasets = datasets == null ? null : Map.copyOf(datasets);
    headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    submittedAt = submittedAt == null ? null : Times.micros(submittedAt);
  }

  /** What the job runs, taking the syft-java runtime header into account. */
  public JobKind kind() {
    if ("python".equals(type)) {
      return JobKind.PYTHON;
    }
    return "java".equals(String.valueOf(headers.get(JobKind.RUNTIME_HEADER))) ? JobKind.JAVA : JobKind.BASH;
  }

  /** The file text, byte for byte as the reference writes it. */
  public String render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("type", type);
    m.put("submitted_at", submittedAt == null ? null : Times.format(submittedAt));
    m.put("entrypoint", entrypoint);
    m.put("dependencies", dependencies);
    m.put("files", files);
    m.put("is_folder_submission", isFolderSubmission);
    m.put("code_path", codePath);
    m.put("job_type", jobType);
    m.put("datasets", datasets);
    m.put("headers", headers);
    return PyYaml.dump(m);
  }

  /**
   * Parses a config with the model's rules; {@code datasiteEmail} and {@code submittedBy} are given by
   * the caller (from the location).
   *
   * @throws JobsException ({@code invalid-job}) naming every invalid field
   */
  public static JobConfig parse(String text, String datasiteEmail, String submittedBy) {
    try {
      Fields f = Fields.parse("JobSubmissionMetadata", text);
      String name = f.requiredString("name");
      String type = f.string("type", "python");
      if (type != null && !type.equals("python") && !type.equals("bash")) {
        f.error("type: '" + type + "' is not one of python, bash");
      }
      String jobType = f.string("job_type", "local");
      if (jobType != null && !jobType.equals("local") && !jobType.equals("enclave")) {
        f.error("job_type: '" + jobType + "' is not one of local, enclave");
      }
      if (datasiteEmail != null && !dev.syft.protocol.names.EmailAddress.isValid(datasiteEmail)) {
        f.error("datasite_email: '" + datasiteEmail + "' is not an e-mail address");
      }
      JobConfig c = new JobConfig(name, type, submittedBy, datasiteEmail, f.time("submitted_at"),
          f.string("entrypoint", null), f.stringList("dependencies"), f.stringList("files"),
          f.bool("is_folder_submission", false), f.string("code_path", null), jobType, f.stringListMap("datasets"),
          f.objectMap("headers"));
      f.done();
      return c;
    } catch (IllegalArgumentException e) {
      throw new JobsException(ErrorCode.INVALID_JOB, "invalid config.yaml: " + e.getMessage());
    }
  }

  /**
   * Loads {@code <datasite>/app_data/job/inbox/<ds>/<job>/config.yaml}, deriving the submitter (two
   * folders up) and the datasite owner (six folders up) from the path.
   */
  public static JobConfig load(Path configFile) {
    Path abs = configFile.toAbsolutePath().normalize();
    String ds = name(abs, 2);
    String owner = name(abs, 6);
    String text;
    try {
      text = Files.readString(abs);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot read " + abs + ": " + e.getMessage(), e);
    }
    return parse(text, owner, ds);
  }

  private static String name(Path p, int up) {
    Path x = p;
    for (int i = 0; i < up && x != null; i++) {
      x = x.getParent();
    }
    return x == null || x.getFileName() == null ? null : x.getFileName().toString();
  }
}
