package dev.syft.permissions;

import dev.syft.protocol.DatasitePaths;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The permissions of one datasite folder on disk: checks, explanations and edits.
 *
 * <p>The permission files are compiled into a {@link PermissionTree} once and reused; the tree is
 * refreshed when a permission file changes: known files are re-statted at most every
 * {@linkplain Builder#statInterval stat interval} (cheap, detects edits and deletions), and the sync
 * engine reports changes explicitly with {@link #fileChanged(String)} (detects new files too) or
 * {@link #invalidate()}. Only files whose size, mtime or inode changed are re-read.
 *
 * <p>Everything that takes a path or a user normalises it first: paths with
 * {@link DatasitePaths#normalize} (no {@code ..}, no absolute paths), e-mails lower-cased with
 * {@link Emails#normalize} (the owner too: {@code Alice@X.org} is the owner of {@code alice@x.org/}
 * here). A path naming a folder (trailing {@code /}, the root {@code ""}, or an existing directory) is
 * evaluated as the synthetic child {@code <folder>/__any__}, as the reference's {@code syft-perms}
 * does. The exception is {@link #decide} / {@link #explainExactly}: they pass path and id to the engine
 * exactly as given, and so give the reference engine's decision for any strings. Bad input raises a
 * {@link dev.syft.protocol.SyftException} with a one-line message; a broken permission file never
 * raises from a check, it denies (and {@link #problems()} names it).
 *
 * <p>Thread-safe: checks run concurrently; edits and refreshes are serialised.
 */
public final class Datasite {
  private static final Logger log = LoggerFactory.getLogger(Datasite.class);

  private final Path root;
  private final String owner;
  private final String ownerLower;
  private final Clock clock;
  private final long statIntervalMillis; // < 0: never re-stat automatically
  private final AclStore store;
  private final Object lock = new Object();
  private volatile PermissionTree tree;
  private volatile boolean invalid;
  private volatile long nextStatAt;

  private Datasite(Builder b) {
    this.root = b.root;
    this.owner = b.owner;
    this.ownerLower = b.owner.toLowerCase(java.util.Locale.ROOT);
    this.clock = b.clock;
    this.statIntervalMillis = b.statInterval == null ? -1 : b.statInterval.toMillis();
    this.store = new AclStore(root, b.limits);
    synchronized (lock) {
      store.rescanAll();
      tree = store.build(owner);
      nextStatAt = clock.millis() + Math.max(0, statIntervalMillis);
    }
    if (!tree.loaded()) {
      log.warn("datasite {}: permission files cannot be loaded, every request is denied: {}", owner,
          tree.errors().get(0).toText());
    }
  }

  /** Opens a datasite folder; its name is the owner's e-mail (e.g. {@code ~/SyftBox/alice@x.org}). */
  public static Datasite open(Path datasiteFolder) {
    return builder(datasiteFolder).build();
  }

  /** Opens the datasite rooted at {@code root} owned by {@code owner}. */
  public static Datasite open(Path root, String owner) {
    return builder(root).owner(owner).build();
  }

  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Options for {@link Datasite}. */
  public static final class Builder {
    private final Path root;
    private String owner;
    private Clock clock = Clock.systemUTC();
    private Duration statInterval = Duration.ofSeconds(1);
    private AclLimits limits = AclLimits.defaults();

    private Builder(Path root) {
      this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The owner's e-mail, compared exactly by the engine; defaults to the root folder's name. */
    public Builder owner(String ownerEmail) {
      this.owner = ownerEmail;
      return this;
    }

    /** Clock used for the stat interval (tests inject a settable one). */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    /**
     * How often checks re-stat the known permission files (default 1 s). {@link Duration#ZERO}:
     * before every check; null: never (only {@link #refresh()}, {@link #fileChanged}, {@link #invalidate()}).
     */
    public Builder statInterval(Duration interval) {
      this.statInterval = interval;
      return this;
    }

    public Builder limits(AclLimits l) {
      this.limits = Objects.requireNonNull(l);
      return this;
    }

    /**
     * Loads the permission files.
     *
     * @throws InvalidPermissionRequestException when the owner is not an e-mail address
     * @throws PermissionIoException when the folder does not exist or cannot be listed
     */
    public Datasite build() {
      if (!Files.isDirectory(root)) {
        throw new PermissionIoException("datasite folder " + root + " does not exist", null);
      }
      String o = owner != null ? owner : (root.getFileName() == null ? "" : root.getFileName().toString());
      try {
        owner = Emails.requireAddress(o);
      } catch (InvalidPermissionRequestException e) {
        throw new InvalidPermissionRequestException("the datasite owner must be an e-mail address (the datasite"
            + " folder's name, or given explicitly): " + e.getMessage());
      }
      return new Datasite(this);
    }
  }

  public Path root() {
    return root;
  }

  /** The owner's e-mail, as given (or as the folder is named). */
  public String owner() {
    return owner;
  }

  // ---------------------------------------------------------------------------------------------
  // freshness

  /** The current compiled tree (refreshed first when due). Cheap; safe to keep as a snapshot. */
  public PermissionTree tree() {
    ensureFresh();
    return tree;
  }

  private void ensureFresh() {
    if (invalid) {
      synchronized (lock) {
        if (invalid) {
          invalid = false;
          rebuildIf(store.rescanAll());
        }
      }
      return;
    }
    if (statIntervalMillis < 0) {
      return;
    }
    long now = clock.millis();
    if (statIntervalMillis == 0 || now >= nextStatAt) {
      synchronized (lock) {
        if (statIntervalMillis == 0 || now >= nextStatAt) {
          rebuildIf(store.restatKnown());
          nextStatAt = now + statIntervalMillis;
        }
      }
    }
  }

  private void rebuildIf(boolean changed) {
    if (changed) {
      tree = store.build(owner);
      if (!tree.loaded()) {
        log.warn("datasite {}: permission files cannot be loaded, every request is denied: {}", owner,
            tree.errors().get(0).toText());
      }
    }
  }

  /** Re-walks the whole datasite now (re-reading only changed files); true when permissions changed. */
  public boolean refresh() {
    synchronized (lock) {
      invalid = false;
      boolean changed = store.rescanAll();
      rebuildIf(changed);
      return changed;
    }
  }

  /**
   * Re-checks the permission files it knows now (one stat each; changed or deleted ones are re-read),
   * whatever the stat interval; true when permissions changed. New permission files in folders it
   * does not know need {@link #fileChanged} or {@link #refresh()}.
   */
  public boolean restat() {
    synchronized (lock) {
      boolean changed = store.restatKnown();
      rebuildIf(changed);
      return changed;
    }
  }

  /** Forces a full {@link #refresh()} before the next decision. */
  public void invalidate() {
    invalid = true;
  }

  /**
   * Tells the datasite that {@code path} (datasite-relative) was created, changed, moved or deleted.
   * A permission file is re-read at once; a folder is re-scanned (it may hold permission files);
   * other paths cost nothing. Returns true when permissions changed (re-evaluate routing then).
   */
  public boolean fileChanged(String path) {
    String p = normalizeLoose(path);
    synchronized (lock) {
      boolean changed;
      if (p.equals(AclFile.FILE_NAME) || p.endsWith("/" + AclFile.FILE_NAME)) {
        changed = store.reload(AclEditor.parentOf(p));
      } else if (Files.isDirectory(root.resolve(p), LinkOption.NOFOLLOW_LINKS) || knowsFolderUnder(p)) {
        changed = store.rescanUnder(p);
      } else {
        return false;
      }
      rebuildIf(changed);
      return changed;
    }
  }

  private boolean knowsFolderUnder(String p) {
    String prefix = p.isEmpty() ? "" : p + "/";
    for (String f : tree.files().keySet()) {
      if (f.equals(p) || f.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Load errors first, then warnings, for every permission file. */
  public List<AclProblem> problems() {
    PermissionTree t = tree();
    List<AclProblem> all = new ArrayList<>(t.errors());
    all.addAll(t.warnings());
    return all;
  }

  /** Counters, for tests and diagnostics. */
  public record Stats(int permissionFiles, long fullScans, long filesParsed, long statRounds) {}

  public Stats stats() {
    synchronized (lock) {
      return new Stats(store.size(), store.scans, store.parses, store.statRounds);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // decisions

  /**
   * May {@code user} access {@code path} at {@code level}? Path and e-mail are normalised first;
   * a folder is checked as {@code <folder>/__any__}.
   *
   * @throws dev.syft.protocol.UnsafePathException for {@code ..}, absolute or control-character paths
   * @throws InvalidPermissionRequestException for a malformed e-mail
   */
  public boolean check(String path, String user, Level level) {
    AclEditor.Target t = target(path);
    return tree().allows(t.probe(), requester(user), Objects.requireNonNull(level, "level"));
  }

  /**
   * The reference engine's decision for exactly these strings: the path is not normalised (no folder
   * probe, {@code ..} allowed: it is only matched, never resolved), the id is neither validated nor
   * lower-cased (a different-case address is not the owner; a {@code *} in it acts as a wildcard where
   * the reference makes it one). For diagnostics ({@code syft perms check}) and conformance; the sync
   * engine asks through the normalising {@link #allows}.
   */
  public Decision decide(String path, String user, Level level) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(user, "user");
    return tree().decide(path, user, Objects.requireNonNull(level, "level"));
  }

  /** The id the engine compares: lower-cased, and the owner's own spelling for the owner. */
  private String requester(String user) {
    String u = Emails.normalize(user);
    return u.equals(ownerLower) ? owner : u;
  }

  /**
   * The hot path for the sync engine: {@code path} must already be normalised
   * ({@link DatasitePaths#normalize}) and {@code user} lower-cased ({@link Emails#normalize}); no
   * folder detection, no allocation beyond path splitting.
   */
  public boolean allows(String normalizedPath, String normalizedUser, Level level) {
    return tree().allows(normalizedPath, normalizedUser.equals(ownerLower) ? owner : normalizedUser, level);
  }

  /**
   * Which of {@code candidates} (e-mails, normalised here) may read {@code path}; the owner is
   * included when listed. Cheaper than one check per candidate.
   */
  public List<String> readers(String path, Collection<String> candidates) {
    AclEditor.Target t = target(path);
    List<String> normalized = new ArrayList<>(candidates.size());
    for (String c : candidates) {
      normalized.add(requester(c));
    }
    return tree().readers(t.probe(), normalized);
  }

  /** Every regular file under {@code folder} (recursively, sorted) that {@code user} may read. */
  public List<String> readableFiles(String folder, String user) {
    AclEditor.Target t = target(folder);
    String u = requester(user);
    PermissionTree snapshot = tree();
    Path start = t.path().isEmpty() ? root : root.resolve(t.path());
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try {
      Files.walkFileTree(start, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            String rel = relativeOf(file);
            if (snapshot.allows(rel, u, Level.READ)) {
              out.add(rel);
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new PermissionIoException("cannot list " + start + ": " + e.getMessage(), e);
    }
    out.sort(null);
    return out;
  }

  private String relativeOf(Path file) {
    StringBuilder sb = new StringBuilder();
    for (Path part : root.relativize(file)) {
      if (!sb.isEmpty()) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  /** The decision for {@code level}, all three levels, and notes in plain words. */
  public Explanation explain(String path, String user, Level level) {
    AclEditor.Target t = target(path);
    return explain(t.probe(), requester(user), level, t.folder());
  }

  /**
   * {@link #explain} for exactly these strings, as {@link #decide} evaluates them (no normalisation,
   * no folder probe); the notes say when the id is not a plain e-mail address.
   */
  public Explanation explainExactly(String path, String user, Level level) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(user, "user");
    Explanation e = explain(path, user, Objects.requireNonNull(level, "level"), false);
    if (Emails.isAddress(user)) {
      return e;
    }
    List<String> notes = new ArrayList<>(e.notes());
    notes.add("'" + user + "' is not a plain e-mail address: it is compared as given, so wildcard characters in it"
        + " can act as patterns (in '{{.UserEmail}}' rules and USER entries) as they do in the reference");
    return new Explanation(e.path(), e.user(), e.level(), e.folder(), e.decision(), e.read(), e.write(), e.admin(),
        notes);
  }

  private Explanation explain(String probe, String u, Level level, boolean folder) {
    PermissionTree snapshot = tree();
    Decision d = snapshot.decide(probe, u, level);
    List<String> notes = notes(snapshot, probe, u, d);
    return new Explanation(probe, u, level, folder, d, snapshot.allows(probe, u, Level.READ),
        snapshot.allows(probe, u, Level.WRITE), snapshot.allows(probe, u, Level.ADMIN), notes);
  }

  private List<String> notes(PermissionTree snapshot, String path, String user, Decision d) {
    List<String> notes = new ArrayList<>();
    switch (d.reason()) {
      case OWNER -> notes.add(user + " owns this datasite; the owner may do everything");
      case LOAD_ERROR -> {
        notes.add("a broken permission file makes every request fail closed until it is fixed or removed");
        for (AclProblem p : d.errors()) {
          notes.add(p.toText());
        }
      }
      case NO_ACL_FILE -> notes.add("no syft.pub.yaml on the way from the datasite root to this path,"
          + " so only the owner has access");
      case NO_MATCHING_RULE -> {
        notes.add("the nearest permission file decides alone: parent permission files are not consulted");
        if (d.relativePath().isEmpty()) {
          notes.add("this is the permission file's own folder: its relative path is empty, which no glob"
              + " matches (not even '**' or '*')");
        }
        for (String seg : d.relativePath().split("/")) {
          if (seg.startsWith(".")) {
            notes.add("wildcards never match names starting with a dot ('" + seg
                + "'); only a rule naming it (e.g. '" + seg + "' or '**/" + seg + "') can grant it");
            break;
          }
        }
      }
      case RULE -> {
        if (d.aclFileRequiresAdmin()) {
          notes.add("any access to a path ending in 'syft.pub.yaml' needs admin, whatever level is asked");
        }
        AclFile f = snapshot.files().get(d.aclDir());
        if (f != null && d.ruleIndex() >= 0) {
          AclRule r = f.rules().get(d.ruleIndex());
          for (Level l : Level.values()) {
            for (String e : r.access().list(l)) {
              if (!e.equals(user) && e.equalsIgnoreCase(user)) {
                notes.add("the rule lists '" + e + "' in " + l.id() + ", which differs from " + user
                    + " only in case; entries are compared exactly");
              }
            }
          }
          if (r.isTemplate()) {
            notes.add("'" + AclRule.USER_EMAIL_TEMPLATE + "' in the pattern stands for the requester's e-mail");
          }
        }
      }
    }
    if (d.aclDir() != null) {
      AclFile gov = snapshot.files().get(d.aclDir());
      if (gov != null && gov.terminal()) {
        String prefix = d.aclDir().isEmpty() ? "" : d.aclDir() + "/";
        for (String f : snapshot.files().keySet()) {
          if (!f.equals(d.aclDir()) && f.startsWith(prefix) && path.startsWith(f + "/")) {
            notes.add(gov.path() + " is terminal, so " + AclFile.pathOf(f) + " is ignored");
          }
        }
      }
    }
    return notes;
  }

  // ---------------------------------------------------------------------------------------------
  // edits

  /** {@link #grant(String, String, Level, GrantMode)} with {@link GrantMode#CARRY_INHERITED}. */
  public ChangeResult grant(String path, String user, Level level) {
    return grant(path, user, level, GrantMode.CARRY_INHERITED);
  }

  /**
   * Gives {@code user} ({@code level} and, through the hierarchy, the levels below) on {@code path}:
   * a folder (trailing {@code /}, the root {@code ""}, or an existing directory) gets a
   * {@code <folder>/**} rule, a file a rule with its relative path, in the nearest permission file
   * (created next to the target when none governs it). The file is written as the reference writes
   * it. With {@link GrantMode#CARRY_INHERITED} a new rule keeps the principals of the broader rule it
   * takes over from.
   *
   * @param user an e-mail, {@code *} (everyone), a wildcard such as {@code *@example.com}, or
   *     {@code USER}
   * @throws PermissionRefusedException when others' access would change and cannot be carried
   *     exactly, or when a permission file is broken
   */
  public ChangeResult grant(String path, String user, Level level, GrantMode mode) {
    AclEditor.Target t = editTarget(path);
    String principal = Emails.normalizePrincipal(user);
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(mode, "mode");
    synchronized (lock) {
      PermissionTree current = loadedForEdit();
      AclEditor.Plan plan = AclEditor.grant(current, t, principal, level, mode);
      List<String> warnings = new ArrayList<>(plan.warnings());
      if (principal.equals(ownerLower)) {
        warnings.add(principal + " owns this datasite and already has every access");
      }
      List<String> files = apply(plan);
      if (!Emails.isPattern(principal) && !tree.allows(t.probe(), principal, level)) {
        warnings.add(principal + " still has no " + level + " on '" + t.display() + "': "
            + tree.decide(t.probe(), principal, level).toText());
      }
      return new ChangeResult(t.display(), principal, level, !files.isEmpty(), files, plan.pattern(),
          plan.carried(), warnings);
    }
  }

  /**
   * Takes {@code level} away from {@code user} on {@code path}; revoking READ also revokes WRITE and
   * ADMIN, revoking WRITE also ADMIN. Entries that grant the user indirectly ({@code *},
   * {@code USER}, a matching wildcard) are removed too, with a warning (others lose that access as
   * well). A file governed by a broader rule gets its own rule first, so the user keeps access
   * elsewhere; a folder revoke also edits permission files inside the folder.
   *
   * @throws PermissionRefusedException when a permission file is broken
   */
  public ChangeResult revoke(String path, String user, Level level) {
    AclEditor.Target t = editTarget(path);
    String principal = Emails.normalizePrincipal(user);
    Objects.requireNonNull(level, "level");
    synchronized (lock) {
      PermissionTree current = loadedForEdit();
      AclEditor.Plan plan = AclEditor.revoke(current, t, principal, level);
      List<String> warnings = new ArrayList<>(plan.warnings());
      if (principal.equals(ownerLower)) {
        warnings.add("the owner always has every access; permission files cannot take it away");
      }
      List<String> files = apply(plan);
      if (files.isEmpty() && !principal.equals(ownerLower)) {
        warnings.add("nothing to revoke: no rule gives " + principal + " " + level + " on '" + t.display() + "'");
      }
      if (!Emails.isPattern(principal) && !principal.equals(ownerLower)) {
        List<String> still = stillAllowed(t, principal, level);
        if (!still.isEmpty()) {
          warnings.add(principal + " still has " + level + " on '" + String.join("', '", still) + "' ("
              + tree.decide(still.get(0).equals(t.display()) ? t.probe() : still.get(0), principal, level).toText()
              + ")");
        }
      }
      return new ChangeResult(t.display(), principal, level, !files.isEmpty(), files,
          files.isEmpty() ? null : plan.pattern(), plan.carried(), warnings);
    }
  }

  private List<String> stillAllowed(AclEditor.Target t, String user, Level level) {
    List<String> still = new ArrayList<>();
    if (tree.allows(t.probe(), user, level)) {
      still.add(t.display());
    }
    if (t.folder()) {
      Path start = t.path().isEmpty() ? root : root.resolve(t.path());
      if (Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
        try (var walk = Files.walk(start)) {
          walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).limit(10_000).map(this::relativeOf)
              .filter(rel -> tree.allows(rel, user, level)).limit(3).forEach(still::add);
        } catch (IOException | RuntimeException e) {
          log.debug("could not list {} to verify a revoke", start, e);
        }
      }
    }
    return still;
  }

  private PermissionTree loadedForEdit() {
    invalid = false;
    rebuildIf(store.rescanAll());
    if (!tree.loaded()) {
      throw new PermissionRefusedException("permission files cannot be edited while one is broken: "
          + tree.errors().get(0).toText() + "; fix or delete it first");
    }
    return tree;
  }

  private List<String> apply(AclEditor.Plan plan) {
    List<String> files = new ArrayList<>();
    for (AclFile f : plan.writes()) {
      store.write(f);
      files.add(f.path());
    }
    rebuildIf(!files.isEmpty());
    return files;
  }

  // ---------------------------------------------------------------------------------------------
  // paths

  private AclEditor.Target target(String path) {
    if (path == null) {
      throw new InvalidPermissionRequestException("a path is required");
    }
    if (path.isEmpty() || path.equals("/") || path.equals(".") || path.equals("./")) {
      return new AclEditor.Target("", true);
    }
    String n = DatasitePaths.normalize(path);
    boolean folder = path.endsWith("/") || Files.isDirectory(root.resolve(n), LinkOption.NOFOLLOW_LINKS);
    return new AclEditor.Target(n, folder);
  }

  private AclEditor.Target editTarget(String path) {
    AclEditor.Target t = target(path);
    if (t.path().contains("{{")) {
      throw new InvalidPermissionRequestException("paths containing '{{' cannot be granted or revoked: the pattern"
          + " would read as a template");
    }
    return t;
  }

  private static String normalizeLoose(String path) {
    if (path == null || path.isEmpty() || path.equals("/") || path.equals(".")) {
      return "";
    }
    return DatasitePaths.normalize(path);
  }
}
