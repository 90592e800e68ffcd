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
import java.util.concurrent.CompletableFuture;
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
    SlurmTicket t = record(id).slurm();
    if (t == null || !executor.cancel(t)) {
      throw new JobsException(ErrorCode.WRONG_STATUS, "cannot cancel job " + id.shortId() + ": this executor has no"
          + " cancellable run of it (only Slurm runs can be cancelled)");
    }
  }

  /** Runs an approved job of the own datasite and releases nothing: results stay hidden until shared. */
  public RunResult run(JobId id) {
    return join(start(id));
  }

  /**
   * Starts an approved job: a local run ends before this returns; a cluster run returns once
   * submitted and completes later without holding a thread.
   *
   * @throws JobsException when the job cannot start (not approved, already running, no sandbox)
   */
  public CompletableFuture<RunResult> start(JobId id) {
    CompletableFuture<RunResult> f = startAll(List.of(id)).get(0);
    if (f.isCompletedExceptionally()) {
      join(f); // throws what stopped the start
    }
    return f;
  }

  /**
   * Starts several approved jobs: on a cluster executor as one submission (a Slurm array), locally
   * one after the other. One future per id, in order; a job that cannot start has a failed future.
   *
   * @throws JobsException {@code sandbox-required} when no job can run isolated here
   */
  public List<CompletableFuture<RunResult>> startAll(List<JobId> ids) {
    List<CompletableFuture<RunResult>> out = new ArrayList<>();
    List<Begun> begun = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    Sandbox.Probe probe = null;
    for (JobId id : ids) {
      try {
        store.requireOwner(id);
        if (probe == null) {
          probe = executor.isolationFor(id.shortId());
        }
        begun.add(begin(id, probe));
        at.add(out.size());
        out.add(null);
      } catch (JobsException e) {
        if (e.errorCode() == ErrorCode.SANDBOX_REQUIRED) {
          throw e;
        }
        out.add(CompletableFuture.failedFuture(e));
      }
    }
    if (begun.isEmpty()) {
      return out;
    }
    if (!executor.detached()) {
      for (int k = 0; k < begun.size(); k++) {
        out.set(at.get(k), CompletableFuture.completedFuture(runHere(begun.get(k))));
      }
      return out;
    }
    List<Begun> ready = new ArrayList<>();
    List<Integer> readyAt = new ArrayList<>();
    for (int k = 0; k < begun.size(); k++) {
      Begun b = begun.get(k);
      if (b.failure() != null) {
        out.set(at.get(k), CompletableFuture.completedFuture(finish(b, null, b.failure())));
      } else {
        ready.add(b);
        readyAt.add(at.get(k));
      }
    }
    if (ready.isEmpty()) {
      return out;
    }
    List<JobExecutor.Submitted> subs = executor.submit(ready.stream().map(Begun::plan).toList(), ready.get(0).probe());
    for (int k = 0; k < ready.size(); k++) {
      Begun b = ready.get(k);
      JobExecutor.Submitted sub = subs.get(k);
      if (sub.failure() != null) {
        out.set(readyAt.get(k), CompletableFuture.completedFuture(finish(b, null, failureOf(sub.failure()))));
        continue;
      }
      SlurmTicket t = sub.ticket();
      locked(() -> {
        putRecord(b.id(), record(b.id()).submitted(t, b.probe().mode().id(), t.isolationNote(), b.mounted(),
            Times.format(b.start())));
        return null;
      });
      out.set(readyAt.get(k), attach(new Begun(b.id(), b.probe(), b.lock(), b.start(), Path.of(t.workDir()), b.plan(),
          b.mounted(), b.notes(), null), t));
    }
    return out;
  }

  /**
   * Watches again the cluster jobs of runs whose runner stopped (a daemon restart): every own
   * {@code running} job with a {@link SlurmTicket} and no live run lock. Their outputs are collected
   * when they end. Returns how many it re-attached to.
   */
  public int reattach() {
    if (!executor.detached()) {
      return 0;
    }
    int n = 0;
    for (JobId id : store.jobsAt(me)) {
      JobRecord r;
      try {
        if (state(id).status() != JobStatus.RUNNING || (r = record(id)).slurm() == null) {
          continue;
        }
      } catch (JobsException e) {
        continue;
      }
      Locks.Held lock = Locks.run(layout.runLock(id));
      if (lock == null) {
        continue; // a live runner (here or elsewhere) watches it
      }
      try {
        r = record(id);
        if (state(id).status() != JobStatus.RUNNING || r.slurm() == null) {
          lock.close();
          continue;
        }
      } catch (RuntimeException e) {
        lock.close();
        continue;
      }
      Sandbox.Probe iso = new Sandbox.Probe(isolationOf(r.isolation()), true, String.valueOf(r.isolationNote()), false,
          null, null, -1);
      Instant start = r.runStartedAt() != null ? Times.parse(r.runStartedAt()) : now();
      LOG.info("re-attaching to {} (Slurm job {})", id.shortId(), r.slurm().slurmId());
      attach(new Begun(id, iso, lock, start, Path.of(r.slurm().workDir()), null, r.datasets(), new ArrayList<>(), null),
          r.slurm());
      n++;
    }
    return n;
  }

  private static Isolation isolationOf(String id) {
    for (Isolation i : Isolation.values()) {
      if (i.id().equals(id)) {
        return i;
      }
    }
    return Isolation.NONE;
  }

  /** A run that has its lock and is {@code running}: what its end needs. */
  private record Begun(JobId id, Sandbox.Probe probe, Locks.Held lock, Instant start, Path work, Runner.Plan plan,
      List<String> mounted, List<String> notes, String failure) {}

  /** Takes the run lock and moves the approved job to {@code running}; then stages its plan. */
  private Begun begin(JobId id, Sandbox.Probe probe) {
    JobConfig c = store.config(id).orElseThrow(() -> new JobsException(ErrorCode.INVALID_JOB, "job " + id.shortId()
        + " has no readable config.yaml"));
    Locks.Held runLock = Locks.run(layout.runLock(id));
    if (runLock == null) {
      throw new JobsException(ErrorCode.WRONG_STATUS, "job " + id.shortId() + " is being run by another runner");
    }
    String[] bound = new String[1];
    try {
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
    } catch (RuntimeException e) {
      runLock.close();
      throw e;
    }
    Instant start = now();
    Path work = executor.workRoot(layout.workRoot()).resolve(id.submitter()).resolve(id.name() + "-" + start.toEpochMilli());
    List<String> notes = new ArrayList<>();
    List<String> mountedNames = new ArrayList<>();
    try {
      Files.createDirectories(work);
      DatasetRefs.Resolved want = DatasetRefs.resolve(c, layout.jobDir(id).resolve("code"), me);
      List<String> missing = new ArrayList<>();
      List<DatasetRefs.Mountable> mounts = DatasetRefs.mountable(layout.datasite(me), want.names(), missing);
      mounts.forEach(m -> mountedNames.add(m.name()));
      if (!missing.isEmpty()) {
        notes.add("datasets not found here: " + String.join(", ", missing));
      }
      Runner.Plan plan = new Runner.Plan(id.shortId(), c, layout.jobDir(id), bound[0], me, home.dir(), mounts, work,
          options);
      return new Begun(id, probe, runLock, start, work, plan, mountedNames, notes, null);
    } catch (IOException | RuntimeException e) {
      LOG.warn("running {} failed: {}", id.shortId(), e.getMessage());
      return new Begun(id, probe, runLock, start, work, null, mountedNames, notes, "the runner failed: " + e.getMessage());
    }
  }

  private RunResult runHere(Begun b) {
    if (b.failure() != null) {
      return finish(b, null, b.failure());
    }
    try {
      return finish(b, executor.run(b.plan(), b.probe()), null);
    } catch (IOException | RuntimeException e) {
      return finish(b, null, failureOf(e));
    }
  }

  private String failureOf(Throwable e) {
    if (e instanceof Runner.ContentChanged) {
      return e.getMessage();
    }
    LOG.warn("running failed: {}", e.getMessage());
    return "the runner failed: " + e.getMessage();
  }

  /** Finishes the run when its cluster job ended; on a detach only the run lock is let go. */
  private CompletableFuture<RunResult> attach(Begun b, SlurmTicket t) {
    return executor.watch(t).handle((o, err) -> {
      Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
          ? err.getCause() : err;
      if (cause instanceof java.io.UncheckedIOException u) {
        cause = u.getCause();
      }
      if (cause instanceof SlurmMonitor.Detached d) {
        b.lock().close();
        throw d;
      }
      return cause == null ? finish(b, o, null) : finish(b, null, failureOf(cause));
    });
  }

  private static RunResult join(CompletableFuture<RunResult> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** Collects the logs and outputs, records the end state and lets the run lock go. */
  private RunResult finish(Begun b, Runner.Outcome o, String failure) {
    try {
      return end(b, o, failure);
    } finally {
      b.lock().close();
    }
  }

  private RunResult end(Begun b, Runner.Outcome o, String failure) {
    JobId id = b.id();
    Sandbox.Probe probe = b.probe();
    Instant start = b.start();
    List<String> notes = new ArrayList<>(b.notes());
    List<String> released = new ArrayList<>();
    List<String> mountedNames = b.mounted();
    int rc;
    JobStatus end;
    if (o != null) {
      try {
        notes.addAll(o.notes());
        rc = o.returnCode();
        released.addAll(collect(id, o, notes));
        end = rc == 0 && notes.stream().noneMatch(n -> n.startsWith("outputs larger")) ? JobStatus.DONE
            : JobStatus.FAILED;
        if (end == JobStatus.FAILED && rc == 0) {
          rc = -1;
        }
      } catch (IOException | RuntimeException e) {
        failure = "the runner failed: " + e.getMessage();
        LOG.warn("collecting {} failed: {}", id.shortId(), e.getMessage());
        o = null;
        rc = -1;
        end = JobStatus.FAILED;
      }
    } else {
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
      DatasiteFiles.deleteQuietly(b.work());
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
