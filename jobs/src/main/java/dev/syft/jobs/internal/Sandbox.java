package dev.syft.jobs.internal;

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
 * The bubblewrap sandbox a job runs in: new PID, network (so no network at all), IPC and UTS
 * namespaces; a root file system made of read-only system folders, a few {@code /etc} files, the
 * interpreters, the datasets the job may read, a private writable job folder and a size-limited
 * {@code /tmp}; nothing of the data owner's home.
 *
 * <p>Run as root, bubblewrap sets up the namespaces with full privileges and {@code setpriv} then
 * switches to an unprivileged uid with no capabilities and {@code no_new_privs} (so {@code ulimit -u}
 * counts, which it does not for root). Run as a normal user, bubblewrap uses an unprivileged user
 * namespace and the job keeps the user's uid.
 */
public final class Sandbox {
  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
  /** Inside the sandbox. */
  public static final String JOB = "/job";
  public static final String HOME = "/home/job";
  public static final String SHIM = "/opt/syft/python";
  public static final String WRAPPER = "/opt/syft/run.sh";
  public static final String SYFTBOX = "/syftbox";
  /** The uid the job has inside an unprivileged user namespace. */
  static final int USERNS_UID = 1000;

  private static final Map<Integer, Probe> PROBES = new ConcurrentHashMap<>();

  private Sandbox() {}

  /** Whether and how the sandbox works on this machine. */
  public record Probe(boolean available, String reason, boolean root, Path bwrap, Path setpriv) {
    /** The uid the job has inside. */
    public int insideUid(int sandboxUid) {
      return root ? sandboxUid : USERNS_UID;
    }
  }

  /** A read-only mount. */
  public record Mount(Path host, String inside) {}

  /** What to put in the sandbox. */
  public record Spec(Path jobDir, Path homeDir, Path ctlDir, List<Mount> readOnly, long tmpBytes, int sandboxUid) {}

  /** Tests once per uid whether bubblewrap can build a sandbox here (a trivial command in one). */
  public static Probe probe(int sandboxUid) {
    return PROBES.computeIfAbsent(sandboxUid, Sandbox::doProbe);
  }

  private static Probe doProbe(int sandboxUid) {
    Optional<Path> bwrap = Host.which("bwrap");
    if (bwrap.isEmpty()) {
      return new Probe(false, "bubblewrap (bwrap) is not installed", false, null, null);
    }
    boolean root = Host.euid() == 0;
    Path setpriv = null;
    if (root) {
      Optional<Path> sp = Host.which("setpriv");
      if (sp.isEmpty()) {
        return new Probe(false, "running as root needs setpriv (util-linux) to drop privileges inside the sandbox",
            true, bwrap.get(), null);
      }
      setpriv = sp.get();
    }
    Probe candidate = new Probe(true, null, root, bwrap.get(), setpriv);
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("syft-sandbox-probe");
      Path job = Files.createDirectories(tmp.resolve("job"));
      Path home = Files.createDirectories(tmp.resolve("home"));
      Path ctl = Files.createDirectories(tmp.resolve("ctl"));
      Files.createDirectories(ctl.resolve("python"));
      Files.writeString(ctl.resolve("run.sh"), "exit 0\n");
      writeEtc(ctl, candidate.insideUid(sandboxUid));
      openUp(ctl);
      if (root) {
        chownTree(job, sandboxUid);
        chownTree(home, sandboxUid);
      }
      List<String> cmd = command(candidate, new Spec(job, home, ctl, List.of(), 1024 * 1024, sandboxUid));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(8192);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Probe(false, "bubblewrap did not start within 20 s", root, bwrap.get(), setpriv);
      }
      if (p.exitValue() != 0) {
        String msg = new String(out, StandardCharsets.UTF_8).strip();
        return new Probe(false, "bubblewrap cannot create a sandbox here: "
            + (msg.isEmpty() ? "exit code " + p.exitValue() : msg.lines().findFirst().orElse(msg)), root, bwrap.get(),
            setpriv);
      }
      return candidate;
    } catch (IOException e) {
      return new Probe(false, "bubblewrap could not be started: " + e.getMessage(), root, bwrap.get(), setpriv);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(false, "interrupted while testing bubblewrap", root, bwrap.get(), setpriv);
    } finally {
      if (tmp != null) {
        Fs.deleteQuietly(tmp);
      }
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

  /** The full command line: bubblewrap, its mounts, and the wrapper script inside. */
  public static List<String> command(Probe probe, Spec spec) throws IOException {
    List<String> c = new ArrayList<>();
    c.add(probe.bwrap().toString());
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
      c.addAll(List.of(probe.setpriv().toString(), "--reuid=" + spec.sandboxUid(), "--regid=" + spec.sandboxUid(),
          "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"));
    }
    c.addAll(List.of("/bin/bash", WRAPPER));
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
