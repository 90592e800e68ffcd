package dev.syft.permissions.internal;

import dev.syft.permissions.AclRule;
import dev.syft.permissions.Level;
import dev.syft.permissions.MatcherKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rule ready for decisions: its matcher (exact string or {@link Glob}, or per-requester for
 * {@code {{.UserEmail}}} rules) and the hierarchical principal sets (admin; admin+write;
 * admin+write+read).
 */
public final class CompiledRule {
  private static final int TEMPLATE_CACHE_LIMIT = 4096;

  public final AclRule rule;
  public final int fileIndex;
  public final boolean template;
  private final String exact;
  private final Glob glob;
  private final boolean matchAll; // the pattern '**'
  private final String firstLiteral; // necessary "<literal>/" prefix of matching paths, or null
  private final ConcurrentHashMap<String, Resolved> perUser;
  private final String templatePrefix; // literal text before the template, or null
  private final PrincipalSet admin;
  private final PrincipalSet write;
  private final PrincipalSet read;

  /** A template rule's pattern for one requester. */
  public record Resolved(String pattern, String exact, Glob glob) {
    boolean matches(String path, int from) {
      return exact != null ? exactAt(exact, path, from) : glob.matches(path, from);
    }

    public MatcherKind kind() {
      return exact != null ? MatcherKind.EXACT : MatcherKind.GLOB;
    }
  }

  public CompiledRule(AclRule rule, int fileIndex) {
    this.rule = rule;
    this.fileIndex = fileIndex;
    this.template = rule.isTemplate();
    String p = rule.pattern();
    if (template) {
      exact = null;
      glob = null;
      perUser = new ConcurrentHashMap<>();
      String pre = p.substring(0, p.indexOf(AclRule.USER_EMAIL_TEMPLATE));
      templatePrefix = Glob.isGlob(pre) || pre.indexOf('\\') >= 0 ? null : pre;
      matchAll = false;
      firstLiteral = null;
    } else if (Glob.isGlob(p)) {
      exact = null;
      glob = Glob.compile(p);
      perUser = null;
      templatePrefix = null;
      matchAll = glob.isMatchAll();
      firstLiteral = glob.literalFirstSegment();
    } else {
      exact = p;
      glob = null;
      perUser = null;
      templatePrefix = null;
      matchAll = false;
      firstLiteral = null;
    }
    List<String> a = rule.access().admin();
    List<String> w = new ArrayList<>(a);
    w.addAll(rule.access().write());
    List<String> r = new ArrayList<>(w);
    r.addAll(rule.access().read());
    admin = PrincipalSet.of(a, template);
    write = PrincipalSet.of(w, template);
    read = PrincipalSet.of(r, template);
  }

  /** Does the pattern match {@code relPath} for this requester (the reference's substitution, unescaped)? */
  public boolean matches(String relPath, String user) {
    return matches(relPath, 0, user);
  }

  /** {@link #matches(String, String)} on {@code path.substring(from)}, without copying. */
  public boolean matches(String path, int from, String user) {
    if (!template) {
      if (exact != null) {
        return exactAt(exact, path, from);
      }
      if (matchAll) {
        return Glob.noDotSegment(path, from);
      }
      if (firstLiteral != null) {
        int after = from + firstLiteral.length();
        if (after >= path.length() || path.charAt(after) != '/' || !path.startsWith(firstLiteral, from)) {
          return false;
        }
      }
      return glob.matches(path, from);
    }
    if (templatePrefix != null && plainId(user)) {
      // the substituted e-mail is literal text: most paths fail this cheap test
      if (!path.startsWith(templatePrefix, from) || !path.startsWith(user, from + templatePrefix.length())) {
        return false;
      }
    }
    return resolve(user).matches(path, from);
  }

  private static boolean exactAt(String exact, String path, int from) {
    return path.length() - from == exact.length() && path.startsWith(exact, from);
  }

  private static boolean plainId(String user) {
    for (int i = 0; i < user.length(); i++) {
      char c = user.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '\\' || c == '/' || c == '{') {
        return false;
      }
    }
    return true;
  }

  public Resolved resolve(String user) {
    if (!template) {
      return new Resolved(rule.pattern(), exact, glob);
    }
    Resolved r = perUser.get(user);
    if (r == null) {
      String p = rule.pattern().replace(AclRule.USER_EMAIL_TEMPLATE, user);
      if (p.contains(AclRule.USER_EMAIL_TEMPLATE)) {
        // the reference substitutes twice (when compiling the rule and again in its template matcher),
        // which matters only for an id that itself contains the template
        p = p.replace(AclRule.USER_EMAIL_TEMPLATE, user);
      }
      r = Glob.isGlob(p) ? new Resolved(p, null, Glob.compile(p)) : new Resolved(p, p, null);
      if (perUser.size() < TEMPLATE_CACHE_LIMIT) {
        perUser.put(user, r);
      }
    }
    return r;
  }

  public MatcherKind kind(String user) {
    return resolve(user).kind();
  }

  /** Whether the rule's lists grant {@code level} to {@code user} (hierarchy included). */
  public boolean grants(String user, Level level) {
    return switch (level) {
      case ADMIN -> admin.contains(user);
      case WRITE -> write.contains(user);
      case READ -> read.contains(user);
    };
  }

  /** The compiled glob of a plain (non-template) glob rule, else null. */
  public Glob glob() {
    return glob;
  }
}
