package dev.syft.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.jobs.internal.PyYaml;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The emitter against {@code yaml.dump} of PyYAML 6.0.3: quoting, folding at 80 columns, line breaks,
 * nested maps and lists. {@code pyyaml-dump-cases.json} was produced with PyYAML itself (fixed values
 * plus 150 random strings from a seeded generator, seed 42).
 */
class PyYamlTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = PyYamlTest.class.getResourceAsStream("/pyyaml-dump-cases.json")) {
      int i = 0;
      for (JsonNode c : JSON.readTree(in)) {
        out.add(Arguments.of(Named.of("case " + (i++) + ": " + c.get("value"), c)));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void dumpsLikePyYaml(JsonNode c) {
    @SuppressWarnings("unchecked")
    Map<String, Object> value = JSON.convertValue(c.get("value"), Map.class);
    assertThat(PyYaml.dump(value)).isEqualTo(c.get("yaml").asString());
  }
}
