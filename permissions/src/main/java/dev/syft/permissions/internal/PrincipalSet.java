package dev.syft.permissions.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A compiled principal list with the reference's matching ({@code _user_in_list}): {@code *} is
 * everyone, an entry containing {@code *} or {@code ?} is an fnmatch pattern over the whole user id,
 * anything else is compared exactly (case-sensitive). {@code USER} is resolved by the caller's rule
 * kind: everyone in a plain rule, the requester in a {@code {{.UserEmail}}} rule.
 */
public final class PrincipalSet {
  private final boolean everyone;
  private final boolean requester;
  private final Set<String> exact;
  private final String[] small;
  private final Fnmatch[] wildcards;
  private final List<String> wildcardSources;

  private PrincipalSet(boolean everyone, boolean requester, Set<String> exact, List<Fnmatch> wildcards,
      List<String> wildcardSources) {
    this.everyone = everyone;
    this.requester = requester;
    this.exact = exact;
    // a few entries are faster to scan than to hash (and stay in one cache line)
    this.small = exact.size() <= 8 ? exact.toArray(new String[0]) : null;
    this.wildcards = wildcards.toArray(new Fnmatch[0]);
    this.wildcardSources = List.copyOf(wildcardSources);
  }

  public static final String USER_TOKEN = "USER";

  /** Compiles the union of {@code entries}; {@code templateRule} decides what {@code USER} means. */
  public static PrincipalSet of(Collection<String> entries, boolean templateRule) {
    boolean everyone = false;
    boolean requester = false;
    Set<String> exact = new HashSet<>();
    List<Fnmatch> wild = new ArrayList<>();
    List<String> wildSrc = new ArrayList<>();
    for (String e : entries) {
      if (e.equals(USER_TOKEN)) {
        if (templateRule) {
          requester = true;
        } else {
          everyone = true;
        }
      } else if (e.equals("*")) {
        everyone = true;
      } else if (e.indexOf('*') >= 0 || e.indexOf('?') >= 0) {
        wild.add(Fnmatch.compile(e));
        wildSrc.add(e);
      } else {
        exact.add(e);
      }
    }
    return new PrincipalSet(everyone, requester, exact, wild, wildSrc);
  }

  public boolean contains(String user) {
    if (everyone) {
      return true;
    }
    if (small != null) {
      for (String s : small) {
        if (s.equals(user)) {
          return true;
        }
      }
    } else if (exact.contains(user)) {
      return true;
    }
    if (requester && requesterMatches(user)) {
      return true;
    }
    for (Fnmatch f : wildcards) {
      if (f.matches(user)) {
        return true;
      }
    }
    return false;
  }

  private static boolean requesterMatches(String user) {
    // USER became the requester's own id; the reference then compares it with fnmatch when it
    // contains wildcard characters, which only fails for ids with odd brackets
    if (user.indexOf('*') < 0 && user.indexOf('?') < 0) {
      return true;
    }
    return Fnmatch.compile(user).matches(user);
  }

  /** True when matching does not depend on who asks beyond the id itself (no wildcards). */
  public boolean isEveryone() {
    return everyone;
  }

  /** Source text of the wildcard entries, for explanations. */
  public List<String> wildcardSources() {
    return wildcardSources;
  }
}
