package dev.syft.transport.memory;

import dev.syft.transport.ChangeFeed;
import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared backing store of {@link MemoryStorage}: one in-memory "Drive" that several users see
 * through {@link #as(String)}. It follows the reference's mock Drive (PROTOCOL.md Appendix C) where
 * that mock is sound, and the {@link dev.syft.transport.Storage} contract where it is not:
 *
 * <ul>
 *   <li>every item has a random UUID id, one parent, an owner (its creator) and a permission list;
 *   <li>a user sees an item they own, one shared with them, or anything below a folder they see;
 *       they may write below a folder they own or hold writer on;
 *   <li>names need not be unique; same-named items list oldest first; listings are name-ordered;
 *   <li>delete requires ownership and (unlike the mock) removes the whole subtree; move requires
 *       write access to both parents (the mock checks nothing).
 * </ul>
 *
 * <p>Thread-safe: one read-write lock; content is read from the caller's stream before the lock is
 * taken and published in one step, so readers never see a partial file.
 */
public final class MemoryStore {
  private static final Logger log = LoggerFactory.getLogger(MemoryStore.class);
  static final String ROOT_NAME = "SyftBox";
  private static final int CHUNK = 1 << 20;

  private final Clock clock;
  private final boolean conditionalCreate;
  private final boolean changeFeed;
  private final boolean watcher;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Item> items = new HashMap<>();
  private final Map<String, NavigableMap<Key, Item>> children = new HashMap<>();
  private final Map<String, Item> roots = new HashMap<>();
  private final List<Change> changes = new ArrayList<>();
  private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
  private long seq;

  private MemoryStore(Builder b) {
    this.clock = b.clock;
    this.conditionalCreate = b.conditionalCreate;
    this.changeFeed = b.changeFeed;
    this.watcher = b.watcher;
  }

  /** A Drive-like store: system clock, no conditional create, with change feed and watcher. */
  public MemoryStore() {
    this(new Builder());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The storage of {@code email} (lower-cased) on this store. */
  public MemoryStorage as(String email) {
    String user = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    if (user.isEmpty() || user.indexOf('/') >= 0) {
      throw new IllegalArgumentException("not a usable identity: " + email);
    }
    return new MemoryStorage(this, user);
  }

  /** Number of items (files and folders, roots included) in the store; for tests. */
  public int itemCount() {
    lock.readLock().lock();
    try {
      return items.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  boolean conditionalCreate() {
    return conditionalCreate;
  }

  boolean hasChangeFeed() {
    return changeFeed;
  }

  boolean hasWatcher() {
    return watcher;
  }

  // ------------------------------------------------------------------ operations

  Entry root(String user) {
    lock.writeLock().lock();
    try {
      Item r = roots.get(user);
      if (r == null || !items.containsKey(r.id)) {
        r = newItem(ROOT_NAME, true, null, user);
        roots.put(user, r);
      }
      return r.toEntry();
    } finally {
      lock.writeLock().unlock();
    }
  }

  List<Entry> findFolders(String user, Entry parent, String name, boolean exact) throws StorageException {
    lock.readLock().lock();
    try {
      Item p = visibleFolder(user, parent);
      List<Entry> out = new ArrayList<>();
      for (Item c : childrenOf(p.id).values()) {
        if (c.folder && (exact ? c.name.equals(name) : c.name.contains(name))) {
          out.add(c.toEntry());
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  List<Entry> findFiles(String user, Entry parent, String name) throws StorageException {
    lock.readLock().lock();
    try {
      Item p = visibleFolder(user, parent);
      List<Entry> out = new ArrayList<>();
      for (Item c : childrenOf(p.id).subMap(new Key(name, Long.MIN_VALUE), true, new Key(name, Long.MAX_VALUE), true)
          .values()) {
        if (!c.folder) {
          out.add(c.toEntry());
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  Entry ensureFolder(String user, Entry parent, String name) throws StorageException {
    MemoryNames.check(name);
    Entry result;
    lock.writeLock().lock();
    try {
      Item p = writableFolder(user, parent);
      for (Item c : childrenOf(p.id).subMap(new Key(name, Long.MIN_VALUE), true, new Key(name, Long.MAX_VALUE), true)
          .values()) {
        if (c.folder && c.owner.equals(user)) {
          return c.toEntry();
        }
      }
      result = newItem(name, true, p.id, user).toEntry();
      recordChange(p.id);
    } finally {
      lock.writeLock().unlock();
    }
    notifyListeners(result.parentId());
    return result;
  }

  MemoryPage list(String user, Entry folder, String token, int pageSize) throws StorageException {
    if (pageSize < 1) {
      throw new StorageException(Kind.INVALID, "page size must be at least 1, was " + pageSize);
    }
    lock.readLock().lock();
    try {
      Item p = visibleFolder(user, folder);
      NavigableMap<Key, Item> all = childrenOf(p.id);
      NavigableMap<Key, Item> rest = token == null ? all : all.tailMap(Key.decode(token), false);
      List<Entry> page = new ArrayList<>(Math.min(pageSize, rest.size()));
      Key last = null;
      for (Map.Entry<Key, Item> e : rest.entrySet()) {
        if (page.size() == pageSize) {
          break;
        }
        page.add(e.getValue().toEntry());
        last = e.getKey();
      }
      boolean more = last != null && all.higherKey(last) != null;
      return new MemoryPage(page, more ? last.encode() : null);
    } finally {
      lock.readLock().unlock();
    }
  }

  Entry stat(String user, String id) {
    lock.readLock().lock();
    try {
      Item i = items.get(id);
      return i != null && visible(user, i) ? i.toEntry() : null;
    } finally {
      lock.readLock().unlock();
    }
  }

  InputStream read(String user, Entry file) throws StorageException {
    lock.readLock().lock();
    try {
      Item i = visibleItem(user, file);
      if (i.folder) {
        throw new StorageException(Kind.INVALID, "'" + i.name + "' is a folder, not a file");
      }
      return new ChunkInputStream(i.content);
    } finally {
      lock.readLock().unlock();
    }
  }

  Entry write(String user, Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    MemoryNames.check(name);
    lock.readLock().lock();
    try {
      writableFolder(user, folder); // fail before consuming the stream
    } finally {
      lock.readLock().unlock();
    }
    List<byte[]> data = readChunks(content);
    Entry result;
    lock.writeLock().lock();
    try {
      Item p = writableFolder(user, folder);
      NavigableMap<Key, Item> same =
          childrenOf(p.id).subMap(new Key(name, Long.MIN_VALUE), true, new Key(name, Long.MAX_VALUE), true);
      Item target = null;
      if (mode == WriteMode.CREATE) {
        if (conditionalCreate && !same.isEmpty()) {
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name + "' already exists in '" + p.name + "'");
        }
      } else {
        target = same.values().stream().filter(i -> !i.folder).findFirst().orElse(null);
      }
      if (target == null) {
        target = newItem(name, false, p.id, user);
      }
      target.content = data;
      target.modified = clock.instant();
      recordChange(p.id);
      result = target.toEntry();
    } finally {
      lock.writeLock().unlock();
    }
    notifyListeners(result.parentId());
    return result;
  }

  Entry move(String user, Entry item, Entry newParent) throws StorageException {
    Entry result;
    String oldParent;
    lock.writeLock().lock();
    try {
      Item i = visibleItem(user, item);
      if (i.parentId == null) {
        throw new StorageException(Kind.INVALID, "the top folder cannot be moved");
      }
      Item target = visibleFolder(user, newParent);
      if (target.id.equals(i.parentId)) {
        return i.toEntry();
      }
      if (!canWrite(user, items.get(i.parentId))) {
        throw forbidden(user, "move '" + i.name + "' out of its folder");
      }
      if (!canWrite(user, target)) {
        throw forbidden(user, "move '" + i.name + "' into '" + target.name + "'");
      }
      for (Item a = target; a != null; a = a.parentId == null ? null : items.get(a.parentId)) {
        if (a.id.equals(i.id)) {
          throw new StorageException(Kind.INVALID, "cannot move '" + i.name + "' into itself");
        }
      }
      oldParent = i.parentId;
      childrenOf(i.parentId).remove(i.key());
      i.parentId = target.id;
      childrenOf(target.id).put(i.key(), i);
      recordChange(oldParent);
      recordChange(target.id);
      result = i.toEntry();
    } finally {
      lock.writeLock().unlock();
    }
    notifyListeners(oldParent);
    notifyListeners(result.parentId());
    return result;
  }

  void delete(String user, Entry item) throws StorageException {
    String parent;
    lock.writeLock().lock();
    try {
      Item i = items.get(item.id());
      if (i == null) {
        return;
      }
      if (!visible(user, i)) {
        throw notFound(item);
      }
      if (!i.owner.equals(user)) {
        throw forbidden(user, "delete '" + i.name + "' (owned by " + i.owner + ")");
      }
      parent = i.parentId;
      if (i.folder) {
        recordChange(i.id); // watchers of the folder itself learn that it is gone
      }
      removeTree(i);
      if (parent != null) {
        childrenOf(parent).remove(i.key());
        recordChange(parent);
      } else {
        roots.remove(i.owner);
      }
    } finally {
      lock.writeLock().unlock();
    }
    if (parent != null) {
      notifyListeners(parent);
    }
  }

  void share(String user, Entry item, String grantee, Role role) throws StorageException {
    String g = grantee == null ? "" : grantee.trim().toLowerCase(Locale.ROOT);
    if (g.isEmpty()) {
      throw new StorageException(Kind.INVALID, "cannot share with an empty user");
    }
    String parent;
    lock.writeLock().lock();
    try {
      Item i = ownedItem(user, item, "share");
      if (i.parentId == null) {
        throw new StorageException(Kind.INVALID, "the top folder is never shared");
      }
      if (g.equals(i.owner)) {
        return;
      }
      Role old = i.perms.get(g);
      if (old == role || old == Role.WRITER) {
        return;
      }
      i.perms.put(g, role);
      // the grantee can now see the item itself, not its parent
      parent = i.folder ? i.id : i.parentId;
      recordChange(parent);
    } finally {
      lock.writeLock().unlock();
    }
    notifyListeners(parent);
  }

  void unshare(String user, Entry item, String grantee) throws StorageException {
    String g = grantee == null ? "" : grantee.trim().toLowerCase(Locale.ROOT);
    lock.writeLock().lock();
    try {
      Item i = ownedItem(user, item, "unshare");
      if (i.perms.remove(g) != null) {
        recordChange(i.parentId);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  Map<String, Role> sharedWith(String user, Entry item) throws StorageException {
    lock.readLock().lock();
    try {
      return Map.copyOf(visibleItem(user, item).perms);
    } finally {
      lock.readLock().unlock();
    }
  }

  List<Entry> findSharedWithMe(String user, String fragment) {
    lock.readLock().lock();
    try {
      TreeMap<Key, Item> found = new TreeMap<>();
      for (Item i : items.values()) {
        if (i.folder && !i.owner.equals(user) && i.name.contains(fragment) && visible(user, i)) {
          found.put(i.key(), i);
        }
      }
      return found.values().stream().map(Item::toEntry).toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  List<Entry> findFilesOwnedBy(String user, String owner, String name) {
    String o = owner == null ? "" : owner.trim().toLowerCase(Locale.ROOT);
    lock.readLock().lock();
    try {
      TreeMap<Key, Item> found = new TreeMap<>();
      for (Item i : items.values()) {
        if (!i.folder && i.owner.equals(o) && i.name.equals(name) && visible(user, i)) {
          found.put(i.key(), i);
        }
      }
      return found.values().stream().map(Item::toEntry).toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  Entry setAppProperty(String user, Entry item, String key, String value) throws StorageException {
    if (key == null || key.isEmpty()) {
      throw new StorageException(Kind.INVALID, "app property key is empty");
    }
    Entry result;
    lock.writeLock().lock();
    try {
      Item i = ownedItem(user, item, "change properties of");
      if (value == null) {
        i.props.remove(key);
      } else {
        i.props.put(key, value);
      }
      i.modified = clock.instant();
      if (i.parentId != null) {
        recordChange(i.parentId);
      }
      result = i.toEntry();
    } finally {
      lock.writeLock().unlock();
    }
    if (result.parentId() != null) {
      notifyListeners(result.parentId());
    }
    return result;
  }

  // ------------------------------------------------------------------ change feed and watch

  String currentCursor() {
    lock.readLock().lock();
    try {
      return Long.toString(seq);
    } finally {
      lock.readLock().unlock();
    }
  }

  ChangeFeed.Changes changesSince(String user, String cursor) throws StorageException {
    long from;
    try {
      from = Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw new StorageException(Kind.INVALID, "not a change cursor: " + cursor);
    }
    lock.readLock().lock();
    try {
      Set<String> parents = new LinkedHashSet<>();
      int idx = lowerBound(from);
      for (int k = idx; k < changes.size(); k++) {
        Change c = changes.get(k);
        Item p = items.get(c.parentId);
        // a deleted parent is reported too: the caller's cached id is then stale
        if (p == null || visible(user, p)) {
          parents.add(c.parentId);
        }
      }
      return new ChangeFeed.Changes(List.copyOf(parents), Long.toString(seq));
    } finally {
      lock.readLock().unlock();
    }
  }

  private int lowerBound(long after) {
    int lo = 0;
    int hi = changes.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (changes.get(mid).seq <= after) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  AutoCloseable watch(String user, Runnable onChange) {
    Listener l = new Listener(user, onChange);
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  private void notifyListeners(String parentId) {
    if (parentId == null || listeners.isEmpty()) {
      return;
    }
    for (Listener l : listeners) {
      boolean relevant;
      lock.readLock().lock();
      try {
        Item p = items.get(parentId);
        relevant = p == null || visible(l.user, p);
      } finally {
        lock.readLock().unlock();
      }
      if (relevant) {
        try {
          l.onChange.run();
        } catch (RuntimeException e) {
          log.warn("watch callback failed: {}", e.toString());
        }
      }
    }
  }

  // ------------------------------------------------------------------ internals (lock held)

  private Item newItem(String name, boolean folder, String parentId, String owner) {
    long s = ++seq;
    Item i = new Item(UUID.randomUUID().toString(), name, folder, parentId, owner, s, clock.instant());
    items.put(i.id, i);
    if (parentId != null) {
      childrenOf(parentId).put(i.key(), i);
    }
    return i;
  }

  private void recordChange(String parentId) {
    if (parentId != null && changeFeed) {
      changes.add(new Change(++seq, parentId));
    }
  }

  private NavigableMap<Key, Item> childrenOf(String parentId) {
    return children.computeIfAbsent(parentId, k -> new TreeMap<>());
  }

  private void removeTree(Item i) {
    NavigableMap<Key, Item> kids = children.remove(i.id);
    if (kids != null) {
      for (Item k : kids.values()) {
        removeTree(k);
      }
    }
    items.remove(i.id);
  }

  private boolean visible(String user, Item i) {
    for (Item a = i; a != null; a = a.parentId == null ? null : items.get(a.parentId)) {
      if (a.owner.equals(user) || a.perms.containsKey(user)) {
        return true;
      }
    }
    return false;
  }

  private boolean canWrite(String user, Item i) {
    for (Item a = i; a != null; a = a.parentId == null ? null : items.get(a.parentId)) {
      if (a.owner.equals(user) || a.perms.get(user) == Role.WRITER) {
        return true;
      }
    }
    return false;
  }

  private Item visibleItem(String user, Entry e) throws StorageException {
    if (e == null) {
      throw new StorageException(Kind.INVALID, "no item given");
    }
    Item i = items.get(e.id());
    if (i == null || !visible(user, i)) {
      throw notFound(e);
    }
    return i;
  }

  private Item visibleFolder(String user, Entry e) throws StorageException {
    Item i = visibleItem(user, e);
    if (!i.folder) {
      throw new StorageException(Kind.INVALID, "'" + i.name + "' is a file, not a folder");
    }
    return i;
  }

  private Item writableFolder(String user, Entry e) throws StorageException {
    Item i = visibleFolder(user, e);
    if (!canWrite(user, i)) {
      throw forbidden(user, "write into '" + i.name + "' (owned by " + i.owner + ")");
    }
    return i;
  }

  private Item ownedItem(String user, Entry e, String what) throws StorageException {
    Item i = visibleItem(user, e);
    if (!i.owner.equals(user)) {
      throw forbidden(user, what + " '" + i.name + "' (owned by " + i.owner + ")");
    }
    return i;
  }

  private static StorageException notFound(Entry e) {
    return new StorageException(Kind.NOT_FOUND, "'" + e.name() + "' (id " + e.id() + ") does not exist or is not shared with you");
  }

  private static StorageException forbidden(String user, String what) {
    return new StorageException(Kind.FORBIDDEN, user + " may not " + what);
  }

  private static List<byte[]> readChunks(InputStream in) throws IOException {
    List<byte[]> out = new ArrayList<>();
    while (true) {
      byte[] chunk = in.readNBytes(CHUNK);
      if (chunk.length > 0) {
        out.add(chunk);
      }
      if (chunk.length < CHUNK) {
        return out;
      }
    }
  }

  // ------------------------------------------------------------------ types

  /** Sort key of a child: name, then creation sequence (oldest first among equal names). */
  record Key(String name, long seq) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = name.compareTo(o.name);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    String encode() {
      return seq + ":" + java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Key decode(String token) throws StorageException {
      try {
        int colon = token.indexOf(':');
        long s = Long.parseLong(token.substring(0, colon));
        String n = new String(java.util.Base64.getUrlDecoder().decode(token.substring(colon + 1)),
            java.nio.charset.StandardCharsets.UTF_8);
        return new Key(n, s);
      } catch (RuntimeException e) {
        throw new StorageException(Kind.INVALID, "not a page token of this store: " + token);
      }
    }
  }

  record MemoryPage(List<Entry> entries, String next) {}

  private record Change(long seq, String parentId) {}

  private record Listener(String user, Runnable onChange) {}

  private static final class Item {
    final String id;
    final String name;
    final boolean folder;
    final String owner;
    final long seq;
    String parentId;
    List<byte[]> content = List.of();
    java.time.Instant modified;
    final Map<String, String> props = new LinkedHashMap<>();
    final Map<String, Role> perms = new LinkedHashMap<>();

    Item(String id, String name, boolean folder, String parentId, String owner, long seq, java.time.Instant now) {
      this.id = id;
      this.name = name;
      this.folder = folder;
      this.parentId = parentId;
      this.owner = owner;
      this.seq = seq;
      this.modified = now;
    }

    Key key() {
      return new Key(name, seq);
    }

    long size() {
      long s = 0;
      for (byte[] c : content) {
        s += c.length;
      }
      return s;
    }

    Entry toEntry() {
      return new Entry(id, name, folder, folder ? 0 : size(), modified, owner, parentId, props);
    }
  }

  /** Builder of a {@link MemoryStore}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private boolean conditionalCreate;
    private boolean changeFeed = true;
    private boolean watcher = true;

    private Builder() {}

    /** Clock for modification times (tests pass a settable one). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Whether {@link WriteMode#CREATE} refuses an existing name (Drive: no; default no). */
    public Builder conditionalCreate(boolean on) {
      this.conditionalCreate = on;
      return this;
    }

    /** Whether storages declare a {@link ChangeFeed} (default yes). */
    public Builder changeFeed(boolean on) {
      this.changeFeed = on;
      return this;
    }

    /** Whether storages declare a {@link dev.syft.transport.Watcher} (default yes). */
    public Builder watcher(boolean on) {
      this.watcher = on;
      return this;
    }

    public MemoryStore build() {
      return new MemoryStore(this);
    }
  }
}
