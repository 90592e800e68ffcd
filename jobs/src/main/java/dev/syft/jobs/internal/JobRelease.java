package dev.syft.jobs.internal;

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
 * What a job's submitter may read of its results, through permission edits on the own datasite:
 * results are owner-only from receipt, {@link #share} releases exactly the named parts, and lost
 * rules are put back.
 */
public final class JobRelease {
  private static final Logger LOG = LoggerFactory.getLogger(JobRelease.class);

  private final JobStore store;
  private final Supplier<Datasite> perms;
  private final Layout layout;
  private final String me;

  public JobRelease(JobStore store, Supplier<Datasite> perms) {
    this.store = store;
    this.perms = perms;
    this.layout = store.layout();
    this.me = store.me();
  }

  private JobState state(JobId id) {
    return store.state(id);
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

  /** Hides outputs and logs of a job from the submitter until they are shared (the reference's outputs rule, extended to logs). */
  void hideResults(JobId id) {
    Datasite p = perms.get();
    String base = Layout.reviewRel(id);
    p.grant(base + "/outputs/", me, Level.READ, GrantMode.REFERENCE);
    for (String f : Layout.LOG_FILES) {
      p.grant(base + "/" + f, me, Level.READ, GrantMode.REFERENCE);
    }
  }

  /**
   * Lets the submitter read exactly the named parts of a finished job's results; the next sync
   * delivers them. Nothing is released unless named.
   */
  public void share(JobId id, Set<Release> parts) {
    requireOwner(id);
    if (parts == null || parts.isEmpty()) {
      throw new JobsException(ErrorCode.INVALID_JOB, "say what to release: outputs, logs or both");
    }
    locked(() -> {
      JobStatus s = state(id).status();
      if (s != JobStatus.DONE && s != JobStatus.FAILED) {
        throw new JobsException(ErrorCode.WRONG_STATUS, "nothing to share for " + id.shortId() + " yet: it is " + s);
      }
      Datasite p = perms.get();
      String base = Layout.reviewRel(id);
      if (parts.contains(Release.OUTPUTS)) {
        p.grant(base + "/outputs/", id.submitter(), Level.READ);
      }
      if (parts.contains(Release.LOGS)) {
        for (String f : Layout.LOG_FILES) {
          p.grant(base + "/" + f, id.submitter(), Level.READ);
        }
      }
      return null;
    });
  }

  /**
   * Puts the owner-only rules on the results of own jobs that are not finished yet and lack them
   * (jobs received before results were hidden at receipt, or after a lost permission file), so
   * nothing of an unreleased job is ever readable by its submitter. Returns how many were fixed.
   */
  public int hideUnreleased() {
    int n = 0;
    Datasite p = perms.get();
    for (JobId id : jobsAt(me)) {
      if (!resultsReadable(p, id)) {
        continue;
      }
      try {
        JobStatus s = state(id).status();
        if (s == JobStatus.DONE || s == JobStatus.FAILED) {
          continue; // released on purpose, or a decision for 'share'
        }
        locked(() -> {
          hideResults(id);
          String base = Layout.reviewRel(id);
          p.revoke(base + "/outputs/", id.submitter(), Level.READ);
          for (String f : Layout.LOG_FILES) {
            p.revoke(base + "/" + f, id.submitter(), Level.READ);
          }
          return null;
        });
        n++;
      } catch (RuntimeException e) {
        LOG.warn("could not hide the results of job {}: {}", id.shortId(), e.getMessage());
      }
    }
    return n;
  }

  private static boolean resultsReadable(Datasite p, JobId id) {
    String base = Layout.reviewRel(id);
    if (p.check(base + "/outputs/", id.submitter(), Level.READ)) {
      return true;
    }
    for (String f : Layout.LOG_FILES) {
      if (p.check(base + "/" + f, id.submitter(), Level.READ)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Restores missing job-folder permission files of peers whose folders exist (weakness 45, the
   * conservative part: a lost file, never a new grant).
   */
  public void restorePeerFolders(List<String> peers) {
    for (String peer : peers) {
      Path inbox = layout.datasite(me).resolve(Layout.inboxRel(peer));
      Path review = layout.datasite(me).resolve(Layout.reviewRootRel(peer));
      try {
        if (Files.isDirectory(inbox) && !Files.exists(inbox.resolve("syft.pub.yaml"))) {
          locked(() -> {
            Datasite p = perms.get();
            p.grant(Layout.inboxRel(peer) + "/", peer, Level.WRITE);
            // the lost file also held the locks of received jobs: put them back
            for (JobId id : jobsAt(me)) {
              if (id.submitter().equals(peer) && Files.exists(layout.stateFile(id))) {
                p.grant(Layout.jobRel(id), peer, Level.READ);
                p.revoke(Layout.jobRel(id), peer, Level.WRITE);
              }
            }
            return null;
          });
          LOG.warn("restored the lost job inbox permissions of {}", peer);
        }
        if (Files.isDirectory(review) && !Files.exists(review.resolve("syft.pub.yaml"))) {
          locked(() -> {
            perms.get().grant(Layout.reviewRootRel(peer) + "/", peer, Level.READ);
            // the lost file also held the rules hiding results: hide them all again (shares must be redone)
            for (JobId id : jobsAt(me)) {
              if (id.submitter().equals(peer)) {
                hideResults(id);
              }
            }
            return null;
          });
        }
      } catch (RuntimeException e) {
        LOG.warn("could not restore the job folder permissions of {}: {}", peer, e.getMessage());
      }
    }
  }

}
