package dev.syft.transport.layout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Collection names of PySyft 0.10 ({@code <prefix><variant>_<tag>_<hash>}, PYSYFT-0.10.md). */
class PySyft010NamesTest {
  @Test
  void variantNamesParseAndRenderBack() {
    CollectionName n = FolderNames.tryParseCollection(CollectionKind.DATASET, "syft_datasetcollectionv1_my_data_0a1b2c3d4e5f")
        .orElseThrow();
    assertThat(n.variant()).isEqualTo("v1");
    assertThat(n.layoutVersion()).isEqualTo(1);
    assertThat(n.isProtocol0()).isFalse();
    assertThat(n.tag()).isEqualTo("my_data");
    assertThat(n.contentHash()).isEqualTo("0a1b2c3d4e5f");
    assertThat(n.render()).isEqualTo("syft_datasetcollectionv1_my_data_0a1b2c3d4e5f");
    assertThat(FolderNames.tryParseCollection(CollectionKind.PRIVATE, "syft_privatecollectionv12_x_h").orElseThrow()
        .layoutVersion()).isEqualTo(12);
  }

  @Test
  void theEmptyVariantIsTheOldNameByteForByte() {
    CollectionName n = FolderNames.parseCollection(CollectionKind.DATASET, "syft_datasetcollection_census_a1b2c3d4e5f6");
    assertThat(n).isEqualTo(new CollectionName(CollectionKind.DATASET, "census", "a1b2c3d4e5f6"));
    assertThat(n.isProtocol0()).isTrue();
    assertThat(n.render()).isEqualTo(FolderNames.datasetCollection("census", "a1b2c3d4e5f6"));
  }

  @Test
  void otherSuffixesAreNotCollections() {
    for (String name : new String[] {"syft_datasetcollectionx_a_b", "syft_datasetcollectionv_a_b",
        "syft_datasetcollectionv1x_a_b", "syft_datasetcollectionV1_a_b", "syft_datasetcollectionv1234567890_a_b"}) {
      assertThat(FolderNames.tryParseCollection(CollectionKind.DATASET, name)).as(name).isEmpty();
    }
  }
}
