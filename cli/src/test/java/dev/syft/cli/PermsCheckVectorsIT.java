package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * A sample of the permission vectors and reference-decision families through the packaged jar in a
 * child process: one or more per family where syft-java once differed (PermsCheckReferenceTest runs
 * every case in-process).
 */
class PermsCheckVectorsIT {
  static final Set<String> VECTORS = Set.of("tpl-07", "path-05", "path-06", "aclf-01");
  static final Set<String> FAMILIES = Set.of("owner-01", "tpl-04", "prin-05", "empty-04", "yaml-03", "yaml-10",
      "slash-02");

  @TempDir Path tmp;

  static Stream<Arguments> sample() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : PermsCheckReferenceTest.cases(PermsCheckReferenceTest.vectorsFile())) {
      if (VECTORS.contains(c.get("id").stringValue())) {
        out.add(Arguments.of(Named.of("vector " + c.get("id").stringValue(), c)));
      }
    }
    for (JsonNode c : PermsCheckReferenceTest.cases(PermsCheckReferenceTest.familiesFile())) {
      if (FAMILIES.contains(c.get("id").stringValue())) {
        out.add(Arguments.of(Named.of("family " + c.get("id").stringValue(), c)));
      }
    }
    assertThat(out).hasSize(VECTORS.size() + FAMILIES.size());
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sample")
  void packagedCliGivesTheReferencesDecision(JsonNode c) throws Exception {
    Path ds = PermsCheckReferenceTest.datasite(tmp, c);
    CliEndToEndIT.Run r = CliEndToEndIT.syft(tmp, "perms", "check", "--root", ds.toString(), "--user",
        c.get("user").stringValue(), "--path", c.get("path").stringValue(), "--level", c.get("level").stringValue());
    String want = PermsCheckReferenceTest.expectedOutput(c);
    assertThat(r.out().strip()).as("%s: stderr %s", c.get("id"), r.err()).isEqualTo(want);
    assertThat(r.exit()).isEqualTo(want.equals("allow") ? 0 : 1);
  }
}
