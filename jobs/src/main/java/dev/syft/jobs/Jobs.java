package dev.syft.jobs;

import dev.syft.core.DatasiteFiles;
import dev.syft.core.Home;
import dev.syft.core.Peer;
import dev.syft.core.SyftClient;
import dev.syft.core.SyncReport;
import dev.syft.jobs.internal.Groups;
import dev.syft.jobs.internal.JobParts;
import dev.syft.jobs.internal.Layout;
import dev.syft.jobs.internal.Policies;
import dev.syft.jobs.internal.Runner;
import dev.syft.jobs.internal.Sandbox;
import dev.syft.jobs.internal.Submitter;
import dev.syft.jobs.internal.Times;
import dev.syft.protocol.model.PeerState;
import dev.syft.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs of one client: submit code to data owners (data scientist), review, run and release results
 * (data owner), and standing auto-approvals. Built on a {@link SyftClient}.
 *
 * <pre>{@code
 * // data scientist
 * Jobs ds = Jobs.of(dsClient);
 * ds.submit(SubmitRequest.of(Path.of("analysis/"), "do@hospital.example").withName("census-mean"));
 * // data owner, after a sync
 * Jobs owner = Jobs.of(doClient);
 * owner.approve("ds@uni.example/census-mean", "looks fine");
 * owner.run("ds@uni.example/census-mean");
 * owner.share("ds@uni.example/census-mean", EnumSet.of(Release.OUTPUTS)); // logs only when named
 * doClient.sync();
 * }</pre>
 *
 * <p>Job ids: {@code <submitter>/<job>} on the own datasite, {@code <owner>/<submitter>/<job>} for
 * submissions seen in replicas; any unambiguous shorter form (e.g. the bare name) is accepted.
 *
 * <p>Contracts: every state change is an atomic compare-and-set (two approvers or runners never both
 * act); a received job can no longer be changed by its submitter (the owner's sync engine rejects
 * such proposals); approval records the hash of the whole job and a run refuses other content; runs
 * happen in a private folder under {@code .syft/jobs/work}, isolated (bubblewrap, else namespaces) or refused;
 * outputs and logs stay hidden from the submitter until {@link #share}. Only {@link #submit} syncs;
 * review results reach the submitter with the owner's next sync. Not thread-safe in the sense of
 * {@link SyftClient}, but state changes are safe across threads and processes.
 */
public final class Jobs {
  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  private final SyftClient client;
  private final Clock clock;
  private final RunOptions options;
  private final JobParts parts;

  private Jobs(SyftClient client, RunOptions options, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.options = options;
    Home home = client.home();
    this.parts = JobParts.of(home, JobParts.outsideRound(client::permissions), clock, options);
  }

  /** Jobs of {@code client}, with default run options ({@code jobs.require_sandbox} from its config) and its clock. */
  public static Jobs of(SyftClient client) {
    return of(client, RunOptions.defaults(client.home().config().requireSandbox()), client.clock());
  }

  /** Jobs of {@code client} with explicit run options and clock (tests, embedders). */
  public static Jobs of(SyftClient client, RunOptions options, Clock clock) {
    return new Jobs(client, options, clock);
  }

  public RunOptions options() {
    return options;
  }

  public Jobs withOptions(RunOptions o) {
    return new Jobs(client, o, clock);
  }

  /**
   * How runs here are isolated, and why not when they are not: the strongest mode that works (or
   * the one the options force), else what happens instead.
   */
  public String sandboxStatus() {
    if (options.sandbox() == SandboxMode.OFF || options.isolation() == Isolation.NONE) {
      return "off (turned off in the run options)";
    }
    List<String> why = new ArrayList<>();
    List<Isolation> modes = options.isolation() != null ? List.of(options.isolation())
        : List.of(Isolation.BUBBLEWRAP, Isolation.NAMESPACES);
    for (Isolation m : modes) {
      Sandbox.Probe p = Sandbox.probe(m, options.sandboxUid());
      if (p.available()) {
        return m.id() + (p.root() ? " (root: jobs run as uid " + options.sandboxUid() + ")" : "");
      }
      why.add(m.id() + ": " + p.reason());
    }
    return "unavailable (" + String.join("; ", why) + ")" + (options.sandbox() == SandboxMode.REQUIRE
        ? ": runs are refused; " + Runner.REFUSAL_FIX : ": jobs run NOT isolated (jobs.require_sandbox is false)");
  }

  /** The isolation a run would use now, or {@link Isolation#NONE} when none works or it is turned off. */
  public Isolation isolation() {
    if (options.sandbox() == SandboxMode.OFF || options.isolation() == Isolation.NONE) {
      return Isolation.NONE;
    }
    try {
      return Runner.sandboxFor(options.withSandbox(SandboxMode.AUTO), "-").mode();
    } catch (JobsException e) {
      return Isolation.NONE;
    }
  }

  // ------------------------------------------------------------------ data scientist

  /**
   * Submits a job: validates it, writes it into the replica of each data owner's datasite
   * ({@code <owner>/app_data/job/inbox/<me>/<name>/}) and syncs once, which proposes each job as one
   * message. Several owners form a group with the job name as id.
   *
   * @throws JobsException for an invalid job or name, a duplicate name, or an owner that is not an
   *     approved peer or is skipped (e.g. an incompatible version)
   */
  public JobGroup submit(SubmitRequest request) {
    return submit(request, true);
  }

  /** {@link #submit(SubmitRequest)}, optionally without the sync (the files wait for the next one). */
  public JobGroup submit(SubmitRequest request, boolean sync) {
    String me = client.email();
    List<String> owners = new ArrayList<>();
    for (String t : new LinkedHashSet<>(request.to())) {
      owners.add(Home.normalizeEmail(t));
    }
    Map<String, Peer> peers = new LinkedHashMap<>();
    client.peers().list().forEach(p -> peers.put(p.email(), p));
    for (String o : owners) {
      if (o.equals(me)) {
        throw new JobsException(ErrorCode.PEER_UNAVAILABLE, "you cannot submit a job to yourself (" + me + ")");
      }
      Peer p = peers.get(o);
      if (p == null || p.state() != PeerState.ACCEPTED) {
        throw new JobsException(ErrorCode.PEER_UNAVAILABLE, o + " is not an approved peer" + (p == null ? ""
            : " (" + p.state() + ")") + ": ask them with 'syft peers add " + o + "' and wait for their approval");
      }
      if (p.skipReason() != null) {
        throw new JobsException(ErrorCode.PEER_UNAVAILABLE, "not submitting to " + o + ": sync skips this peer ("
            + p.skipReason() + ")");
      }
    }
    Submitter.Prepared prepared;
    try {
      prepared = Submitter.prepare(request);
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot read the job's code: " + e.getMessage(), e);
    }
    Layout layout = parts.store().layout();
    Groups groups = new Groups(layout);
    if (groups.exists(prepared.name())) {
      throw new JobsException(ErrorCode.DUPLICATE_JOB, "you already submitted a job named '" + prepared.name()
          + "'; choose another --name");
    }
    for (String o : owners) {
      if (Files.exists(layout.jobDir(new JobId(o, me, prepared.name())))) {
        throw new JobsException(ErrorCode.DUPLICATE_JOB, "a job named '" + prepared.name() + "' already exists at " + o
            + "; choose another --name");
      }
    }
    java.time.Instant now = Times.micros(clock.instant());
    String install = Optional.ofNullable(System.getenv("SYFT_CLIENT_INSTALL_SOURCE")).filter(s -> !s.isBlank())
        .orElse(Submitter.DEFAULT_INSTALL_SOURCE);
    List<Path> written = new ArrayList<>();
    try {
      for (String o : owners) {
        Map<String, List<String>> ds = request.datasets().isEmpty() ? null : Map.of(o, request.datasets());
        JobConfig c = Submitter.config(prepared, now, install, request.dependencies(), ds);
        Path dir = layout.jobDir(new JobId(o, me, prepared.name()));
        Submitter.write(prepared, c, Submitter.runScript(prepared, c), dir);
        written.add(dir);
      }
    } catch (IOException | RuntimeException e) {
      written.forEach(DatasiteFiles::deleteQuietly); // all owners or none
      if (e instanceof JobsException je) {
        throw je;
      }
      throw new JobsException(ErrorCode.JOBS_IO, "cannot write the job: " + e.getMessage(), e);
    }
    groups.save(new Groups.Group(prepared.name(), prepared.name(), Times.format(now), owners));
    if (sync) {
      SyncReport r = client.sync();
      for (String o : owners) {
        if (r.peerErrors().containsKey(o)) {
          LOG.warn("the job for {} waits for the next sync: {}", o, r.peerErrors().get(o));
        }
      }
    }
    return group(prepared.name());
  }

  /** The groups this client submitted, newest first. */
  public List<JobGroup> groups() {
    List<JobGroup> out = new ArrayList<>();
    for (Groups.Group g : new Groups(parts.store().layout()).all()) {
      out.add(toGroup(g));
    }
    return out;
  }

  /** One group with every member's current state (as last synced). */
  public JobGroup group(String id) {
    return toGroup(new Groups(parts.store().layout()).get(id).orElseThrow(() -> new JobsException("no-such-job",
        "no job group '" + id + "'")));
  }

  private JobGroup toGroup(Groups.Group g) {
    List<JobInfo> members = new ArrayList<>();
    for (String o : g.owners()) {
      JobId id = new JobId(o, client.email(), g.name());
      Optional<JobConfig> c = parts.store().config(id);
      if (c.isPresent()) {
        members.add(parts.views().info(id));
      }
    }
    return new JobGroup(g.id(), g.name(), Times.parseOrNull(g.submittedAt()), members);
  }

  /**
   * Copies the released outputs of every member of a group into {@code into/<owner>/}. Members whose
   * outputs are not shared (or not synced) yet are reported, not waited for.
   */
  public CollectResult collect(String groupId, Path into) {
    Groups.Group g = new Groups(parts.store().layout()).get(groupId).orElseThrow(() -> new JobsException("no-such-job",
        "no job group '" + groupId + "'"));
    List<CollectResult.Member> members = new ArrayList<>();
    Path base = into.toAbsolutePath().normalize();
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (String o : g.owners()) {
      JobId id = new JobId(o, client.email(), g.name());
      if (!parts.store().outputFiles(id).isEmpty()) {
        sizes.put(o, treeSize(parts.store().layout().outputsDir(id)));
      }
    }
    dev.syft.core.ProgressListener progress = client.progress();
    long total = sizes.values().stream().mapToLong(Long::longValue).sum();
    if (!sizes.isEmpty()) {
      progress.begin(String.format("collecting the outputs of %,d job(s), %,d byte(s): %s", sizes.size(), total, g.name()),
          total);
    }
    try {
      for (String o : g.owners()) {
        members.add(collectOne(g, o, base));
        progress.advance(sizes.getOrDefault(o, 0L));
      }
    } finally {
      if (!sizes.isEmpty()) {
        progress.end();
      }
    }
    return new CollectResult(g.id(), base.toString(), members);
  }

  private static long treeSize(Path dir) {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0; // the copy reports the error
    }
  }

  private CollectResult.Member collectOne(Groups.Group g, String o, Path base) {
    JobId id = new JobId(o, client.email(), g.name());
    JobStatus s = parts.store().state(id).status();
    List<String> files = parts.store().outputFiles(id);
    if (files.isEmpty()) {
      String note = switch (s) {
        case DONE, FAILED -> "no outputs released yet: ask " + o + " to share them, then sync";
        case REJECTED -> "rejected: " + Optional.ofNullable(parts.store().state(id).reviewReason()).orElse("no reason given");
        default -> "not finished (" + s + "); sync later";
      };
      return new CollectResult.Member(o, s.wire(), false, List.of(), note);
    }
    try {
      Path dest = base.resolve(o);
      List<String> copied = DatasiteFiles.copyTree(parts.store().layout().outputsDir(id), dest,
          rel -> !rel.endsWith("syft.pub.yaml"));
      return new CollectResult.Member(o, s.wire(), true, copied, null);
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot copy the outputs of " + o + ": " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------ both roles

  /**
   * Every job this client knows (its own inbox and the submissions in its replicas), newest first.
   * On the own datasite, new submissions are validated first, and jobs a crashed runner left
   * {@code running} are marked failed.
   */
  public List<JobInfo> list() {
    parts.lifecycle().recoverStale();
    parts.lifecycle().receiveAll();
    parts.release().hideUnreleased();
    return parts.views().list();
  }

  /**
   * Like {@link #list()} without re-hashing each own job's files: {@link JobInfo#contentHash()} is null
   * and {@link JobInfo#changed()} false. For read paths that need ids and states only (status).
   */
  public List<JobInfo> listWithoutHashes() {
    parts.lifecycle().recoverStale();
    parts.lifecycle().receiveAll();
    parts.release().hideUnreleased();
    return parts.views().list(false);
  }

  public JobInfo get(String id) {
    return parts.views().info(parts.store().resolve(id));
  }

  /**
   * Everything to review: every file the content hash covers (binary files flagged, text decoded
   * with invalid bytes replaced), what would execute, the logs, and which files each release part
   * would send.
   */
  public JobDetails show(String id) {
    return parts.views().details(parts.store().resolve(id));
  }

  public JobLogs logs(String id) {
    return parts.views().logs(parts.store().resolve(id));
  }

  /** Output files present here (the owner's after a run; the submitter's once shared and synced). */
  public List<Path> outputs(String id) {
    JobId j = parts.store().resolve(id);
    Path dir = parts.store().layout().outputsDir(j);
    return parts.store().outputFiles(j).stream().map(dir::resolve).toList();
  }

  // ------------------------------------------------------------------ data owner

  /** Validates new submissions now (a sync does it too). Returns how many were received. */
  public int receive() {
    return parts.lifecycle().receiveAll();
  }

  /** Approves a pending job, binding the approval to the hash of its whole content. */
  public JobInfo approve(String id, String reason) {
    JobId j = parts.store().ownJob(id);
    parts.lifecycle().approve(j, reason, "manual", null);
    return parts.views().info(j);
  }

  public JobInfo reject(String id, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new JobsException(ErrorCode.INVALID_JOB, "give a reason for the rejection; the submitter sees it");
    }
    JobId j = parts.store().ownJob(id);
    parts.lifecycle().reject(j, reason);
    return parts.views().info(j);
  }

  /**
   * Runs an approved job now (blocking up to its time limit). Results stay hidden from the submitter
   * until {@link #share}.
   *
   * @throws JobsException when the job is not approved, is running elsewhere, or the sandbox is
   *     required and missing
   */
  public RunResult run(String id) {
    return parts.runs().run(parts.store().ownJob(id));
  }

  /**
   * Cancels a running job of the own datasite on its executor: with {@code jobs.executor: slurm} this is
   * {@code scancel}; the runner waiting for it then records it as failed ("cancelled").
   *
   * @throws JobsException {@code wrong-status} when the job is not running or its executor cannot cancel it
   */
  public void cancel(String id) {
    parts.runs().cancel(parts.store().ownJob(id));
  }

  /**
   * Runs every approved job of the own datasite and waits for them: on Slurm submitted together as
   * one array, locally one after the other.
   */
  public List<RunResult> runApproved() {
    List<RunResult> out = new ArrayList<>();
    List<JobId> ids = parts.store().approvedJobs();
    // on Slurm they go as one array; locally one after the other (sandbox-required is thrown for all)
    List<java.util.concurrent.CompletableFuture<RunResult>> started = parts.runs().startAll(ids);
    for (int i = 0; i < ids.size(); i++) {
      try {
        out.add(started.get(i).join());
      } catch (java.util.concurrent.CompletionException e) {
        LOG.warn("not running {}: {}", ids.get(i).shortId(), e.getCause() != null ? e.getCause().getMessage()
            : e.getMessage());
      }
    }
    return out;
  }

  /**
   * Releases exactly the named parts of a finished job's results to its submitter (delivered with
   * the next sync), e.g. {@code share(id, EnumSet.of(Release.OUTPUTS))}. {@link #show} lists the
   * files each part would send.
   *
   * @throws JobsException when {@code parts} is empty or the job is not done or failed
   */
  public JobInfo share(String id, Set<Release> parts) {
    JobId j = this.parts.store().ownJob(id);
    this.parts.release().share(j, parts);
    return this.parts.views().info(j);
  }

  /** Puts a finished job back to approved, clearing (and hiding again) its results. */
  public JobInfo rerun(String id) {
    JobId j = parts.store().ownJob(id);
    parts.lifecycle().rerun(j);
    return parts.views().info(j);
  }

  /** Completes a pending or approved job with a result the owner provides (hidden until shared). */
  public JobInfo deposit(String id, Path result) {
    JobId j = parts.store().ownJob(id);
    parts.lifecycle().deposit(j, result);
    return parts.views().info(j);
  }

  /** Marks jobs left running by a crashed runner as failed. */
  public int recoverStale() {
    return parts.lifecycle().recoverStale();
  }

  // ------------------------------------------------------------------ auto-approval

  /** A policy approving future jobs with the same fingerprint as job {@code jobId}. */
  public ApprovalPolicy addPolicyFromJob(String name, String jobId, List<String> peers, boolean anyPeer) {
    JobId id = parts.store().ownJob(jobId);
    Policies p = new Policies(parts);
    try {
      List<String> who = peers.isEmpty() && !anyPeer ? List.of(id.submitter()) : normalize(peers);
      return p.add(name, p.of(id), who, anyPeer, "job " + id.shortId());
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot read job " + id.shortId() + ": " + e.getMessage(), e);
    }
  }

  /** A policy approving future jobs made of exactly these files (Python unless one .sh / Java files). */
  public ApprovalPolicy addPolicyFromFiles(String name, List<Path> files, String entrypoint, List<String> dependencies,
      List<String> peers, boolean anyPeer) {
    try {
      return new Policies(parts).add(name, Policies.ofFiles(files, entrypoint, dependencies), normalize(peers),
          anyPeer, "files");
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot read the files: " + e.getMessage(), e);
    }
  }

  private static List<String> normalize(List<String> peers) {
    return peers.stream().map(Home::normalizeEmail).distinct().toList();
  }

  public List<ApprovalPolicy> policies() {
    return new Policies(parts).list();
  }

  public void removePolicy(String name) {
    new Policies(parts).remove(name);
  }

  /** Approves the pending jobs a policy matches (a sync does it too). */
  public List<JobInfo> applyPolicies() {
    parts.lifecycle().receiveAll();
    return new Policies(parts).apply();
  }

  /** Why a policy does or does not match a job ({@code null} when it matches). */
  public String explainPolicy(String policyName, String jobId) {
    JobId id = parts.store().ownJob(jobId);
    Policies p = new Policies(parts);
    ApprovalPolicy pol = p.list().stream().filter(x -> x.name().equals(policyName)).findFirst()
        .orElseThrow(() -> new JobsException(ErrorCode.INVALID_POLICY, "no policy named '" + policyName + "'"));
    try {
      String why = Policies.mismatch(pol, p.of(id));
      if (why == null && !pol.appliesTo(id.submitter())) {
        return "the policy does not cover submitter " + id.submitter();
      }
      return why;
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot read job " + id.shortId() + ": " + e.getMessage(), e);
    }
  }
}
