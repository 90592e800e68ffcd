package dev.syft.transport;

import java.util.Optional;

/**
 * Optional abilities a store declares. The engine uses them when present and falls back to plain
 * listing otherwise.
 *
 * @param conditionalCreate {@link WriteMode#CREATE} refuses an existing name atomically
 * @param changeFeed a cursor-based feed of changes visible to the caller, if the store has one
 * @param watcher push notifications of changes, if the store has them
 * @param folderTimesTrackChildren a folder's {@link Entry#modified()} changes whenever a child is
 *     added, removed or renamed (true for local file systems, false for Drive), so an unchanged time
 *     means an unchanged listing
 */
public record Capabilities(boolean conditionalCreate, Optional<ChangeFeed> changeFeed, Optional<Watcher> watcher,
    boolean folderTimesTrackChildren) {

  public Capabilities(boolean conditionalCreate, Optional<ChangeFeed> changeFeed, Optional<Watcher> watcher) {
    this(conditionalCreate, changeFeed, watcher, false);
  }

  public static Capabilities basic() {
    return new Capabilities(false, Optional.empty(), Optional.empty(), false);
  }
}
