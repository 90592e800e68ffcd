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
 * Runs approved jobs of the own datasite: takes the run lock, moves the job to {@code running}
 * (atomically, bound to the approved content hash), hands it to a {@link JobExecutor}, collects logs
 * and outputs into the review folder and records the end state. Releases nothing.
 */
public final class JobRuns {
  private static final Logger LOG = LoggerFactory.getLogger(JobRuns.class);

  private final JobStore store;
  private final JobRelease release;
  private final JobExecutor executor;
  private final RunOptions options;
  private final Layout layout;
  private final String me;
  private final Home home;

  public JobRuns(JobStore store, JobRelease release, JobExecutor executor, RunOptions options) {
    this.store = store;
    this.release = release;
    this.executor = executor;
    this.options = options;
    this.layout = store.layout();
    this.me = store.me();
    this.home = store.home();
  }

  public RunOptions options() {
    return options;
  }

  private Instant now() {
    return store.now();
  }

  private JobState state(JobId id) {
    return store.state(id);
  }

  private JobRecord record(JobId id) {
    return store.record(id);
  }

  private void putRecord(JobId id, JobRecord r) {
    store.putRecord(id, r);
  }

  private void writeState(JobId id, JobState s) {
    store.writeState(id, s);
  }

  private <T> T locked(Supplier<T> work) {
    return store.locked(work);
  }

  private void hideResults(JobId id) {
    release.hideResults(id);
  }

  // ------------------------------------------------------------------ running

  /** Cancels a running job of the own datasite on its executor (Slurm: {@code scancel}). */
  public void cancel(JobId id) {
    store.requireOwner(id);
    JobStatus s = state(id).status();
    if (s != JobStatus.RUNNING) {
      throw new JobsException(ErrorCode.WRONG_STATUS, "cannot cancel job " + id.shortId() + ": it is " + s
          + " (only running jobs can be cancelled)");
    }
    if (!executor.cancel(id.shortId())) {
      throw new JobsException(ErrorCode.WRONG_STATUS, "cannot cancel job " + id.shortId() + ": this executor has no"
          + " cancellable run of it (only Slurm runs can be cancelled)");
    }
  }

  /** Runs an approved job of the own datasite and releases nothing: results stay hidden until shared. */
  public RunResult run(JobId id) {
    store.requireOwner(id);
    Sandbox.Probe probe = executor.isolationFor(id.shortId());
    JobConfig c = store.config(id).orElseThrow(() -> new JobsException(ErrorCode.INVALID_JOB, "job " + id.shortId()
        + " has no readable config.yaml"));
    try (Locks.Held runLock = Locks.run(layout.runLock(id))) {
      if (runLock == null) {
        throw new JobsException(ErrorCode.WRONG_STATUS, "job " + id.shortId() + " is being run by another runner");
      }
      String[] bound = new String[1];
      locked(() -> {
        JobRecord r = record(id);
        JobState cur = state(id);
        if (cur.status() != JobStatus.APPROVED) {
          throw new JobsException(ErrorCode.WRONG_STATUS, "cannot run job " + id.shortId() + ": it is " + cur.status()
              + " (only approved jobs run)");
        }
        bound[0] = r.approvedHash() != null ? r.approvedHash() : r.receivedHash();
        if (bound[0] == null) {
          throw new JobsException(ErrorCode.CONTENT_CHANGED, "refusing to run " + id.shortId() + ": no content hash was"
              + " recorded when it was approved; reject it or approve a new submission");
        }
        hideResults(id);
        writeState(id, cur.withStatus(JobStatus.RUNNING));
        return null;
      });
      return execute(id, c, bound[0], probe);
    }
  }

