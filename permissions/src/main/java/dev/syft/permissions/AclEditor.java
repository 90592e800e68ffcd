package dev.syft.permissions;

import dev.syft.permissions.internal.Fnmatch;
import dev.syft.permissions.internal.Glob;
import dev.syft.permissions.internal.Specificity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans grant and revoke edits on a loaded {@link PermissionTree} (pure: returns the files to write).
 * File and governing-file resolution follow the reference's {@code syft-perms}; on top of it the
 * planner keeps other users' access intact where the reference would silently drop it.
 */
final class AclEditor {
  private AclEditor() {}

  /** A normalised target: {@code path} is datasite-relative ({@code ""} = root). */
  record Target(String path, boolean folder) {
    String display() {
      return folder ? (path.isEmpty() ? "" : path + "/") : path;
    }

    /** The path whose decision stands for the target (folders use a synthetic child, as the reference). */
    String probe() {
      return folder ? (path.isEmpty() ? "__any__" : path + "/__any__") : path;
    }
  }

  record Plan(List<AclFile> writes, String pattern, List<String> carried, List<String> warnings) {}

  private record Carry(Access access, List<AclRule> from, String conflict) {}

  static String relative(String folder, String path) {
    if (folder.isEmpty()) {
      return path;
    }
    return path.length() <= folder.length() ? "" : path.substring(folder.length() + 1);
  }

