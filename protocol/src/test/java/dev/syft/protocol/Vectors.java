package dev.syft.protocol;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Access to the golden vectors (found through the {@code syft.vectors.dir} system property). */
public final class Vectors {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Vectors() {}

  /** The vectors folder; fails the test when the property or the folder is missing. */
  public static Path dir() {
    String prop = System.getProperty("syft.vectors.dir");
    if (prop == null || prop.isBlank()) {
      fail("system property syft.vectors.dir is not set (Surefire sets it in the parent POM)");
    }
    Path dir = Path.of(prop);
    if (!Files.isDirectory(dir)) {
      fail("golden vectors folder not found: " + dir);
    }
    return dir;
  }

  public static Path file(String relative) {
    Path p = dir().resolve(relative);
    if (!Files.isRegularFile(p)) {
      fail("golden vector file not found: " + p);
    }
    return p;
  }

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(String relative) {
    return MAPPER.readTree(bytes(relative));
  }

  /** The {@code cases} of a vector file, one named JUnit argument per case (named by its id). */
  public static Stream<Arguments> cases(String relative) {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : json(relative).get("cases")) {
      out.add(Arguments.of(Named.of(c.get("id").stringValue(), c)));
    }
    if (out.isEmpty()) {
      fail("no cases in " + relative);
    }
    return out.stream();
  }

  /** A vector float {@code {"repr", "bits"}} as a double (by its bits). */
  public static double dbl(JsonNode floatObject) {
    String bits = floatObject.get("bits").stringValue();
    return Double.longBitsToDouble(Long.parseUnsignedLong(bits.substring(2), 16));
  }

  /** A double in the vectors' float convention. */
  public static JsonNode floatNode(double value) {
    var o = MAPPER.createObjectNode();
    o.put("repr", dev.syft.protocol.names.Timestamps.nameText(value));
    o.put("bits", String.format("0x%016x", Double.doubleToRawLongBits(value)));
    return o;
  }

  /** Bytes of a vector content object {@code {"kind": "text"|"binary", ...}}. */
  public static byte[] contentBytes(JsonNode content) {
    return switch (content.get("kind").stringValue()) {
      case "text" -> content.get("text").stringValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      case "binary" -> Base64.getDecoder().decode(content.get("base64").stringValue());
      default -> throw new IllegalArgumentException("unknown content kind in vector: " + content);
    };
  }

  public static JsonMapper mapper() {
    return MAPPER;
  }
}