  private RunResult execute(JobId id, JobConfig c, String approvedHash, Sandbox.Probe probe) {
    Instant start = now();
    Path work = executor.workRoot(layout.workRoot()).resolve(id.submitter()).resolve(id.name() + "-" + start.toEpochMilli());
    List<String> notes = new ArrayList<>();
    List<String> released = new ArrayList<>();
    List<String> mountedNames = new ArrayList<>();
    Runner.Outcome o = null;
    int rc;
    JobStatus end;
    String failure = null;
    try {
      Files.createDirectories(work);
      DatasetRefs.Resolved want = DatasetRefs.resolve(c, layout.jobDir(id).resolve("code"), me);
      List<String> missing = new ArrayList<>();
      List<DatasetRefs.Mountable> mounts = DatasetRefs.mountable(layout.datasite(me), want.names(), missing);
      mounts.forEach(m -> mountedNames.add(m.name()));
      if (!missing.isEmpty()) {
        notes.add("datasets not found here: " + String.join(", ", missing));
      }
      o = executor.run(new Runner.Plan(id.shortId(), c, layout.jobDir(id), approvedHash, me, home.dir(), mounts, work,
          options), probe);
      notes.addAll(o.notes());
      rc = o.returnCode();
      released.addAll(collect(id, o, notes));
      end = rc == 0 && notes.stream().noneMatch(n -> n.startsWith("outputs larger")) ? JobStatus.DONE
          : JobStatus.FAILED;
      if (end == JobStatus.FAILED && rc == 0) {
        rc = -1;
      }
    } catch (Runner.ContentChanged e) {
      failure = e.getMessage();
      rc = -1;
      end = JobStatus.FAILED;
    } catch (IOException | RuntimeException e) {
      failure = "the runner failed: " + e.getMessage();
      LOG.warn("running {} failed: {}", id.shortId(), e.getMessage());
      rc = -1;
      end = JobStatus.FAILED;
    }
    Path review = layout.reviewDir(id);
    try {
      if (o == null) {
        DatasiteFiles.writeAtomic(review.resolve("stdout.txt"), "");
        DatasiteFiles.writeAtomic(review.resolve("stderr.txt"), "[syft-java] " + failure + "\n");
      }
      DatasiteFiles.writeAtomic(review.resolve("returncode.txt"), Integer.toString(rc));
    } catch (IOException e) {
      LOG.warn("cannot write the logs of {}: {}", id.shortId(), e.getMessage());
    }
    if (failure != null) {
      notes.add(failure);
    }
    int finalRc = rc;
    JobStatus finalEnd = end;
    String reason = failure;
    Instant done = now();
    Runner.Outcome outcome = o;
    locked(() -> {
      JobState cur = state(id);
      JobState next = cur.completed(finalEnd, done, finalRc);
      if (reason != null) {
        next = next.withReason(reason);
      }
      writeState(id, next);
      JobRecord r = record(id);
      putRecord(id, r.ran(probe.mode().id(), outcome != null ? outcome.isolationNote()
          : (probe.mode() != Isolation.NONE ? probe.mode().id() : "NOT ISOLATED: " + probe.reason()), mountedNames,
          Times.format(start),
          Times.format(done), outcome != null && outcome.timedOut(), notes));
      return null;
    });
    if (!options.keepWorkDir()) {
      DatasiteFiles.deleteQuietly(work);
    }
    LOG.info("job {} {} (exit code {})", id.shortId(), end, rc);
    return new RunResult(id.shortId(), end, rc, probe.mode().id(), o != null && o.timedOut(), notes,
        released);
  }

  /** Moves logs and outputs into the review folder: regular files only, within the output limit. */
  private List<String> collect(JobId id, Runner.Outcome o, List<String> notes) throws IOException {
    Path review = layout.reviewDir(id);
    Files.createDirectories(review);
    Path out = review.resolve("outputs");
    DatasiteFiles.deleteTree(out);
    Files.createDirectories(out);
    List<String> copied = new ArrayList<>();
    for (String link : DatasiteFiles.links(o.outputsDir())) {
      notes.add("not released: outputs/" + link + " is a link or special file");
    }
    long total = 0;
    long cap = options.limits().outputBytes();
    for (Map.Entry<String, Path> e : DatasiteFiles.files(o.outputsDir(), rel -> true).entrySet()) {
      long size = Files.size(e.getValue());
      if (total + size > cap) {
        notes.add("outputs larger than " + cap + " bytes: the rest was not released");
        break;
      }
      total += size;
      DatasiteFiles.writeAtomic(out.resolve(e.getKey()), Files.readAllBytes(e.getValue()));
      copied.add(e.getKey());
    }
    DatasiteFiles.writeAtomic(review.resolve("stdout.txt"), Files.readAllBytes(o.stdout()));
    DatasiteFiles.writeAtomic(review.resolve("stderr.txt"), Files.readAllBytes(o.stderr()));
    return copied;
  }

}
