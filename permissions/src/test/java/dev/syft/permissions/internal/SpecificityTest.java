package dev.syft.permissions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.permissions.Access;
import dev.syft.permissions.AclRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PERMISSIONS.md section 6: the 5-part specificity key and the ordering it gives. */
class SpecificityTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      {{.UserEmail}}/**  | 1,0,0,-1,2
      reports/q1.csv     | 0,2,0,0,2
      a/b/**             | 0,2,0,-1,3
      a/**/c             | 0,2,0,-1,3
      a/*.csv            | 0,1,1,0,2
      */b                | 0,1,1,0,2
      a/*                | 0,1,1,0,2
      reports/**         | 0,1,0,-1,2
      **/c               | 0,1,0,-1,2
      *.csv              | 0,0,1,0,1
      **/*.csv           | 0,0,1,-1,2
      **                 | 0,0,0,-1,1
      {a,b}.txt          | 0,0,0,0,1
      """)
  void keys(String pattern, String key) {
    int[] expected = Arrays.stream(key.split(",")).mapToInt(Integer::parseInt).toArray();
    assertThat(Specificity.key(pattern)).containsExactly(expected);
  }

  @Test
  void referenceOrdering() {
    // syft-permissions test 27 (specificity_ordering), given in a shuffled file order
    List<String> patterns = List.of("**", "*.csv", "reports/**", "{{.UserEmail}}/**", "**/*.csv", "reports/q1.csv");
    List<AclRule> rules = new ArrayList<>();
    for (String p : patterns) {
      rules.add(new AclRule(p, Access.none()));
    }
    List<String> sorted = new ArrayList<>();
    for (int i : Specificity.order(rules)) {
      sorted.add(patterns.get(i));
    }
    assertThat(sorted).containsExactly("{{.UserEmail}}/**", "reports/q1.csv", "reports/**", "*.csv", "**/*.csv", "**");
  }

  @Test
  void tiesKeepFileOrder() {
    List<AclRule> rules = List.of(new AclRule("a/*", Access.none()), new AclRule("*/b", Access.none()),
        new AclRule("x/*", Access.none()));
    assertThat(Specificity.order(rules)).containsExactly(0, 1, 2);
  }
}
