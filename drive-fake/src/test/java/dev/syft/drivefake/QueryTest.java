package dev.syft.drivefake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class QueryTest {
  static Item item(String name, String owner) {
    Item i = new Item("id-" + name, 1, owner, Instant.parse("2026-01-01T00:00:00Z"), false);
    i.name = name;
    i.mimeType = "application/octet-stream";
    i.parents.add("p1");
    return i;
  }

  static Query.Env env(String user) {
    return new Query.Env() {
      @Override
      public String user() {
        return user;
      }

      @Override
      public Instant now() {
        return Instant.parse("2026-01-02T00:00:00Z");
      }

      @Override
      public String resolveId(String id) {
        return id.equals("root") ? "p1" : id;
      }

      @Override
      public String roleOf(String email, Item item) {
        return item.owner.equals(email) ? "owner" : null;
      }
    };
  }

  static boolean matches(String q, Item i, String user) {
    return Query.compile(q).test(i, env(user));
  }

  @ParameterizedTest(name = "''{0}'' contains ''{1}'' = {2}")
  @CsvSource(delimiter = '|', value = {
      "abc.txt|abc|true",
      "abcd|abc|true",
      "xabc|abc|false",
      "HelloWorld|World|false",
      "HelloWorld|hello|true",
      "syft_datasite#0.1.117#alice@x.com#inbox#bob@y.com|#alice@x.com#inbox#bob@y.com|true",
      "syft_datasite#0.1.117#alice@x.com#outbox#bob@y.com|#alice@x.com#inbox#bob@y.com|false",
      "syft_datasite#0.1.117#alice@x.com#inbox#bob@y.com|syft_datasite#|true",
      "0.1.117#alice@x.com|#alice@x.com|true",
      "alice@x.com-0.1.117-checkpoints|alice@x.com-|true",
      "malice@x.com-0.1.117-checkpoints|alice@x.com-|false",
      "syft_datasetcollection_census_0123|syft_datasetcollection_|true",
      "Report FINAL.pdf|final|true",
      "a#b|#|true",
  })
  void nameContainsMatchesWordPrefixesLikeDrive(String name, String value, boolean expected) {
    assertThat(Query.nameContains(name, value)).isEqualTo(expected);
  }

  @Test
  void clausesCombineWithAndOrNotAndParentheses() {
    Item i = item("inbox", "alice@x.com");
    assertThat(matches("name = 'inbox' and 'p1' in parents and trashed = false", i, "bob@x.com")).isTrue();
    assertThat(matches("name = 'inbox' and trashed = true", i, "bob@x.com")).isFalse();
    assertThat(matches("not 'me' in owners", i, "bob@x.com")).isTrue();
    assertThat(matches("not 'me' in owners", i, "alice@x.com")).isFalse();
    assertThat(matches("'me' in owners", i, "alice@x.com")).isTrue();
    assertThat(matches("'ALICE@x.com' in owners", i, "bob@x.com")).isTrue();
    assertThat(matches("'root' in parents", i, "bob@x.com")).isTrue();
    assertThat(matches("(name = 'x' or name = 'inbox') and mimeType != 'application/vnd.google-apps.folder'", i,
        "bob@x.com")).isTrue();
    assertThat(matches("name = 'x' or name = 'y'", i, "bob@x.com")).isFalse();
    assertThat(matches("createdTime < '2026-06-01T00:00:00Z' and modifiedTime >= '2026-01-01T00:00:00Z'", i, "b"))
        .isTrue();
  }

  @Test
  void quotesAreEscapedWithBackslashes() {
    Item i = item("it's a \\ test", "alice@x.com");
    assertThat(matches("name = 'it\\'s a \\\\ test'", i, "bob@x.com")).isTrue();
  }

  @Test
  void appPropertiesAreQueriedWithHas() {
    Item i = item("c", "alice@x.com");
    i.appProperties.put("syft_shared_with_any", "true");
    assertThat(matches("appProperties has { key='syft_shared_with_any' and value='true' }", i, "b")).isTrue();
    assertThat(matches("appProperties has { key='syft_shared_with_any' and value='false' }", i, "b")).isFalse();
    assertThat(matches("properties has { key='syft_shared_with_any' and value='true' }", i, "b")).isFalse();
  }

  @Test
  void unknownClausesAreRefusedLikeDrive() {
    for (String bad : List.of("size > 3", "name ~ 'x'", "name = 'x' and", "'x' in folders", "name = 'unterminated",
        "trashed = maybe", "(name = 'x'",
        "createdTime contains '2026'", "trashed < true", "name > 'a'")) {
      assertThatThrownBy(() -> Query.compile(bad)).as(bad).isInstanceOf(DriveError.class)
          .satisfies(e -> assertThat(((DriveError) e).status).isEqualTo(400));
    }
  }
}
