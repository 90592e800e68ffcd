package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Seeded random trees: {@link PermissionTree#readers} and {@link PermissionTree#usersWith} agree with
 * one {@link PermissionTree#allows} per candidate, and {@link PermissionTree#decide} agrees with
 * {@link PermissionTree#allows}.
 */
class ReadersPropertyTest {
  private static final String[] FOLDERS = {"", "a", "a/b", "c", "a/b/c", "shared"};
  private static final String[] PATTERNS = {"**", "*", "*.csv", "**/*.csv", "b/**", "x.txt", "{{.UserEmail}}/**",
      "{{.UserEmail}}.txt", "*/b", "**/.env", "[ab]*", "syft.pub.yaml"};
  private static final String[] USERS = {"u1@x.org", "u2@x.org", "u3@y.org", "owner@x.org"};
  private static final String[] ENTRIES = {"u1@x.org", "u2@x.org", "*", "*@x.org", "USER", "u?@y.org"};
  private static final String[] SEGMENTS = {"a", "b", "c", "x.txt", "d.csv", ".env", "u1@x.org", "u3@y.org",
      "u1@x.org.txt", "syft.pub.yaml", "shared"};

  @RepeatedTest(40)
  void readersAgreeWithSingleDecisions(RepetitionInfo info) {
    long seed = 0x5eed0000L + info.getCurrentRepetition();
    System.out.println("ReadersPropertyTest seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    List<AclFile> files = new ArrayList<>();
    for (String folder : FOLDERS) {
      if (rnd.nextInt(3) == 0) {
        continue;
      }
      List<AclRule> rules = new ArrayList<>();
      int n = rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        rules.add(new AclRule(PATTERNS[rnd.nextInt(PATTERNS.length)],
            new Access(pick(rnd), pick(rnd), pick(rnd))));
      }
      files.add(AclFile.of(folder, rules, rnd.nextInt(4) == 0));
    }
    PermissionTree tree = PermissionTree.of("owner@x.org", files);
    for (int k = 0; k < 200; k++) {
      StringBuilder path = new StringBuilder();
      int depth = 1 + rnd.nextInt(4);
      for (int d = 0; d < depth; d++) {
        if (d > 0) {
          path.append('/');
        }
        path.append(SEGMENTS[rnd.nextInt(SEGMENTS.length)]);
      }
      String p = path.toString();
      for (Level level : Level.values()) {
        List<String> expected = new ArrayList<>();
        for (String u : USERS) {
          boolean allowed = tree.allows(p, u, level);
          assertThat(tree.decide(p, u, level).allowed()).as("seed %d %s %s %s", seed, p, u, level).isEqualTo(allowed);
          if (allowed) {
            expected.add(u);
          }
        }
        assertThat(tree.usersWith(p, level, List.of(USERS))).as("seed %d %s %s", seed, p, level).isEqualTo(expected);
      }
    }
  }

  private static List<String> pick(SplittableRandom rnd) {
    List<String> out = new ArrayList<>();
    int n = rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      out.add(ENTRIES[rnd.nextInt(ENTRIES.length)]);
    }
    return out;
  }
}
