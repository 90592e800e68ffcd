package dev.syft.transport;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Changes visible to the caller since a cursor (Drive's {@code changes.list}). Lets an idle sync cost
 * one call instead of one listing per folder.
 */
public interface ChangeFeed {
  /** A cursor for "now": changes after this point will be reported. */
  String currentCursor() throws IOException;

  /**
   * Changes after {@code cursor}. An empty change list means nothing visible changed. The result's
   * cursor is passed to the next call.
   */
  Changes changesSince(String cursor) throws IOException;

  /**
   * The children of {@code folder} as the feed itself knows them, without a call: present only when
   * the store listed the folder after an earlier {@link #changesSince} and every change since then
   * (up to the last {@code changesSince}) has been applied to that listing, in the order and with
   * the fields {@link Storage#listAll} gives. Empty (the default) means: list the folder. Callers
   * still list folders now and then for real (a safety net against a feed that missed something).
   */
  default Optional<List<Entry>> knownChildren(Entry folder) {
    return Optional.empty();
  }

  /**
   * @param changedParentIds ids of the folders whose children changed (or may have changed)
   * @param othersParentIds the parent ids of the changed items someone else owns; {@code null} when
   *     the store cannot tell owners apart or an item was removed or cannot be placed (then every
   *     change may be a new share, or a withdrawn one). Lets a client skip searching
   *     for newly shared folders when every change is its own or inside a folder it already watches.
   */
  record Changes(List<String> changedParentIds, String nextCursor, @Nullable List<String> othersParentIds) {
    public Changes {
      changedParentIds = List.copyOf(changedParentIds);
      othersParentIds = othersParentIds == null ? null : List.copyOf(othersParentIds);
    }

    /** Changes from a store that does not tell who owns what. */
    public Changes(List<String> changedParentIds, String nextCursor) {
      this(changedParentIds, nextCursor, null);
    }
  }
}
