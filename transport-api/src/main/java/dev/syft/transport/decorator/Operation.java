package dev.syft.transport.decorator;

/**
 * Every call a {@link dev.syft.transport.Storage} serves, as counted by {@link CountingStorage} and
 * targeted by {@link FaultyStorage}. Convenience defaults ({@code listAll}, {@code readAll}, {@code
 * write(byte[])}) are not operations of their own: they appear as the calls they make.
 */
public enum Operation {
  ROOT,
  FIND_FOLDERS,
  FIND_FOLDERS_CONTAINING,
  FIND_FILES,
  ENSURE_FOLDER,
  LIST,
  STAT,
  READ,
  WRITE,
  MOVE,
  DELETE,
  SHARE,
  UNSHARE,
  SHARED_WITH,
  FIND_SHARED_WITH_ME,
  FIND_FILES_OWNED_BY,
  SET_APP_PROPERTY,
  /** {@link dev.syft.transport.ChangeFeed#currentCursor()}. */
  FEED_CURSOR,
  /** {@link dev.syft.transport.ChangeFeed#changesSince(String)}. */
  FEED_CHANGES,
  /** {@link dev.syft.transport.Watcher#watch(Runnable)}. */
  WATCH;

  /** True for calls that change the store. */
  public boolean mutates() {
    return switch (this) {
      case ROOT, ENSURE_FOLDER, WRITE, MOVE, DELETE, SHARE, UNSHARE, SET_APP_PROPERTY -> true;
      default -> false;
    };
  }
}
