package dev.syft.transport.layout;

import dev.syft.transport.Entry;

/**
 * A collection folder seen by the layout: its parsed name, owner and the folder itself.
 *
 * @param name parsed folder name (kind, tag, hash)
 * @param folder the folder; {@code folder.owner()} is the dataset owner
 */
public record SharedCollection(CollectionName name, Entry folder) {
  /** The e-mail of the collection's owner. */
  public String owner() {
    return folder.owner();
  }

  /** True when the owner marked it as shared with every approved peer. */
  public boolean sharedWithAny() {
    return "true".equals(folder.appProperties().get(FolderNames.SHARED_WITH_ANY_PROPERTY));
  }
}
