package dev.syft.permissions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Principal wildcards: Python fnmatch.fnmatchcase semantics. */
class FnmatchTest {
  @ParameterizedTest(name = "{0} ~ {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      *@company.com          | alice@company.com      | true
      *@company.com          | alice@other.com        | false
      *@company.com          | a@sub.company.com      | false
      *@company.com          | A@COMPANY.COM          | false
      *@example.com          | user1@example.com      | true
      admin*                 | admin1@example.com     | true
      admin*                 | administrator@test.com | true
      admin*                 | user@example.com       | false
      admin*@example.com     | admin1@example.com     | true
      admin*@example.com     | admin@otherdomain.com  | false
      user*@test.com         | user123@test.com       | true
      b?b@example.com        | bob@example.com        | true
      b?b@example.com        | boob@example.com       | false
      *                      | ''                     | true
      *                      | a/b                    | true
      [ab]*@x.com            | bob@x.com              | true
      [!ab]*@x.com           | bob@x.com              | false
      [^a]*@x.com            | ^z@x.com               | true
      [^a]*@x.com            | bz@x.com               | false
      a[*@x.com              | a[b@x.com              | true
      """)
  void fnmatch(String pattern, String user, boolean expected) {
    String u = user.equals("''") ? "" : user;
    assertThat(Fnmatch.compile(pattern).matches(u)).isEqualTo(expected);
  }
}
