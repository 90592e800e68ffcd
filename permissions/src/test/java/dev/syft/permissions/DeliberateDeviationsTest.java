package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The deliberate deviations of the normalising API (README, "Deliberate deviations"): it refuses ids
 * that are not plain e-mail addresses, where the reference would let wildcard characters in them act
 * as patterns; and for the ids and paths a transport and the sync engine produce (lower-case
 * addresses, normalised paths) it never differs from the reference.
 */
class DeliberateDeviationsTest {
  @TempDir Path tmp;

  private List<JsonNode> allCases() {
    List<JsonNode> all = new ArrayList<>();
    TestVectors.json("permissions/permissions.json").get("cases").forEach(all::add);
    ReferenceDecisionsTest.families().get("cases").forEach(all::add);
    return all;
  }

  private Datasite site(JsonNode c, int n) throws IOException {
    Path ds = Files.createDirectories(tmp.resolve("s" + n).resolve("owner@example.com"));
    TestVectors.writeAclFiles(ds, c.get("acl_files"));
    return Datasite.builder(ds).statInterval(null).build();
  }

  private static boolean transportShaped(String user, String path) {
    if (!Emails.isAddress(user) || !user.equals(user.toLowerCase(Locale.ROOT)) || path.isEmpty()) {
      return false;
    }
    try {
      return DatasitePaths.normalize(path).equals(path);
    } catch (SyftException e) {
      return false;
    }
  }

  @Test
  void forTransportIdsAndNormalisedPathsTheSyncEnginesAnswerIsTheReferences() throws IOException {
    int n = 0;
    int compared = 0;
    for (JsonNode c : allCases()) {
      String user = c.get("user").stringValue();
      String path = c.get("path").stringValue();
      if (!transportShaped(user, path)) {
        continue;
      }
      Datasite ds = site(c, n++);
      Level level = Level.parse(c.get("level").stringValue());
      boolean want = c.get("expected").stringValue().equals("allow");
      String why = c.get("id").stringValue();
      // allows() is what the sync engine asks (core lower-cases ids and normalises paths first)
      assertThat(ds.allows(path, Emails.normalize(user), level)).as(why).isEqualTo(want);
      assertThat(ds.decide(path, user, level).allowed()).as(why).isEqualTo(want);
      compared++;
    }
    assertThat(compared).isGreaterThan(150);
  }

  @Test
  void idsThatAreNotEmailAddressesAreRefusedWhereTheReferenceWouldLetThemActAsPatterns() throws IOException {
    int n = 0;
    int refused = 0;
    for (JsonNode c : allCases()) {
      String user = c.get("user").stringValue();
      String path = c.get("path").stringValue();
      boolean patternLike = user.indexOf('*') >= 0 || user.indexOf('?') >= 0 || user.indexOf('[') >= 0
          || user.indexOf('/') >= 0;
      if (!patternLike) {
        continue;
      }
      Datasite ds = site(c, n++);
      Level level = Level.parse(c.get("level").stringValue());
      String why = c.get("id").stringValue();
      // the exact API gives the reference's answer, even a grant through a wildcard id ...
      assertThat(ds.decide(path, user, level).allowed()).as(why)
          .isEqualTo(c.get("expected").stringValue().equals("allow"));
      // ... the normalising API refuses the id in one line instead of deciding
      assertThatThrownBy(() -> ds.check(path, user, level)).as(why)
          .isInstanceOf(SyftException.class).hasMessageNotContaining("\n");
      assertThatThrownBy(() -> ds.readers(path, List.of(user))).as(why)
          .isInstanceOf(SyftException.class);
      refused++;
    }
    assertThat(refused).isGreaterThanOrEqualTo(15);
  }

  @Test
  void theNormalisingApiIgnoresCaseWhereTheReferenceComparesExactly() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("owner@example.com"));
    Files.writeString(root.resolve("syft.pub.yaml"),
        "{rules: [{pattern: '{{.UserEmail}}/**', access: {read: [USER]}}, {pattern: '**', access: {read: [bob@example.com]}}]}\n");
    Datasite ds = Datasite.builder(root).statInterval(null).build();
    // reference (vector tpl-07): the substituted pattern keeps the requester's case
    assertThat(ds.decide("alice@example.com/x.txt", "Alice@example.com", Level.READ).allowed()).isFalse();
    assertThat(ds.check("alice@example.com/x.txt", "Alice@example.com", Level.READ)).isTrue();
    // reference: a different-case address is not the owner
    assertThat(ds.decide("x.txt", "Owner@Example.com", Level.ADMIN).allowed()).isFalse();
    assertThat(ds.check("x.txt", "Owner@Example.com", Level.ADMIN)).isTrue();
    assertThat(ds.decide("x.txt", "Bob@example.com", Level.READ).allowed()).isFalse();
    assertThat(ds.check("x.txt", "Bob@example.com", Level.READ)).isTrue();
  }
}
