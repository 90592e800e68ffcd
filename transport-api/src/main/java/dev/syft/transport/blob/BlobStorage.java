package dev.syft.transport.blob;

import dev.syft.transport.Capabilities;
import dev.syft.transport.Entry;
import dev.syft.transport.Page;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drive's model (owners, grants, app properties, "shared with me") over a plain {@link BlobStore}: an
 * S3 bucket, an SFTP directory. The same layout as the local transport:
 *
 * <pre>
 * alice@x.org/                         alice's drive = her top folder; ids are keys
 * alice@x.org/F/.syft-meta.json        grants on F; per child: owner if not the drive's, grants, properties
 * .syft-shares/bob@x.org/&lt;sha256(id)&gt;.json   index: "alice shared id with bob" (hints, verified)
 * </pre>
 *
 * <p>Sharing is enforced by this class for every client that uses it; the store's own access rules
 * (a bucket policy, server-side groups) must back it against clients that do not (module READMEs).
 * Writes are atomic and {@code CREATE} is exclusive because the store's {@link BlobStore#put} is.
 * Changes to one folder's sidecar are serialised within this JVM; two processes changing grants of one
 * folder at the same moment can lose one update (in the Syft layout each sidecar has one writer).
 * Thread-safe.
 */
public final class BlobStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(BlobStorage.class);
  private static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  /** Prefix of everything this layer keeps beside user data; such names are hidden and refused. */
  public static final String RESERVED_PREFIX = ".syft-";
  static final String META = ".syft-meta.json";
  static final String SHARES_DIR = ".syft-shares";
  private static final String ROOT_NAME = "SyftBox";
  private static final int MAX_NAME_BYTES = 255;
  private static final long MAX_META_BYTES = 4L << 20;
  private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new ReentrantLock();
    }
  }

  private final BlobStore store;
  private final String me;
  private final String description;
  private final boolean closeStore;

  /**
   * @param store the store (shared by every user of it)
   * @param email the authenticated identity, as the store's own authentication established it
   * @param description names the store in messages ({@code s3://bucket/prefix})
   * @param closeStore whether {@link #close()} closes {@code store}
   */
  public BlobStorage(BlobStore store, String email, String description, boolean closeStore) {
    this.store = store;
    this.me = identityOf(email);
    this.description = description;
    this.closeStore = closeStore;
  }

  /** A lower-case e-mail usable as a top folder name; IllegalArgumentException otherwise. */
  public static String identityOf(String email) {
    String e = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    if (e.isEmpty() || e.startsWith(".") || !plainName(e) || e.indexOf('@') < 1) {
      throw new IllegalArgumentException("not a usable identity (an e-mail address): '" + printable(email) + "'");
    }
    return e;
  }

  public BlobStore store() {
    return store;
  }

  @Override
  public String identity() {
    return me;
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(true, Optional.empty(), Optional.empty(), false);
  }

  // ------------------------------------------------------------------ folders

  @Override
  public Entry root() throws IOException {
    return guard("open the top folder", () -> {
      Optional<Instant> t = store.folder(me);
      if (t.isEmpty()) {
        store.makeFolder(me);
        t = store.folder(me);
      }
      return new Entry(me, ROOT_NAME, true, 0, t.orElse(Instant.EPOCH), me, null, Map.of());
    });
  }

  @Override
  public List<Entry> findFolders(Entry parent, String name) throws IOException {
    return guard("search " + parent.name(), () -> {
      Ctx c = new Ctx();
      String dir = visibleFolder(parent, c);
      if (!plainName(name) || reserved(name)) {
        return List.of();
      }
      String k = child(dir, name);
      Optional<Instant> t = store.folder(k);
      return t.isPresent() ? List.of(entry(new Item(k, true, 0, t.get()), c)) : List.of();
    });
  }

  @Override
  public List<Entry> findFiles(Entry parent, String name) throws IOException {
    return guard("search " + parent.name(), () -> {
      Ctx c = new Ctx();
      String dir = visibleFolder(parent, c);
      if (!plainName(name) || reserved(name)) {
        return List.of();
      }
      String k = child(dir, name);
      Optional<BlobStore.Blob> b = store.stat(k);
      return b.isPresent() ? List.of(entry(new Item(k, false, b.get().size(), b.get().modified()), c)) : List.of();
    });
  }

  @Override
  public Entry ensureFolder(Entry parent, String name) throws IOException {
    checkName(name);
    return guard("create folder " + name, () -> {
      Ctx c = new Ctx();
      String dir = writableFolder(parent, c);
      String k = child(dir, name);
      return locked(List.of(dir), () -> {
        BlobMeta meta = c.refresh(dir);
        Optional<Instant> t = store.folder(k);
        if (t.isPresent()) {
          String owner = ownerOf(k, meta);
          if (me.equals(owner)) {
            return entry(new Item(k, true, 0, t.get()), c);
          }
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name + "' already exists in '" + parent.name()
              + "' and belongs to " + owner);
        }
        if (store.stat(k).isPresent()) {
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name + "' already exists in '" + parent.name() + "' (a file)");
        }
        if (!me.equals(driveOf(dir))) {
          meta.itemForUpdate(name).owner = me;
          writeMeta(dir, meta);
        }
        store.makeFolder(k);
        return entry(new Item(k, true, 0, store.folder(k).orElse(Instant.now())), c);
      });
    });
  }

  @Override
  public Page list(Entry folder, String pageToken, int pageSize) throws IOException {
    if (pageSize < 1) {
      throw new StorageException(Kind.INVALID, "page size must be at least 1, was " + pageSize);
    }
    String after = pageToken == null ? null : decodeToken(pageToken);
    return guard("list " + folder.name(), () -> {
      Ctx c = new Ctx();
      String dir = visibleFolder(folder, c);
      TreeMap<String, Item> children = children(dir);
      List<Entry> page = new ArrayList<>();
      String last = null;
      boolean more = false;
      for (Item it : (after == null ? children : children.tailMap(after, false)).values()) {
        if (page.size() == pageSize) {
          more = true;
          break;
        }
        page.add(entry(it, c));
        last = nameOf(it.key);
      }
      return new Page(page, more ? encodeToken(last) : null);
    });
  }

  /** The visible children of {@code dir} by name (UTF-16 order). */
  private TreeMap<String, Item> children(String dir) throws IOException {
    BlobStore.Listing l = store.list(dir);
    TreeMap<String, Item> out = new TreeMap<>();
    for (BlobStore.Blob b : l.folders()) {
      if (!reserved(b.name()) && plainName(b.name())) {
        out.put(b.name(), new Item(child(dir, b.name()), true, 0, b.modified() == null ? Instant.EPOCH : b.modified()));
      }
    }
    for (BlobStore.Blob b : l.files()) {
      if (!reserved(b.name()) && plainName(b.name())) {
        out.putIfAbsent(b.name(), new Item(child(dir, b.name()), false, b.size(), b.modified()));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ files

  @Override
  public Optional<Entry> stat(String id) throws IOException {
    return guard("look up " + id, () -> {
      String k = keyOfId(id);
      if (k == null) {
        return Optional.empty();
      }
      Ctx c = new Ctx();
      Item it = resolve(k, false);
      if (it == null || !canSee(k, c)) {
        return Optional.empty();
      }
      return Optional.of(entry(it, c));
    });
  }

  @Override
  public InputStream read(Entry file) throws IOException {
    return guard("read " + file.name(), () -> {
      Ctx c = new Ctx();
      Item it = visibleItem(file, c, false);
      if (it.folder) {
        throw new StorageException(Kind.INVALID, "'" + file.name() + "' is a folder, not a file");
      }
      return store.get(it.key);
    });
  }

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    checkName(name);
    return guard("write " + name, () -> {
      Ctx c = new Ctx();
      String dir = writableFolder(folder, c);
      String k = child(dir, name);
      if (me.equals(driveOf(dir))) {
        // my own drive: no owner record to keep, the store's exclusive put decides CREATE races
        if (store.folder(k).isPresent()) {
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name + "' already exists in '" + folder.name() + "' (a folder)");
        }
        BlobStore.Blob b = store.put(k, content, mode == WriteMode.CREATE);
        return entry(new Item(k, false, b.size(), b.modified()), c);
      }
      return locked(List.of(dir), () -> {
        BlobMeta meta = c.refresh(dir);
        boolean exists = store.stat(k).isPresent();
        if (store.folder(k).isPresent() || (exists && mode == WriteMode.CREATE)) {
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name + "' already exists in '" + folder.name() + "'");
        }
        if (!exists) {
          // the owner record is in place before the name appears, so nobody sees the file as the drive's
          meta.itemForUpdate(name).owner = me;
          writeMeta(dir, meta);
        }
        try {
          BlobStore.Blob b = store.put(k, content, mode == WriteMode.CREATE);
          return entry(new Item(k, false, b.size(), b.modified()), c);
        } catch (IOException | RuntimeException e) {
          if (!exists && !(e instanceof StorageException se && se.kind() == Kind.ALREADY_EXISTS)) {
            meta.itemForUpdate(name).owner = null;
            meta.prune(name);
            writeMeta(dir, meta);
          }
          throw e;
        }
      });
    });
  }

  // ------------------------------------------------------------------ move and delete

  @Override
  public Entry move(Entry item, Entry newParent) throws IOException {
    return guard("move " + item.name(), () -> {
      Ctx c = new Ctx();
      Item it = visibleItem(item, c, false);
      String target = visibleFolder(newParent, c);
      String from = parentOf(it.key);
      if (target.equals(from)) {
        return entry(it, c);
      }
      if (it.folder) {
        throw new StorageException(Kind.INVALID, "this transport moves files, not folders ('" + item.name() + "')");
      }
      if (!canWrite(from, c)) {
        throw forbidden("move '" + item.name() + "' out of '" + nameOf(from) + "'");
      }
      if (!canWrite(target, c)) {
        throw forbidden("move '" + item.name() + "' into '" + newParent.name() + "'");
      }
      String name = nameOf(it.key);
      String dest = child(target, name);
      return locked(List.of(from, target), () -> {
        BlobMeta src = c.refresh(from);
        BlobMeta dst = c.refresh(target);
        if (store.stat(it.key).isEmpty()) {
          throw notFound(item);
        }
        if (store.stat(dest).isPresent() || store.folder(dest).isPresent()) {
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name + "' already exists in '" + newParent.name() + "'");
        }
        String owner = ownerOf(it.key, src);
        BlobMeta.Item moved = src.item(name);
        BlobMeta.Item carried = dst.itemForUpdate(name);
        carried.owner = owner.equals(driveOf(target)) ? null : owner;
        if (moved != null) {
          carried.shares.putAll(moved.shares);
          carried.props.putAll(moved.props);
        }
        dst.prune(name);
        writeMeta(target, dst);
        store.move(it.key, dest);
        if (src.items.remove(name) != null) {
          writeMeta(from, src);
        }
        if (moved != null) {
          for (String grantee : moved.shares.keySet()) {
            unindex(grantee, it.key);
            index(grantee, dest, owner);
          }
        }
        BlobStore.Blob b = store.stat(dest).orElseThrow(() -> notFound(item));
        return entry(new Item(dest, false, b.size(), b.modified()), c);
      });
    });
  }

  @Override
  public void delete(Entry item) throws IOException {
    guard("delete " + item.name(), () -> {
      String k = keyOfId(item.id());
      if (k == null) {
        return null;
      }
      Item it = resolve(k, item.folder());
      if (it == null) {
        return null; // already gone
      }
      Ctx c = new Ctx();
      if (!canSee(k, c)) {
        throw notFound(item);
      }
      boolean top = isTop(k);
      String owner = top ? k : ownerOf(k, c.meta(parentOf(k)));
      if (!me.equals(owner)) {
        throw forbidden("delete '" + item.name() + "' (owned by " + owner + ")");
      }
      if (top) {
        store.deleteFolder(k);
        return null;
      }
      String parent = parentOf(k);
      locked(List.of(parent), () -> {
        BlobMeta meta = c.refresh(parent);
        String name = nameOf(k);
        BlobMeta.Item m = meta.item(name);
        if (m != null) {
          for (String grantee : m.shares.keySet()) {
            unindex(grantee, k);
          }
        }
        if (it.folder) {
          // grants below it leave index markers behind; they are verified (and so ignored) on use
          for (String grantee : c.meta(k).shares.keySet()) {
            unindex(grantee, k);
          }
          store.deleteFolder(k);
        } else {
          store.delete(k);
        }
        if (meta.items.remove(name) != null) {
          writeMeta(parent, meta);
        }
        return null;
      });
      return null;
    });
  }

  // ------------------------------------------------------------------ sharing

  @Override
  public void share(Entry folder, String user, Role role) throws IOException {
    String grantee = identityOf(user);
    guard("share " + folder.name(), () -> {
      Ctx c = new Ctx();
      Item it = ownedItem(folder, "share", c);
      if (grantee.equals(me)) {
        return null;
      }
      String metaDir = it.folder ? it.key : parentOf(it.key);
      locked(List.of(metaDir), () -> {
        BlobMeta meta = c.refresh(metaDir);
        Map<String, String> grants = it.folder ? meta.shares : meta.itemForUpdate(nameOf(it.key)).shares;
        String old = grants.get(grantee);
        if (!Role.WRITER.name().equals(old) && !role.name().equals(old)) {
          grants.put(grantee, role.name());
          writeMeta(metaDir, meta);
        }
        index(grantee, it.key, me);
        return null;
      });
      return null;
    });
  }

  @Override
  public void unshare(Entry folder, String user) throws IOException {
    String grantee = identityOf(user);
    guard("unshare " + folder.name(), () -> {
      Ctx c = new Ctx();
      Item it = ownedItem(folder, "unshare", c);
      String metaDir = it.folder ? it.key : parentOf(it.key);
      locked(List.of(metaDir), () -> {
        BlobMeta meta = c.refresh(metaDir);
        String name = nameOf(it.key);
        Map<String, String> grants = it.folder ? meta.shares : meta.itemForUpdate(name).shares;
        if (grants.remove(grantee) != null) {
          if (!it.folder) {
            meta.prune(name);
          }
          writeMeta(metaDir, meta);
        }
        unindex(grantee, it.key);
        return null;
      });
      return null;
    });
  }

  @Override
  public Map<String, Role> sharedWith(Entry folder) throws IOException {
    return guard("read grants of " + folder.name(), () -> {
      Ctx c = new Ctx();
      Item it = visibleItem(folder, c, folder.folder());
      Map<String, String> grants;
      if (it.folder) {
        grants = c.meta(it.key).shares;
      } else {
        BlobMeta.Item m = c.meta(parentOf(it.key)).item(nameOf(it.key));
        grants = m == null ? Map.of() : m.shares;
      }
      Map<String, Role> out = new LinkedHashMap<>();
      grants.forEach((u, r) -> out.put(u, Role.valueOf(r)));
      return out;
    });
  }

  @Override
  public List<Entry> findSharedWithMe(String fragment) throws IOException {
    return guard("search shared folders", () -> {
      Ctx c = new Ctx();
      TreeMap<String, Entry> found = new TreeMap<>();
      for (Item top : sharedRoots(c)) {
        if (!top.folder) {
          continue;
        }
        List<Item> stack = new ArrayList<>(List.of(top));
        while (!stack.isEmpty()) {
          Item dir = stack.remove(stack.size() - 1);
          Entry e = entry(dir, c);
          if (!me.equals(e.owner()) && e.name().contains(fragment)) {
            found.put(e.id(), e);
          }
          for (Item ch : children(dir.key).values()) {
            if (ch.folder) {
              stack.add(ch);
            }
          }
        }
      }
      List<Entry> out = new ArrayList<>(found.values());
      out.sort(Comparator.comparing(Entry::name).thenComparing(Entry::id));
      return out;
    });
  }

  @Override
  public List<Entry> findFilesOwnedBy(String owner, String name) throws IOException {
    String o = identityOf(owner);
    return guard("search " + name, () -> {
      if (!plainName(name) || reserved(name)) {
        return List.of();
      }
      Ctx c = new Ctx();
      TreeMap<String, Entry> found = new TreeMap<>();
      List<Item> tops = new ArrayList<>(sharedRoots(c));
      store.folder(me).ifPresent(t -> tops.add(new Item(me, true, 0, t)));
      for (Item top : tops) {
        if (!top.folder) {
          if (nameOf(top.key).equals(name)) {
            addIfOwned(top, o, found, c);
          }
          continue;
        }
        List<String> stack = new ArrayList<>(List.of(top.key));
        while (!stack.isEmpty()) {
          String dir = stack.remove(stack.size() - 1);
          for (Item ch : children(dir).values()) {
            if (ch.folder) {
              stack.add(ch.key);
            } else if (nameOf(ch.key).equals(name)) {
              addIfOwned(ch, o, found, c);
            }
          }
        }
      }
      List<Entry> out = new ArrayList<>(found.values());
      out.sort(Comparator.comparing(Entry::name).thenComparing(Entry::id));
      return out;
    });
  }

  private void addIfOwned(Item it, String owner, Map<String, Entry> found, Ctx c) throws IOException {
    Entry e = entry(it, c);
    if (owner.equals(e.owner()) && canSee(it.key, c)) {
      found.put(e.id(), e);
    }
  }

  @Override
  public Entry setAppProperty(Entry item, String key, String value) throws IOException {
    if (key == null || key.isEmpty()) {
      throw new StorageException(Kind.INVALID, "app property key is empty");
    }
    return guard("set a property of " + item.name(), () -> {
      Ctx c = new Ctx();
      Item it = ownedItem(item, "change properties of", c);
      String dir = parentOf(it.key);
      locked(List.of(dir), () -> {
        BlobMeta meta = c.refresh(dir);
        String name = nameOf(it.key);
        Map<String, String> props = meta.itemForUpdate(name).props;
        if (value == null) {
          props.remove(key);
        } else {
          props.put(key, value);
        }
        meta.prune(name);
        writeMeta(dir, meta);
        return null;
      });
      return entry(it, c);
    });
  }

  // ------------------------------------------------------------------ access rules

  /** Everything in my drive, anything I own, anything below a grant to me. */
  private boolean canSee(String k, Ctx c) throws IOException {
    String drive = driveOf(k);
    if (me.equals(drive)) {
      return true;
    }
    if (isTop(k)) {
      return false;
    }
    BlobMeta.Item self = c.meta(parentOf(k)).item(nameOf(k));
    if (self != null && (me.equals(self.owner) || self.shares.containsKey(me))) {
      return true;
    }
    for (String cur = k; !cur.equals(drive); cur = parentOf(cur)) {
      if (c.meta(cur).shares.containsKey(me)) {
        return true;
      }
      String parent = parentOf(cur);
      if (!parent.equals(drive)) {
        BlobMeta.Item up = c.meta(parentOf(parent)).item(nameOf(parent));
        if (up != null && me.equals(up.owner)) {
          return true;
        }
      }
    }
    return false;
  }

  /** My drive, folders I own, or below a writer grant to me. */
  private boolean canWrite(String dir, Ctx c) throws IOException {
    String drive = driveOf(dir);
    if (me.equals(drive)) {
      return true;
    }
    for (String cur = dir; !cur.equals(drive); cur = parentOf(cur)) {
      if (Role.WRITER.name().equals(c.meta(cur).shares.get(me))) {
        return true;
      }
      BlobMeta.Item self = c.meta(parentOf(cur)).item(nameOf(cur));
      if (self != null && me.equals(self.owner)) {
        return true;
      }
    }
    return false;
  }

  private Item visibleItem(Entry e, Ctx c, boolean folderFirst) throws IOException {
    String k = keyOfId(e.id());
    Item it = k == null ? null : resolve(k, folderFirst);
    if (it == null || !canSee(k, c)) {
      throw notFound(e);
    }
    return it;
  }

  private String visibleFolder(Entry e, Ctx c) throws IOException {
    Item it = visibleItem(e, c, true);
    if (!it.folder) {
      throw new StorageException(Kind.INVALID, "'" + e.name() + "' is a file, not a folder");
    }
    return it.key;
  }

  private String writableFolder(Entry e, Ctx c) throws IOException {
    String k = visibleFolder(e, c);
    if (!canWrite(k, c)) {
      throw forbidden("write into '" + e.name() + "'");
    }
    return k;
  }

  private Item ownedItem(Entry e, String what, Ctx c) throws IOException {
    Item it = visibleItem(e, c, e.folder());
    if (isTop(it.key)) {
      throw new StorageException(Kind.INVALID, "the top folder is never shared or changed");
    }
    String owner = ownerOf(it.key, c.meta(parentOf(it.key)));
    if (!me.equals(owner)) {
      throw forbidden(what + " '" + e.name() + "' (owned by " + owner + ")");
    }
    return it;
  }

  /** Items other users shared with me, verified against their sidecars. */
  private List<Item> sharedRoots(Ctx c) throws IOException {
    List<Item> out = new ArrayList<>();
    String dir = SHARES_DIR + "/" + me;
    for (BlobStore.Blob marker : store.list(dir).files()) {
      if (!marker.name().endsWith(".json") || marker.name().startsWith(RESERVED_PREFIX)) {
        continue;
      }
      String id;
      try (InputStream in = store.get(child(dir, marker.name()))) {
        Object v = JSON.readValue(in.readNBytes(64 * 1024), Map.class).get("id");
        id = v instanceof String s ? s : null;
      } catch (StorageException gone) {
        if (gone.kind() == Kind.NOT_FOUND) {
          continue; // unshared meanwhile
        }
        throw gone;
      } catch (RuntimeException bad) {
        log.warn("ignoring unreadable share marker {}: {}", marker.name(), bad.toString());
        continue;
      }
      String k = keyOfId(id);
      if (k == null || me.equals(driveOf(k))) {
        continue;
      }
      Item it = resolve(k, true);
      if (it != null && canSee(k, c)) {
        out.add(it);
      }
    }
    return out;
  }

  private void index(String grantee, String id, String owner) throws IOException {
    String dir = SHARES_DIR + "/" + grantee;
    if (store.folder(SHARES_DIR).isEmpty()) {
      store.makeFolder(SHARES_DIR);
    }
    if (store.folder(dir).isEmpty()) {
      store.makeFolder(dir);
    }
    byte[] body = JSON.writeValueAsBytes(Map.of("id", id, "owner", owner));
    store.put(child(dir, markerName(id)), new ByteArrayInputStream(body), false);
  }

  private void unindex(String grantee, String id) throws IOException {
    store.delete(SHARES_DIR + "/" + grantee + "/" + markerName(id));
  }

  static String markerName(String id) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h) + ".json";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ keys, items, entries

  /** A resolved key: a file or a folder of the store. */
  private record Item(String key, boolean folder, long size, Instant modified) {}

  /** The file or folder at {@code k}, asking first for the kind the caller expects; null when neither. */
  private Item resolve(String k, boolean folderFirst) throws IOException {
    if (isTop(k)) {
      Optional<Instant> t = store.folder(k);
      return t.map(x -> new Item(k, true, 0, x)).orElse(null);
    }
    for (int i = 0; i < 2; i++) {
      if (folderFirst == (i == 0)) {
        Optional<Instant> t = store.folder(k);
        if (t.isPresent()) {
          return new Item(k, true, 0, t.get());
        }
      } else {
        Optional<BlobStore.Blob> b = store.stat(k);
        if (b.isPresent()) {
          return new Item(k, false, b.get().size(), b.get().modified());
        }
      }
    }
    return null;
  }

  private Entry entry(Item it, Ctx c) throws IOException {
    if (isTop(it.key)) {
      return new Entry(it.key, ROOT_NAME, true, 0, it.modified, it.key, null, Map.of());
    }
    String parent = parentOf(it.key);
    BlobMeta pm = c.meta(parent);
    BlobMeta.Item m = pm.item(nameOf(it.key));
    return new Entry(it.key, nameOf(it.key), it.folder, it.folder ? 0 : it.size, it.modified, ownerOf(it.key, pm),
        parent, m == null ? Map.of() : m.props);
  }

  private static String ownerOf(String k, BlobMeta parentMeta) {
    BlobMeta.Item it = parentMeta.item(nameOf(k));
    return it != null && it.owner != null ? it.owner : driveOf(k);
  }

  /** The key an id names, or null when it is not one of ours (never the share index, never a sidecar). */
  private static String keyOfId(String id) {
    if (id == null || id.isEmpty()) {
      return null;
    }
    for (String seg : id.split("/", -1)) {
      if (!plainName(seg) || reserved(seg)) {
        return null;
      }
    }
    return id;
  }

  static String driveOf(String k) {
    int i = k.indexOf('/');
    return i < 0 ? k : k.substring(0, i);
  }

  static boolean isTop(String k) {
    return k.indexOf('/') < 0;
  }

  static String parentOf(String k) {
    return k.substring(0, k.lastIndexOf('/'));
  }

  static String nameOf(String k) {
    return k.substring(k.lastIndexOf('/') + 1);
  }

  static String child(String dir, String name) {
    return dir + "/" + name;
  }

  static boolean reserved(String name) {
    return name.startsWith(RESERVED_PREFIX);
  }

  static boolean plainName(String n) {
    return n != null && !n.isEmpty() && !n.equals(".") && !n.equals("..") && n.indexOf('/') < 0
        && n.indexOf('\\') < 0 && n.indexOf('\0') < 0;
  }

  private static void checkName(String name) throws StorageException {
    if (!plainName(name)) {
      throw new StorageException(Kind.INVALID, "not a valid item name: '" + printable(name) + "'");
    }
    if (reserved(name)) {
      throw new StorageException(Kind.INVALID, "'" + printable(name) + "' is reserved for the transport");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new StorageException(Kind.INVALID, "name longer than " + MAX_NAME_BYTES + " bytes: '"
          + printable(name).substring(0, 40) + "...'");
    }
  }

  private static String printable(String s) {
    return s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
  }

  // ------------------------------------------------------------------ sidecars

  /** Sidecars read during one operation, so an access check reads each at most once. */
  private final class Ctx {
    private final Map<String, BlobMeta> metas = new HashMap<>();

    BlobMeta meta(String dir) throws IOException {
      BlobMeta m = metas.get(dir);
      if (m == null) {
        m = readMeta(dir);
        metas.put(dir, m);
      }
      return m;
    }

    /** Re-reads a sidecar (under its lock, before changing it). */
    BlobMeta refresh(String dir) throws IOException {
      metas.remove(dir);
      return meta(dir);
    }
  }

  private BlobMeta readMeta(String dir) throws IOException {
    String k = child(dir, META);
    byte[] data;
    try (InputStream in = store.get(k)) {
      data = in.readNBytes((int) MAX_META_BYTES + 1);
    } catch (StorageException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return new BlobMeta();
      }
      throw e;
    }
    if (data.length > MAX_META_BYTES) {
      log.warn("ignoring oversized sidecar {}", k);
      return new BlobMeta();
    }
    try {
      BlobMeta m = JSON.readValue(data, BlobMeta.class);
      return m == null ? new BlobMeta() : m.normalized();
    } catch (RuntimeException e) {
      log.warn("ignoring unreadable sidecar {}: {}", k, e.toString());
      return new BlobMeta();
    }
  }

  /** Replaces a folder's sidecar (caller holds the folder lock); an empty one is removed. */
  private void writeMeta(String dir, BlobMeta meta) throws IOException {
    String k = child(dir, META);
    if (meta.isEmpty()) {
      store.delete(k);
    } else {
      store.put(k, new ByteArrayInputStream(JSON.writeValueAsBytes(meta)), false);
    }
  }

  // ------------------------------------------------------------------ locks and errors

  @FunctionalInterface
  private interface IoCall<T> {
    T run() throws IOException;
  }

  /** Runs {@code call} holding the in-process locks of {@code dirs}, taken in a fixed order. */
  private <T> T locked(List<String> dirs, IoCall<T> call) throws IOException {
    TreeSet<Integer> stripes = new TreeSet<>();
    for (String d : dirs) {
      stripes.add(Math.floorMod((description + "|" + d).hashCode(), STRIPES.length));
    }
    List<ReentrantLock> held = new ArrayList<>();
    try {
      for (int s : stripes) {
        STRIPES[s].lock();
        held.add(STRIPES[s]);
      }
      return call.run();
    } finally {
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
    }
  }

  private <T> T guard(String what, IoCall<T> call) throws IOException {
    try {
      return call.run();
    } catch (StorageException e) {
      throw e;
    } catch (IOException e) {
      throw new StorageException(Kind.TRANSIENT, "cannot " + what + " on " + description + ": " + e.getMessage(), e);
    } catch (tools.jackson.core.JacksonException e) {
      throw new StorageException(Kind.INVALID, "cannot " + what + ": " + e.getOriginalMessage(), e);
    }
  }

  private static StorageException notFound(Entry e) {
    return new StorageException(Kind.NOT_FOUND, "'" + e.name() + "' does not exist or is not shared with you");
  }

  private StorageException forbidden(String what) {
    return new StorageException(Kind.FORBIDDEN, me + " may not " + what);
  }

  private static String encodeToken(String name) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) throws StorageException {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new StorageException(Kind.INVALID, "not a page token of this store: " + token);
    }
  }

  @Override
  public void close() throws IOException {
    if (closeStore) {
      try {
        store.close();
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }

  @Override
  public String toString() {
    return "BlobStorage[" + me + " @ " + description + "]";
  }
}