  static String parentOf(String path) {
    int i = path.lastIndexOf('/');
    return i < 0 ? "" : path.substring(0, i);
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The pattern the reference writes for the target in the file of {@code aclFolder} (metacharacters escaped). */
  static String dedicatedPattern(String aclFolder, Target t) {
    String rel = relative(aclFolder, t.path());
    if (t.folder()) {
      return rel.isEmpty() ? "**" : Glob.escape(rel) + "/**";
    }
    return rel.isEmpty() ? Glob.escape(nameOf(t.path())) : Glob.escape(rel);
  }

  static Set<Level> levelsFrom(Level level) {
    return switch (level) {
      case READ -> EnumSet.allOf(Level.class);
      case WRITE -> EnumSet.of(Level.WRITE, Level.ADMIN);
      case ADMIN -> EnumSet.of(Level.ADMIN);
    };
  }

  // ---------------------------------------------------------------------------------------------
  // grant

  static Plan grant(PermissionTree tree, Target t, String principal, Level level, GrantMode mode) {
    List<String> warnings = new ArrayList<>();
    String gov = tree.governingFolder(t.path());
    boolean created = gov == null;
    String aclFolder = created ? (t.folder() ? t.path() : parentOf(t.path())) : gov;
    AclFile file = created ? AclFile.empty(aclFolder) : tree.files().get(gov);
    String rel = relative(aclFolder, t.path());
    String pattern = dedicatedPattern(aclFolder, t);
    int idx = file.indexOf(pattern);
    List<String> carried = new ArrayList<>();
    AclFile updated;
    if (idx >= 0) {
      AclRule r = file.rules().get(idx);
      updated = file.withRule(idx, r.withAccess(r.access().plus(level, principal)));
    } else {
      Access seed = Access.none();
      if (!created) {
        Carry c = carry(file, pattern, rel, t.folder());
        if (mode == GrantMode.CARRY_INHERITED) {
          if (c.conflict() != null) {
            throw new PermissionRefusedException("granting " + level + " on '" + t.display() + "' to " + principal
                + " would add rule '" + pattern + "' to " + file.path() + ", " + c.conflict()
                + ". Grant on individual files, edit " + file.path()
                + " yourself, or use the reference mode (no carry) to write the rule anyway");
          }
          seed = c.access();
          carried.addAll(principals(seed));
        } else if (c.conflict() != null || !c.access().isEmpty()) {
          Set<String> lost = new LinkedHashSet<>();
          for (AclRule r : c.from()) {
            lost.addAll(principals(r.access()));
          }
          lost.remove(principal);
          if (!lost.isEmpty()) {
            warnings.add("the new rule '" + pattern + "' takes over from " + describeRules(c.from()) + " in "
                + file.path() + ": " + String.join(", ", lost) + " lose the access they had there on '"
                + t.display() + "'");
          }
        }
      }
      updated = file.plusRule(new AclRule(pattern, seed.plus(level, principal)));
    }
    List<AclFile> writes = (created || !updated.equals(file)) ? List.of(updated) : List.of();
    if (t.folder()) {
      shadowWarnings(tree, updated, pattern, rel, t, principal, level, aclFolder, warnings);
    }
    if (!created && !writes.isEmpty()) {
      noteDroppedKeys(file, warnings);
    }
    return new Plan(writes, pattern, carried, warnings);
  }

  private static void noteDroppedKeys(AclFile before, List<String> warnings) {
    if (before.warnings().stream().anyMatch(w -> w.message().startsWith("unknown"))) {
      warnings.add(before.path() + " is rewritten in the reference's layout: unknown keys and comments in it are"
          + " dropped");
    }
  }

  private static void shadowWarnings(PermissionTree tree, AclFile updated, String pattern, String rel, Target t,
      String principal, Level level, String aclFolder, List<String> warnings) {
    int pIdx = updated.indexOf(pattern);
    int[] keyP = Specificity.key(pattern);
    for (int i = 0; i < updated.rules().size(); i++) {
      AclRule r = updated.rules().get(i);
      if (i == pIdx || r.isTemplate() || !outranks(r, i, keyP, pIdx) || !mayMatchUnder(r.pattern(), rel)) {
        continue;
      }
      if (!listsGrant(r, principal, level)) {
        warnings.add("rule '" + r.pattern() + "' in " + updated.path() + " is more specific than '" + pattern
            + "' and still decides for the paths it matches; " + principal + " gets no " + level + " there");
      }
    }
    for (String d : tree.files().keySet()) {
      if (d.equals(aclFolder) || !isUnder(d, t.path())) {
        continue;
      }
      if (d.equals(tree.governingFolder(d + "/__any__"))) {
        warnings.add(AclFile.pathOf(d) + " governs '" + d + "/' itself, so this grant does not apply there");
      }
    }
  }

  /** Which rules a new rule {@code pattern} would take over from, and whether copying them is exact. */
  private static Carry carry(AclFile file, String pattern, String rel, boolean folder) {
    int[] keyP = Specificity.key(pattern);
    List<AclRule> rules = file.rules();
    int[] order = Specificity.order(rules);
    if (!folder) {
      for (int i : order) {
        AclRule r = rules.get(i);
        if (r.isTemplate() || !plainMatches(r.pattern(), rel)) {
          continue;
        }
        if (Arrays.compare(Specificity.key(r.pattern()), keyP) < 0) {
          return new Carry(r.access(), List.of(r), null);
        }
        return new Carry(Access.none(), List.of(), null);
      }
      return new Carry(Access.none(), List.of(), null);
    }
    List<AclRule> hidden = new ArrayList<>();
    for (int i : order) {
      AclRule r = rules.get(i);
      if (!r.isTemplate() && Arrays.compare(Specificity.key(r.pattern()), keyP) < 0
          && mayMatchUnder(r.pattern(), rel)) {
        hidden.add(r);
      }
    }
    if (hidden.isEmpty() || hidden.stream().allMatch(r -> r.access().isEmpty())) {
      return new Carry(Access.none(), hidden, null);
    }
    Access first = hidden.get(0).access();
    for (int k = 0; k < hidden.size(); k++) {
      AclRule r = hidden.get(k);
      if (!r.access().sameAs(first)) {
        break;
      }
      if (covers(r.pattern(), rel)) {
        return new Carry(first, hidden.subList(0, k + 1), null);
      }
    }
    return new Carry(null, hidden, "and inside that folder it would take over from " + describeRules(hidden)
        + ", which do not give one uniform access there, so other users' access would change");
  }

  private static String describeRules(List<AclRule> rules) {
    List<String> parts = new ArrayList<>();
    for (AclRule r : rules) {
      parts.add("'" + r.pattern() + "'" + describeAccess(r.access()));
    }
    return (rules.size() == 1 ? "rule " : "rules ") + String.join(", ", parts);
  }

  private static String describeAccess(Access a) {
    List<String> parts = new ArrayList<>();
    for (Level l : new Level[] {Level.READ, Level.WRITE, Level.ADMIN}) {
      if (!a.list(l).isEmpty()) {
        parts.add(l.id() + ": " + String.join(", ", a.list(l)));
      }
    }
    return parts.isEmpty() ? " (nobody)" : " (" + String.join("; ", parts) + ")";
  }

  private static List<String> principals(Access a) {
    Set<String> s = new LinkedHashSet<>();
    s.addAll(a.admin());
    s.addAll(a.write());
    s.addAll(a.read());
    return List.copyOf(s);
  }

  // ---------------------------------------------------------------------------------------------
  // revoke

  static Plan revoke(PermissionTree tree, Target t, String principal, Level level) {
    Set<Level> levels = levelsFrom(level);
    boolean concrete = !Emails.isPattern(principal);
    Map<String, AclFile> edited = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    List<String> carried = new ArrayList<>();
    String pattern = null;
    String gov = tree.governingFolder(t.path());
    if (gov != null) {
      AclFile file = tree.files().get(gov);
      AclFile f = file;
      String rel = relative(gov, t.path());
      pattern = dedicatedPattern(gov, t);
      if (!t.folder()) {
        int dec = deciderIndex(f, rel, concrete ? principal : null);
        if (dec >= 0) {
          AclRule r = f.rules().get(dec);
          if (affectsAny(r, principal, levels)) {
            if (r.isTemplate() || r.pattern().equals(pattern)) {
              f = f.withRule(dec, strip(r, principal, levels, file.path(), warnings));
            } else {
              // give the file its own rule (a copy of the broader one) and edit only that
              carried.addAll(principals(r.access()));
              carried.remove(principal);
              f = f.plusRule(strip(new AclRule(pattern, r.access()), principal, levels, file.path(), warnings));
            }
          }
        }
      } else {
        f = revokeInFolder(f, pattern, rel, t, principal, concrete, levels, warnings, carried);
      }
      if (!f.equals(file)) {
        edited.put(gov, f);
        noteDroppedKeys(file, warnings);
      }
    }
    if (t.folder()) {
      for (String d : tree.files().keySet()) {
        if ((gov != null && d.equals(gov)) || !isUnder(d, t.path())) {
          continue;
        }
        if (!d.equals(tree.governingFolder(d + "/__any__"))) {
          continue; // shadowed by a terminal file: it decides nothing
        }
        AclFile df = tree.files().get(d);
        AclFile nf = df;
        for (int i = 0; i < nf.rules().size(); i++) {
          AclRule r = nf.rules().get(i);
          if (affectsAny(r, principal, levels)) {
            nf = nf.withRule(i, strip(r, principal, levels, df.path(), warnings));
          }
        }
        if (!nf.equals(df)) {
          edited.put(d, nf);
          noteDroppedKeys(df, warnings);
        }
      }
    }
    return new Plan(List.copyOf(edited.values()), pattern, carried, warnings);
  }

  private static AclFile revokeInFolder(AclFile f, String pattern, String rel, Target t, String principal,
      boolean concrete, Set<Level> levels, List<String> warnings, List<String> carried) {
    List<AclRule> rules = f.rules();
    int[] order = Specificity.order(rules);
    int pIdx = f.indexOf(pattern);
    int[] keyP = Specificity.key(pattern);
    AclFile out = f;
    List<Integer> below = new ArrayList<>();
    for (int i : order) {
      AclRule r = rules.get(i);
      boolean overlap;
      if (r.isTemplate()) {
        overlap = concrete && mayMatchUnder(resolveEscaped(r.pattern(), principal), rel);
        if (!concrete && affectsAny(r, principal, levels)) {
          warnings.add("template rule '" + r.pattern() + "' in " + f.path() + " also lists '" + principal
              + "'; it was left unchanged");
        }
      } else {
        overlap = mayMatchUnder(r.pattern(), rel);
      }
      if (!overlap) {
        continue;
      }
      if (i == pIdx || r.isTemplate() || outranks(r, i, keyP, pIdx)) {
        if (affectsAny(r, principal, levels)) {
          out = out.withRule(i, strip(r, principal, levels, f.path(), warnings));
          if (i != pIdx && !confined(r.pattern(), rel)) {
            warnings.add("rule '" + r.pattern() + "' in " + f.path() + " also applies outside '" + t.display()
                + "'; the change applies there too");
          }
        }
      } else if (pIdx < 0) {
        below.add(i);
      }
    }
    boolean belowAffects = below.stream().anyMatch(i -> affectsAny(rules.get(i), principal, levels));
    if (pIdx < 0 && belowAffects) {
      Carry c = carry(f, pattern, rel, true);
      if (c.conflict() == null) {
        carried.addAll(principals(c.access()));
        carried.remove(principal);
        out = out.plusRule(strip(new AclRule(pattern, c.access()), principal, levels, f.path(), warnings));
      } else {
        for (int i : below) {
          AclRule r = rules.get(i);
          if (affectsAny(r, principal, levels)) {
            out = out.withRule(i, strip(r, principal, levels, f.path(), warnings));
            if (!confined(r.pattern(), rel)) {
              warnings.add("rule '" + r.pattern() + "' in " + f.path() + " also applies outside '" + t.display()
                  + "'; the change applies there too");
            }
          }
        }
      }
    }
    return out;
  }

  /** The first rule (specificity order) matching {@code rel}; template rules only for a concrete user. */
  private static int deciderIndex(AclFile f, String rel, String user) {
    int[] order = Specificity.order(f.rules());
    for (int i : order) {
      AclRule r = f.rules().get(i);
      if (r.isTemplate()) {
        if (user != null && plainMatches(resolveEscaped(r.pattern(), user), rel)) {
          return i;
        }
      } else if (plainMatches(r.pattern(), rel)) {
        return i;
      }
    }
    return -1;
  }

  /** Does an entry give {@code principal} access? (For a pattern principal: only the same entry.) */
  static boolean affects(String entry, String principal) {
    if (entry.equals(principal)) {
      return true;
    }
    if (Emails.isPattern(principal)) {
      return false;
    }
    if (entry.equals(Emails.EVERYONE) || entry.equals(Emails.USER)) {
      return true;
    }
    return (entry.indexOf('*') >= 0 || entry.indexOf('?') >= 0) && Fnmatch.compile(entry).matches(principal);
  }

  private static boolean affectsAny(AclRule r, String principal, Set<Level> levels) {
    for (Level l : levels) {
      for (String e : r.access().list(l)) {
        if (affects(e, principal)) {
          return true;
        }
      }
    }
    return false;
  }

  private static AclRule strip(AclRule r, String principal, Set<Level> levels, String file, List<String> warnings) {
    Access a = r.access();
    for (Level l : levels) {
      List<String> kept = new ArrayList<>();
      for (String e : a.list(l)) {
        if (affects(e, principal)) {
          if (!e.equals(principal)) {
            warnings.add("removed '" + e + "' from " + l.id() + " in '" + r.pattern() + "' (" + file
                + ") while revoking access for " + principal + ": this may affect other users");
          }
        } else {
          kept.add(e);
        }
      }
      a = a.with(l, kept);
    }
    return r.withAccess(a);
  }

  private static boolean listsGrant(AclRule r, String principal, Level level) {
    for (Level l : Level.values()) {
      if (l.implies(level)) {
        for (String e : r.access().list(l)) {
          if (affects(e, principal)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // pattern helpers (authoring checks substitute e-mails escaped)

  static String resolveEscaped(String pattern, String user) {
    return pattern.replace(AclRule.USER_EMAIL_TEMPLATE, Glob.escape(user));
  }

  private static boolean plainMatches(String pattern, String rel) {
    return Glob.isGlob(pattern) ? Glob.compile(pattern).matches(rel) : pattern.equals(rel);
  }

  private static boolean mayMatchUnder(String pattern, String rel) {
    if (rel.isEmpty()) {
      return !pattern.startsWith("/");
    }
    return Glob.compile(pattern).mayMatchUnder(rel);
  }

  private static boolean covers(String pattern, String rel) {
    if (rel.isEmpty()) {
      for (String s : pattern.split("/", -1)) {
        if (!s.equals("**")) {
          return false;
        }
      }
      return true;
    }
    return Glob.compile(pattern).coversFolder(rel);
  }

  private static boolean confined(String pattern, String rel) {
    return rel.isEmpty() || pattern.startsWith(Glob.escape(rel) + "/");
  }

  /** Does rule {@code r} (at file index {@code i}) come before a rule with key {@code keyP} at {@code pIdx} (-1 = appended)? */
  private static boolean outranks(AclRule r, int i, int[] keyP, int pIdx) {
    int cmp = Arrays.compare(Specificity.key(r.pattern()), keyP);
    if (cmp != 0) {
      return cmp > 0;
    }
    return pIdx < 0 || i < pIdx;
  }

  private static boolean isUnder(String folder, String ancestor) {
    return ancestor.isEmpty() ? !folder.isEmpty() : folder.startsWith(ancestor + "/");
  }
}
