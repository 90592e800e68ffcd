package dev.syft.transport.gdrive.internal;

import com.google.api.services.drive.model.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The children of recently listed folders, kept current from the change feed, so a folder the feed
 * reports changed is not listed again (its new files arrive in the feed with every field a listing
 * gives). Knowledge of a folder holds only while the feed is read as one unbroken chain of cursors
 * since its listing: any break (a cursor other than the last one returned, a failed feed read, a new
 * start cursor) forgets every folder, and so does a change to the folder itself (e.g. its sharing).
 * A listing that overlapped a feed read or a write of this client is not kept (it may predate either).
 * Thread-safe; bounded to {@value #MAX_FOLDERS} folders.
 */
public final class FollowedFolders {
  static final int MAX_FOLDERS = 1000;

  private final Map<String, Map<String, File>> folders = new LinkedHashMap<>();
  private final Map<String, String> folderOf = new HashMap<>();
  private String cursor; // the last cursor the feed handed out; null = no chain
  private long generation;

  /** A stamp to pass to {@link #listed} from before the listing started. */
  public synchronized long stamp() {
    return generation;
  }

  /** Keeps a folder's listing when the feed chain is running and nothing changed since {@code stamp}. */
  public synchronized void listed(String folderId, List<File> children, long stamp) {
    if (cursor == null || stamp != generation) {
      return;
    }
    drop(folderId);
    if (folders.size() >= MAX_FOLDERS) {
      clear();
      return;
    }
    Map<String, File> m = new LinkedHashMap<>();
    for (File f : children) {
      m.put(f.getId(), f);
      folderOf.put(f.getId(), folderId);
    }
    folders.put(folderId, m);
  }

  /** The children of a followed folder (unsorted), or empty when it is not followed. */
  public synchronized Optional<List<File>> children(String folderId) {
    Map<String, File> m = folders.get(folderId);
    return m == null ? Optional.empty() : Optional.of(new ArrayList<>(m.values()));
  }

  /** Whether the folder is followed (then it exists and is visible, as of the last feed read). */
  public synchronized boolean follows(String folderId) {
    return folders.containsKey(folderId);
  }

  /** A new chain starts at {@code start} (a fresh start cursor): nothing is followed yet. */
  public synchronized void started(String start) {
    clear();
    cursor = start;
  }

  /** True when {@code from} continues the chain; otherwise everything is forgotten. */
  public synchronized boolean continues(String from) {
    if (cursor == null || !cursor.equals(from)) {
      clear();
      return false;
    }
    return true;
  }

  /** The feed read failed part-way: the chain is broken. */
  public synchronized void broken() {
    clear();
    cursor = null;
  }

  /** The feed read up to {@code next}, every change applied. */
  public synchronized void advanced(String next) {
    cursor = next;
  }

  /**
   * One item as it is now ({@code file} null or trashed: gone or no longer visible). Applies to the
   * feed's changes and to this client's own writes, moves and deletes.
   */
  public synchronized void changed(String id, File file) {
    generation++;
    drop(id); // a change to a followed folder itself (sharing, trash): list it again
    String was = folderOf.remove(id);
    if (was != null && folders.containsKey(was)) {
      folders.get(was).remove(id);
    }
    if (file == null || Boolean.TRUE.equals(file.getTrashed()) || file.getParents() == null) {
      return;
    }
    for (String p : file.getParents()) {
      Map<String, File> m = folders.get(p);
      if (m != null) {
        m.put(id, file);
        folderOf.put(id, p);
      }
    }
  }

  private void drop(String folderId) {
    Map<String, File> m = folders.remove(folderId);
    if (m != null) {
      m.keySet().forEach(folderOf::remove);
    }
  }

  private void clear() {
    generation++;
    folders.clear();
    folderOf.clear();
  }
}
