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
 * The job state machine on the own datasite: receive (validate and lock a submission), approve,
 * reject, rerun, deposit, and recovery of runs whose runner died. Every transition is a
 * compare-and-set under the store's state lock, so two approvers or runners never both act.
 */
public final class JobLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(JobLifecycle.class);
  private static final Set<String> SHAPE = Set.of("code", "run.sh", "config.yaml");

  private final JobStore store;
  private final Supplier<Datasite> perms;
  private final JobRelease release;
  private final Layout layout;
  private final String me;

  public JobLifecycle(JobStore store, Supplier<Datasite> perms, JobRelease release) {
    this.store = store;
    this.perms = perms;
    this.release = release;
    this.layout = store.layout();
    this.me = store.me();
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

  private void requireOwner(JobId id) {
    store.requireOwner(id);
  }

  private List<JobId> jobsAt(String owner) {
    return store.jobsAt(owner);
  }

  private void hideResults(JobId id) {
    release.hideResults(id);
  }

  /** Compare-and-set of a job's state: applies {@code change} only when the status is one of {@code from}. */
  JobState transition(JobId id, Set<JobStatus> from, String action, UnaryOperator<JobState> change) {
    return locked(() -> {
      JobState cur = state(id);
      if (!from.contains(cur.status())) {
        throw new JobsException(ErrorCode.WRONG_STATUS, "cannot " + action + " job " + id.displayFor(me) + ": it is "
            + cur.status() + " (" + action + " needs " + String.join(" or ", from.stream().map(JobStatus::wire)
                .toList()) + ")");
      }
      JobState next = change.apply(cur);
      writeState(id, next);
      return next;
    });
  }

  /** Why a received submission is invalid, or null (JOBS-DATASETS 2.8 plus syft-java's stricter checks). */
  String validate(JobId id) {
    Path dir = layout.jobDir(id);
    if (!Names.isSafe(id.name())) {
      return "job name '" + id.name() + "' is not allowed (letters, digits, spaces, '.', '_' and '-' only)";
    }
    Set<String> found = new TreeSet<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (!n.equals("syft.pub.yaml") && !n.startsWith(DatasiteFiles.TEMP_PREFIX)) {
          found.add(n);
        }
      }
    } catch (IOException e) {
      return "cannot read the job folder: " + e.getMessage();
    }
    if (!found.equals(SHAPE) || !Files.isDirectory(dir.resolve("code"), LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(dir.resolve("run.sh"), LinkOption.NOFOLLOW_LINKS)
        || !Files.isRegularFile(dir.resolve("config.yaml"), LinkOption.NOFOLLOW_LINKS)) {
      Set<String> missing = new TreeSet<>(SHAPE);
      missing.removeAll(found);
      Set<String> extra = new TreeSet<>(found);
      extra.removeAll(SHAPE);
      return "Invalid job folder: expected exactly code/, run.sh and config.yaml"
          + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
          + (extra.isEmpty() ? "" : "; unexpected: " + String.join(", ", extra));
    }
    try {
      if (!DatasiteFiles.links(dir).isEmpty()) {
        return "the job folder contains links: " + String.join(", ", DatasiteFiles.links(dir));
      }
    } catch (IOException e) {
      return "cannot read the job folder: " + e.getMessage();
    }
    JobConfig c;
    try {
      c = JobConfig.load(dir.resolve("config.yaml"));
    } catch (JobsException e) {
      return e.getMessage();
    }
    if (!id.name().equals(c.name())) {
      return "config.yaml names the job '" + c.name() + "' but its folder is '" + id.name() + "'";
    }
    if ("enclave".equals(c.jobType())) {
      return "enclave jobs are not run by this data owner";
    }
    if (c.kind() != JobKind.BASH) {
      String e = c.entrypoint();
      if (e == null || e.isBlank()) {
        return "config.yaml has no entrypoint";
      }
      if (e.startsWith("/") || e.contains("\\") || List.of(e.split("/")).contains("..")) {
        return "entrypoint '" + e + "' is not a relative path inside code/";
      }
      if (!Files.isRegularFile(dir.resolve("code").resolve(e), LinkOption.NOFOLLOW_LINKS)) {
        return "entrypoint '" + e + "' does not exist in code/";
      }
      if (c.kind() == JobKind.PYTHON && !e.endsWith(".py")) {
        return "the entrypoint of a Python job must be a .py file, not '" + e + "'";
      }
      if (c.kind() == JobKind.JAVA && !(e.endsWith(".java") || e.endsWith(".jar"))) {
        return "the entrypoint of a Java job must be a .java or .jar file, not '" + e + "'";
      }
    }
    return null;
  }

  /**
   * Validates every new submission in the own inbox (a {@code config.yaml} and no state yet): takes
   * away the submitter's write access to it, records its content hash, and writes {@code pending}
   * or {@code rejected} with the reason. Returns the number of jobs received.
   */
  public int receiveAll() {
    int n = 0;
    for (JobId id : jobsAt(me)) {
      if (Files.exists(layout.stateFile(id))) {
        continue;
      }
      try {
        if (receive(id)) {
          n++;
        }
      } catch (RuntimeException e) {
        LOG.warn("could not receive job {}: {}", id.shortId(), e.getMessage());
      }
    }
    return n;
  }

  boolean receive(JobId id) {
    return locked(() -> {
      if (Files.exists(layout.stateFile(id))) {
        return false;
      }
      // from now on the submitter may read but no longer change this job
      Datasite p = perms.get();
      p.grant(Layout.jobRel(id), id.submitter(), Level.READ);
      p.revoke(Layout.jobRel(id), id.submitter(), Level.WRITE);
      // results are owner-only from the start, not only once a run begins
      hideResults(id);
      String hash;
      try {
        hash = TreeHash.of(layout.jobDir(id));
      } catch (IOException e) {
        throw new JobsException(ErrorCode.JOBS_IO, "cannot hash job " + id.shortId() + ": " + e.getMessage(), e);
      }
      Instant now = now();
      String why = validate(id);
      JobState s = why == null
          ? new JobState(JobStatus.PENDING, now, null, null, null, null, null, null, null, null)
          : new JobState(JobStatus.REJECTED, now, null, null, null, me, now, why, null, null);
      putRecord(id, record(id).received(hash, Times.format(now)));
      writeState(id, s);
      LOG.info("received job {} from {}: {}", id.name(), id.submitter(), why == null ? "pending" : "rejected: " + why);
      return true;
    });
  }

  public void approve(JobId id, String reason, String method, String policy) {
    requireOwner(id);
    locked(() -> {
      JobState cur = state(id);
      if (cur.status() != JobStatus.PENDING) {
        throw new JobsException(ErrorCode.WRONG_STATUS, "cannot approve job " + id.shortId() + ": it is " + cur.status()
            + " (only pending jobs can be approved)");
      }
      String hash;
      try {
        hash = TreeHash.of(layout.jobDir(id));
      } catch (IOException e) {
        throw new JobsException(ErrorCode.JOBS_IO, "cannot hash job " + id.shortId() + ": " + e.getMessage(), e);
      }
      JobRecord r = record(id);
      if (r.receivedHash() != null && !r.receivedHash().equals(hash)) {
        throw new JobsException(ErrorCode.CONTENT_CHANGED, "refusing to approve " + id.shortId() + ": its files changed since"
            + " it was received (received " + Runner.shortHash(r.receivedHash()) + ", now " + Runner.shortHash(hash)
            + "); reject it and ask for a new submission");
      }
      putRecord(id, r.approved(hash, policy));
      writeState(id, cur.approved(me, now(), method, reason));
      return null;
    });
  }

  public void reject(JobId id, String reason) {
    requireOwner(id);
    transition(id, EnumSet.of(JobStatus.PENDING), "reject", s -> s.rejected(me, now(), reason));
  }


  public void rerun(JobId id) {
    requireOwner(id);
    locked(() -> {
      transition(id, EnumSet.of(JobStatus.DONE, JobStatus.FAILED), "rerun",
          s -> s.completed(JobStatus.APPROVED, null, null));
      Path r = layout.reviewDir(id);
      try {
        for (String f : Layout.LOG_FILES) {
          Files.deleteIfExists(r.resolve(f));
        }
        DatasiteFiles.deleteTree(r.resolve("outputs"));
      } catch (IOException e) {
        throw new JobsException(ErrorCode.JOBS_IO, "cannot clear the results of " + id.shortId() + ": " + e.getMessage(), e);
      }
      // new results start hidden again
      Datasite p = perms.get();
      String base = Layout.reviewRel(id);
      p.revoke(base + "/outputs/", id.submitter(), Level.READ);
      for (String f : Layout.LOG_FILES) {
        p.revoke(base + "/" + f, id.submitter(), Level.READ);
      }
      return null;
    });
  }

  public void deposit(JobId id, Path result) {
    requireOwner(id);
    Path src = result.toAbsolutePath().normalize();
    if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
      throw new JobsException(ErrorCode.INVALID_JOB, "nothing to deposit: " + src + " does not exist");
    }
    locked(() -> {
      JobState cur = state(id);
      if (cur.status() != JobStatus.PENDING && cur.status() != JobStatus.APPROVED) {
        throw new JobsException(ErrorCode.WRONG_STATUS, "cannot deposit a result for " + id.shortId() + ": it is "
            + cur.status() + " (needs pending or approved)");
      }
      hideResults(id);
      Path out = layout.outputsDir(id);
      try {
        Files.createDirectories(out);
        Path dest = out.resolve(src.getFileName().toString());
        if (Files.isDirectory(src)) {
          DatasiteFiles.deleteTree(dest);
          DatasiteFiles.copyTree(src, dest, rel -> true);
        } else {
          DatasiteFiles.writeAtomic(dest, Files.readAllBytes(src));
        }
      } catch (IOException e) {
        throw new JobsException(ErrorCode.JOBS_IO, "cannot deposit " + src + ": " + e.getMessage(), e);
      }
      JobRecord r = record(id);
      if (r.approvedHash() == null) {
        try {
          putRecord(id, r.approved(TreeHash.of(layout.jobDir(id)), null));
        } catch (IOException e) {
          LOG.debug("no hash for the deposited job {}: {}", id, e.getMessage());
        }
      }
      Instant now = now();
      JobState base = cur.approvedBy() == null ? cur.approved(me, now, "manual", cur.reviewReason()) : cur;
      writeState(id, base.completed(JobStatus.DONE, now, 0));
      return null;
    });
  }

  /**
   * Marks jobs left {@code running} by a runner that is gone (crash, kill) as failed, with a reason.
   * A run in progress holds its run lock, so it is never touched.
   */
  public int recoverStale() {
    int n = 0;
    for (JobId id : jobsAt(me)) {
      JobState s;
      try {
        s = state(id);
      } catch (JobsException e) {
        continue;
      }
      if (s.status() != JobStatus.RUNNING || Locks.runHeld(layout.runLock(id))) {
        continue;
      }
      if (record(id).slurm() != null) {
        continue; // its Slurm job outlives the runner: the next round with the Slurm executor re-attaches
      }
      try {
        transition(id, EnumSet.of(JobStatus.RUNNING), "recover", st -> st.completed(JobStatus.FAILED, now(), -1)
            .withReason("the runner stopped while this job was running (daemon restart, crash or kill); a local"
                + " run cannot be resumed, so it was marked failed"));
        n++;
        LOG.warn("job {} was left running by a runner that is gone; marked failed", id.shortId());
      } catch (JobsException e) {
        LOG.debug("{} changed meanwhile: {}", id, e.getMessage());
      }
    }
    return n;
  }
}
