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
 * The job operations of one client home, on its own datasite (review, run) and on its replicas of
 * others' datasites (what it submitted). Every state change is a compare-and-set under the home's
 * job state lock ({@code .syft/jobs/state.lock}, also held across processes), so two approvers or
 * runners never both act on one job.
 */
public final class JobService {
  private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
  static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final Set<String> SHAPE = Set.of("code", "run.sh", "config.yaml");

  private final Home home;
  private final String me;
  private final Supplier<Datasite> perms;
  private final Clock clock;
  private final RunOptions options;
  private final Layout layout;

  /**
   * @param perms the permission engine of the own datasite (the engine's during a sync round, else a
   *     private one), created on first use
   */
  public JobService(Home home, Supplier<Datasite> perms, Clock clock, RunOptions options) {
    this.home = home;
    this.me = home.email();
    this.perms = perms;
    this.clock = clock;
    this.options = options;
    this.layout = new Layout(home.dir(), home.stateDir());
  }

  public Layout layout() {
    return layout;
  }

  public String me() {
    return me;
  }

  public RunOptions options() {
    return options;
  }

  Instant now() {
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
                LinkOption.NOFOLLOW_LINKS) && !j.getFileName().toString().startsWith(Fs.TEMP_PREFIX)) {
              out.add(new JobId(owner, ds.getFileName().toString(), j.getFileName().toString()));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new JobsException("jobs-io", "cannot list the jobs in " + inbox + ": " + e.getMessage(), e);
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
      throw new JobsException("jobs-io", "cannot list " + home.dir() + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Finds a job from what a person types: {@code <owner>/<ds>/<job>}, {@code <ds>/<job>} (on the own
   * datasite first), {@code <owner>/<job>}, or a bare job name, as long as it is unambiguous.
   */
  public JobId resolve(String text) {
    if (text == null || text.isBlank()) {
      throw new JobsException("no-such-job", "give a job id (see 'syft jobs list')");
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
      throw new JobsException("no-such-job", "no job '" + t + "' here (see 'syft jobs list'; sync first if it is new)");
    }
    throw new JobsException("ambiguous-job", "'" + t + "' matches several jobs: "
        + String.join(", ", hits.stream().map(h -> h.displayFor(me)).toList()) + "; use one of these ids");
  }

  public JobId ownJob(String text) {
    JobId id = resolve(text);
    if (!id.owner().equals(me)) {
      throw new JobsException("not-owner", "job " + id.key() + " is in " + id.owner()
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
      throw new JobsException("jobs-io", "cannot read " + f + ": " + e.getMessage(), e);
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

  void putRecord(JobId id, JobRecord r) {
    try {
      Fs.writeAtomic(layout.record(id), JSON.writeValueAsString(r));
    } catch (IOException e) {
      throw new JobsException("jobs-io", "cannot save the job record of " + id + ": " + e.getMessage(), e);
    }
  }

  public JobInfo info(JobId id) {
    JobConfig c = config(id).orElseThrow(() -> new JobsException("invalid-job", "job " + id.displayFor(me)
        + " has no readable config.yaml"));
    return info(id, c);
  }

  JobInfo info(JobId id, JobConfig c) {
    return info(id, c, true);
  }

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
        c.entrypoint(), c.dependencies(), c.files(), ds.names(), ds.source(), t(c.submittedAt()), t(s.receivedAt()),
        s.approvedBy(), t(s.approvedAt()), s.approvalMethod(), s.rejectedBy(), t(s.rejectedAt()), s.reviewReason(),
        t(s.completedAt()), s.returnCode(), hash, approvedHash, changed, isolation, isolationNote, outShared, logShared,
        outputFiles(id), jobDir.toString(), layout.reviewDir(id).toString());
  }

  private static String t(Instant i) {
    return i == null ? null : Times.format(i);
  }

  /** Every job this home knows, sorted as the reference lists them. */
  public List<JobInfo> list() {
    return list(true);
  }

  /** Every job; without {@code hashed} the own jobs' content is not re-hashed (no hash, never changed). */
  public List<JobInfo> list(boolean hashed) {
    List<JobInfo> out = new ArrayList<>();
    for (JobId id : allJobs()) {
      config(id).ifPresent(c -> out.add(info(id, c, hashed)));
    }
    out.sort(Comparator.comparing((JobInfo j) -> j.submittedAt() == null ? "" : j.submittedAt(),
            Comparator.reverseOrder())
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

  public List<String> outputFiles(JobId id) {
    try {
      return new ArrayList<>(Fs.files(layout.outputsDir(id), TreeHash::content).keySet());
    } catch (IOException e) {
      return List.of();
    }
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
      for (var e : Fs.files(dir, TreeHash::content).entrySet()) {
        byte[] b = Files.readAllBytes(e.getValue());
        boolean binary = Texts.binary(b);
        Texts.Decoded t = binary ? null : Texts.decode(b);
        files.add(new JobFile(e.getKey(), b.length, Hashes.sha256Hex(b), e.getKey().equals(entry), binary,
            binary ? null : t.text(), binary ? 0 : t.invalid()));
      }
    } catch (IOException e) {
      throw new JobsException("jobs-io", "cannot read the files of job " + id.displayFor(me) + ": " + e.getMessage(), e);
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
      for (var e : Fs.files(layout.outputsDir(id), TreeHash::content).entrySet()) {
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
      throw new JobsException("jobs-io", "cannot list the results of job " + id.shortId() + ": " + e.getMessage(), e);
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

  // ------------------------------------------------------------------ state changes

  /** Runs {@code work} holding the job state lock of this home. */
  public <T> T locked(Supplier<T> work) {
    Locks.Held held = Locks.exclusive(layout.stateLock());
    try {
      return work.get();
    } finally {
      held.close();
    }
  }

  void writeState(JobId id, JobState s) {
    try {
      Fs.writeAtomic(layout.stateFile(id), s.render());
    } catch (IOException e) {
      throw new JobsException("jobs-io", "cannot write the state of " + id.shortId() + ": " + e.getMessage(), e);
    }
  }

  /** Compare-and-set of a job's state: applies {@code change} only when the status is one of {@code from}. */
  JobState transition(JobId id, Set<JobStatus> from, String action, UnaryOperator<JobState> change) {
    return locked(() -> {
      JobState cur = state(id);
      if (!from.contains(cur.status())) {
        throw new JobsException("wrong-status", "cannot " + action + " job " + id.displayFor(me) + ": it is "
            + cur.status() + " (" + action + " needs " + String.join(" or ", from.stream().map(JobStatus::wire)
                .toList()) + ")");
      }
      JobState next = change.apply(cur);
      writeState(id, next);
      return next;
    });
  }

  private void requireOwner(JobId id) {
    if (!id.owner().equals(me)) {
      throw new JobsException("not-owner", "only " + id.owner() + " can review " + id.key());
    }
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
        if (!n.equals("syft.pub.yaml") && !n.startsWith(Fs.TEMP_PREFIX)) {
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
      if (!Fs.links(dir).isEmpty()) {
        return "the job folder contains links: " + String.join(", ", Fs.links(dir));
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
        throw new JobsException("jobs-io", "cannot hash job " + id.shortId() + ": " + e.getMessage(), e);
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

  public JobInfo approve(JobId id, String reason, String method, String policy) {
    requireOwner(id);
    locked(() -> {
      JobState cur = state(id);
      if (cur.status() != JobStatus.PENDING) {
        throw new JobsException("wrong-status", "cannot approve job " + id.shortId() + ": it is " + cur.status()
            + " (only pending jobs can be approved)");
      }
      String hash;
      try {
        hash = TreeHash.of(layout.jobDir(id));
      } catch (IOException e) {
        throw new JobsException("jobs-io", "cannot hash job " + id.shortId() + ": " + e.getMessage(), e);
      }
      JobRecord r = record(id);
      if (r.receivedHash() != null && !r.receivedHash().equals(hash)) {
        throw new JobsException("content-changed", "refusing to approve " + id.shortId() + ": its files changed since"
            + " it was received (received " + Runner.shortHash(r.receivedHash()) + ", now " + Runner.shortHash(hash)
            + "); reject it and ask for a new submission");
      }
      putRecord(id, r.approved(hash, policy));
      writeState(id, cur.approved(me, now(), method, reason));
      return null;
    });
    return info(id);
  }

  public JobInfo reject(JobId id, String reason) {
    requireOwner(id);
    transition(id, EnumSet.of(JobStatus.PENDING), "reject", s -> s.rejected(me, now(), reason));
    return info(id);
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
  public JobInfo share(JobId id, Set<Release> parts) {
    requireOwner(id);
    if (parts == null || parts.isEmpty()) {
      throw new JobsException("invalid-job", "say what to release: outputs, logs or both");
    }
    locked(() -> {
      JobStatus s = state(id).status();
      if (s != JobStatus.DONE && s != JobStatus.FAILED) {
        throw new JobsException("wrong-status", "nothing to share for " + id.shortId() + " yet: it is " + s);
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
    return info(id);
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

  public JobInfo rerun(JobId id) {
    requireOwner(id);
    locked(() -> {
      transition(id, EnumSet.of(JobStatus.DONE, JobStatus.FAILED), "rerun",
          s -> s.completed(JobStatus.APPROVED, null, null));
      Path r = layout.reviewDir(id);
      try {
        for (String f : Layout.LOG_FILES) {
          Files.deleteIfExists(r.resolve(f));
        }
        Fs.deleteTree(r.resolve("outputs"));
      } catch (IOException e) {
        throw new JobsException("jobs-io", "cannot clear the results of " + id.shortId() + ": " + e.getMessage(), e);
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
    return info(id);
  }

  public JobInfo deposit(JobId id, Path result) {
    requireOwner(id);
    Path src = result.toAbsolutePath().normalize();
    if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
      throw new JobsException("invalid-job", "nothing to deposit: " + src + " does not exist");
    }
    locked(() -> {
      JobState cur = state(id);
      if (cur.status() != JobStatus.PENDING && cur.status() != JobStatus.APPROVED) {
        throw new JobsException("wrong-status", "cannot deposit a result for " + id.shortId() + ": it is "
            + cur.status() + " (needs pending or approved)");
      }
      hideResults(id);
      Path out = layout.outputsDir(id);
      try {
        Files.createDirectories(out);
        Path dest = out.resolve(src.getFileName().toString());
        if (Files.isDirectory(src)) {
          Fs.deleteTree(dest);
          Fs.copyTree(src, dest, rel -> true);
        } else {
          Fs.writeAtomic(dest, Files.readAllBytes(src));
        }
      } catch (IOException e) {
        throw new JobsException("jobs-io", "cannot deposit " + src + ": " + e.getMessage(), e);
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
    return info(id);
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
      try {
        transition(id, EnumSet.of(JobStatus.RUNNING), "recover", st -> st.completed(JobStatus.FAILED, now(), -1)
            .withReason("the runner stopped while this job was running (crash or kill); marked failed"));
        n++;
        LOG.warn("job {} was left running by a runner that is gone; marked failed", id.shortId());
      } catch (JobsException e) {
        LOG.debug("{} changed meanwhile: {}", id, e.getMessage());
      }
    }
    return n;
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

  // ------------------------------------------------------------------ running

  /** Runs an approved job of the own datasite and releases nothing: results stay hidden until shared. */
  public RunResult run(JobId id) {
    requireOwner(id);
    Sandbox.Probe probe = Runner.sandboxFor(options, id.shortId());
    JobConfig c = config(id).orElseThrow(() -> new JobsException("invalid-job", "job " + id.shortId()
        + " has no readable config.yaml"));
    try (Locks.Held runLock = Locks.run(layout.runLock(id))) {
      if (runLock == null) {
        throw new JobsException("wrong-status", "job " + id.shortId() + " is being run by another runner");
      }
      String[] bound = new String[1];
      locked(() -> {
        JobRecord r = record(id);
        JobState cur = state(id);
        if (cur.status() != JobStatus.APPROVED) {
          throw new JobsException("wrong-status", "cannot run job " + id.shortId() + ": it is " + cur.status()
              + " (only approved jobs run)");
        }
        bound[0] = r.approvedHash() != null ? r.approvedHash() : r.receivedHash();
        if (bound[0] == null) {
          throw new JobsException("content-changed", "refusing to run " + id.shortId() + ": no content hash was"
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
    Path work = layout.workRoot().resolve(id.submitter()).resolve(id.name() + "-" + start.toEpochMilli());
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
      o = Runner.run(new Runner.Plan(id.shortId(), c, layout.jobDir(id), approvedHash, me, home.dir(), mounts, work,
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
        Fs.writeAtomic(review.resolve("stdout.txt"), "");
        Fs.writeAtomic(review.resolve("stderr.txt"), "[syft-java] " + failure + "\n");
      }
      Fs.writeAtomic(review.resolve("returncode.txt"), Integer.toString(rc));
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
      Fs.deleteQuietly(work);
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
    Fs.deleteTree(out);
    Files.createDirectories(out);
    List<String> copied = new ArrayList<>();
    for (String link : Fs.links(o.outputsDir())) {
      notes.add("not released: outputs/" + link + " is a link or special file");
    }
    long total = 0;
    long cap = options.limits().outputBytes();
    for (Map.Entry<String, Path> e : Fs.files(o.outputsDir(), rel -> true).entrySet()) {
      long size = Files.size(e.getValue());
      if (total + size > cap) {
        notes.add("outputs larger than " + cap + " bytes: the rest was not released");
        break;
      }
      total += size;
      Fs.writeAtomic(out.resolve(e.getKey()), Files.readAllBytes(e.getValue()));
      copied.add(e.getKey());
    }
    Fs.writeAtomic(review.resolve("stdout.txt"), Files.readAllBytes(o.stdout()));
    Fs.writeAtomic(review.resolve("stderr.txt"), Files.readAllBytes(o.stderr()));
    return copied;
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
