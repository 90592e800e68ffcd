package dev.syft.permissions;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The golden vectors, found through the {@code syft.vectors.dir} system property. */
final class TestVectors {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private TestVectors() {}

  static Path dir() {
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

  static Path file(String relative) {
    Path p = dir().resolve(relative);
    if (!Files.isRegularFile(p)) {
      fail("golden vector file not found: " + p);
    }
    return p;
  }

  static JsonNode json(String relative) {
    try {
      return MAPPER.readTree(Files.readAllBytes(file(relative)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> cases(String relative) {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : json(relative).get("cases")) {
      out.add(Arguments.of(Named.of(c.get("id").stringValue(), c)));
    }
    if (out.isEmpty()) {
      fail("no cases in " + relative);
    }
    return out.stream();
  }

  /** Writes {@code folder -> text} permission files under a datasite folder. */
  static void writeAclFiles(Path datasite, JsonNode aclFiles) throws IOException {
    for (var e : aclFiles.properties()) {
      Path dir = e.getKey().isEmpty() ? datasite : datasite.resolve(e.getKey());
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("syft.pub.yaml"), e.getValue().stringValue());
    }
  }
}
