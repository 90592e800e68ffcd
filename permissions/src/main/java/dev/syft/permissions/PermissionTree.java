package dev.syft.permissions;

import dev.syft.permissions.internal.CompiledRule;
import dev.syft.permissions.internal.PrincipalSet;
import dev.syft.permissions.internal.Specificity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable, compiled snapshot of every permission file of one datasite, answering permission
 * questions with the reference's semantics (syft-permissions 0.1.14), byte for byte:
 *
 * <ol>
 *   <li>the owner (exact id) may do everything;
 *   <li>the governing file is the deepest {@code syft.pub.yaml} on the path, walking from the root
 *       segment by segment and stopping at a {@code terminal} file; no file: deny;
 *   <li>the path relative to that folder is matched against its rules in specificity order; the
 *       first match decides alone; no match: deny (there is no fallback to a parent file);
 *   <li>a path ending with {@code syft.pub.yaml} needs ADMIN, whatever was asked;
 *   <li>the rule grants the level when the requester is in its lists (admin implies write implies
 *       read; {@code *}, wildcards and {@code USER} as the reference resolves them).
 * </ol>
 *
 * <p>A tree built from files with load errors denies everything, the owner included (fail closed,
 * as the reference fails to load). Ids are used exactly as given (no case folding, no validation: a
 * wildcard in a requester's id acts as the reference makes it act). Paths are used as given too, except
 * that, like the reference, the walk and the relative path skip empty segments (a leading, doubled or
 * trailing {@code /}); the permission-file suffix test looks at the path as given. {@link Datasite}
 * normalises user input before it gets here, unless asked for the exact decision. Thread-safe.
 */
public final class PermissionTree {
  private static final String ACL_SUFFIX = AclFile.FILE_NAME;

  private static final class CompiledFile {
    final AclFile source;
    final CompiledRule[] ordered;
    final boolean terminal;

    CompiledFile(AclFile source) {
      this.source = source;
      List<AclRule> rules = source.rules();
      int[] order = Specificity.order(rules);
      ordered = new CompiledRule[order.length];
      for (int i = 0; i < order.length; i++) {
        ordered[i] = new CompiledRule(rules.get(order[i]), order[i]);
      }
      terminal = source.terminal();
    }
  }

  private static final class Node {
    final Map<String, Node> children = new HashMap<>(4);
    final String folder;
    CompiledFile file;
    // frozen copy of children: open addressing, looked up by a region of the path (no substring)
    String[] keys = new String[0];
    Node[] nodes = new Node[0];
    int mask = -1;

    Node(String folder) {
      this.folder = folder;
    }

    void freeze() {
      if (children.isEmpty()) {
        return;
      }
      int cap = Integer.highestOneBit(Math.max(2, children.size() * 2 - 1)) << 1;
      keys = new String[cap];
      nodes = new Node[cap];
      mask = cap - 1;
      for (Map.Entry<String, Node> e : children.entrySet()) {
        int i = hash(e.getKey(), 0, e.getKey().length()) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = e.getKey();
        nodes[i] = e.getValue();
        e.getValue().freeze();
      }
    }

    Node child(String path, int from, int to) {
      if (mask < 0) {
        return null;
      }
      int len = to - from;
      int i = hash(path, from, to) & mask;
      String k;
      while ((k = keys[i]) != null) {
        if (k.length() == len && path.startsWith(k, from)) {
          return nodes[i];
        }
        i = (i + 1) & mask;
      }
      return null;
    }

    private static int hash(String s, int from, int to) {
      int h = 0;
      for (int i = from; i < to; i++) {
        h = 31 * h + s.charAt(i);
      }
      return h ^ (h >>> 16);
    }
  }

  private final String owner;
  private final Node root = new Node("");
  private final Map<String, AclFile> files;
  private final List<AclProblem> errors;
  private final List<AclProblem> warnings;

  private PermissionTree(String owner, Collection<AclFile> aclFiles, List<AclProblem> errors, List<AclProblem> extraWarnings) {
    this.owner = owner;
    this.errors = List.copyOf(errors);
    TreeMap<String, AclFile> byFolder = new TreeMap<>();
    List<AclProblem> w = new ArrayList<>(extraWarnings);
    for (AclFile f : aclFiles) {
      if (byFolder.put(f.folder(), f) != null) {
        throw new IllegalArgumentException("two permission files for folder '" + f.folder() + "'");
      }
      w.addAll(f.warnings());
      Node n = root;
      if (!f.folder().isEmpty()) {
        String folder = "";
        for (String seg : f.folder().split("/", -1)) {
          folder = folder.isEmpty() ? seg : folder + "/" + seg;
          String fFolder = folder;
          n = n.children.computeIfAbsent(seg, k -> new Node(fFolder));
        }
      }
      n.file = new CompiledFile(f);
    }
    this.files = Collections.unmodifiableMap(byFolder);
    this.warnings = List.copyOf(w);
    root.freeze();
  }

  /** Compiles a tree from parsed files (one per folder). */
  public static PermissionTree of(String owner, Collection<AclFile> files) {
    return new PermissionTree(owner, files, List.of(), List.of());
  }

  /**
   * A tree that failed to load: every decision is a deny with reason {@link Reason#LOAD_ERROR}.
   * {@code files} are the files that did load (kept for inspection only).
   */
  public static PermissionTree failed(String owner, Collection<AclFile> files, List<AclProblem> errors,
      List<AclProblem> warnings) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a failed tree needs at least one error");
    }
    return new PermissionTree(owner, files, errors, warnings);
  }

  /** The datasite owner: the datasite folder's name. */
  public String owner() {
    return owner;
  }

  /** False when a permission file failed to load (then everything is denied). */
  public boolean loaded() {
    return errors.isEmpty();
  }

  /** Load errors (empty when {@link #loaded()}). */
  public List<AclProblem> errors() {
    return errors;
  }

  /** Warnings about files that loaded: ignored keys, patterns that can never match, ... */
  public List<AclProblem> warnings() {
    return warnings;
  }

  /** Every loaded permission file by folder ({@code ""} = root), sorted by folder. */
  public Map<String, AclFile> files() {
    return files;
  }

  /** The permission file of exactly {@code folder}, if any. */
  public Optional<AclFile> file(String folder) {
    return Optional.ofNullable(files.get(folder));
  }

  /** True for a path the reference treats as a permission file (a string suffix test). */
  public static boolean isPermissionFilePath(String path) {
    return path.endsWith(ACL_SUFFIX);
  }

  /**
   * The folder of the permission file governing {@code path} (the nearest one, honouring terminal
   * files), or null when none does. Works on failed trees too, over the files that loaded.
   */
  public String governingFolder(String path) {
    Node n = governing(segmentsOf(path));
    return n == null ? null : n.folder;
  }

  private Node governing(String path) {
    Node node = root;
    Node gov = root.file != null ? root : null;
    if (gov != null && gov.file.terminal) {
      return gov;
    }
    int start = 0;
    int len = path.length();
    while (true) {
      if (node.mask < 0) {
        return gov;
      }
      int idx = path.indexOf('/', start);
      Node child = node.child(path, start, idx < 0 ? len : idx);
      if (child == null) {
        return gov;
      }
      node = child;
      if (node.file != null) {
        gov = node;
        if (node.file.terminal) {
          return gov;
        }
      }
      if (idx < 0) {
        return gov;
      }
      start = idx + 1;
    }
  }

  /**
   * The path the reference walks and matches: its non-empty segments joined by {@code /} (it splits
   * the request path and drops empty segments). Most paths are returned as they are, without copying.
   */
  static String segmentsOf(String path) {
    int n = path.length();
    if (n == 0 || (path.charAt(0) != '/' && path.charAt(n - 1) != '/' && path.indexOf("//") < 0)) {
      return path;
    }
    StringBuilder sb = new StringBuilder(n);
    int start = 0;
    while (start <= n) {
      int idx = path.indexOf('/', start);
      int end = idx < 0 ? n : idx;
      if (end > start) {
        if (!sb.isEmpty()) {
          sb.append('/');
        }
        sb.append(path, start, end);
      }
      if (idx < 0) {
        break;
      }
      start = idx + 1;
    }
    return sb.toString();
  }

  private static String relative(String folder, String path) {
    if (folder.isEmpty()) {
      return path;
    }
    return path.length() <= folder.length() ? "" : path.substring(folder.length() + 1);
  }

  /** Where the path relative to {@code folder} starts inside {@code path}. */
  private static int relativeStart(String folder, String path) {
    if (folder.isEmpty()) {
      return 0;
    }
    return path.length() <= folder.length() ? path.length() : folder.length() + 1;
  }

  private static CompiledRule firstMatch(CompiledFile f, String path, int from, String user) {
    for (CompiledRule r : f.ordered) {
      if (r.matches(path, from, user)) {
        return r;
      }
    }
    return null;
  }

  /** The fast path: may {@code user} access {@code path} at {@code level}? */
  public boolean allows(String path, String user, Level level) {
    if (!errors.isEmpty()) {
      return false;
    }
    if (user.equals(owner)) {
      return true;
    }
    String p = segmentsOf(path);
    Node gov = governing(p);
    if (gov == null) {
      return false;
    }
    CompiledRule rule = firstMatch(gov.file, p, relativeStart(gov.folder, p), user);
    if (rule == null) {
      return false;
    }
    // the suffix test sees the path as given ('syft.pub.yaml/' is not a permission file)
    Level needed = path.endsWith(ACL_SUFFIX) ? Level.ADMIN : level;
    return rule.grants(user, needed);
  }

  /** The decision with what decided it (allocates; use {@link #allows} in hot loops). */
  public Decision decide(String path, String user, Level level) {
    if (!errors.isEmpty()) {
      return new Decision(false, Reason.LOAD_ERROR, null, null, null, null, null, -1, false, null, errors);
    }
    if (user.equals(owner)) {
      return new Decision(true, Reason.OWNER, null, null, null, null, null, -1, false, null, List.of());
    }
    String p = segmentsOf(path);
    Node gov = governing(p);
    if (gov == null) {
      return new Decision(false, Reason.NO_ACL_FILE, null, null, null, null, null, -1, false, null, List.of());
    }
    String rel = relative(gov.folder, p);
    CompiledRule rule = firstMatch(gov.file, p, relativeStart(gov.folder, p), user);
    if (rule == null) {
      return new Decision(false, Reason.NO_MATCHING_RULE, gov.folder, rel, null, null, null, -1, false, null,
          List.of());
    }
    boolean elevated = path.endsWith(ACL_SUFFIX);
    Level needed = elevated ? Level.ADMIN : level;
    boolean allowed = rule.grants(user, needed);
    CompiledRule.Resolved resolved = rule.resolve(user);
    return new Decision(allowed, Reason.RULE, gov.folder, rel, rule.rule.pattern(), resolved.pattern(),
        resolved.kind(), rule.fileIndex, elevated, allowed ? grantedBy(rule, user, needed) : null, List.of());
  }

  private static String grantedBy(CompiledRule rule, String user, Level needed) {
    for (Level l : new Level[] {Level.ADMIN, Level.WRITE, Level.READ}) {
      if (!l.implies(needed)) {
        continue;
      }
      for (String entry : rule.rule.access().list(l)) {
        if (PrincipalSet.of(List.of(entry), rule.template).contains(user)) {
          return "'" + entry + "' in " + l.id();
        }
      }
    }
    return null;
  }

  /**
   * Which of {@code candidates} may access {@code path} at {@code level}, in candidate order. The
   * governing file and the user-independent rules are resolved once, so this is much cheaper than
   * one {@link #allows} per candidate. (The data owner routes each changed file to every peer with
   * READ.)
   */
  public List<String> usersWith(String path, Level level, Collection<String> candidates) {
    List<String> out = new ArrayList<>(candidates.size());
    if (!errors.isEmpty()) {
      return out;
    }
    String raw = path;
    path = segmentsOf(raw);
    Node gov = governing(path);
    if (gov == null) {
      for (String c : candidates) {
        if (c.equals(owner)) {
          out.add(c);
        }
      }
      return out;
    }
    int from = relativeStart(gov.folder, path);
    Level needed = raw.endsWith(ACL_SUFFIX) ? Level.ADMIN : level;
    // template rules come first in specificity order; the first plain rule that matches is the same
    // for every requester
    CompiledRule[] ordered = gov.file.ordered;
    int firstPlain = ordered.length;
    for (int i = 0; i < ordered.length; i++) {
      if (!ordered[i].template) {
        firstPlain = i;
        break;
      }
    }
    CompiledRule plainMatch = null;
    for (int i = firstPlain; i < ordered.length; i++) {
      if (ordered[i].matches(path, from, null)) {
        plainMatch = ordered[i];
        break;
      }
    }
    for (String c : candidates) {
      if (c.equals(owner)) {
        out.add(c);
        continue;
      }
      CompiledRule decider = null;
      for (int i = 0; i < firstPlain; i++) {
        if (ordered[i].matches(path, from, c)) {
          decider = ordered[i];
          break;
        }
      }
      if (decider == null) {
        decider = plainMatch;
      }
      if (decider != null && decider.grants(c, needed)) {
        out.add(c);
      }
    }
    return out;
  }

  /** {@link #usersWith} for READ. */
  public List<String> readers(String path, Collection<String> candidates) {
    return usersWith(path, Level.READ, candidates);
  }

  /** Number of permission files in the tree. */
  public int size() {
    return files.size();
  }
}
