package dev.syft.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One user's view of shared storage (a Google Drive account, a shared folder, a bucket...).
 *
 * <p>The model is Drive's: every item is a file or a folder with an opaque id, a name (not
 * necessarily unique within a folder), exactly one parent folder, and an owner. A user sees what they
 * own and what was shared with them; sharing a folder shares everything below it. The Syft layout
 * ({@code SyftLayout}) and the message channel are written once against this interface.
 *
 * <p>Contracts every implementation keeps (the conformance suite checks them):
 *
 * <ul>
 *   <li>Identity comes from the store's authentication; {@link #identity()} is a lower-case e-mail.
 *   <li>Writes are atomic: a reader sees the whole old content or the whole new content, never a
 *       partial file, and never a temporary name.
 *   <li>Listings are complete and ordered by name (ascending, by UTF-16 code unit); paging never skips
 *       or repeats an entry of an unchanged folder. Where a store allows several items of one name in
 *       a folder (Drive), they appear oldest first; every {@code find*} result follows the same
 *       order, so "the first match" is the oldest, as {@link #ensureFolder} picks it.
 *   <li>Operations on items the caller can neither see nor write fail with {@link StorageException}
 *       of kind {@link StorageException.Kind#NOT_FOUND} or {@link StorageException.Kind#FORBIDDEN};
 *       transient faults use {@link StorageException.Kind#TRANSIENT} and may be retried.
 *   <li>Implementations are thread-safe: the engine downloads in parallel from one instance.
 * </ul>
 */
public interface Storage extends AutoCloseable {

  /** The authenticated user's e-mail, lower case. */
  String identity();

  /** What this store can do beyond the basic operations. */
  Capabilities capabilities();

  /**
   * The caller's top folder ({@code SyftBox} on Drive), created on first use. Never shared.
   */
  Entry root() throws IOException;

  /** Finds folders named exactly {@code name} directly under {@code parent} that the caller can see. */
  List<Entry> findFolders(Entry parent, String name) throws IOException;

  /**
   * Finds folders directly under {@code parent}, visible to the caller, whose name contains {@code
   * fragment} (Drive's {@code name contains}; the match may be looser than a substring test, so
   * callers post-filter exact names). Used to find versioned folders whose patch version may differ.
   * The default lists the whole folder; stores with a server-side query override it.
   */
  default List<Entry> findFoldersContaining(Entry parent, String fragment) throws IOException {
    List<Entry> out = new java.util.ArrayList<>();
    for (Entry e : listAll(parent)) {
      if (e.folder() && e.name().contains(fragment)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Finds files (not folders) named exactly {@code name} directly under {@code parent} that the caller
   * can see, in ascending name order (ties in creation order where the store knows it). Names are
   * not unique on every store, so the result may hold several files. The default lists the whole
   * folder; stores with a server-side query override it.
   */
  default List<Entry> findFiles(Entry parent, String name) throws IOException {
    List<Entry> out = new java.util.ArrayList<>();
    for (Entry e : listAll(parent)) {
      if (!e.folder() && e.name().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Returns the caller-owned folder {@code name} under {@code parent}, creating it when absent. When
   * several exist the oldest wins, so two racing creators converge.
   */
  Entry ensureFolder(Entry parent, String name) throws IOException;

  /**
   * One page of the children of {@code folder}, in ascending name order.
   *
   * @param pageToken null for the first page, else the token of the previous page
   * @param pageSize at most this many entries (implementations may return fewer)
   */
  Page list(Entry folder, @Nullable String pageToken, int pageSize) throws IOException;

  /** Every child of {@code folder} in ascending name order, following pages to the end. */
  default List<Entry> listAll(Entry folder) throws IOException {
    List<Entry> all = new java.util.ArrayList<>();
    @Nullable String token = null;
    do {
      Page page = list(folder, token, 1000);
      all.addAll(page.entries());
      token = page.nextPageToken();
    } while (token != null);
    return all;
  }

  /**
   * Lists several folders: by folder id, each folder's children in {@link #listAll}'s order. A folder
   * the store cannot vouch for (gone, not shared, or one whose emptiness it would have to check) may
   * be missing from the map: list it with {@link #listAll} to learn why. The default lists each
   * folder; stores where it is one request ({@link #listsSeveralAtOnce}) override it.
   */
  default java.util.Map<String, List<Entry>> listSeveral(List<Entry> folders) throws IOException {
    java.util.Map<String, List<Entry>> out = new java.util.LinkedHashMap<>();
    for (Entry f : folders) {
      try {
        out.put(f.id(), listAll(f));
      } catch (StorageException e) {
        if (e.kind() != StorageException.Kind.NOT_FOUND && e.kind() != StorageException.Kind.FORBIDDEN) {
          throw e;
        }
      }
    }
    return out;
  }

  /** True when {@link #listSeveral} costs one request (per page of results) however many folders. */
  default boolean listsSeveralAtOnce() {
    return false;
  }

  /** Re-reads the metadata of an item by id. */
  Optional<Entry> stat(String id) throws IOException;

  /**
   * True when {@link Entry#owner()} is set by the store from the authenticated identity of whoever
   * created the item, so it tells who wrote a file (Drive: the file's owner; the in-memory store).
   * False (the default) where any writer can claim any owner, as in a shared folder ({@code local:}
   * records the owner itself): there the owner of a file says nothing about who wrote it.
   */
  default boolean vouchesForOwners() {
    return false;
  }

  /** Opens the content of a file. The caller closes the stream. */
  InputStream read(Entry file) throws IOException;

  /**
   * Reads a whole file, refusing one larger than {@code maxBytes} with {@link
   * StorageException.Kind#TOO_LARGE} before holding it in memory.
   */
  default byte[] readAll(Entry file, long maxBytes) throws IOException {
    if (file.size() > maxBytes) {
      throw new StorageException(StorageException.Kind.TOO_LARGE,
          "file " + file.name() + " is " + file.size() + " bytes, more than the limit of " + maxBytes);
    }
    try (InputStream in = read(file)) {
      byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (data.length > maxBytes) {
        throw new StorageException(StorageException.Kind.TOO_LARGE,
            "file " + file.name() + " is larger than the limit of " + maxBytes + " bytes");
      }
      return data;
    }
  }

  /**
   * Writes a file atomically into {@code folder}, streaming {@code content} (which may be larger
   * than memory).
   *
   * @param mode {@link WriteMode#CREATE} adds a new file (on stores with {@link
   *     Capabilities#conditionalCreate()} it fails with {@link StorageException.Kind#ALREADY_EXISTS}
   *     if the name exists; elsewhere a second file of the same name may appear); {@link
   *     WriteMode#REPLACE} replaces the content of the existing file of that name or creates it
   */
  Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException;

  /** Convenience for small in-memory content. */
  default Entry write(Entry folder, String name, byte[] content, WriteMode mode) throws IOException {
    return write(folder, name, new java.io.ByteArrayInputStream(content), mode);
  }

  /**
   * Moves an item into another folder (Drive: re-parent), keeping its name and owner. Drive keeps the
   * id too; a store whose ids are paths (the local transport) gives the item a new id, so use the
   * returned entry. The caller must be able to write both the current parent and {@code newParent}.
   * Moving an item into the folder it is already in is a no-op, so a retried move succeeds. Stores
   * may refuse to move folders ({@link StorageException.Kind#INVALID}); moving files always works.
   */
  Entry move(Entry item, Entry newParent) throws IOException;

  /**
   * Moves several items into one folder, each as {@link #move} would. Every item is tried; the first
   * failure is thrown afterwards (the others moved). The default moves each; stores where it is one
   * request ({@link #movesSeveralAtOnce}, Drive's batch) override it.
   */
  default void moveAll(List<Entry> items, Entry newParent) throws IOException {
    IOException first = null;
    for (Entry e : items) {
      try {
        move(e, newParent);
      } catch (IOException ex) {
        first = first == null ? ex : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** True when {@link #moveAll} costs one request per 100 items. */
  default boolean movesSeveralAtOnce() {
    return false;
  }

  /** Deletes an item the caller owns (a folder with everything below it). Deleting a missing item is a no-op. */
  void delete(Entry item) throws IOException;

  /**
   * Grants {@code user} access to an item the caller owns: usually a folder (everything below it is
   * shared too), sometimes a file ({@code SYFT_version.json} is reader-shared per peer). Granting
   * again is a no-op; a grant never lowers an existing role (writer stays writer). The caller's top
   * folder cannot be shared ({@link StorageException.Kind#INVALID}).
   */
  void share(Entry folder, String user, Role role) throws IOException;

  /** Removes every grant of {@code user} on a folder the caller owns. */
  void unshare(Entry folder, String user) throws IOException;

  /** The users a folder is shared with, and their roles. */
  java.util.Map<String, Role> sharedWith(Entry folder) throws IOException;

  /**
   * Folders shared with the caller by others (not owned by the caller, visible through a grant on
   * themselves or on a folder above them) whose name contains {@code fragment}. Like Drive's {@code
   * name contains}, the match may be looser than a substring test: callers post-filter exact names.
   * On Drive the result lags new grants (an eventually consistent index).
   */
  List<Entry> findSharedWithMe(String fragment) throws IOException;

  /**
   * Files named exactly {@code name} owned by {@code owner} that the caller can see, anywhere (the
   * reference finds a peer's {@code SYFT_version.json} this way).
   */
  List<Entry> findFilesOwnedBy(String owner, String name) throws IOException;

  /** Sets (or, with a null value, removes) an application property on an item the caller owns. */
  Entry setAppProperty(Entry item, String key, @Nullable String value) throws IOException;

  @Override
  default void close() throws IOException {}
}
