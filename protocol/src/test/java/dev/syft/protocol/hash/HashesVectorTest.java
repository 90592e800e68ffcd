package dev.syft.protocol.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.Vectors;
import dev.syft.protocol.model.FileContent;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of hashes/content_hashes.json and hashes/collection_hashes.json. */
class HashesVectorTest {
  static Stream<Arguments> contentCases() {
    return Vectors.cases("hashes/content_hashes.json");
  }

  static Stream<Arguments> collectionCases() {
    return Vectors.cases("hashes/collection_hashes.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contentCases")
  void contentHash(JsonNode c) {
    JsonNode content = c.get("content");
    String expected = c.get("expected_sha256").stringValue();
    byte[] bytes = Vectors.contentBytes(content);
    assertThat(Hashes.sha256Hex(bytes)).isEqualTo(expected);
    FileContent model = content.get("kind").stringValue().equals("text")
        ? FileContent.text(content.get("text").stringValue()) : FileContent.binary(bytes);
    assertThat(model.sha256()).isEqualTo(expected);
    if (model.isText()) {
      assertThat(Hashes.sha256Hex(content.get("text").stringValue())).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("collectionCases")
  void collectionHash(JsonNode c) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (JsonNode f : c.get("files")) {
      files.put(f.get("name").stringValue(), Base64.getDecoder().decode(f.get("content_base64").stringValue()));
    }
    assertThat(Hashes.collectionSha256(files)).isEqualTo(c.get("full_sha256").stringValue());
    assertThat(Hashes.collectionHash(files)).isEqualTo(c.get("expected_hash").stringValue());
    String folder = c.get("folder_name").stringValue();
    assertThat(folder).endsWith("_" + Hashes.collectionHash(files));
  }

  @Test
  void namesAreOrderedByCodePointNotUtf16Unit() {
    // U+FF5E (one UTF-16 unit) sorts before U+1F600 (a surrogate pair) by code point,
    // but after it by String.compareTo.
    assertThat(Hashes.compareCodePoints("\uFF5E", "\uD83D\uDE00")).isNegative();
    assertThat("\uFF5E".compareTo("\uD83D\uDE00")).isPositive();
  }
}
