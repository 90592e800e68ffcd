package dev.syft.permissions.internal;

import dev.syft.permissions.AclRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The reference's rule precedence: rules are sorted once, stably, by a 5-part key, descending; the
 * first matching rule decides. Key: has {@code {{.UserEmail}}}; number of literal segments; number of
 * wildcard segments (other than {@code **}); minus the number of {@code **} segments; number of
 * segments. Ties keep file order.
 */
public final class Specificity {
  private Specificity() {}

  public static int[] key(String pattern) {
    boolean template = pattern.contains(AclRule.USER_EMAIL_TEMPLATE);
    String[] segments = pattern.split("/", -1);
    int literal = 0;
    int wildcard = 0;
    int globstars = 0;
    for (String s : segments) {
      if (s.contains(AclRule.USER_EMAIL_TEMPLATE)) {
        continue;
      }
      if (s.equals("**")) {
        globstars++;
      } else if (s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0) {
        wildcard++;
      } else if (s.indexOf('{') < 0) {
        literal++;
      }
    }
    return new int[] {template ? 1 : 0, literal, wildcard, -globstars, segments.length};
  }

  /** Descending by key. */
  public static final Comparator<int[]> DESCENDING = (a, b) -> Arrays.compare(b, a);

  /** Indices of {@code rules} in decision order (most specific first, ties in file order). */
  public static int[] order(List<AclRule> rules) {
    List<Integer> idx = new ArrayList<>();
    List<int[]> keys = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      idx.add(i);
      keys.add(key(rules.get(i).pattern()));
    }
    idx.sort((x, y) -> DESCENDING.compare(keys.get(x), keys.get(y))); // List.sort is stable
    return idx.stream().mapToInt(Integer::intValue).toArray();
  }
}
