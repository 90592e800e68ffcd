package dev.syft.transport;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Metadata of one stored item, as returned by a {@link Storage}. Immutable; a later operation may
 * make it stale.
 *
 * @param id opaque, stable identifier (unique within the store)
 * @param name the item's name (no slashes)
 * @param folder true for a folder
 * @param size content length in bytes (0 for folders)
 * @param modified last modification time as reported by the store
 * @param owner e-mail of the owner, lower case
 * @param parentId id of the parent folder, or null for a top folder
 * @param appProperties application properties (Drive {@code appProperties}); empty when none
 */
public record Entry(
    String id,
    String name,
    boolean folder,
    long size,
    Instant modified,
    String owner,
    @Nullable String parentId,
    Map<String, String> appProperties) {

  public Entry {
    appProperties = appProperties == null ? Map.of() : Map.copyOf(appProperties);
  }
}
