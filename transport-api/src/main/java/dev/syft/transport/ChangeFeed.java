package dev.syft.transport;

import java.io.IOException;
import java.util.List;

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

  /** @param changedParentIds ids of the folders whose children changed (or may have changed) */
  record Changes(List<String> changedParentIds, String nextCursor) {
    public Changes {
      changedParentIds = List.copyOf(changedParentIds);
    }
  }
}
