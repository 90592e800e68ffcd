package dev.syft.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.datasets.DatasetNames;
import dev.syft.datasets.Vectors;
import dev.syft.protocol.hash.Hashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of {@code vectors/models/datasets}: files byte for byte, and the name rule. */
class DatasetVectorsTest {

  static Stream<Arguments> cases(String kind) {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : Vectors.index().get("cases")) {
      if (c.get("kind").asString().equals(kind)) {
        out.add(Arguments.of(Named.of(c.get("id").asString(), c)));
      }
    }
    assertThat(out).as("vector cases of kind " + kind).isNotEmpty();
    return out.stream();
  }

  static Stream<Arguments> creates() {
    return cases("dataset_create");
  }

  static Stream<Arguments> names() {
    return cases("dataset_name_valid");
  }

  static Stream<Arguments> privateMetadata() {
    return cases("private_metadata");
  }

  private static String file(JsonNode c, String key) throws IOException {
    JsonNode f = c.get("files").get(key);
    byte[] bytes = Files.readAllBytes(Vectors.dir().resolve(f.get("file").asString()));
    assertThat(Hashes.sha256Hex(bytes)).as("vector file checksum of " + key).isEqualTo(f.get("sha256").asString());
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(v -> out.add(v.asString()));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("creates")
  void datasetYamlIsWrittenAsTheReferenceWritesIt(JsonNode c) throws IOException {
    JsonNode in = c.get("inputs");
    String owner = in.get("owner_email").asString();
    String name = in.get("name").asString();
    String ts = DatasetMeta.timestamp(Instant.parse(in.get("created_at").asString().replace("+00:00", "Z")));
    String mockRel = "public/syft_datasets/" + name;
    String readme = in.get("readme").isNull() ? null : in.get("readme").asString();
    DatasetMeta meta = new DatasetMeta(in.get("uid").asString(), ts, ts, name,
        in.get("summary").isNull() ? null : in.get("summary").asString(), strings(in.get("tags")), null,
        SyftUrl.of(owner, mockRel), SyftUrl.of(owner, "private/syft_datasets/" + name),
        readme == null ? null : SyftUrl.of(owner, mockRel + "/" + readme),
        strings(in.get("mock_files")).stream().map(f -> SyftUrl.of(owner, mockRel + "/" + f)).toList());
    String expected = file(c, mockRel + "/dataset.yaml");
    assertThat(meta.render()).isEqualTo(expected);
    // and it reads back to the same values
    DatasetMeta back = DatasetMeta.parse(expected);
    assertThat(back).isEqualTo(meta);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("creates")
  void permissionFilesAreWrittenAsTheReferenceWritesThem(JsonNode c) throws IOException {
    JsonNode in = c.get("inputs");
    String owner = in.get("owner_email").asString();
    String name = in.get("name").asString();
    List<String> readers = in.get("users").isArray() ? strings(in.get("users")) : List.of("*");
    assertThat(LocalAcl.render("public/syft_datasets/" + name, readers))
        .isEqualTo(file(c, "public/syft_datasets/" + name + "/syft.pub.yaml"));
    assertThat(LocalAcl.render("private/syft_datasets/" + name, List.of(owner)))
        .isEqualTo(file(c, "private/syft_datasets/" + name + "/syft.pub.yaml"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("privateMetadata")
  void privateMetadataAndItsUploadedCopy(JsonNode c) throws IOException {
    JsonNode in = c.get("inputs");
    assertThat(DatasetMeta.renderPrivate(in.get("uid").asString(), in.get("data_dir").asString()))
        .isEqualTo(file(c, "private_metadata.yaml"));
    assertThat(DatasetMeta.renderPrivate(in.get("uid").asString(), "."))
        .isEqualTo(file(c, "private_metadata.collection.yaml"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void nameRuleMatchesTheReference(JsonNode c) {
    String input = c.get("input").asString();
    boolean expected = c.get("expected").asBoolean();
    assertThat(DatasetNames.matchesReferencePattern(input)).as("reference rule for %s", c.get("id")).isEqualTo(expected);
    if (input.endsWith("\n")) {
      // documented deviation: the reference's '$' lets one trailing newline through; a folder name must not have one
      assertThat(DatasetNames.isValid(input)).isFalse();
    } else {
      assertThat(DatasetNames.isValid(input)).as("syft-java rule for %s", c.get("id")).isEqualTo(expected);
    }
  }

  @Test
  void createdAtKeepsMicrosOnlyWhenPresent() {
    assertThat(DatasetMeta.timestamp(Instant.parse("2024-04-05T19:34:38Z"))).isEqualTo("2024-04-05T19:34:38Z");
    assertThat(DatasetMeta.timestamp(Instant.parse("2024-04-05T19:34:38.120Z"))).isEqualTo("2024-04-05T19:34:38.120000Z");
    assertThat(DatasetMeta.parseTimestamp("2024-04-05T19:34:38.123456+00:00"))
        .isEqualTo(Instant.parse("2024-04-05T19:34:38.123456Z"));
  }

  @Test
  void receivedNamesAreCheckedLooselyButSafely() {
    assertThat(DatasetNames.isSafeReceivedName("my dataset")).isTrue();
    for (String bad : List.of("", ".", "..", ".hidden", "a/b", "a\\b", "a\nb", " padded", "x\u0000")) {
      assertThat(DatasetNames.isSafeReceivedName(bad)).as(bad).isFalse();
    }
    assertThat(Path.of("x")).isNotNull();
  }
}
