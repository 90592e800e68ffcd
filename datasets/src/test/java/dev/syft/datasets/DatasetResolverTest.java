package dev.syft.datasets;

import static dev.syft.datasets.Support.DO;
import static dev.syft.datasets.Support.DS;
import static dev.syft.datasets.Support.SECRET;
import static dev.syft.datasets.Support.read;
import static dev.syft.datasets.Support.sync;
import static dev.syft.datasets.Support.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.core.Cluster;
import dev.syft.protocol.SyftException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job-time resolution: mock files outside a job, private files inside (JOBS-DATASETS.md 3.7). */
class DatasetResolverTest {
  @TempDir Path tmp;
  Cluster c;

  @BeforeEach
  void setUp() {
    c = Cluster.memory(tmp.resolve("cluster"));
    c.connect(DS, DO);
    Path src = tmp.resolve("src");
    write(src, "mock/b.csv", "mock b");
    write(src, "mock/a.csv", "mock a");
    write(src, "private/z.csv", SECRET + " z");
    write(src, "private/sub/a.csv", SECRET + " a");
    Datasets.of(c.client(DO)).create(NewDataset.builder("census", src.resolve("mock"), src.resolve("private"))
        .shareWith(DS).build());
    sync(c.client(DS));
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  @Test
  void insideADoJobTheNameResolvesToThePrivateFilesInPathOrder() {
    Path doHome = c.client(DO).home().dir();
    DatasetResolver r = DatasetResolver.fromEnvironment(Map.of(DatasetResolver.ENV_IN_JOB, "True",
        DatasetResolver.ENV_FOLDER, doHome.toString(), DatasetResolver.ENV_EMAIL, DO));
    assertThat(r.inJob()).isTrue();
    List<Path> files = r.files("census");
    assertThat(files).extracting(p -> read(p)).containsExactly(SECRET + " a", SECRET + " z");
    assertThat(r.file("census")).isEqualTo(files.get(0));
  }

  @Test
  void outsideAJobTheSameNameResolvesToTheMockFiles() {
    Path doHome = c.client(DO).home().dir();
    DatasetResolver r = DatasetResolver.fromEnvironment(Map.of(DatasetResolver.ENV_FOLDER, doHome.toString(),
        DatasetResolver.ENV_EMAIL, DO));
    assertThat(r.files("census")).extracting(p -> read(p)).containsExactly("mock a", "mock b");
    // a DS testing locally: its client finds the only owner of that name
    assertThat(Datasets.of(c.client(DS)).resolver().files("census")).extracting(p -> read(p))
        .containsExactly("mock a", "mock b");
    assertThat(DatasetResolver.of(c.client(DS).home().dir(), null, false).files("census", DO)).hasSize(2);
  }

  @Test
  void problemsAreExplained() {
    assertThatThrownBy(() -> DatasetResolver.fromEnvironment(Map.of())).isInstanceOf(SyftException.class)
        .hasMessageContaining(DatasetResolver.ENV_FOLDER);
    DatasetResolver r = Datasets.of(c.client(DS)).resolver();
    assertThatThrownBy(() -> r.files("nothing")).hasMessageContaining("no datasets named 'nothing'");
    assertThatThrownBy(() -> r.files("../census", DO)).hasMessageContaining("not a dataset name");
    DatasetResolver job = DatasetResolver.of(c.client(DS).home().dir(), DO, true);
    assertThatThrownBy(() -> job.files("census")).as("a DS home has no private data")
        .hasMessageContaining("no private data");
  }
}
