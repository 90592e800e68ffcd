package dev.syft.transport.memory;

import dev.syft.transport.Capabilities;
import dev.syft.transport.ChangeFeed;
import dev.syft.transport.Entry;
import dev.syft.transport.Page;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.Watcher;
import dev.syft.transport.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One user's view of a {@link MemoryStore}. Obtain it with {@code store.as("alice@example.com")};
 * every instance for the same user sees the same items. Thread-safe; closing it is a no-op.
 */
public final class MemoryStorage implements Storage {
  private final MemoryStore store;
  private final String user;
  private final Capabilities capabilities;

  MemoryStorage(MemoryStore store, String user) {
    this.store = store;
    this.user = user;
    Optional<ChangeFeed> feed = store.hasChangeFeed() ? Optional.of(new Feed()) : Optional.empty();
    Optional<Watcher> watcher = store.hasWatcher()
        ? Optional.of(onChange -> store.watch(user, onChange)) : Optional.empty();
    this.capabilities = new Capabilities(store.conditionalCreate(), feed, watcher);
  }

  /** The backing store (to open other users' views in tests). */
  public MemoryStore store() {
    return store;
  }

  @Override
  public String identity() {
    return user;
  }

  @Override
  public boolean vouchesForOwners() {
    return true; // every item's owner is the identity that created it
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public Entry root() {
    return store.root(user);
  }

  @Override
  public List<Entry> findFolders(Entry parent, String name) throws IOException {
    return store.findFolders(user, parent, name, true);
  }

  @Override
  public List<Entry> findFoldersContaining(Entry parent, String fragment) throws IOException {
    return store.findFolders(user, parent, fragment, false);
  }

  @Override
  public List<Entry> findFiles(Entry parent, String name) throws IOException {
    return store.findFiles(user, parent, name);
  }

  @Override
  public Entry ensureFolder(Entry parent, String name) throws IOException {
    return store.ensureFolder(user, parent, name);
  }

  @Override
  public Page list(Entry folder, String pageToken, int pageSize) throws IOException {
    MemoryStore.MemoryPage p = store.list(user, folder, pageToken, pageSize);
    return new Page(p.entries(), p.next());
  }

  @Override
  public Optional<Entry> stat(String id) {
    return Optional.ofNullable(store.stat(user, id));
  }

  @Override
  public InputStream read(Entry file) throws IOException {
    return store.read(user, file);
  }

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    return store.write(user, folder, name, content, mode);
  }

  @Override
  public Entry move(Entry item, Entry newParent) throws IOException {
    return store.move(user, item, newParent);
  }

  @Override
  public void delete(Entry item) throws IOException {
    store.delete(user, item);
  }

  @Override
  public void share(Entry folder, String grantee, Role role) throws IOException {
    store.share(user, folder, grantee, role);
  }

  @Override
  public void unshare(Entry folder, String grantee) throws IOException {
    store.unshare(user, folder, grantee);
  }

  @Override
  public Map<String, Role> sharedWith(Entry folder) throws IOException {
    return store.sharedWith(user, folder);
  }

  @Override
  public List<Entry> findSharedWithMe(String fragment) {
    return store.findSharedWithMe(user, fragment);
  }

  @Override
  public List<Entry> findFilesOwnedBy(String owner, String name) {
    return store.findFilesOwnedBy(user, owner, name);
  }

  @Override
  public Entry setAppProperty(Entry item, String key, String value) throws IOException {
    return store.setAppProperty(user, item, key, value);
  }

  @Override
  public String toString() {
    return "MemoryStorage[" + user + "]";
  }

  private final class Feed implements ChangeFeed {
    @Override
    public String currentCursor() {
      return store.currentCursor();
    }

    @Override
    public Changes changesSince(String cursor) throws StorageException {
      return store.changesSince(user, cursor);
    }
  }
}
