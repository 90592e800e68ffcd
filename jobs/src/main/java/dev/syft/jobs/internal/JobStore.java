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
 * Where a home's jobs live and how they are read: discovery (own inbox and replicas), resolving what
 * a person types, the files of one job ({@code config.yaml}, {@code state.yaml}, the owner's record),
 * and the home's job state lock under which every change is made.
 */
public final class JobStore {
  private static final Logger LOG = LoggerFactory.getLogger(JobStore.class);
  public static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Home home;
  private final String me;
  private final Clock clock;
  private final Layout layout;

  public JobStore(Home home, Clock clock) {
    this.home = home;
    this.me = home.email();
    this.clock = clock;
    this.layout = new Layout(home.dir(), home.stateDir());
  }

  public Layout layout() {
    return layout;
  }

  public String me() {
    return me;
  }

  public Home home() {
    return home;
  }

  /** Now, truncated to microseconds as the job files store it. */
  public Instant now() {
    return Times.micros(clock.instant());
  }

  // ------------------------------------------------------------------ discovery

  /** Jobs in {@code owner}'s datasite (or replica) that have a {@code config.yaml}. */
  public List<JobId> jobsAt(String owner) {
    List<JobId> out = new ArrayList<>();
    Path inbox = layout.inbox(owner);
    if (!Files.isDirectory(inbox, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (DirectoryStream<Path> submitters = Files.newDirectoryStream(inbox)) {
      for (Path ds : submitters) {
        if (!Files.isDirectory(ds, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (DirectoryStream<Path> jobs = Files.newDirectoryStream(ds)) {
          for (Path j : jobs) {
            if (Files.isDirectory(j, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(j.resolve("config.yaml"),
                LinkOption.NOFOLLOW_LINKS) && !j.getFileName().toString().startsWith(DatasiteFiles.TEMP_PREFIX)) {
              out.add(new JobId(owner, ds.getFileName().toString(), j.getFileName().toString()));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot list the jobs in " + inbox + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Own jobs first, then those in every replica (e-mail-named folders of the home). */
  public List<JobId> allJobs() {
    List<JobId> out = new ArrayList<>(jobsAt(me));
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.dir())) {
      List<String> owners = new ArrayList<>();
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.contains("@") && !n.equals(me) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          owners.add(n);
        }
      }
      owners.sort(null);
      for (String o : owners) {
        out.addAll(jobsAt(o));
      }
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot list " + home.dir() + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Finds a job from what a person types: {@code <owner>/<ds>/<job>}, {@code <ds>/<job>} (on the own
   * datasite first), {@code <owner>/<job>}, or a bare job name, as long as it is unambiguous.
   */
  public JobId resolve(String text) {
    if (text == null || text.isBlank()) {
      throw new JobsException(ErrorCode.NO_SUCH_JOB, "give a job id");
    }
    String t = text.strip();
    List<JobId> all = allJobs();
    String[] parts = t.split("/", -1);
    List<JobId> hits = new ArrayList<>();
    for (JobId id : all) {
      boolean match = switch (parts.length) {
        case 3 -> id.key().equals(t);
        case 2 -> id.shortId().equals(t) || (id.owner() + "/" + id.name()).equals(t);
        case 1 -> id.name().equals(t);
        default -> false;
      };
      if (match) {
        hits.add(id);
      }
    }
    if (hits.size() > 1 && parts.length == 2) {
      List<JobId> own = hits.stream().filter(h -> h.owner().equals(me) && h.shortId().equals(t)).toList();
      if (own.size() == 1) {
        return own.get(0);
      }
    }
    if (hits.size() == 1) {
      return hits.get(0);
    }
    if (hits.isEmpty()) {
      throw new JobsException(ErrorCode.NO_SUCH_JOB, "no job '" + t + "' here");
    }
    throw new JobsException(ErrorCode.AMBIGUOUS_JOB, "'" + t + "' matches several jobs: "
        + String.join(", ", hits.stream().map(h -> h.displayFor(me)).toList()) + "; use one of these ids");
  }

  public JobId ownJob(String text) {
    JobId id = resolve(text);
    if (!id.owner().equals(me)) {
      throw new JobsException(ErrorCode.NOT_OWNER, "job " + id.key() + " is in " + id.owner()
          + "'s datasite; only its data owner reviews and runs it");
    }
    return id;
  }


  // ------------------------------------------------------------------ reading

  public Optional<JobConfig> config(JobId id) {
    try {
      return Optional.of(JobConfig.load(layout.jobDir(id).resolve("config.yaml")));
    } catch (JobsException e) {
      LOG.debug("skipping {}: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  /** The state file's content, or the virtual {@code received} state. */
  public JobState state(JobId id) {
    Path f = layout.stateFile(id);
    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
      return JobState.received();
    }
    try {
      return JobState.parse(Files.readString(f));
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  public JobRecord record(JobId id) {
    Path f = layout.record(id);
    if (!Files.isRegularFile(f)) {
      return JobRecord.empty();
    }
    try {
      return JSON.readValue(Files.readString(f), JobRecord.class);
    } catch (IOException | tools.jackson.core.JacksonException e) {
      LOG.warn("ignoring the unreadable job record {}: {}", f, e.getMessage());
      return JobRecord.empty();
    }
  }

  public void putRecord(JobId id, JobRecord r) {
    try {
      DatasiteFiles.writeAtomic(layout.record(id), JSON.writeValueAsString(r));
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot save the job record of " + id + ": " + e.getMessage(), e);
    }
  }

  public List<String> outputFiles(JobId id) {
    try {
      return new ArrayList<>(DatasiteFiles.files(layout.outputsDir(id), TreeHash::content).keySet());
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Runs {@code work} holding the job state lock of this home. */
  public <T> T locked(Supplier<T> work) {
    Locks.Held held = Locks.exclusive(layout.stateLock());
    try {
      return work.get();
    } finally {
      held.close();
    }
  }

  public void writeState(JobId id, JobState s) {
    try {
      DatasiteFiles.writeAtomic(layout.stateFile(id), s.render());
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot write the state of " + id.shortId() + ": " + e.getMessage(), e);
    }
  }

  void requireOwner(JobId id) {
    if (!id.owner().equals(me)) {
      throw new JobsException(ErrorCode.NOT_OWNER, "only " + id.owner() + " can review " + id.key());
    }
  }

  /** Ids of the own approved jobs, oldest submission first. */
  public List<JobId> approvedJobs() {
    List<JobId> out = new ArrayList<>();
    for (JobId id : jobsAt(me)) {
      try {
        if (state(id).status() == JobStatus.APPROVED) {
          out.add(id);
        }
      } catch (JobsException e) {
        // unreadable state: not approved
      }
    }
    return out;
  }
}
