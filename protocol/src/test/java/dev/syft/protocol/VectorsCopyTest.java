package dev.syft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The repository's vectors are a verbatim copy of the shared golden vectors. */
class VectorsCopyTest {
  @Test
  void vectorsEqualTheSharedCopyByteForByte() throws IOException {
    Path ours = Vectors.dir();
    String prop = System.getProperty("syft.shared.vectors.dir");
    Path shared = prop != null && !prop.isBlank() ? Path.of(prop) : ours.resolve("../../shared/vectors").normalize();
    assumeTrue(Files.isDirectory(shared), "shared vectors not present at " + shared + "; nothing to compare");

    List<String> ourFiles = relativeFiles(ours);
    assertThat(ourFiles).isNotEmpty().isEqualTo(relativeFiles(shared));
    for (String f : ourFiles) {
      assertThat(Files.readAllBytes(ours.resolve(f))).as(f).isEqualTo(Files.readAllBytes(shared.resolve(f)));
    }
  }

  private static List<String> relativeFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      List<String> out = new ArrayList<>();
      walk.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
      out.sort(null);
      return out;
    }
  }
}
