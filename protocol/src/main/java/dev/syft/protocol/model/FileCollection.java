package dev.syft.protocol.model;

import java.util.Map;
import java.util.Objects;

/**
 * A dataset collection as the owner lists it (PROTOCOL.md 6.9): the transport folder
 * {@code syft_datasetcollection_<tag>_<content_hash>} plus whether it is shared with anyone.
 *
 * @param folderId the transport's id of the collection folder
 * @param tag the dataset name part of the folder name
 * @param contentHash the 12-hex collection hash ({@link dev.syft.protocol.hash.Hashes#collectionHash})
 * @param hasAnyPermission true when the folder's app property {@value #SHARED_WITH_ANY_PROPERTY}
 *     equals {@code "true"}
 */
public record FileCollection(String folderId, String tag, String contentHash, boolean hasAnyPermission) {
  /** The folder app property that marks a collection shared with anyone. */
  public static final String SHARED_WITH_ANY_PROPERTY = "syft_shared_with_any";

  public FileCollection {
    Objects.requireNonNull(folderId, "folderId");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(contentHash, "contentHash");
  }

  /** A descriptor whose {@code hasAnyPermission} is read from the folder's app properties. */
  public static FileCollection fromAppProperties(
      String folderId, String tag, String contentHash, Map<String, String> appProperties) {
    return new FileCollection(folderId, tag, contentHash,
        "true".equals(appProperties == null ? null : appProperties.get(SHARED_WITH_ANY_PROPERTY)));
  }
}
