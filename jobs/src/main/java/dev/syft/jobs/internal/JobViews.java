package dev.syft.jobs.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.core.Home;
import dev.syft.jobs.Isolation;
import dev.syft.jobs.JobConfig;
import dev.syft.jobs.JobDetails;
import dev.syft.jobs.JobFile;
import dev.syft.jobs.JobId;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.JobKind;
import dev.syft.jobs.JobLogs;
import dev.syft.jobs.JobState;
import dev.syft.jobs.JobStatus;
import dev.syft.jobs.JobsException;
import dev.syft.jobs.Release;
import dev.syft.jobs.ReleaseFile;
import dev.syft.jobs.RunOptions;
import dev.syft.jobs.RunResult;
import dev.syft.permissions.Datasite;
import dev.syft.permissions.GrantMode;
import dev.syft.permissions.Level;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.hash.Hashes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Read-only views of jobs for people and programs: {@link JobInfo} (state, review, release), the
 * list order, everything a reviewer needs ({@link JobDetails}) and the logs.
 */
public final class JobViews {
  private final JobStore store;
  private final Supplier<Datasite> perms;
  private final Layout layout;
  private final String me;

  public JobViews(JobStore store, Supplier<Datasite> perms) {
    this.store = store;
    this.perms = perms;
    this.layout = store.layout();
    this.me = store.me();
  }

  private Optional<JobConfig> config(JobId id) {
    return store.config(id);
  }

  private JobState state(JobId id) {
    return store.state(id);
  }

  private JobRecord record(JobId id) {
    return store.record(id);
  }

  private List<String> outputFiles(JobId id) {
    return store.outputFiles(id);
  }

  public JobInfo info(JobId id) {
    JobConfig c = config(id).orElseThrow(() -> new JobsException(ErrorCode.INVALID_JOB, "job " + id.displayFor(me)
        + " has no readable config.yaml"));
    return info(id, c);
  }

  JobInfo info(JobId id, JobConfig c) {
    return info(id, c, true);
  }

  /** Without {@code hashed} an own job's content is not re-hashed: no hash, never "changed" (read paths). */
  JobInfo info(JobId id, JobConfig c, boolean hashed) {
    boolean own = id.owner().equals(me);
    JobState s;
    try {
      s = state(id);
    } catch (JobsException e) {
      s = JobState.received().withReason(e.getMessage());
    }
    Path jobDir = layout.jobDir(id);
    DatasetRefs.Resolved ds;
    try {
      ds = DatasetRefs.resolve(c, jobDir.resolve("code"), id.owner());
    } catch (IOException e) {
      ds = new DatasetRefs.Resolved(List.of(), "none");
    }
    String hash = null;
    String approvedHash = null;
    boolean changed = false;
    String isolation = null;
    String isolationNote = null;
    boolean outShared;
    boolean logShared;
    if (own) {
      JobRecord r = record(id);
      if (hashed) {
        try {
          hash = TreeHash.of(jobDir);
        } catch (IOException e) {
          hash = null;
        }
      }
      approvedHash = r.approvedHash();
      String bound = r.approvedHash() != null ? r.approvedHash() : r.receivedHash();
      changed = hashed && bound != null && !bound.equals(hash);
      isolation = "bwrap".equals(r.isolation()) ? Isolation.BUBBLEWRAP.id() : r.isolation(); // older records
      isolationNote = r.isolationNote();
      Datasite p = perms.get();
      p.fileChanged(Layout.reviewRootRel(id.submitter()) + "/syft.pub.yaml");
      // released = the submitter may read it and there is something to read: a job that never ran has no
      // results, whatever the rules say
      boolean finished = s.status() == JobStatus.DONE || s.status() == JobStatus.FAILED;
      outShared = finished && p.check(Layout.reviewRel(id) + "/outputs/", id.submitter(), Level.READ);
      logShared = finished && p.check(Layout.reviewRel(id) + "/stdout.txt", id.submitter(), Level.READ);
    } else {
      outShared = !outputFiles(id).isEmpty();
      logShared = Files.isRegularFile(layout.reviewDir(id).resolve("stdout.txt"));
    }
    return new JobInfo(id.displayFor(me), id.owner(), id.submitter(), id.name(), s.status().wire(), c.kind().id(),
        c.entrypoint(), c.dependencies(), c.files(), ds.names(), ds.source(), c.submittedAt(), s.receivedAt(),
        s.approvedBy(), s.approvedAt(), s.approvalMethod(), s.rejectedBy(), s.rejectedAt(), s.reviewReason(),
        s.completedAt(), s.returnCode(), hash, approvedHash, changed, isolation, isolationNote, outShared, logShared,
        outputFiles(id), jobDir.toString(), layout.reviewDir(id).toString());
  }

  /** Every job this home knows, sorted as the reference lists them. */
  public List<JobInfo> list() {
    return list(true);
  }

