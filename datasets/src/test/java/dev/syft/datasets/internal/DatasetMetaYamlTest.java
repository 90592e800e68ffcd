package dev.syft.datasets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dataset.yaml} values the vectors do not cover (long, multi-line, non-ASCII, YAML 1.1 look-alikes):
 * expected text is PyYAML 6.0.3 {@code safe_dump(model, indent=2, sort_keys=False)} of the same values.
 */
class DatasetMetaYamlTest {

  @Test
  void oddValuesAreWrittenAsPyYamlWritesThemAndReadBack() {
    DatasetMeta meta = new DatasetMeta("7f816bd8-0ec2-5711-81f4-1dadd94096b0", "2024-04-05T19:34:38Z",
        "2024-04-05T19:34:38Z", "census",
        "A long summary of the census sample that goes well past the eighty column limit of PyYAML so it folds",
        List.of("yes", "donn\u00e9es", "two\nlines"), null, "syft://a@b.org/public/syft_datasets/census",
        "syft://a@b.org/private/syft_datasets/census", null, List.of());
    String expected = """
        uid: 7f816bd8-0ec2-5711-81f4-1dadd94096b0
        created_at: '2024-04-05T19:34:38Z'
        updated_at: '2024-04-05T19:34:38Z'
        name: census
        summary: A long summary of the census sample that goes well past the eighty column
          limit of PyYAML so it folds
        tags:
        - 'yes'
        - "donn\\xE9es"
        - 'two

          lines'
        location: null
        mock_url: syft://a@b.org/public/syft_datasets/census
        private_url: syft://a@b.org/private/syft_datasets/census
        readme_url: null
        mock_files_urls: []
        """;
    assertThat(meta.render()).isEqualTo(expected);
    assertThat(DatasetMeta.parse(meta.render())).isEqualTo(meta);
  }

  @Test
  void privateMetadataKeepsFieldOrder() {
    assertThat(DatasetMeta.renderPrivate("u-1", "/home/a b/x"))
        .isEqualTo("uid: u-1\ndata_dir: /home/a b/x\n");
  }
}
