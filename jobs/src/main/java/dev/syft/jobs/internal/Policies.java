package dev.syft.jobs.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.jobs.ApprovalPolicy;
import dev.syft.jobs.JobConfig;
import dev.syft.jobs.JobId;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.JobKind;
import dev.syft.jobs.JobState;
import dev.syft.jobs.JobStatus;
import dev.syft.jobs.JobsException;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.hash.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;

/** The data owner's auto-approval policies ({@code .syft/jobs/policies.json}) and their matching. */
public final class Policies {
  private static final Logger LOG = LoggerFactory.getLogger(Policies.class);
  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final JobStore jobs;
  private final JobParts parts;

  public Policies(JobParts parts) {
    this.parts = parts;
    this.jobs = parts.store();
  }

  /** What a job would make the owner execute, reduced to what must match exactly. */
  public record Fingerprint(JobKind kind, String entrypoint, List<String> dependencies, List<String> datasets,
      Map<String, String> files, String runScriptSha256) {
    public String hash() {
      StringBuilder sb = new StringBuilder("syft-java approval fingerprint v1\n");
      sb.append("kind ").append(kind.id()).append('\n');
      sb.append("entrypoint ").append(entrypoint == null ? "-" : entrypoint).append('\n');
      dependencies.forEach(d -> sb.append("dependency ").append(d).append('\n'));
      new TreeSet<>(datasets).forEach(d -> sb.append("dataset ").append(d).append('\n'));
      new TreeMap<>(files).forEach((p, h) -> sb.append("file ").append(h).append("  ").append(p).append('\n'));
      if (runScriptSha256 != null) {
        sb.append("run.sh ").append(runScriptSha256).append('\n');
      }
      return Hashes.sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The fingerprint of a received job of the own datasite. */
  public Fingerprint of(JobId id) throws IOException {
    JobConfig c = jobs.config(id).orElseThrow(() -> new JobsException(ErrorCode.INVALID_JOB, "job " + id.shortId()
        + " has no readable config.yaml"));
    Path dir = jobs.layout().jobDir(id);
    JobKind kind = c.kind();
    List<String> deps = kind == JobKind.PYTHON ? Runner.pythonDependencies(c) : c.dependencies();
    List<String> ds = DatasetRefs.resolve(c, dir.resolve("code"), id.owner()).names();
    Map<String, String> files = TreeHash.fileHashes(dir.resolve("code"));
    String run = kind == JobKind.BASH ? Hashes.sha256Hex(Files.readAllBytes(dir.resolve("run.sh"))) : null;
    return new Fingerprint(kind, c.entrypoint(), deps, ds, files, run);
  }

  /** The fingerprint a job made of these files would have (for {@code policy add --files}). */
  public static Fingerprint ofFiles(List<Path> paths, String entrypoint, List<String> deps) throws IOException {
    Map<String, byte[]> code = new TreeMap<>();
    for (Path p : paths) {
      Path a = p.toAbsolutePath().normalize();
      if (Files.isDirectory(a)) {
        for (var e : DatasiteFiles.files(a, TreeHash::content).entrySet()) {
          put(code, e.getKey(), Files.readAllBytes(e.getValue()));
        }
      } else if (Files.isRegularFile(a)) {
        put(code, a.getFileName().toString(), Files.readAllBytes(a));
      } else {
        throw new JobsException(ErrorCode.INVALID_POLICY, "no such file: " + a);
      }
    }
    if (code.isEmpty()) {
      throw new JobsException(ErrorCode.INVALID_POLICY, "no files to approve");
    }
    Map<String, String> hashes = new TreeMap<>();
    code.forEach((k, v) -> hashes.put(k, Hashes.sha256Hex(v)));
    if (code.size() == 1 && code.keySet().iterator().next().endsWith(".sh")) {
      byte[] script = code.values().iterator().next();
      return new Fingerprint(JobKind.BASH, null, List.of(), List.of(), Map.of("script.sh", Hashes.sha256Hex(script)),
          Hashes.sha256Hex(script));
    }
    JobKind kind = code.keySet().stream().anyMatch(k -> k.endsWith(".py")) ? JobKind.PYTHON : JobKind.JAVA;
    String e = entrypoint;
    if (e == null) {
      List<String> top = code.keySet().stream().filter(k -> !k.contains("/")).toList();
      if (kind == JobKind.PYTHON) {
        List<String> py = top.stream().filter(k -> k.endsWith(".py")).toList();
        e = top.contains("main.py") ? "main.py" : py.size() == 1 ? py.get(0) : null;
      } else {
        List<String> jars = top.stream().filter(k -> k.endsWith(".jar") || k.endsWith(".java")).toList();
        e = jars.size() == 1 ? jars.get(0) : null;
      }
      if (e == null) {
        throw new JobsException(ErrorCode.INVALID_POLICY, "Could not auto-detect entrypoint among " + code.keySet()
            + "; use --entrypoint");
      }
    } else if (!code.containsKey(e)) {
      throw new JobsException(ErrorCode.INVALID_POLICY, "entrypoint " + e + " is not one of the files " + code.keySet());
    }
    return new Fingerprint(kind, e, deps == null ? List.of() : List.copyOf(deps), DatasetRefs.detect(code), hashes,
        null);
  }

  private static void put(Map<String, byte[]> code, String rel, byte[] b) {
    if (code.put(rel, b) != null) {
      throw new JobsException(ErrorCode.INVALID_POLICY, "two files would be '" + rel + "' in the job");
    }
  }

  // ------------------------------------------------------------------ store

  public List<ApprovalPolicy> list() {
    Path f = jobs.layout().policiesFile();
    if (!Files.isRegularFile(f)) {
      return List.of();
    }
    try {
      return JobStore.JSON.readValue(Files.readString(f), new TypeReference<List<ApprovalPolicy>>() {});
    } catch (IOException | tools.jackson.core.JacksonException e) {
      throw new JobsException(ErrorCode.INVALID_POLICY, "cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  private void save(List<ApprovalPolicy> all) {
    try {
      DatasiteFiles.writeAtomic(jobs.layout().policiesFile(), JobStore.JSON.writeValueAsString(all));
    } catch (IOException e) {
      throw new JobsException(ErrorCode.JOBS_IO, "cannot save the policies: " + e.getMessage(), e);
    }
  }

  public ApprovalPolicy add(String name, Fingerprint f, List<String> peers, boolean anyPeer, String source) {
    if (!anyPeer && peers.isEmpty()) {
      throw new JobsException(ErrorCode.INVALID_POLICY, "say whose jobs the policy approves: --peer EMAIL (repeatable) or --any");
    }
    return jobs.locked(() -> {
      List<ApprovalPolicy> all = new ArrayList<>(list());
      String n = name;
      if (n == null || n.isBlank()) {
        String base = f.entrypoint() == null ? "policy" : f.entrypoint().replaceAll("\\.[^.]*$", "")
            .replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) {
          base = "policy";
        }
        n = base;
        for (int i = 1; exists(all, n); i++) {
          n = base + "_" + i;
        }
      } else if (!NAME.matcher(n).matches()) {
        throw new JobsException(ErrorCode.INVALID_POLICY, "policy name '" + n + "' is not allowed (letters, digits, '.', '_', '-')");
      } else if (exists(all, n)) {
        throw new JobsException(ErrorCode.INVALID_POLICY, "a policy named '" + n + "' exists; remove it first or choose another name");
      }
      ApprovalPolicy p = new ApprovalPolicy(n, peers, anyPeer, f.hash(), f.kind().id(), f.entrypoint(), f.dependencies(),
          f.datasets(), f.files(), f.runScriptSha256(), source, Times.format(jobs.now()));
      all.add(p);
      save(all);
      return p;
    });
  }

  private static boolean exists(List<ApprovalPolicy> all, String n) {
    return all.stream().anyMatch(p -> p.name().equals(n));
  }

  public void remove(String name) {
    jobs.locked(() -> {
      List<ApprovalPolicy> all = new ArrayList<>(list());
      if (!all.removeIf(p -> p.name().equals(name))) {
        throw new JobsException(ErrorCode.INVALID_POLICY, "no policy named '" + name + "' (see 'syft jobs policy list')");
      }
      save(all);
      return null;
    });
  }

  /** Why {@code p} does not approve a job with fingerprint {@code f}, or null when it does. */
  public static String mismatch(ApprovalPolicy p, Fingerprint f) {
    if (p.fingerprint().equals(f.hash())) {
      return null;
    }
    List<String> why = new ArrayList<>();
    if (!p.kind().equals(f.kind().id())) {
      why.add("kind " + f.kind().id() + " instead of " + p.kind());
    }
    if (!java.util.Objects.equals(p.entrypoint(), f.entrypoint())) {
      why.add("entrypoint " + f.entrypoint() + " instead of " + p.entrypoint());
    }
    if (!p.dependencies().equals(f.dependencies())) {
      why.add("dependencies " + f.dependencies() + " instead of " + p.dependencies());
    }
    if (!new TreeSet<>(p.datasets()).equals(new TreeSet<>(f.datasets()))) {
      why.add("datasets " + f.datasets() + " instead of " + p.datasets());
    }
    TreeSet<String> missing = new TreeSet<>(p.files().keySet());
    missing.removeAll(f.files().keySet());
    TreeSet<String> extra = new TreeSet<>(f.files().keySet());
    extra.removeAll(p.files().keySet());
    if (!missing.isEmpty()) {
      why.add("missing files: " + missing);
    }
    if (!extra.isEmpty()) {
      why.add("extra files: " + extra);
    }
    for (var e : p.files().entrySet()) {
      String h = f.files().get(e.getKey());
      if (h != null && !h.equals(e.getValue())) {
        why.add("file content differs: " + e.getKey());
      }
    }
    if (!java.util.Objects.equals(p.runScriptSha256(), f.runScriptSha256())) {
      why.add("run.sh differs");
    }
    return why.isEmpty() ? "fingerprint differs" : String.join("; ", why);
  }

  /** Approves every pending own job some policy matches; returns them. */
  public List<JobInfo> apply() {
    List<ApprovalPolicy> all = list();
    List<JobInfo> approved = new ArrayList<>();
    if (all.isEmpty()) {
      return approved;
    }
    for (JobId id : jobs.jobsAt(jobs.me())) {
      JobState s;
      try {
        s = jobs.state(id);
      } catch (JobsException e) {
        continue;
      }
      if (s.status() != JobStatus.PENDING) {
        continue;
      }
      try {
        Fingerprint f = of(id);
        for (ApprovalPolicy p : all) {
          if (!p.appliesTo(id.submitter())) {
            continue;
          }
          String why = mismatch(p, f);
          if (why == null) {
            parts.lifecycle().approve(id, "auto-approved by policy " + p.name(), "auto", p.name());
            approved.add(parts.views().info(id));
            LOG.info("auto-approved {} (policy {})", id.shortId(), p.name());
            break;
          }
          LOG.debug("policy {} does not match {}: {}", p.name(), id.shortId(), why);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not check {} against the policies: {}", id.shortId(), e.getMessage());
      }
    }
    return approved;
  }
}
