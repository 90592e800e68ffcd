package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every row of vectors/permissions/permissions.json, evaluated by the engine on a real datasite folder. */
class PermissionVectorsTest {
  private static final String FILE = "permissions/permissions.json";

  static Stream<Arguments> cases() {
    return TestVectors.cases(FILE);
  }

  @Test
  void allRowsArePresent() {
    assertThat(TestVectors.json(FILE).get("cases").size()).isEqualTo(121);
    assertThat(TestVectors.json(FILE).get("owner").stringValue()).isEqualTo("owner@example.com");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decision(JsonNode c, @TempDir Path tmp) throws Exception {
    Path datasite = Files.createDirectories(tmp.resolve("owner@example.com"));
    TestVectors.writeAclFiles(datasite, c.get("acl_files"));
    Datasite ds = Datasite.builder(datasite).statInterval(null).build();
    assertThat(ds.owner()).isEqualTo("owner@example.com");

    String path = c.get("path").stringValue();
    String user = c.get("user").stringValue();
    Level level = Level.parse(c.get("level").stringValue());
    String expected = c.get("expected").stringValue();
    JsonNode by = c.get("decided_by");

    PermissionTree tree = ds.tree();
    Decision d = tree.decide(path, user, level);
    String why = c.get("id").stringValue() + " (" + c.get("description").stringValue() + "): " + d;

    assertThat(d.reason().code()).as(why).isEqualTo(by.get("reason").stringValue());
    if (expected.equals("error")) {
      assertThat(tree.loaded()).as(why).isFalse();
      assertThat(d.allowed()).as(why).isFalse();
      assertThat(d.errors()).as(why).isNotEmpty();
      assertThat(d.errors().get(0).file()).as(why).endsWith("syft.pub.yaml");
      assertThat(tree.allows(path, user, level)).as(why).isFalse();
      return;
    }
    assertThat(d.allowed()).as(why).isEqualTo(expected.equals("allow"));
    assertThat(tree.allows(path, user, level)).as(why).isEqualTo(d.allowed());
    if (by.has("acl_dir")) {
      assertThat(d.aclDir()).as(why).isEqualTo(by.get("acl_dir").stringValue());
      assertThat(d.relativePath()).as(why).isEqualTo(by.get("relative_path").stringValue());
    }
    if (by.get("reason").stringValue().equals("rule")) {
      assertThat(d.pattern()).as(why).isEqualTo(by.get("pattern").stringValue());
      assertThat(d.resolvedPattern()).as(why).isEqualTo(by.get("resolved_pattern").stringValue());
      assertThat(d.matcher().referenceName()).as(why).isEqualTo(by.get("matcher").stringValue());
      boolean elevated = by.has("acl_file_requires_admin") && by.get("acl_file_requires_admin").booleanValue();
      assertThat(d.aclFileRequiresAdmin()).as(why).isEqualTo(elevated);
    } else {
      assertThat(d.pattern()).as(why).isNull();
    }
    // the candidate-set query agrees with the single decision
    if (level == Level.READ) {
      assertThat(tree.readers(path, java.util.List.of(user))).as(why)
          .isEqualTo(d.allowed() ? java.util.List.of(user) : java.util.List.of());
    }
  }
}
