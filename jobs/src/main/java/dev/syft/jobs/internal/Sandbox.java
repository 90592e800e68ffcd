package dev.syft.jobs.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.jobs.Isolation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandboxes a job runs in, and the probes that tell which of them work on this machine.
 *
 * <p>{@link Isolation#BUBBLEWRAP} and {@link Isolation#NAMESPACES} build the same view: new PID,
 * network (so no network at all: only a down loopback), mount, IPC and UTS namespaces; a root file
 * system made of read-only system folders, a few {@code /etc} files, the interpreters, the datasets
 * the job may read, a private writable job folder and size-limited {@code /tmp} and {@code /dev/shm};
 * nothing of the data owner's home. The namespaces variant sets this up itself with util-linux
 * ({@code unshare}, {@code mount}, {@code pivot_root}, {@code setpriv}) for machines without bubblewrap.
 *
 * <p>Run as root, the namespaces are created with root's privileges and {@code setpriv} then switches
 * to an unprivileged uid with no capabilities and {@code no_new_privs} (so {@code ulimit -u} counts,
 * which it does not for root). Run as a normal user, an unprivileged user namespace maps the user to
 * root inside for the set-up; the job itself runs with every capability dropped.
 *
 * <p>{@link Isolation#NONE} (only with an explicit opt-out) still runs the job in a PID namespace when
 * one can be made, so every process it starts dies with it; otherwise the runner kills the job's
 * process group and every descendant it has seen, which a double-forked daemon can escape.
 */
public final class Sandbox {
  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
  /** Inside the sandbox. */
  public static final String JOB = "/job";
  public static final String HOME = "/home/job";
  public static final String SHIM = "/opt/syft/python";
  public static final String WRAPPER = "/opt/syft/run.sh";
  public static final String SYFTBOX = "/syftbox";
  /** The uid the job has inside bubblewrap's unprivileged user namespace. */
  static final int USERNS_UID = 1000;
  /**
   * System property: the folders (a path list) where {@code bwrap}, {@code unshare} and
   * {@code setpriv} are looked up instead of {@code PATH}. An empty folder simulates a machine
   * without them (tests, diagnostics).
   */
  public static final String TOOLS_PROPERTY = "syft.jobs.sandbox.tools";
  /**
   * System property (tests): a root runner sets the namespaces sandbox up as this unprivileged uid,
   * through a user namespace, exactly as a normal user's runner does.
   */
  public static final String NAMESPACES_AS_PROPERTY = "syft.jobs.sandbox.namespacesAs";

  private static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();

  private Sandbox() {}

  /**
   * Whether and how one isolation mode works here.
   *
   * @param mode the mode probed
   * @param available a trivial command ran in it (for {@link Isolation#NONE}: always)
   * @param reason why not, when not available (for NONE: why there is no sandbox)
   * @param root the set-up runs with root's privileges (no user namespace)
   * @param tool {@code bwrap} or {@code unshare}; for NONE the {@code unshare} that makes a PID namespace, or null
   * @param setpriv {@code setpriv}, when the mode needs it
   * @param unprivilegedAs a root runner that sets the namespaces up as this uid (tests), else 0
   */
  public record Probe(Isolation mode, boolean available, String reason, boolean root, Path tool, Path setpriv,
      int unprivilegedAs) {
    /** The uid the job has inside. */
    public int insideUid(int sandboxUid) {
      if (root) {
        return sandboxUid;
      }
      return mode == Isolation.BUBBLEWRAP ? USERNS_UID : 0;
    }

    /** The host uid that must own the job's writable folders, or -1 when the runner's own uid does. */
    public int ownerUid(int sandboxUid) {
      if (mode == Isolation.NONE) {
        return -1;
      }
      return root ? sandboxUid : unprivilegedAs > 0 ? unprivilegedAs : -1;
    }

    /** Whether the job's processes all die with it (a PID namespace). */
    public boolean contained() {
      return mode != Isolation.NONE || tool != null;
    }
  }

  /** A read-only mount. */
  public record Mount(Path host, String inside) {}

  /**
   * What to put in the sandbox.
   *
   * @param rootDir an empty folder the namespaces variant mounts its new root on
   */
  public record Spec(Path jobDir, Path homeDir, Path ctlDir, Path rootDir, List<Mount> readOnly, long tmpBytes,
      int sandboxUid) {}

  /** Tests once per mode, uid and tool location whether {@code mode} works here (a trivial command in it). */
  public static Probe probe(Isolation mode, int sandboxUid) {
    String tools = System.getProperty(TOOLS_PROPERTY, "");
    int as = mode == Isolation.NAMESPACES && Host.euid() == 0 ? Integer.getInteger(NAMESPACES_AS_PROPERTY, 0) : 0;
    return PROBES.computeIfAbsent(mode + "|" + sandboxUid + "|" + tools + "|" + as, k -> switch (mode) {
      case BUBBLEWRAP -> probeBwrap(sandboxUid);
      case NAMESPACES -> probeNamespaces(sandboxUid, as);
      case NONE -> probeNone("");
    });
  }

  /** A run without a sandbox, for {@code reason}; contained in a PID namespace when one can be made here. */
  public static Probe none(String reason) {
    Probe p = PROBES.computeIfAbsent("none|" + System.getProperty(TOOLS_PROPERTY, ""), k -> probeNone(""));
    return new Probe(Isolation.NONE, true, reason, p.root(), p.tool(), null, 0);
  }

  /** Finds a sandbox tool ({@link #TOOLS_PROPERTY}, else {@code PATH} and the usual folders). */
  static Optional<Path> tool(String name) {
    String dirs = System.getProperty(TOOLS_PROPERTY);
    if (dirs == null) {
      return Host.which(name);
    }
    for (String d : dirs.split(java.io.File.pathSeparator)) {
      if (!d.isEmpty()) {
        Path p = Path.of(d, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private static Probe probeBwrap(int sandboxUid) {
    Isolation m = Isolation.BUBBLEWRAP;
    Optional<Path> bwrap = tool("bwrap");
    if (bwrap.isEmpty()) {
      return new Probe(m, false, "bubblewrap (bwrap) is not installed", false, null, null, 0);
    }
    boolean root = Host.euid() == 0;
    Path setpriv = null;
    if (root) {
      Optional<Path> sp = tool("setpriv");
      if (sp.isEmpty()) {
        return new Probe(m, false, "running as root needs setpriv (util-linux) to drop privileges inside the sandbox",
            true, bwrap.get(), null, 0);
      }
      setpriv = sp.get();
    }
    return tryOut(new Probe(m, true, null, root, bwrap.get(), setpriv, 0), sandboxUid, "bubblewrap");
  }

  private static Probe probeNamespaces(int sandboxUid, int as) {
    Isolation m = Isolation.NAMESPACES;
    Optional<Path> unshare = tool("unshare");
    Optional<Path> setpriv = tool("setpriv");
    if (unshare.isEmpty() || setpriv.isEmpty()) {
      return new Probe(m, false, "unshare and setpriv (util-linux) are not installed", false, null, null, 0);
    }
    boolean root = Host.euid() == 0 && as <= 0;
    return tryOut(new Probe(m, true, null, root, unshare.get(), setpriv.get(), as), sandboxUid, "unshare");
  }

  private static Probe probeNone(String reason) {
    boolean root = Host.euid() == 0;
    Optional<Path> unshare = tool("unshare");
    if (unshare.isPresent()) {
      List<String> cmd = new ArrayList<>(List.of(unshare.get().toString()));
      if (!root) {
        cmd.addAll(List.of("--user", "--map-current-user"));
      }
      cmd.addAll(List.of("--pid", "--fork", "--kill-child", "--", "/bin/true"));
      String err = tryCommand(cmd);
      if (err == null) {
        return new Probe(Isolation.NONE, true, reason, root, unshare.get(), null, 0);
      }
      LOG.debug("no PID namespace for unsandboxed runs: {}", err);
    }
    return new Probe(Isolation.NONE, true, reason, root, null, null, 0);
  }

  /** Runs a trivial job in {@code candidate}; returns it, or an unavailable probe with the reason. */
  private static Probe tryOut(Probe candidate, int sandboxUid, String what) {
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("syft-sandbox-probe");
      Path job = Files.createDirectories(tmp.resolve("job"));
      Path home = Files.createDirectories(tmp.resolve("home"));
      Path ctl = Files.createDirectories(tmp.resolve("ctl"));
      Path root = Files.createDirectories(tmp.resolve("root"));
      Files.createDirectories(ctl.resolve("python"));
      Files.writeString(ctl.resolve("run.sh"), "exit 0\n");
      writeEtc(ctl, candidate.insideUid(sandboxUid));
      openUp(ctl);
      openUp(root);
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      int owner = candidate.ownerUid(sandboxUid);
      if (owner > 0) {
        chownTree(job, owner);
        chownTree(home, owner);
      }
      String err = tryCommand(command(candidate, new Spec(job, home, ctl, root, List.of(), 1024 * 1024, sandboxUid)));
      if (err != null) {
        return unavailable(candidate, what + " cannot create a sandbox here: " + err);
      }
      return candidate;
    } catch (IOException | UnsupportedOperationException e) {
      return unavailable(candidate, what + " could not be started: " + e.getMessage());
    } finally {
      if (tmp != null) {
        DatasiteFiles.deleteQuietly(tmp);
      }
    }
  }

  private static Probe unavailable(Probe p, String reason) {
    return new Probe(p.mode(), false, reason, p.root(), p.tool(), p.setpriv(), p.unprivilegedAs());
  }

  /** Runs a command with no input; null when it exited 0, else the first line it printed or its exit code. */
  private static String tryCommand(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(8192);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "it did not finish within 20 s";
      }
      if (p.exitValue() == 0) {
        return null;
      }
      String msg = new String(out, StandardCharsets.UTF_8).strip();
      return msg.isEmpty() ? "exit code " + p.exitValue() : msg.lines().findFirst().orElse(msg);
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Writes the sandbox's {@code passwd}, {@code group} and {@code hosts} into {@code ctl}. */
  public static void writeEtc(Path ctl, int uid) throws IOException {
    Files.writeString(ctl.resolve("passwd"), "job:x:" + uid + ":" + uid + ":syft job:" + HOME + ":/bin/bash\n");
    Files.writeString(ctl.resolve("group"), "job:x:" + uid + ":\n");
    Files.writeString(ctl.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
  }

  /** Makes the read-only control folder readable by any uid (umask may have made it private). */
  public static void openUp(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
            Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    } catch (UnsupportedOperationException e) {
      // not POSIX: nothing to open
    }
  }

  /** Gives a tree to the sandbox uid (root runner only): the job writes its folder as that user. */
  public static void chownTree(Path root, int uid) throws IOException {
    try (var s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!Files.isSymbolicLink(p)) {
          Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  /** The full command line of a run in {@code probe}'s mode, ending with the wrapper script. */
  public static List<String> command(Probe probe, Spec spec) throws IOException {
    return switch (probe.mode()) {
      case BUBBLEWRAP -> bwrap(probe, spec);
      case NAMESPACES -> namespaces(probe, spec);
      case NONE -> unsandboxed(probe, spec);
    };
  }

  /** bubblewrap, its mounts, and the wrapper script inside. */
  private static List<String> bwrap(Probe probe, Spec spec) throws IOException {
    List<String> c = new ArrayList<>();
    c.add(probe.tool().toString());
    if (!probe.root()) {
      c.addAll(List.of("--unshare-user", "--uid", Integer.toString(USERNS_UID), "--gid", Integer.toString(USERNS_UID)));
    }
    c.addAll(List.of("--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--hostname", "syft-job", "--die-with-parent", "--new-session"));
    if (probe.root()) {
      c.addAll(List.of("--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"));
    }
    c.addAll(List.of("--ro-bind", "/usr", "/usr"));
    for (String d : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
      Path p = Path.of(d);
      if (Files.isSymbolicLink(p)) {
        c.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), d));
      } else if (Files.isDirectory(p)) {
        c.addAll(List.of("--ro-bind", d, d));
      }
    }
    // bubblewrap creates missing mount points with the caller's umask; make them traversable
    java.util.Set<String> made = new java.util.HashSet<>(List.of("/", "/usr", "/proc", "/dev", "/tmp"));
    List<String[]> binds = new ArrayList<>();
    for (String e : etcEntries()) {
      binds.add(new String[] {"--ro-bind", e, e});
    }
    binds.add(new String[] {"--ro-bind", spec.ctlDir().resolve("passwd").toString(), "/etc/passwd"});
    binds.add(new String[] {"--ro-bind", spec.ctlDir().resolve("group").toString(), "/etc/group"});
    binds.add(new String[] {"--ro-bind", spec.ctlDir().resolve("hosts").toString(), "/etc/hosts"});
    for (Mount m : spec.readOnly()) {
      binds.add(new String[] {"--ro-bind", m.host().toString(), m.inside()});
    }
    binds.add(new String[] {"--ro-bind", spec.ctlDir().resolve("python").toString(), SHIM});
    binds.add(new String[] {"--ro-bind", spec.ctlDir().resolve("run.sh").toString(), WRAPPER});
    binds.add(new String[] {"--bind", spec.jobDir().toString(), JOB});
    binds.add(new String[] {"--bind", spec.homeDir().toString(), HOME});
    c.addAll(List.of("--perms", "0755", "--dir", "/etc"));
    made.add("/etc");
    c.addAll(List.of("--proc", "/proc", "--dev", "/dev"));
    c.addAll(List.of("--size", Long.toString(spec.tmpBytes()), "--perms", "1777", "--tmpfs", "/tmp"));
    // shared memory gets its own bounded tmpfs (the one under /dev has no size limit)
    c.addAll(List.of("--size", Long.toString(spec.tmpBytes()), "--perms", "1777", "--tmpfs", "/dev/shm"));
    made.add("/dev/shm");
    for (String[] b : binds) {
      List<String> parents = new ArrayList<>();
      for (Path p = Path.of(b[2]).getParent(); p != null && !made.contains(p.toString()); p = p.getParent()) {
        if (p.startsWith("/usr")) {
          break; // inside a read-only bind: exists already
        }
        parents.add(0, p.toString());
      }
      for (String d : parents) {
        c.addAll(List.of("--perms", "0755", "--dir", d));
        made.add(d);
      }
      c.addAll(List.of(b));
      made.add(b[2]);
    }
    c.addAll(List.of("--remount-ro", "/")); // the sandbox's own root stays read-only
    c.addAll(List.of("--chdir", JOB, "--"));
    if (probe.root()) {
      c.addAll(List.of(inside(probe.setpriv()), "--reuid=" + spec.sandboxUid(), "--regid=" + spec.sandboxUid(),
          "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"));
    }
    c.addAll(List.of("/bin/bash", WRAPPER));
    return c;
  }

  /**
   * {@code unshare} and a set-up script that builds the sandbox's root on a tmpfs, pivots into it and
   * starts the wrapper with every capability dropped. The script stays as the namespace's init (PID
   * 1) and exits with the job's status; every process left in the namespace dies with it.
   */
  private static List<String> namespaces(Probe probe, Spec spec) throws IOException {
    List<String> c = new ArrayList<>();
    c.addAll(List.of(probe.setpriv().toString(), "--pdeathsig", "KILL"));
    if (probe.unprivilegedAs() > 0) {
      String u = Integer.toString(probe.unprivilegedAs());
      c.addAll(List.of("--reuid=" + u, "--regid=" + u, "--clear-groups"));
    }
    c.addAll(List.of("--", probe.tool().toString()));
    if (!probe.root()) {
      c.addAll(List.of("--user", "--map-root-user"));
    }
    c.addAll(List.of("--net", "--mount", "--pid", "--ipc", "--uts", "--propagation", "private", "--fork",
        "--kill-child", "--", "/bin/bash", "-c", setupScript(probe, spec), "syft-sandbox"));
    return c;
  }

  /**
   * Stages the new root in {@code spec.rootDir()} (folders, links, mount points, copies of the
   * {@code /etc} files, the shim and the wrapper) so that the script only mounts: every process it
   * starts counts against the job's time limit.
   */
  private static String setupScript(Probe probe, Spec spec) throws IOException {
    Path root = spec.rootDir();
    List<String[]> ro = new ArrayList<>();
    for (String d : List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
      Path p = Path.of(d);
      if (Files.isSymbolicLink(p)) {
        Files.createSymbolicLink(inRoot(root, d), Files.readSymbolicLink(p));
      } else if (Files.isDirectory(p)) {
        ro.add(new String[] {d, d});
      }
    }
    Path etc = Files.createDirectories(inRoot(root, "/etc"));
    for (String e : etcEntries()) {
      if (Files.isDirectory(Path.of(e))) {
        ro.add(new String[] {e, e}); // a bind costs less than copying hundreds of entries
      } else {
        copyReadable(Path.of(e), inRoot(root, e));
      }
    }
    for (String f : List.of("passwd", "group", "hosts")) {
      Files.copy(spec.ctlDir().resolve(f), etc.resolve(f));
    }
    DatasiteFiles.copyTree(spec.ctlDir().resolve("python"), inRoot(root, SHIM), rel -> true);
    Files.copy(spec.ctlDir().resolve("run.sh"), inRoot(root, WRAPPER));
    for (Mount m : spec.readOnly()) {
      ro.add(new String[] {m.host().toString(), m.inside()});
    }
    List<String[]> rw = List.of(new String[] {spec.jobDir().toString(), JOB},
        new String[] {spec.homeDir().toString(), HOME});
    for (List<String[]> group : List.of(ro, rw)) {
      for (String[] m : group) {
        Path at = inRoot(root, m[1]);
        if (Files.isDirectory(Path.of(m[0]))) {
          Files.createDirectories(at);
        } else {
          Files.createDirectories(at.getParent());
          Files.writeString(at, "");
        }
      }
    }
    List<String> devices = List.of("null", "zero", "full", "random", "urandom", "tty");
    Path dev = Files.createDirectories(inRoot(root, "/dev"));
    for (String d : devices) {
      Files.writeString(dev.resolve(d), "");
    }
    Files.createDirectories(dev.resolve("shm"));
    Files.createSymbolicLink(dev.resolve("fd"), Path.of("/proc/self/fd"));
    Files.createSymbolicLink(dev.resolve("stdin"), Path.of("/proc/self/fd/0"));
    Files.createSymbolicLink(dev.resolve("stdout"), Path.of("/proc/self/fd/1"));
    Files.createSymbolicLink(dev.resolve("stderr"), Path.of("/proc/self/fd/2"));
    for (String d : List.of("/proc", "/tmp", "/.oldroot")) {
      Files.createDirectories(inRoot(root, d));
    }
    openUp(root);

    StringBuilder s = new StringBuilder();
    // the job's PATH stays in the environment; the set-up finds its tools in the system folders
    s.append("set -eu\nJOBPATH=$PATH\nexport PATH=/usr/sbin:/usr/bin:/sbin:/bin\n");
    s.append("R=").append(Runner.q(root.toString())).append('\n');
    s.append("""
        # bind and read-only remount in one call; in a user namespace the source's noexec and atime
        # flags are locked, so retry keeping them; a failure ends the set-up (never left writable)
        remountro() {
          mount -o remount,bind,ro,nosuid,nodev "$1" 2>/dev/null || mount -o remount,bind,ro,nosuid,nodev,noexec "$1" \
            2>/dev/null || mount -o remount,bind,ro "$1"
        }
        bindro() {
          mount -o bind,ro,nosuid,nodev "$1" "$R$2" 2>/dev/null || { mount --bind "$1" "$R$2" && remountro "$R$2"; }
        }
        mount --bind "$R" "$R"
        """);
    for (String[] m : ro) {
      s.append("bindro ").append(Runner.q(m[0])).append(' ').append(Runner.q(m[1])).append('\n');
    }
    for (String[] m : rw) {
      s.append("mount --bind ").append(Runner.q(m[0])).append(" \"$R\"").append(Runner.q(m[1])).append('\n');
    }
    String tmpSize = Long.toString(Math.max(4096, spec.tmpBytes()));
    s.append("mount -t proc -o nosuid,nodev,noexec proc \"$R/proc\"\n");
    s.append("for n in ").append(String.join(" ", devices)).append("; do mount --bind \"/dev/$n\" \"$R/dev/$n\"; done\n");
    s.append("mount -t tmpfs -o mode=1777,size=").append(tmpSize).append(",nosuid,nodev syft-shm \"$R/dev/shm\"\n");
    s.append("mount -t tmpfs -o mode=1777,size=").append(tmpSize).append(",nosuid,nodev syft-tmp \"$R/tmp\"\n");
    s.append("hostname syft-job 2>/dev/null || true\n"); // cosmetic: the UTS namespace is private anyway
    // the root itself becomes read-only, then the old root is detached: nothing of the host is left
    s.append("remountro \"$R\"\n");
    s.append("cd \"$R\"\npivot_root . .oldroot\numount -l /.oldroot\ncd ").append(JOB).append('\n');
    s.append("export PATH=\"$JOBPATH\"\n");
    s.append(Runner.q(inside(probe.setpriv())));
    if (probe.root()) {
      String u = Integer.toString(spec.sandboxUid());
      s.append(" --reuid=").append(u).append(" --regid=").append(u).append(" --clear-groups");
    }
    // the job is a child: this shell stays the namespace's init, reaps orphans and ends them all by exiting
    s.append(" --inh-caps=-all --bounding-set=-all --no-new-privs -- /bin/bash ").append(WRAPPER).append(" &\n");
    s.append("child=$!\nset +e\nwait \"$child\"\nexit $?\n");
    return s.toString();
  }

  /** A host tool as the sandbox sees it: its real path (the system folders are mounted there; a link may not be). */
  private static String inside(Path tool) throws IOException {
    return tool.toRealPath().toString();
  }

  private static Path inRoot(Path root, String inside) {
    return root.resolve(inside.substring(1));
  }

  /** Copies what every user may read (links as links); private entries such as {@code /etc/ssl/private} stay out. */
  private static void copyReadable(Path from, Path to) throws IOException {
    if (Files.isSymbolicLink(from)) {
      Files.createDirectories(to.getParent());
      Files.createSymbolicLink(to, Files.readSymbolicLink(from));
      return;
    }
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(from);
    boolean dir = Files.isDirectory(from);
    if (!perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
        || dir && !perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
      return;
    }
    if (dir) {
      Files.createDirectories(to);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(from)) {
        for (Path c : ds) {
          copyReadable(c, to.resolve(c.getFileName().toString()));
        }
      }
    } else if (Files.isRegularFile(from)) {
      Files.createDirectories(to.getParent());
      Files.copy(from, to);
    }
  }

  /**
   * No sandbox: the wrapper on the host. In a PID namespace when one can be made (every process the
   * job starts dies with it), else in its own session so the runner can kill its process group.
   */
  private static List<String> unsandboxed(Probe probe, Spec spec) {
    List<String> c = new ArrayList<>();
    String wrapper = spec.ctlDir().resolve("run.sh").toString();
    if (probe.tool() != null) {
      c.add(probe.tool().toString());
      if (!probe.root()) {
        c.addAll(List.of("--user", "--map-current-user"));
      }
      // a small init that waits for the job, so orphans are reaped and die when it ends
      c.addAll(List.of("--pid", "--fork", "--kill-child", "--", "/bin/bash", "-c", "\"$@\" & wait \"$!\"",
          "syft-init", "/bin/bash", wrapper));
    } else {
      Host.which("setsid").ifPresent(s -> c.add(s.toString()));
      c.addAll(List.of("/bin/bash", wrapper));
    }
    return c;
  }

  /** The few {@code /etc} entries programs need (dynamic linker, time zone, certificates, Java config). */
  private static List<String> etcEntries() {
    List<String> out = new ArrayList<>();
    for (String e : List.of("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
        "/etc/localtime", "/etc/ssl", "/etc/ca-certificates", "/etc/nsswitch.conf")) {
      if (Files.exists(Path.of(e))) {
        out.add(e);
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/etc"), "java*")) {
      for (Path p : ds) {
        out.add(p.toString());
      }
    } catch (IOException e) {
      LOG.debug("cannot list /etc: {}", e.getMessage());
    }
    return out;
  }
}
