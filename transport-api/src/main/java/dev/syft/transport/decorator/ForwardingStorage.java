package dev.syft.transport.decorator;

import dev.syft.transport.Capabilities;
import dev.syft.transport.ChangeFeed;
import dev.syft.transport.Entry;
import dev.syft.transport.Page;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.Watcher;
import dev.syft.transport.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Base of storage decorators: forwards every operation to a delegate through {@link #invoke}, which
 * subclasses override to count, fail, delay or retry calls. {@link #read} and {@link #write} may be
 * overridden as well to wrap the content streams. The convenience defaults of {@link Storage}
 * ({@code listAll}, {@code readAll}, {@code write(byte[])}) are not forwarded: they run on the
 * decorator and so pass through it call by call. The change feed and watcher of the delegate are
 * wrapped so their calls pass through {@link #invoke} too.
 */
public abstract class ForwardingStorage implements Storage {
  /** One call to the delegate. */
  @FunctionalInterface
  protected interface Call<T> {
    T run() throws IOException;
  }

  protected final Storage delegate;

  protected ForwardingStorage(Storage delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The wrapped storage. */
  public Storage delegate() {
    return delegate;
  }

  /**
   * Runs one delegate call. The default just runs it.
   *
   * @param op the operation
   * @param subject a short description for logs and fault scripts (item name, folder name)
   */
  protected <T> T invoke(Operation op, String subject, Call<T> call) throws IOException {
    return call.run();
  }

  @Override
  public String identity() {
    return delegate.identity();
  }

  @Override
  public Capabilities capabilities() {
    Capabilities c = delegate.capabilities();
    Optional<ChangeFeed> feed = c.changeFeed().map(f -> new ChangeFeed() {
      @Override
      public String currentCursor() throws IOException {
        return invoke(Operation.FEED_CURSOR, "", f::currentCursor);
      }

      @Override
      public Changes changesSince(String cursor) throws IOException {
        return invoke(Operation.FEED_CHANGES, cursor, () -> f.changesSince(cursor));
      }

      @Override
      public Optional<List<Entry>> knownChildren(Entry folder) {
        return f.knownChildren(folder); // no call to count or fail
      }
    });
    Optional<Watcher> watcher = c.watcher().map(w -> onChange -> invoke(Operation.WATCH, "", () -> w.watch(onChange)));
    return new Capabilities(c.conditionalCreate(), feed, watcher, c.folderTimesTrackChildren());
  }

  @Override
  public Entry root() throws IOException {
    return invoke(Operation.ROOT, "", delegate::root);
  }

  @Override
  public List<Entry> findFolders(Entry parent, String name) throws IOException {
    return invoke(Operation.FIND_FOLDERS, name, () -> delegate.findFolders(parent, name));
  }

  @Override
  public List<Entry> findFoldersContaining(Entry parent, String fragment) throws IOException {
    return invoke(Operation.FIND_FOLDERS_CONTAINING, fragment, () -> delegate.findFoldersContaining(parent, fragment));
  }

  @Override
  public List<Entry> findFiles(Entry parent, String name) throws IOException {
    return invoke(Operation.FIND_FILES, name, () -> delegate.findFiles(parent, name));
  }

  @Override
  public Entry ensureFolder(Entry parent, String name) throws IOException {
    return invoke(Operation.ENSURE_FOLDER, name, () -> delegate.ensureFolder(parent, name));
  }

  @Override
  public Page list(Entry folder, String pageToken, int pageSize) throws IOException {
    return invoke(Operation.LIST, folder.name(), () -> delegate.list(folder, pageToken, pageSize));
  }

  @Override
  public boolean listsSeveralAtOnce() {
    return delegate.listsSeveralAtOnce();
  }

  @Override
  public Map<String, List<Entry>> listSeveral(List<Entry> folders) throws IOException {
    if (!delegate.listsSeveralAtOnce()) {
      return Storage.super.listSeveral(folders); // each listing through this decorator
    }
    return invoke(Operation.LIST, folders.size() + " folders", () -> delegate.listSeveral(folders));
  }

  @Override
  public boolean vouchesForOwners() {
    return delegate.vouchesForOwners();
  }

  @Override
  public Optional<Entry> stat(String id) throws IOException {
    return invoke(Operation.STAT, id, () -> delegate.stat(id));
  }

  @Override
  public InputStream read(Entry file) throws IOException {
    return invoke(Operation.READ, file.name(), () -> delegate.read(file));
  }

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    return invoke(Operation.WRITE, name, () -> delegate.write(folder, name, content, mode));
  }

  @Override
  public Entry move(Entry item, Entry newParent) throws IOException {
    return invoke(Operation.MOVE, item.name(), () -> delegate.move(item, newParent));
  }

  @Override
  public boolean movesSeveralAtOnce() {
    return delegate.movesSeveralAtOnce();
  }

  @Override
  public void moveAll(List<Entry> items, Entry newParent) throws IOException {
    if (!delegate.movesSeveralAtOnce()) {
      Storage.super.moveAll(items, newParent); // each move through this decorator
      return;
    }
    invoke(Operation.MOVE, items.size() + " items", () -> {
      delegate.moveAll(items, newParent);
      return null;
    });
  }

  @Override
  public void delete(Entry item) throws IOException {
    invoke(Operation.DELETE, item.name(), () -> {
      delegate.delete(item);
      return null;
    });
  }

  @Override
  public void share(Entry folder, String user, Role role) throws IOException {
    invoke(Operation.SHARE, folder.name(), () -> {
      delegate.share(folder, user, role);
      return null;
    });
  }

  @Override
  public void unshare(Entry folder, String user) throws IOException {
    invoke(Operation.UNSHARE, folder.name(), () -> {
      delegate.unshare(folder, user);
      return null;
    });
  }

  @Override
  public Map<String, Role> sharedWith(Entry folder) throws IOException {
    return invoke(Operation.SHARED_WITH, folder.name(), () -> delegate.sharedWith(folder));
  }

  @Override
  public List<Entry> findSharedWithMe(String fragment) throws IOException {
    return invoke(Operation.FIND_SHARED_WITH_ME, fragment, () -> delegate.findSharedWithMe(fragment));
  }

  @Override
  public List<Entry> findFilesOwnedBy(String owner, String name) throws IOException {
    return invoke(Operation.FIND_FILES_OWNED_BY, name, () -> delegate.findFilesOwnedBy(owner, name));
  }

  @Override
  public Entry setAppProperty(Entry item, String key, String value) throws IOException {
    return invoke(Operation.SET_APP_PROPERTY, item.name(), () -> delegate.setAppProperty(item, key, value));
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
