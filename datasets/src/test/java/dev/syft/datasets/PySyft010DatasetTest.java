package dev.syft.datasets;

import static dev.syft.datasets.Support.DO;
import static dev.syft.datasets.Support.DS;
import static dev.syft.datasets.Support.read;
import static dev.syft.datasets.Support.sync;
import static dev.syft.datasets.Support.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.Cluster;
import dev.syft.core.SyftClient;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.WriteMode;
import dev.syft.transport.layout.CollectionKind;
import dev.syft.transport.layout.SharedCollection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Datasets from a PySyft 0.10 owner (PYSYFT-0.10.md): collections named {@code
 * syft_datasetcollection<variant>_<tag>_<hash>} with a {@code v<n>} variant, flat names carrying
 * nested paths as {@code %2F}, metadata pointing into {@code public/syft_datasets/v<n>/<name>/} and
 * carrying {@code canonical_name}/{@code version}. The scientist's client lists and resolves them
 * like any dataset; a protocol-0 collection of the same dataset wins.
 */
class PySyft010DatasetTest {
  @TempDir Path tmp;
  Cluster c;

  @BeforeEach
  void setUp() {
    c = Cluster.memory(tmp.resolve("cluster"));
    c.connect(DS, DO);
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  SyftClient ds() {
    return c.client(DS);
  }

  static String metadata010(String name, String layout) {
    String base = "syft://" + DO + "/public/syft_datasets/" + layout + name;
    return """
        canonical_name: Dataset
        version: '1'
        uid: 7f816bd8-0ec2-5711-81f4-1dadd94096b0
        created_at: '2026-06-30T10:00:00Z'
        updated_at: '2026-06-30T10:00:00Z'
        name: %s
        summary: Census from a 0.10 owner
        tags:
        - census
        location: null
        mock_url: %s
        private_url: syft://%s/private/syft_datasets/%s%s
        readme_url: %s/README.md
        mock_files_urls:
        - %s/mock.csv
        - %s/sub/part.csv
        protocol_version: 1
        extra:
          attested: true
        """.formatted(name, base, DO, layout, name, base, base, base);
  }

  /** Creates a collection folder the way a 0.10 owner does, shared with the scientist. */
  void publish(String folderName, Map<String, String> files) {
    c.client(DO).withContext(ctx -> {
      try {
        Storage st = ctx.storage();
        Entry folder = st.ensureFolder(ctx.layout().root(), folderName);
        for (Map.Entry<String, String> f : files.entrySet()) {
          st.write(folder, f.getKey(), f.getValue().getBytes(StandardCharsets.UTF_8), WriteMode.REPLACE);
        }
        ctx.layout().shareCollection(folder, List.of(DS));
        return folder;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Test
  void aVariantCollectionIsReceivedWithItsNestedPathsAndResolves() {
    publish("syft_datasetcollectionv1_census_0a1b2c3d4e5f", Map.of(
        "dataset.yaml", metadata010("census", "v1/"),
        "README.md", "# Census 0.10\n",
        "mock.csv", "a,b\n1,2\n",
        "sub%2Fpart.csv", "nested\n",
        "..%2F..%2Fescape.csv", "must not leave the dataset folder\n"));
    sync(ds());

    Dataset seen = Datasets.of(ds()).get("census", DO);
    Path copy = c.replica(DS, DO).resolve("public/syft_datasets/census");
    assertThat(seen.mockDir()).isEqualTo(copy);
    assertThat(seen.summary()).isEqualTo("Census from a 0.10 owner");
    assertThat(seen.tags()).containsExactly("census");
    assertThat(seen.readme()).isEqualTo(copy.resolve("README.md"));
    assertThat(seen.mockFiles()).containsExactly(copy.resolve("mock.csv"), copy.resolve("sub/part.csv"));
    assertThat(read(copy.resolve("sub/part.csv"))).isEqualTo("nested\n");
    assertThat(Support.filesUnder(ds().home().dir())).extracting(p -> p.getFileName().toString())
        .noneMatch(n -> n.contains("escape"));
    assertThat(Datasets.of(ds()).resolver().file("census")).isEqualTo(copy.resolve("mock.csv"));
    // the owner's own collections listing (what a Java owner manages) never includes variants
    List<SharedCollection> mine = c.client(DO).withContext(ctx -> {
      try {
        return ctx.layout().listMyCollections(CollectionKind.DATASET);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    assertThat(mine).isEmpty();
    assertThat(sync(ds()).proposed()).as("received dataset files are never proposed back").isZero();
  }

  @Test
  void theProtocol0CollectionOfADatasetWinsOverItsVariant() {
    // a protocol-0 collection of the dataset, then a newer variant (later, and last by name)
    Path src = tmp.resolve("src");
    Path mock = write(src, "census/mock/mock.csv", "from protocol 0\n");
    write(src, "census/private/p.csv", "secret");
    Datasets.of(c.client(DO)).create(NewDataset.builder("census", mock.getParent(), src.resolve("census/private"))
        .shareWith(DS).build());
    c.clock.advance(java.time.Duration.ofSeconds(5));
    publish("syft_datasetcollectionv2_census_ffffffffffff", Map.of(
        "dataset.yaml", metadata010("census", "v2/"), "mock.csv", "from the variant\n"));
    sync(ds());
    Dataset seen = Datasets.of(ds()).get("census", DO);
    assertThat(seen.mockFiles()).singleElement().satisfies(p -> assertThat(read(p)).isEqualTo("from protocol 0\n"));
  }
}
