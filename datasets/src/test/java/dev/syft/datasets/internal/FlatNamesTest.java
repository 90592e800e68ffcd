package dev.syft.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.hash.Hashes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/** Flat names, the manifest and the streamed collection hash. */
class FlatNamesTest {
  @Test
  void topLevelFilesKeepTheirNamesAndNestedCollisionsAreNumbered() {
    Map<String, String> flat = FlatNames.assign(List.of("b/data.csv", "a/data.csv", "data.csv", "a/x.tar.gz",
        "c/x.tar.gz", "d/dataset.yaml", "e/README", "f/readme"), Set.of("dataset.yaml", "syft_manifest.json"));
    assertThat(flat).containsEntry("data.csv", "data.csv")
        .containsEntry("a/data.csv", "data_2.csv")
        .containsEntry("b/data.csv", "data_3.csv")
        .containsEntry("a/x.tar.gz", "x.tar.gz")
        .containsEntry("c/x.tar.gz", "x.tar_2.gz")
        .containsEntry("d/dataset.yaml", "dataset_2.yaml")
        .containsEntry("e/README", "README")
        .containsEntry("f/readme", "readme_2"); // unique ignoring case
    assertThat(FlatNames.needsManifest(flat)).isTrue();
    assertThat(FlatNames.needsManifest(FlatNames.assign(List.of("a.csv", "b.csv"), Set.of()))).isFalse();
  }

  @Test
  void manifestRoundTripsAndDropsUnsafeEntries() {
    Map<String, String> flat = new LinkedHashMap<>();
    flat.put("a/data.csv", "data.csv");
    flat.put("b/data.csv", "data_2.csv");
    byte[] bytes = FlatNames.manifest(flat);
    assertThat(FlatNames.manifest(new LinkedHashMap<>(Map.of("b/data.csv", "data_2.csv", "a/data.csv", "data.csv"))))
        .as("deterministic bytes").isEqualTo(bytes);
    assertThat(FlatNames.parseManifest(bytes)).contains(flat);
    String hostile = "{\"format\":\"syft-java-dataset-manifest\",\"version\":1,\"files\":{"
        + "\"../../etc/passwd\":\"a\",\"/abs\":\"b\",\"x/syft.pub.yaml\":\"c\",\"ok/f\":\"../d\",\"ok/g\":\"g\"}}";
    assertThat(FlatNames.parseManifest(hostile.getBytes(StandardCharsets.UTF_8))).contains(Map.of("ok/g", "g"));
    assertThat(FlatNames.parseManifest("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(FlatNames.parseManifest("{\"format\":\"other\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
  }

  @RepeatedTest(5)
  void streamedHashEqualsTheProtocolHash(RepetitionInfo info) throws IOException {
    long seed = 0x5eedL + info.getCurrentRepetition();
    System.out.println("seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, byte[]> files = new LinkedHashMap<>();
    List<Blob> blobs = new ArrayList<>();
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      String name = (r.nextBoolean() ? "\u00e9" : "f") + r.nextInt(1000) + ".bin";
      byte[] b = new byte[r.nextInt(200_000)];
      r.nextBytes(b);
      files.put(name, b);
    }
    files.forEach((k, v) -> blobs.add(Blob.ofBytes(k, v)));
    assertThat(CollectionHash.of(blobs)).isEqualTo(Hashes.collectionHash(files));
  }
}
