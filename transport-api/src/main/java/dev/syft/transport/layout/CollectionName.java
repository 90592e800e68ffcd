package dev.syft.transport.layout;

import java.util.Objects;

/**
 * A parsed collection folder name {@code syft_datasetcollection_<tag>_<hash>} or {@code
 * syft_privatecollection_<tag>_<hash>}; PySyft 0.10 names them {@code <prefix><variant>_<tag>_<hash>},
 * where the variant {@code ""} is the old name and {@code v<n>} a newer layout (PYSYFT-0.10.md).
 *
 * @param kind dataset (mock) or private collection
 * @param variant {@code ""} (protocol 0, what we write) or {@code v<n>}
 * @param tag the dataset name; may itself contain underscores
 * @param contentHash the collection hash (last {@code _} field)
 */
public record CollectionName(CollectionKind kind, String variant, String tag, String contentHash) {
  public CollectionName {
    Objects.requireNonNull(variant, "variant");
  }

  /** A protocol-0 name (no variant). */
  public CollectionName(CollectionKind kind, String tag, String contentHash) {
    this(kind, "", tag, contentHash);
  }

  /** True for the 0.1.117 name (no variant); only those are ours to write and manage. */
  public boolean isProtocol0() {
    return variant.isEmpty();
  }

  /** The layout version of a {@code v<n>} variant, 0 for the old name. */
  public int layoutVersion() {
    return variant.isEmpty() ? 0 : Integer.parseInt(variant.substring(1));
  }

  /** The folder name. */
  public String render() {
    return variant.isEmpty() ? FolderNames.collection(kind, tag, contentHash)
        : kind.prefix() + variant + "_" + tag + "_" + contentHash;
  }
}
