package dev.syft.transport;

import java.util.Optional;

/**
 * Optional abilities a store declares. The engine uses them when present and falls back to plain
 * listing otherwise.
 *
 * @param conditionalCreate {@link WriteMode#CREATE} refuses an existing name atomically
 * @param changeFeed a cursor-based feed of changes visible to the caller, if the store has one
 * @param watcher push notifications of changes, if the store has them
 */
public record Capabilities(boolean conditionalCreate, Optional<ChangeFeed> changeFeed, Optional<Watcher> watcher) {
  public static Capabilities basic() {
    return new Capabilities(false, Optional.empty(), Optional.empty());
  }
}
