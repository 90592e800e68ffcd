package dev.syft.crypto.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.erdtman.jcs.JsonCanonicalizer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON in and out: RFC 8785 canonical form through the JCS library, strict tree parsing. */
public final class Json {
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Canonical (RFC 8785) UTF-8 bytes of a tree: compact, members sorted. */
  public static byte[] canonical(JsonNode node) {
    return canonical(MAPPER.writeValueAsString(node)).getBytes(StandardCharsets.UTF_8);
  }

  public static String canonicalString(JsonNode node) {
    return canonical(MAPPER.writeValueAsString(node));
  }

  /** Canonical form of JSON text; throws IllegalArgumentException when it is not JSON. */
  public static String canonical(String json) {
    try {
      return new JsonCanonicalizer(json).getEncodedString();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /** Parses JSON text (one value, no trailing tokens, no duplicate keys). */
  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  public static String compact(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }
}
