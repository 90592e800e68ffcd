package dev.syft.datasets;

import static dev.syft.datasets.Support.DO;
import static dev.syft.datasets.Support.DS;
import static dev.syft.datasets.Support.DS2;
import static dev.syft.datasets.Support.SECRET;
import static dev.syft.datasets.Support.read;
import static dev.syft.datasets.Support.sync;
import static dev.syft.datasets.Support.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.Cluster;
import dev.syft.transport.local.LocalStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset channel over the shared-folder transport ({@code local:}), which enforces sharing. */
class LocalTransportTest {
  @TempDir Path tmp;
  Cluster c;

  @BeforeEach
  void setUp() throws IOException {
    Path root = tmp.resolve("shared");
    Files.createDirectories(root);
    c = Cluster.over(tmp.resolve("homes"), email -> {
      try {
        return LocalStorage.open(root, email);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  @Test
  void nestedAnyDatasetReachesEveryPeerAndItsDeletionPropagates() throws IOException {
    c.connect(DS, DO);
    Path src = tmp.resolve("src");
    write(src, "mock/2024/visits.csv", "id,n\n1,2\n");
    write(src, "mock/2025/visits.csv", "id,n\n3,4\n");
    write(src, "private/visits.csv", SECRET);
    Datasets.of(c.client(DO)).create(NewDataset.builder("visits", src.resolve("mock"), src.resolve("private"))
        .summary("Clinic visits: mock").shareWithAnyPeer().uploadPrivate(true).build());
    sync(c.client(DS));
    Path copy = c.replica(DS, DO).resolve("public/syft_datasets/visits");
    assertThat(read(copy.resolve("2024/visits.csv"))).isEqualTo("id,n\n1,2\n");
    assertThat(read(copy.resolve("2025/visits.csv"))).isEqualTo("id,n\n3,4\n");
    assertThat(Datasets.of(c.client(DS)).get("visits", DO).summary()).isEqualTo("Clinic visits: mock");
    Support.assertNeverOnDs(c.client(DS), SECRET.getBytes(StandardCharsets.UTF_8));

    c.connect(DS2, DO);
    assertThat(c.replica(DS2, DO).resolve("public/syft_datasets/visits/2025/visits.csv")).exists();

    Datasets.of(c.client(DO)).delete("visits");
    sync(c.client(DS));
    sync(c.client(DS2));
    assertThat(copy).doesNotExist();
    assertThat(c.replica(DS2, DO).resolve("public/syft_datasets/visits")).doesNotExist();
  }

  @Test
  void unsharedDatasetsAreNotReadableThroughTheTransport() {
    c.connect(DS, DO);
    Path src = tmp.resolve("src");
    write(src, "mock/m.csv", "m");
    write(src, "private/p.csv", SECRET);
    Datasets.of(c.client(DO)).create(NewDataset.builder("closed", src.resolve("mock"), src.resolve("private")).build());
    sync(c.client(DS));
    assertThat(Datasets.of(c.client(DS)).list()).isEmpty();
    Datasets.of(c.client(DO)).share("closed", java.util.List.of(DS));
    sync(c.client(DS));
    assertThat(Datasets.of(c.client(DS)).find("closed", DO)).isPresent();
  }
}
