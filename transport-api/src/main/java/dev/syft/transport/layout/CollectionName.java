package dev.syft.transport.layout;

/**
 * A parsed collection folder name {@code syft_datasetcollection_<tag>_<hash>} or {@code
 * syft_privatecollection_<tag>_<hash>}.
 *
 * @param kind dataset (mock) or private collection
 * @param tag the dataset name; may itself contain underscores
 * @param contentHash the collection hash (last {@code _} field)
 */
public record CollectionName(CollectionKind kind, String tag, String contentHash) {
  /** The folder name. */
  public String render() {
    return FolderNames.collection(kind, tag, contentHash);
  }
}