  /** Every job; without {@code hashed} the own jobs' content is not re-hashed (no hash, never changed). */
  public List<JobInfo> list(boolean hashed) {
    List<JobInfo> out = new ArrayList<>();
    for (JobId id : store.allJobs()) {
      config(id).ifPresent(c -> out.add(info(id, c, hashed)));
    }
    out.sort(Comparator.comparing(JobInfo::submittedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder())
            .reversed())
        .thenComparing(j -> !j.owner().equals(me))
        .thenComparing(JobInfo::owner)
        .thenComparingInt(j -> order(j.jobStatus()))
        .thenComparing(j -> j.name().toLowerCase(java.util.Locale.ROOT)));
    return out;
  }

  private static int order(JobStatus s) {
    return List.of(JobStatus.RECEIVED, JobStatus.PENDING, JobStatus.APPROVED, JobStatus.RUNNING, JobStatus.REJECTED,
        JobStatus.DONE, JobStatus.FAILED).indexOf(s);
  }

  /**
   * What a reviewer needs: every file the content hash covers (text decoded leniently, binary files
   * flagged), what would run, the logs, and on the own datasite every file each release would send.
   */
  public JobDetails details(JobId id) {
    JobInfo info = info(id);
    JobConfig c = config(id).orElseThrow();
    Path dir = layout.jobDir(id);
    List<JobFile> files = new ArrayList<>();
    try {
      String entry = c.entrypoint() == null ? null : "code/" + c.entrypoint();
      for (var e : DatasiteFiles.files(dir, TreeHash::content).entrySet()) {
        byte[] b = Files.readAllBytes(e.getValue());
        boolean binary = Texts.binary(b);
        Texts.Decoded t = binary ? null : Texts.decode(b);
        files.add(new JobFile(e.getKey(), b.length, Hashes.sha256Hex(b), e.getKey().equals(entry), binary,
            binary ? null : t.text(), binary ? 0 : t.invalid()));
      }
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot read the files of job " + id.displayFor(me) + ": " + e.getMessage(), e);
    }
    return new JobDetails(info, executes(c, dir), files, releasePreview(id, info), logs(id));
  }

  /** Every file each release part would make readable to the submitter (own datasite only). */
  private List<ReleaseFile> releasePreview(JobId id, JobInfo info) {
    List<ReleaseFile> out = new ArrayList<>();
    if (!id.owner().equals(me)) {
      return out;
    }
    Path review = layout.reviewDir(id);
    try {
      for (var e : DatasiteFiles.files(layout.outputsDir(id), TreeHash::content).entrySet()) {
        out.add(new ReleaseFile("outputs/" + e.getKey(), Files.size(e.getValue()), Release.OUTPUTS,
            info.outputsShared()));
      }
      for (String f : Layout.LOG_FILES) {
        Path p = review.resolve(f);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(new ReleaseFile(f, Files.size(p), Release.LOGS, info.logsShared()));
        }
      }
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot list the results of job " + id.shortId() + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static String executes(JobConfig c, Path dir) {
    return switch (c.kind()) {
      case PYTHON -> {
        List<String> deps = new ArrayList<>(Runner.pythonDependencies(c));
        if (Files.isRegularFile(dir.resolve("code/pyproject.toml"))) {
          try {
            deps.addAll(Pyproject.dependencies(Files.readString(dir.resolve("code/pyproject.toml"))));
          } catch (IOException e) {
            // shown without them
          }
        }
        yield "python3 " + c.entrypoint() + " in code/ (run.sh is not executed; syft_client is syft-java's bundled"
            + " module" + (deps.isEmpty() ? "" : "; installs offline: " + String.join(" ", deps)) + ")";
      }
      case JAVA -> "java " + (c.entrypoint() != null && c.entrypoint().endsWith(".jar") ? "-jar " : "")
          + c.entrypoint() + " in code/ (run.sh is not executed)";
      case BASH -> "bash run.sh in the job folder (the script above)";
    };
  }

  private static String read(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  /** A log file decoded leniently (never empty because of a bad byte), or null when absent. */
  private static Texts.Decoded readLog(Path p) {
    try {
      return Files.isRegularFile(p) ? Texts.decode(Files.readAllBytes(p)) : null;
    } catch (IOException e) {
      return new Texts.Decoded("[syft-java] cannot read " + p.getFileName() + ": " + e.getMessage() + "\n", 0);
    }
  }

  public JobLogs logs(JobId id) {
    Path r = layout.reviewDir(id);
    Path out = r.resolve("stdout.txt");
    Path err = r.resolve("stderr.txt");
    Path rc = r.resolve("returncode.txt");
    boolean any = Files.isRegularFile(out) || Files.isRegularFile(err);
    Integer code = null;
    if (Files.isRegularFile(rc)) {
      try {
        code = Integer.parseInt(read(rc).strip());
      } catch (NumberFormatException e) {
        code = null;
      }
    }
    String hint = null;
    if (!any) {
      JobStatus s = state(id).status();
      hint = id.owner().equals(me) ? "no logs: the job has not run (status " + s + ")"
          : s == JobStatus.DONE || s == JobStatus.FAILED
              ? "the logs are not shared with you yet (the data owner runs 'syft jobs share " + id.shortId()
                  + " --logs'); then sync"
              : "no logs yet (status " + s + "); sync to see new results";
    }
    Texts.Decoded o = any ? readLog(out) : null;
    Texts.Decoded e = any ? readLog(err) : null;
    return new JobLogs(id.displayFor(me), any, o == null ? (any ? "" : null) : o.text(),
        e == null ? (any ? "" : null) : e.text(), code, hint, o == null ? 0 : o.invalid(), e == null ? 0 : e.invalid());
  }

}
