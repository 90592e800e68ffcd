package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Named;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our own cases, one family per way syft-java once differed from the reference, with the decisions
 * the reference engine gave (test resource {@code reference-decisions/families.json}, see its README):
 * the exact decision ({@link Datasite#decide}) must be the reference's for every one.
 */
class ReferenceDecisionsTest {
  static final String RESOURCE = "/reference-decisions/families.json";

  static JsonNode families() {
    try (InputStream in = ReferenceDecisionsTest.class.getResourceAsStream(RESOURCE)) {
      assertThat(in).as(RESOURCE).isNotNull();
      return JsonMapper.builder().build().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : families().get("cases")) {
      out.add(Arguments.of(Named.of(c.get("id").stringValue() + " " + c.get("note").stringValue(), c)));
    }
    return out.stream();
  }

  @Test
  void everyFamilyIsCovered() {
    Set<String> fams = new TreeSet<>();
    for (JsonNode c : families().get("cases")) {
      fams.add(c.get("family").stringValue());
    }
    assertThat(fams).containsExactly("empty", "owner", "prin", "slash", "tpl", "yaml");
    assertThat(families().get("cases").size()).isGreaterThanOrEqualTo(100);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exactDecisionIsTheReferences(JsonNode c, @TempDir Path tmp) throws IOException {
    Path datasite = Files.createDirectories(tmp.resolve("owner@example.com"));
    TestVectors.writeAclFiles(datasite, c.get("acl_files"));
    Datasite ds = Datasite.builder(datasite).statInterval(null).build();
    String path = c.get("path").stringValue();
    String user = c.get("user").stringValue();
    Level level = Level.parse(c.get("level").stringValue());
    String expected = c.get("expected").stringValue();

    Decision d = ds.decide(path, user, level);
    String why = c.get("id").stringValue() + " (" + c.get("note").stringValue() + "): " + d;
    if (expected.equals("error")) {
      assertThat(ds.tree().loaded()).as(why).isFalse();
      assertThat(d.reason()).as(why).isEqualTo(Reason.LOAD_ERROR);
      assertThat(d.allowed()).as(why).isFalse();
      return;
    }
    assertThat(ds.tree().loaded()).as(why + " " + ds.problems()).isTrue();
    assertThat(d.allowed()).as(why).isEqualTo(expected.equals("allow"));
    assertThat(ds.tree().allows(path, user, level)).as(why).isEqualTo(d.allowed());
    if (level == Level.READ) {
      assertThat(ds.tree().readers(path, List.of(user))).as(why).isEqualTo(d.allowed() ? List.of(user) : List.of());
    }
    assertThat(ds.explainExactly(path, user, level).allowed()).as(why).isEqualTo(d.allowed());
  }
}
