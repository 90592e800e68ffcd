package dev.syft.transport.local;

import dev.syft.transport.Capabilities;
import dev.syft.transport.Entry;
import dev.syft.transport.Page;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.Watcher;
import dev.syft.transport.WriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link Storage} over a folder on disk shared by several users: a plain local folder (several
 * clients on one machine) or one synchronised by Dropbox, OneDrive or Syncthing.
 *
 * <p>The root holds one folder per user, named by e-mail: that user's drive and top folder. Ids are
 * paths relative to the root. Ownership is the drive's, except for items another user put there
 * (recorded in the folder's sidecar {@code .syft-meta.json}, together with grants and properties).
 * Sharing is enforced by this class, so the engine sees Drive's rules; a local user who bypasses the
 * API can read anything the file system lets them (end-to-end signatures address that).
 *
 * <p>Writes go to a hidden temporary file in the target folder, are forced to disk and then
 * published under their name in one step: a hard link for {@code CREATE} (fails if the name exists:
 * conditional create), an atomic rename for {@code REPLACE}. Listings never show temporary files,
 * sidecars or sync-client artefacts. Thread-safe, and safe between processes on one machine.
 */
public final class LocalStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(LocalStorage.class);
  static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final String ROOT_NAME = "SyftBox";

  private final Path root;
  private final String me;
  private final Path drive;
  private final LocalOptions options;
  private final ShareIndex shares;
  private final Capabilities capabilities;
  private final java.time.Clock clock;

  /**
   * A temporary file untouched this long is the leftover of a writer that was killed: a live one keeps
   * writing to it and publishes it within moments. Such files are swept (see {@link #sweepTemps}).
   */
  static final java.time.Duration STALE_TEMP = java.time.Duration.ofHours(1);

  private LocalStorage(Path root, String me, LocalOptions options, java.time.Clock clock) {
    this.root = root;
    this.me = me;
    this.clock = clock;
    this.drive = root.resolve(me);
    this.options = options;
    this.shares = new ShareIndex(root);
    Optional<Watcher> watcher = options.watch() == LocalOptions.WatchMode.NONE
        ? Optional.empty() : Optional.of(new LocalWatcher(this, options));
    this.capabilities = new Capabilities(true, Optional.empty(), watcher, true);
  }

  /** Opens the existing shared folder {@code root} as {@code email}, with default options. */
  public static LocalStorage open(Path root, String email) throws IOException {
    return open(root, email, LocalOptions.defaults());
  }

  /**
   * Opens the existing shared folder {@code root} as {@code email}. A missing root is never created
   * here: it is an unmounted disk, a sync client that is not running, or a typo, and a client writing
   * into a new empty folder would write where nobody reads.
   *
   * @throws StorageException ({@code TRANSIENT}: it may come back) when {@code root} is not a folder
   */
  public static LocalStorage open(Path root, String email, LocalOptions options) throws IOException {
    return open(root, email, options, java.time.Clock.systemUTC());
  }

  /** Opens with the clock that decides when a temporary file is stale (tests). */
  static LocalStorage open(Path root, String email, LocalOptions options, java.time.Clock clock) throws IOException {
    String id = LocalNames.identity(email);
    Path abs = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      throw unreachable(abs);
    }
    LocalStorage s = new LocalStorage(abs.toRealPath(), id, options, clock);
    s.sweepTemps();
    return s;
  }

  /**
   * Deletes the stale temporary files ({@link #STALE_TEMP}) of writers killed mid-write in this
   * user's drive (outboxes, archives, rolling state, ...) and in the share index. Runs on open;
   * folders elsewhere are swept when they are listed by someone who may write them. Returns how many
   * were removed.
   */
  int sweepTemps() {
    int[] removed = {0};
    for (Path top : List.of(drive, root.resolve(LocalNames.SHARES_DIR))) {
      if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
            if (file.getFileName().toString().startsWith(LocalNames.TMP_PREFIX) && staleTemp(file, a)) {
              removed[0]++;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            return FileVisitResult.CONTINUE; // vanished or unreadable: not ours to judge now
          }
        });
      } catch (IOException e) {
        log.debug("sweeping temporary files under {}: {}", top, e.toString());
      }
    }
    if (removed[0] > 0) {
      log.info("removed {} temporary file(s) left by interrupted writes under {}", removed[0], root);
    }
    return removed[0];
  }

  /** Deletes {@code file} when it is a regular temporary file older than {@link #STALE_TEMP}; true if it did. */
  private boolean staleTemp(Path file, BasicFileAttributes a) {
    if (!a.isRegularFile() || !a.lastModifiedTime().toInstant().isBefore(clock.instant().minus(STALE_TEMP))) {
      return false;
    }
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      log.debug("cannot remove the stale temporary file {}: {}", file, e.toString());
      return false;
    }
  }

  /** Sweeps stale temporary names seen while listing {@code dir}, where this user may write. */
  private void sweepListed(Path dir, List<String> temps) throws IOException {
    if (temps.isEmpty() || !canWrite(dir)) {
      return;
    }
    for (String t : temps) {
      BasicFileAttributes a = attrs(dir.resolve(t));
      if (a != null) {
        staleTemp(dir.resolve(t), a);
      }
    }
  }

  /** Creates the shared folder {@code root} when missing ({@code syft init}, tests) and opens it. */
  public static LocalStorage create(Path root, String email) throws IOException {
    return create(root, email, LocalOptions.defaults());
  }

  /** Creates the shared folder {@code root} when missing and opens it. */
  public static LocalStorage create(Path root, String email, LocalOptions options) throws IOException {
    LocalNames.identity(email);
    Files.createDirectories(root.toAbsolutePath().normalize());
    return open(root, email, options);
  }

  private static StorageException unreachable(Path root) {
    return new StorageException(Kind.TRANSIENT, "transport unreachable: shared folder " + root
        + (Files.exists(root) ? " is not a folder" : " does not exist")
        + " (is the disk or sync folder mounted? 'syft init' creates it for a new client)");
  }

  /** The shared root folder. */
  public Path rootPath() {
    return root;
  }

  public LocalOptions options() {
    return options;
  }

  @Override
  public String identity() {
    return me;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  // ------------------------------------------------------------------ folders

  @Override
  public Entry root() throws IOException {
    return guard("open the top folder", () -> {
      Files.createDirectories(drive);
      return entry(drive);
    });
  }

  @Override
  public List<Entry> findFolders(Entry parent, String name) throws IOException {
    return guard("search " + parent.name(), () -> {
      Path dir = visibleFolder(parent);
      if (!plainName(name)) {
        return List.of();
      }
      Path p = dir.resolve(name);
      return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? List.of(entry(p)) : List.of();
    });
  }

  @Override
  public List<Entry> findFiles(Entry parent, String name) throws IOException {
    return guard("search " + parent.name(), () -> {
      Path dir = visibleFolder(parent);
      if (!plainName(name)) {
        return List.of();
      }
      Path p = dir.resolve(name);
      return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? List.of(entry(p)) : List.of();
    });
  }

  @Override
  public List<Entry> findFoldersContaining(Entry parent, String fragment) throws IOException {
    return guard("search " + parent.name(), () -> {
      Path dir = visibleFolder(parent);
      Meta meta = readMeta(dir);
      List<Entry> out = new ArrayList<>();
      for (String n : childNames(dir)) {
        if (n.contains(fragment)) {
          Path p = dir.resolve(n);
          BasicFileAttributes a = attrs(p);
          if (a != null && a.isDirectory()) {
            out.add(entry(p, a, meta));
          }
        }
      }
      return out;
    });
  }

  @Override
  public Entry ensureFolder(Entry parent, String name) throws IOException {
    LocalNames.check(name);
    return guard("create folder " + name, () -> {
      Path dir = writableFolder(parent);
      Path p = dir.resolve(name);
      return FolderLocks.with(dir, () -> {
        Meta meta = readMeta(dir);
        BasicFileAttributes a = attrs(p);
        if (a != null) {
          if (a.isDirectory() && me.equals(ownerOf(p, meta))) {
            return entry(p, a, meta);
          }
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name + "' already exists in '" + parent.name()
              + "' and belongs to " + ownerOf(p, meta) + (a.isDirectory() ? "" : " (a file)"));
        }
        if (!me.equals(driveOf(dir))) {
          meta.itemForUpdate(name).owner = me;
          writeMeta(dir, meta);
        }
        Files.createDirectory(p);
        syncDir(dir);
        return entry(p, attrs(p), meta);
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
      Path dir = visibleFolder(folder);
      Meta meta = readMeta(dir);
      List<String> names = childNames(dir);
      int start = 0;
      if (after != null) {
        while (start < names.size() && names.get(start).compareTo(after) <= 0) {
          start++;
        }
      }
      List<Entry> page = new ArrayList<>();
      int i = start;
      String last = null;
      for (; i < names.size() && page.size() < pageSize; i++) {
        Path p = dir.resolve(names.get(i));
        BasicFileAttributes a = lstat(p);
        if (a != null) {
          // a symbolic link (or pipe, device...) is listed as a file, from its own attributes, so a
          // caller can refuse and remove it; reading it is refused, it is never followed
          page.add(entry(p, a, meta));
        }
        last = names.get(i);
      }
      String next = i < names.size() && last != null ? encodeToken(last) : null;
      return new Page(page, next);
    });
  }

  // ------------------------------------------------------------------ files

  @Override
  public Optional<Entry> stat(String id) throws IOException {
    return guard("look up " + id, () -> {
      Path p = pathOfId(id);
      if (p == null) {
        return Optional.empty();
      }
      BasicFileAttributes a = attrs(p);
      if (a == null || !(a.isDirectory() || a.isRegularFile()) || !canSee(p)) {
        return Optional.empty();
      }
      return Optional.of(entry(p));
    });
  }

  @Override
  public InputStream read(Entry file) throws IOException {
    return guard("read " + file.name(), () -> {
      Path p = visibleSpecial(file);
      if (p != null) {
        throw new StorageException(Kind.INVALID, "'" + file.name() + "' " + describeSpecial(p) + ", not a file: refused");
      }
      p = visibleItem(file);
      BasicFileAttributes a = attrs(p);
      if (a == null) {
        throw notFound(file);
      }
      if (!a.isRegularFile()) {
        throw new StorageException(Kind.INVALID, "'" + file.name() + "' is a folder, not a file");
      }
      // an open file keeps its content even if it is replaced (rename) while being read
      return Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS);
    });
  }

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    LocalNames.check(name);
    return guard("write " + name, () -> {
      Path dir = writableFolder(folder);
      Path tmp = dir.resolve(LocalNames.TMP_PREFIX + UUID.randomUUID());
      try {
        copyToDisk(content, tmp);
        Path target = dir.resolve(name);
        return FolderLocks.with(dir, () -> publish(dir, tmp, target, name, mode));
      } finally {
        Files.deleteIfExists(tmp);
      }
    });
  }

  private Entry publish(Path dir, Path tmp, Path target, String name, WriteMode mode) throws IOException {
    Meta meta = readMeta(dir);
    BasicFileAttributes existing = attrs(target);
    boolean foreign = !me.equals(driveOf(dir));
    if (existing != null && (mode == WriteMode.CREATE || existing.isDirectory())) {
      throw new StorageException(Kind.ALREADY_EXISTS, "'" + name + "' already exists in '" + dir.getFileName() + "'");
    }
    if (existing == null && foreign) {
      // the owner record is in place before the name appears, so nobody sees the file as the drive's
      meta.itemForUpdate(name).owner = me;
      writeMeta(dir, meta);
    }
    try {
      if (mode == WriteMode.CREATE) {
        createNoReplace(tmp, target);
      } else {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      if (existing == null && foreign) {
        meta.itemForUpdate(name).owner = null;
        meta.prune(name);
        writeMeta(dir, meta);
      }
      throw e;
    }
    syncDir(dir);
    return entry(target, attrs(target), meta);
  }

  /** Publishes {@code tmp} as {@code target} only if {@code target} does not exist, atomically. */
  private void createNoReplace(Path tmp, Path target) throws IOException {
    try {
      Files.createLink(target, tmp);
      return;
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(Kind.ALREADY_EXISTS, "'" + target.getFileName() + "' already exists");
    } catch (UnsupportedOperationException | FileSystemException e) {
      if (e instanceof FileSystemException f && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new StorageException(Kind.ALREADY_EXISTS, "'" + target.getFileName() + "' already exists", f);
      }
      log.debug("hard links unavailable in {} ({}); publishing under the folder lock", target.getParent(), e.toString());
    }
    // no hard links (FAT, some network shares): exclusive under our folder lock, not against outsiders
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new StorageException(Kind.ALREADY_EXISTS, "'" + target.getFileName() + "' already exists");
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private void copyToDisk(InputStream content, Path tmp) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[1 << 16];
      ByteBuffer bb = ByteBuffer.wrap(buf);
      for (int n; (n = content.read(buf)) >= 0; ) {
        bb.clear().limit(n);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
      }
      if (options.fsync()) {
        ch.force(true);
      }
    }
    // the kernel's file clock is coarse (milliseconds); stamp each version with a distinct, precise
    // time so two versions of equal size are told apart (RetryingStorage resumes reads on that basis)
    Files.setLastModifiedTime(tmp, FileTime.from(nextStamp()));
  }

  private static final AtomicLong LAST_STAMP = new AtomicLong();

  private static Instant nextStamp() {
    Instant now = Instant.now();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    long stamp = LAST_STAMP.accumulateAndGet(micros, (prev, cur) -> Math.max(prev + 1, cur));
    return Instant.ofEpochSecond(stamp / 1_000_000L, (stamp % 1_000_000L) * 1_000L);
  }

  // ------------------------------------------------------------------ move and delete

  @Override
  public Entry move(Entry item, Entry newParent) throws IOException {
    return guard("move " + item.name(), () -> {
      Path link = visibleSpecial(item);
      if (link != null) {
        // never carried elsewhere (into the mover's own drive, say): removed where it is
        String what = describeSpecial(link);
        removeSpecial(link, item);
        throw new StorageException(Kind.INVALID, "'" + item.name() + "' " + what
            + ", not a file: removed from '" + link.getParent().getFileName() + "' instead of moved");
      }
      Path p = visibleItem(item);
      BasicFileAttributes a = attrs(p);
      if (a == null) {
        throw notFound(item);
      }
      Path target = visibleFolder(newParent);
      Path from = p.getParent();
      if (target.equals(from)) {
        return entry(p);
      }
      if (a.isDirectory()) {
        throw new StorageException(Kind.INVALID, "the local transport moves files, not folders ('" + item.name() + "')");
      }
      if (!canWrite(from)) {
        throw forbidden("move '" + item.name() + "' out of '" + from.getFileName() + "'");
      }
      if (!canWrite(target)) {
        throw forbidden("move '" + item.name() + "' into '" + newParent.name() + "'");
      }
      String name = p.getFileName().toString();
      Path dest = target.resolve(name);
      return FolderLocks.with(List.of(from, target), () -> {
        Meta src = readMeta(from);
        Meta dst = readMeta(target);
        if (attrs(p) == null) {
          throw notFound(item);
        }
        if (attrs(dest) != null) {
          throw new StorageException(Kind.ALREADY_EXISTS, "'" + name + "' already exists in '" + newParent.name() + "'");
        }
        String owner = ownerOf(p, src);
        Meta.Item moved = src.item(name);
        Meta.Item carried = dst.itemForUpdate(name);
        carried.owner = owner.equals(driveOf(target)) ? null : owner;
        if (moved != null) {
          carried.shares.putAll(moved.shares);
          carried.props.putAll(moved.props);
        }
        dst.prune(name);
        writeMeta(target, dst);
        Files.move(p, dest, StandardCopyOption.ATOMIC_MOVE);
        src.items.remove(name);
        writeMeta(from, src);
        if (moved != null) {
          for (String grantee : moved.shares.keySet()) {
            shares.remove(grantee, idOf(p));
            shares.add(grantee, idOf(dest), owner);
          }
        }
        syncDir(from);
        syncDir(target);
        return entry(dest, attrs(dest), dst);
      });
    });
  }

  @Override
  public void delete(Entry item) throws IOException {
    guard("delete " + item.name(), () -> {
      Path link = visibleSpecial(item);
      if (link != null) {
        removeSpecial(link, item);
        return null;
      }
      Path p = pathOfId(item.id());
      if (p == null || attrs(p) == null) {
        return null; // already gone
      }
      if (!canSee(p)) {
        throw notFound(item);
      }
      Path parent = p.getParent();
      boolean isRoot = p.equals(drive) || parent.equals(root);
      Meta parentMeta = isRoot ? new Meta() : readMeta(parent);
      String owner = isRoot ? driveOf(p) : ownerOf(p, parentMeta);
      if (!me.equals(owner)) {
        throw forbidden("delete '" + item.name() + "' (owned by " + owner + ")");
      }
      if (isRoot) {
        deleteTree(p);
        return null;
      }
      FolderLocks.with(parent, () -> {
        Meta meta = readMeta(parent);
        String name = p.getFileName().toString();
        Meta.Item it = meta.item(name);
        if (it != null) {
          for (String grantee : it.shares.keySet()) {
            shares.remove(grantee, idOf(p));
          }
        }
        deleteTree(p);
        meta.items.remove(name);
        writeMeta(parent, meta);
        syncDir(parent);
        return null;
      });
      return null;
    });
  }

  /** Deletes a file or a folder with everything below it, dropping the share markers inside. */
  private void deleteTree(Path p) throws IOException {
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(p);
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Meta m = readMeta(dir);
        for (String grantee : m.shares.keySet()) {
          shares.remove(grantee, idOf(dir));
        }
        for (Map.Entry<String, Meta.Item> e : m.items.entrySet()) {
          for (String grantee : e.getValue().shares.keySet()) {
            shares.remove(grantee, idOf(dir.resolve(e.getKey())));
          }
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw exc;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        try {
          Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException racing) {
          // a writer added something meanwhile: sweep once more
          deleteTree(dir);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }

  // ------------------------------------------------------------------ sharing

  @Override
  public void share(Entry folder, String user, Role role) throws IOException {
    String grantee = LocalNames.identity(user);
    guard("share " + folder.name(), () -> {
      Path p = ownedItem(folder, "share");
      if (grantee.equals(me)) {
        return null;
      }
      boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
      Path metaDir = isDir ? p : p.getParent();
      FolderLocks.with(metaDir, () -> {
        Meta meta = readMeta(metaDir);
        Map<String, String> grants = isDir ? meta.shares : meta.itemForUpdate(p.getFileName().toString()).shares;
        String old = grants.get(grantee);
        if (!Role.WRITER.name().equals(old) && !role.name().equals(old)) {
          grants.put(grantee, role.name());
          writeMeta(metaDir, meta);
        }
        shares.add(grantee, idOf(p), me);
        return null;
      });
      return null;
    });
  }

  @Override
  public void unshare(Entry folder, String user) throws IOException {
    String grantee = LocalNames.identity(user);
    guard("unshare " + folder.name(), () -> {
      Path p = ownedItem(folder, "unshare");
      boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
      Path metaDir = isDir ? p : p.getParent();
      FolderLocks.with(metaDir, () -> {
        Meta meta = readMeta(metaDir);
        Map<String, String> grants = isDir ? meta.shares : meta.itemForUpdate(p.getFileName().toString()).shares;
        if (grants.remove(grantee) != null) {
          if (!isDir) {
            meta.prune(p.getFileName().toString());
          }
          writeMeta(metaDir, meta);
        }
        shares.remove(grantee, idOf(p));
        return null;
      });
      return null;
    });
  }

  @Override
  public Map<String, Role> sharedWith(Entry folder) throws IOException {
    return guard("read grants of " + folder.name(), () -> {
      Path p = visibleItem(folder);
      Map<String, String> grants;
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        grants = readMeta(p).shares;
      } else {
        Meta.Item it = readMeta(p.getParent()).item(p.getFileName().toString());
        grants = it == null ? Map.of() : it.shares;
      }
      Map<String, Role> out = new LinkedHashMap<>();
      grants.forEach((u, r) -> out.put(u, Role.valueOf(r)));
      return out;
    });
  }

  @Override
  public List<Entry> findSharedWithMe(String fragment) throws IOException {
    return guard("search shared folders", () -> {
      TreeMap<String, Entry> found = new TreeMap<>();
      for (Path top : sharedRoots()) {
        if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        collectSharedFolders(top, fragment, found);
      }
      List<Entry> out = new ArrayList<>(found.values());
      out.sort(Comparator.comparing(Entry::name).thenComparing(Entry::id));
      return out;
    });
  }

  /** The shared folders under (and including) {@code top} that match, walking folders only. */
  private void collectSharedFolders(Path top, String fragment, Map<String, Entry> found) throws IOException {
    List<Path> stack = new ArrayList<>(List.of(top));
    while (!stack.isEmpty()) {
      Path dir = stack.remove(stack.size() - 1);
      Entry e = entry(dir);
      if (!me.equals(e.owner()) && e.name().contains(fragment)) {
        found.put(e.id(), e);
      }
      for (String n : childNames(dir)) {
        Path c = dir.resolve(n);
        if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
          stack.add(c);
        }
      }
    }
  }

  /** Items other users shared with me, verified against their sidecars. */
  private List<Path> sharedRoots() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String id : shares.idsFor(me)) {
      Path p = pathOfId(id);
      if (p != null && !me.equals(driveOf(p)) && attrs(p) != null && canSee(p)) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public List<Entry> findFilesOwnedBy(String owner, String name) throws IOException {
    String o = LocalNames.identity(owner);
    return guard("search " + name, () -> {
      if (!plainName(name)) {
        return List.of();
      }
      TreeMap<String, Entry> found = new TreeMap<>();
      List<Path> tops = new ArrayList<>(sharedRoots());
      if (Files.isDirectory(drive)) {
        tops.add(drive);
      }
      for (Path top : tops) {
        if (Files.isRegularFile(top, LinkOption.NOFOLLOW_LINKS)) {
          if (top.getFileName().toString().equals(name)) {
            addIfOwned(top, o, found);
          }
          continue;
        }
        List<Path> stack = new ArrayList<>(List.of(top));
        while (!stack.isEmpty()) {
          Path dir = stack.remove(stack.size() - 1);
          Path candidate = dir.resolve(name);
          if (Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
            addIfOwned(candidate, o, found);
          }
          for (String n : childNames(dir)) {
            Path c = dir.resolve(n);
            if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
              stack.add(c);
            }
          }
        }
      }
      List<Entry> out = new ArrayList<>(found.values());
      out.sort(Comparator.comparing(Entry::name).thenComparing(Entry::id));
      return out;
    });
  }

  private void addIfOwned(Path file, String owner, Map<String, Entry> found) throws IOException {
    Entry e = entry(file);
    if (owner.equals(e.owner()) && canSee(file)) {
      found.put(e.id(), e);
    }
  }

  @Override
  public Entry setAppProperty(Entry item, String key, String value) throws IOException {
    if (key == null || key.isEmpty()) {
      throw new StorageException(Kind.INVALID, "app property key is empty");
    }
    return guard("set a property of " + item.name(), () -> {
      Path p = ownedItem(item, "change properties of");
      boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
      Path metaDir = isDir ? p : p.getParent();
      FolderLocks.with(metaDir, () -> {
        Meta meta = readMeta(metaDir);
        String name = p.getFileName().toString();
        Map<String, String> props = isDir ? meta.props : meta.itemForUpdate(name).props;
        if (value == null) {
          props.remove(key);
        } else {
          props.put(key, value);
        }
        if (!isDir) {
          meta.prune(name);
        }
        writeMeta(metaDir, meta);
        return null;
      });
      return entry(p);
    });
  }

  // ------------------------------------------------------------------ access rules

  /** Everything in my drive, anything I own, anything below a grant to me. */
  boolean canSee(Path p) throws IOException {
    if (me.equals(driveOf(p))) {
      return true;
    }
    Path driveRoot = root.resolve(driveOf(p));
    Path cur = p;
    Meta parentMeta = cur.equals(driveRoot) ? new Meta() : readMeta(cur.getParent());
    Meta.Item self = parentMeta.item(cur.getFileName().toString());
    if (self != null && (me.equals(self.owner) || self.shares.containsKey(me))) {
      return true;
    }
    while (!cur.equals(driveRoot)) {
      if (Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS) && readMeta(cur).shares.containsKey(me)) {
        return true;
      }
      Path parent = cur.getParent();
      if (!parent.equals(driveRoot)) {
        Meta.Item up = readMeta(parent.getParent()).item(parent.getFileName().toString());
        if (up != null && me.equals(up.owner)) {
          return true;
        }
      }
      cur = parent;
    }
    return false;
  }

  /** My drive, folders I own, or below a writer grant to me. */
  private boolean canWrite(Path dir) throws IOException {
    if (me.equals(driveOf(dir))) {
      return true;
    }
    Path driveRoot = root.resolve(driveOf(dir));
    for (Path cur = dir; !cur.equals(driveRoot); cur = cur.getParent()) {
      if (Role.WRITER.name().equals(readMeta(cur).shares.get(me))) {
        return true;
      }
      Meta.Item self = readMeta(cur.getParent()).item(cur.getFileName().toString());
      if (self != null && me.equals(self.owner)) {
        return true;
      }
    }
    return false;
  }

  private Path visibleItem(Entry e) throws IOException {
    Path p = pathOfId(e.id());
    if (p == null || attrs(p) == null || !canSee(p)) {
      throw notFound(e);
    }
    return p;
  }

  /** The path of {@code e} when it is a symbolic link or another special file this user can see, else null. */
  private Path visibleSpecial(Entry e) throws IOException {
    Path p = pathOfId(e.id());
    if (p == null || p.getParent().equals(root)) {
      return null;
    }
    BasicFileAttributes a = lstat(p);
    return a != null && special(a) && canSee(p) ? p : null;
  }

  /**
   * Removes a symbolic link or special file: only the link itself, never what it points to. Anyone
   * who may write its folder may: it is nobody's content (this API never creates one), and whoever
   * may move it out could move it away anyway.
   */
  private void removeSpecial(Path p, Entry e) throws IOException {
    Path dir = p.getParent();
    String name = p.getFileName().toString();
    if (!canWrite(dir) && !me.equals(ownerOf(p, readMeta(dir)))) {
      throw forbidden("remove '" + e.name() + "' from '" + dir.getFileName() + "'");
    }
    FolderLocks.with(dir, () -> {
      BasicFileAttributes a = lstat(p);
      if (a != null && special(a)) {
        Files.delete(p); // unlinks the link, never its target
        log.warn("removed {} {} (links are never followed)", idOf(p), describeSpecial(a));
      }
      Meta meta = readMeta(dir);
      if (meta.items.remove(name) != null) {
        writeMeta(dir, meta);
      }
      syncDir(dir);
      return null;
    });
  }

  private static String describeSpecial(Path p) throws IOException {
    BasicFileAttributes a = lstat(p);
    return a == null ? "is gone" : describeSpecial(a);
  }

  private static String describeSpecial(BasicFileAttributes a) {
    return a.isSymbolicLink() ? "is a symbolic link" : "is a special file (pipe, socket or device)";
  }

  private Path visibleFolder(Entry e) throws IOException {
    Path p = visibleItem(e);
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new StorageException(Kind.INVALID, "'" + e.name() + "' is a file, not a folder");
    }
    return p;
  }

  private Path writableFolder(Entry e) throws IOException {
    Path p = visibleFolder(e);
    if (!canWrite(p)) {
      throw forbidden("write into '" + e.name() + "'");
    }
    return p;
  }

  private Path ownedItem(Entry e, String what) throws IOException {
    Path p = visibleItem(e);
    if (p.getParent().equals(root)) {
      throw new StorageException(Kind.INVALID, "the top folder is never shared or changed");
    }
    String owner = ownerOf(p, readMeta(p.getParent()));
    if (!me.equals(owner)) {
      throw forbidden(what + " '" + e.name() + "' (owned by " + owner + ")");
    }
    return p;
  }

  // ------------------------------------------------------------------ paths, ids, entries

  String idOf(Path p) {
    Path rel = root.relativize(p);
    StringBuilder sb = new StringBuilder();
    for (Path seg : rel) {
      if (!sb.isEmpty()) {
        sb.append('/');
      }
      sb.append(seg);
    }
    return sb.toString();
  }

  /** The path of an id, or null when it is not one of ours (never outside the root, never a sidecar). */
  Path pathOfId(String id) {
    if (id == null || id.isEmpty()) {
      return null;
    }
    Path p = root;
    for (String seg : id.split("/", -1)) {
      if (!plainName(seg) || LocalNames.ignored(seg)) {
        return null;
      }
      try {
        p = p.resolve(seg);
      } catch (InvalidPathException e) {
        return null;
      }
    }
    // never through a symbolic link (it could lead outside the root); a link as the last segment is
    // itself the item (listed, never followed: its reads are refused and removing it unlinks it)
    try {
      BasicFileAttributes last = lstat(p);
      if (last != null && special(last)) {
        return p.getParent().toRealPath().equals(p.getParent()) ? p : null;
      }
      return p.toRealPath().equals(p) ? p : null;
    } catch (NoSuchFileException e) {
      return p;
    } catch (IOException e) {
      return null;
    }
  }

  String driveOf(Path p) {
    return root.relativize(p).getName(0).toString();
  }

  Path rootDir() {
    return root;
  }

  String me() {
    return me;
  }

  private String ownerOf(Path p, Meta parentMeta) {
    Meta.Item it = parentMeta.item(p.getFileName().toString());
    return it != null && it.owner != null ? it.owner : driveOf(p);
  }

  private Entry entry(Path p) throws IOException {
    BasicFileAttributes a = attrs(p);
    if (a == null) {
      throw new StorageException(Kind.NOT_FOUND, "'" + p.getFileName() + "' vanished");
    }
    boolean top = p.getParent().equals(root);
    return entry(p, a, top ? new Meta() : readMeta(p.getParent()));
  }

  private Entry entry(Path p, BasicFileAttributes a, Meta parentMeta) throws IOException {
    boolean top = p.getParent().equals(root);
    String name = top ? ROOT_NAME : p.getFileName().toString();
    String owner = top ? driveOf(p) : ownerOf(p, parentMeta);
    Map<String, String> props;
    if (a.isDirectory()) {
      props = top ? Map.of() : readMeta(p).props;
    } else {
      Meta.Item it = parentMeta.item(p.getFileName().toString());
      props = it == null ? Map.of() : it.props;
    }
    return new Entry(idOf(p), name, a.isDirectory(), a.isDirectory() ? 0 : a.size(),
        a.lastModifiedTime().toInstant(), owner, top ? null : idOf(p.getParent()), props);
  }

  /** A folder or regular file's attributes; null when missing, a symbolic link or a special file. */
  private static BasicFileAttributes attrs(Path p) throws IOException {
    BasicFileAttributes a = lstat(p);
    return a == null || special(a) ? null : a;
  }

  /** The attributes of {@code p} itself, never of what it links to; null when missing. */
  private static BasicFileAttributes lstat(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return null;
    }
  }

  private static boolean special(BasicFileAttributes a) {
    return a.isSymbolicLink() || a.isOther();
  }

  /**
   * Visible child names, sorted by UTF-16 code unit (String order). Stale temporary files met on the
   * way are swept (a killed writer's leftovers in a folder this user may write).
   */
  private List<String> childNames(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    List<String> temps = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path c : s) {
        String n = c.getFileName().toString();
        if (!LocalNames.ignored(n)) {
          names.add(n);
        } else if (n.startsWith(LocalNames.TMP_PREFIX)) {
          temps.add(n);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    sweepListed(dir, temps);
    names.sort(null);
    return names;
  }

  private static boolean plainName(String n) {
    return n != null && !n.isEmpty() && !n.equals(".") && !n.equals("..") && n.indexOf('/') < 0
        && n.indexOf('\\') < 0 && n.indexOf('\0') < 0;
  }

  // ------------------------------------------------------------------ sidecars

  Meta readMeta(Path dir) throws IOException {
    Path f = dir.resolve(LocalNames.META);
    byte[] data;
    try {
      data = Files.readAllBytes(f);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return new Meta();
    }
    try {
      Meta m = JSON.readValue(data, Meta.class);
      return m == null ? new Meta() : normalize(m);
    } catch (RuntimeException e) {
      log.warn("ignoring unreadable sidecar {}: {}", f, e.toString());
      return new Meta();
    }
  }

  private static Meta normalize(Meta m) {
    if (m.shares == null) {
      m.shares = new TreeMap<>();
    }
    if (m.props == null) {
      m.props = new TreeMap<>();
    }
    if (m.items == null) {
      m.items = new TreeMap<>();
    }
    Map<String, Meta.Item> items = new HashMap<>(m.items);
    items.forEach((k, v) -> {
      if (v == null) {
        m.items.remove(k);
      } else {
        if (v.shares == null) {
          v.shares = new TreeMap<>();
        }
        if (v.props == null) {
          v.props = new TreeMap<>();
        }
      }
    });
    return m;
  }

  /** Replaces the sidecar atomically (caller holds the folder lock); an empty one is removed. */
  private void writeMeta(Path dir, Meta meta) throws IOException {
    Path f = dir.resolve(LocalNames.META);
    if (meta.shares.isEmpty() && meta.props.isEmpty() && meta.items.isEmpty()) {
      Files.deleteIfExists(f);
      return;
    }
    Path tmp = dir.resolve(LocalNames.TMP_PREFIX + UUID.randomUUID());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(JSON.writeValueAsBytes(meta)));
        if (options.fsync()) {
          ch.force(true);
        }
      }
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void syncDir(Path dir) {
    if (!options.fsync()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      log.trace("cannot fsync folder {} ({}); not supported here", dir, e.toString());
    }
  }

  // ------------------------------------------------------------------ errors

  @FunctionalInterface
  private interface IoCall<T> {
    T run() throws IOException;
  }

  /**
   * Maps file-system failures to storage kinds, with a message naming what was attempted. Every call
   * first checks that the shared folder is still there, so one that went away (unmounted, renamed) is
   * reported as unreachable instead of being re-created by the next folder creation.
   */
  private <T> T guard(String what, IoCall<T> call) throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw unreachable(root);
    }
    try {
      return call.run();
    } catch (StorageException e) {
      throw e;
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new StorageException(Kind.NOT_FOUND, "cannot " + what + ": it does not exist or is not shared with you", e);
    } catch (FileAlreadyExistsException e) {
      throw new StorageException(Kind.ALREADY_EXISTS, "cannot " + what + ": the name is taken", e);
    } catch (AccessDeniedException e) {
      throw new StorageException(Kind.FORBIDDEN, "cannot " + what + ": the file system denied access", e);
    } catch (IOException e) {
      throw new StorageException(Kind.TRANSIENT, "cannot " + what + ": " + e.getMessage(), e);
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
  public String toString() {
    return "LocalStorage[" + me + " @ " + root + "]";
  }
}
