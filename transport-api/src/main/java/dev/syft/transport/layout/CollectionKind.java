package dev.syft.transport.layout;

/** Dataset collections (mock files shared with DS users) and private collections (owner-only backup). */
public enum CollectionKind {
  DATASET("syft_datasetcollection"),
  PRIVATE("syft_privatecollection");

  private final String prefix;

  CollectionKind(String prefix) {
    this.prefix = prefix;
  }

  /** The folder-name prefix, without the trailing underscore. */
  public String prefix() {
    return prefix;
  }

  String label() {
    return this == DATASET ? "dataset collection" : "private collection";
  }
}
