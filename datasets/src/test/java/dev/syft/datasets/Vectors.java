package dev.syft.datasets;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The golden vectors of {@code models/datasets}, found through {@code syft.vectors.dir}. */
public final class Vectors {
  private Vectors() {}

  public static Path dir() {
    String prop = System.getProperty("syft.vectors.dir");
    if (prop == null || !Files.isDirectory(Path.of(prop, "models", "datasets"))) {
      fail("golden vectors not found: system property syft.vectors.dir = " + prop
          + " must name the vectors folder (with models/datasets/index.json)");
    }
    return Path.of(prop, "models", "datasets");
  }

  public static JsonNode index() {
    return JsonMapper.builder().build().readTree(dir().resolve("index.json").toFile());
  }
}
