package dev.syft.transport.layout;

import dev.syft.transport.Entry;

/** The inbox and outbox folder of one direction of a peer pair. */
public record P2pFolders(Entry inbox, Entry outbox) {
  /** The folder of the given type. */
  public Entry get(BoxType type) {
    return type == BoxType.INBOX ? inbox : outbox;
  }
}
