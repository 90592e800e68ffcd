package dev.syft.protocol.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 files of 1 KiB (100 MiB of content, 125 MB of JSON) through the streaming writer and both
 * reader modes in a JVM whose heap is capped at 48 MiB: it can only pass if memory does not grow with
 * the number of files. The child checks every file against its generator with counting sinks.
 * {@code -Dsyft.memoryTest.files=200000} runs a larger one (about 20 s on two cores).
 */
class CheckpointStreamingMemoryTest {
  private static final int FILES = Integer.getInteger("syft.memoryTest.files", 100_000);
  private static final int SIZE = 1024;

  @Test
  void aHundredThousandFilesStreamThroughASmallHeap(@TempDir Path dir) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx48m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        StreamingMemoryCheck.class.getName(), dir.toString(), Integer.toString(FILES), Integer.toString(SIZE))
        .redirectErrorStream(true)
        .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = child.waitFor();
    System.out.println("CheckpointStreamingMemoryTest child: " + output.strip());

    assertThat(status).as("child JVM output:%n%s", output).isZero();
    assertThat(output).contains("files=" + FILES + " contentBytes=" + (long) FILES * SIZE + " ");
    try (Stream<Path> left = Files.list(dir)) {
      List<String> names = left.map(p -> p.getFileName().toString()).toList();
      assertThat(names).as("spool files deleted").containsExactly("checkpoint.tar.gz");
    }
  }
}
