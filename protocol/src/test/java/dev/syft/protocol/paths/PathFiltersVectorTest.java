package dev.syft.protocol.paths;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.Vectors;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of filters/path_filters.json. */
class PathFiltersVectorTest {
  static Stream<Arguments> cases() {
    return Vectors.cases("filters/path_filters.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filterDecision(JsonNode c) {
    String path = c.get("path").stringValue();
    String collections = c.get("collections_path").isNull() ? null : c.get("collections_path").stringValue();
    assertThat(PathFilters.isExcluded(path)).isEqualTo(c.get("is_excluded").booleanValue());
    assertThat(PathFilters.isNormalSyncable(path, collections)).isEqualTo(c.get("is_normal_syncable").booleanValue());
  }

  @Test
  void partsFollowPosixPathlib() {
    assertThat(PathFilters.parts("a//b/./c/")).containsExactly("a", "b", "c");
    assertThat(PathFilters.parts("a/../b")).containsExactly("a", "..", "b");
    assertThat(PathFilters.parts("/etc/x")).containsExactly("/", "etc", "x");
    assertThat(PathFilters.parts("//x")).containsExactly("//", "x");
    assertThat(PathFilters.parts("")).isEqualTo(List.of());
  }

  @Test
  void collectionsRuleIsAComponentPrefix() {
    assertThat(PathFilters.isNormalSyncable("public/syft_datasets_backup/x", PathFilters.DEFAULT_COLLECTIONS_PATH)).isTrue();
    assertThat(PathFilters.isNormalSyncable("public//syft_datasets/x", PathFilters.DEFAULT_COLLECTIONS_PATH)).isFalse();
  }
}
