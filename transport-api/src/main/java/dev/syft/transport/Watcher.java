package dev.syft.transport;

import java.io.IOException;

/**
 * Push notifications of changes. Notifications are hints only: the engine still lists to learn what
 * changed, and keeps polling as a fallback.
 */
public interface Watcher {
  /**
   * Starts delivering a call to {@code onChange} after anything visible to the caller may have
   * changed. Close the returned handle to stop.
   */
  AutoCloseable watch(Runnable onChange) throws IOException;
}
