package dev.syft.core.internal;

import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.UnsafePathException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A datasite tree on disk (the own datasite or a peer's replica). Every write goes through {@link
 * #resolve}, which refuses paths that escape the tree, including through symbolic links, and is
 * atomic (temporary file in the same folder, fsync, rename).
 */
public final class LocalTree {
  /** Prefix of our temporary files; scans skip them. */
  static final String TEMP_PREFIX = dev.syft.protocol.DatasitePaths.TEMP_PREFIX;
  /**
   * Our temporary files carry the process id, so a scan can tell the leftovers of a process killed
   * mid-write (they used to stay forever; InterruptedApplyTest) from a write in progress in this one.
   * The home lock keeps every other live process out of the tree.
   */
  private static final String OWN_TEMP = TEMP_PREFIX + ProcessHandle.current().pid() + "-";

  private final Path root;

  public LocalTree(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /**
   * Resolves a datasite-relative path inside the tree.
   *
   * @throws UnsafePathException if the path is unsafe or any existing folder on the way is a link
   */
  public Path resolve(String relative) {
    String norm = DatasitePaths.normalize(relative);
    Path p = root.resolve(norm).normalize();
    if (!p.startsWith(root)) {
      throw new UnsafePathException("path escapes the datasite: " + DatasitePaths.printable(relative));
    }
    // A link anywhere below the root could point outside it; refuse to follow one.
    Path cur = root;
    for (Path part : root.relativize(p)) {
      cur = cur.resolve(part);
      if (Files.isSymbolicLink(cur)) {
        throw new UnsafePathException("path goes through a symbolic link: " + DatasitePaths.printable(relative));
      }
    }
    return p;
  }

  /** One file seen by a scan. */
  public record Seen(String path, long size, long mtime) {}

  /**
   * Lists every regular file below the root whose relative path passes {@code include}, skipping
   * temporary files and links. Sorted by path.
   *
   * <p>A root that is missing, not a folder, a link, or unreadable, and a folder below it that cannot
   * be read, fail the scan: an empty result would read as "every file was deleted" and propagate to
   * every peer. Only items that vanish while the scan runs are skipped.
   *
   * @throws IOException naming the root or folder that could not be read
   */
  public Map<String, Seen> scan(Predicate<String> include) throws IOException {
    requireRoot();
    Map<String, Seen> out = new TreeMap<>();
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(root) && (attrs.isSymbolicLink() || dir.getFileName().toString().startsWith(TEMP_PREFIX))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String name = file.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX) && !name.startsWith(OWN_TEMP)) {
          try {
            Files.deleteIfExists(file); // left by a process that died mid-write
          } catch (IOException e) {
            // harmless: invisible to scans, retried next time
          }
          return FileVisitResult.CONTINUE;
        }
        if (!attrs.isRegularFile() || name.startsWith(TEMP_PREFIX)) {
          return FileVisitResult.CONTINUE;
        }
        String rel = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        if (DatasitePaths.isSafe(rel) && include.test(rel)) {
          out.put(rel, new Seen(rel, attrs.size(), attrs.lastModifiedTime().toMillis()));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException && !file.equals(root)) {
          return FileVisitResult.CONTINUE; // vanished while scanning: the next scan sees the truth
        }
        throw unreadable(file, exc);
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null && !(exc instanceof NoSuchFileException && !dir.equals(root))) {
          throw unreadable(dir, exc); // listing stopped half-way: the rest would look deleted
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return out;
  }

  /** True when the root is a real folder (not a link, not a file). */
  public boolean rootExists() {
    return Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Fails unless the root is a readable folder of its own: missing, a file, a link elsewhere, or
   * unreadable are all refused with a message naming the problem.
   */
  public void requireRoot() throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(root.toString(), null, "the folder does not exist (renamed, moved or deleted?)");
    }
    if (a.isSymbolicLink()) {
      throw new java.nio.file.FileSystemException(root.toString(), null, "is a symbolic link, not a folder");
    }
    if (!a.isDirectory()) {
      throw new java.nio.file.NotDirectoryException(root.toString());
    }
    if (!Files.isReadable(root) || !Files.isExecutable(root)) {
      throw new java.nio.file.AccessDeniedException(root.toString(), null, "the folder cannot be read");
    }
  }

  private static IOException unreadable(Path p, IOException e) {
    String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
        : e instanceof NoSuchFileException ? "does not exist" : e.getMessage();
    return new IOException("cannot read " + p + ": " + why, e);
  }

  /**
   * The modification time to store in an index entry. A file modified within the last two seconds
   * could change again within the same timestamp tick without its size changing, so such entries get
   * -1 and are hashed again on the next scan (git's "racily clean" rule). Uses the real clock on
   * purpose: file times come from the file system, not from the injected clock.
   */
  static long indexMtime(long mtimeMillis) {
    return System.currentTimeMillis() - mtimeMillis < 2000 ? -1 : mtimeMillis;
  }

  /** Reads a file of the tree. */
  public byte[] read(String relative) throws IOException {
    return Files.readAllBytes(resolve(relative));
  }

  /** Lowercase hex SHA-256 of a file, streamed. */
  public String hash(String relative) throws IOException {
    try (InputStream in = Files.newInputStream(resolve(relative), LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest md = sha256();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    }
  }

  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a file atomically and durably and returns its size and modification time after the write. */
  public Seen write(String relative, byte[] content) throws IOException {
    return write(relative, content, true);
  }

  /**
   * Writes a file atomically; {@code durable} also forces it to disk first (skipped for bulk restores
   * that can simply be repeated after a crash).
   */
  public Seen write(String relative, byte[] content, boolean durable) throws IOException {
    return write(relative, new java.io.ByteArrayInputStream(content), durable);
  }

  /** Writes a file atomically from a stream (any size; memory stays at one buffer). */
  public Seen write(String relative, InputStream content, boolean durable) throws IOException {
    Path target = resolve(relative);
    Path dir = target.getParent();
    // never re-create a root that went away: the files would land where nobody expects them, and
    // the next scan would see every other file as deleted
    requireRoot();
    Files.createDirectories(dir);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new UnsafePathException("a folder is in the way of file " + DatasitePaths.printable(relative));
    }
    Path tmp = dir.resolve(OWN_TEMP + UUID.randomUUID());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] chunk = new byte[64 * 1024];
        for (int n; (n = content.read(chunk)) >= 0; ) {
          java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(chunk, 0, n);
          while (buf.hasRemaining()) {
            ch.write(buf);
          }
        }
        if (durable) {
          ch.force(true);
        }
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return new Seen(DatasitePaths.normalize(relative), a.size(), a.lastModifiedTime().toMillis());
  }

  /** Deletes a file and then any folders it leaves empty (up to the root). Missing files are fine. */
  public boolean delete(String relative) throws IOException {
    Path target = resolve(relative);
    boolean existed = Files.deleteIfExists(target);
    pruneEmptyParents(target.getParent());
    return existed;
  }

  /** Moves a file of this tree to {@code dest} (outside it, e.g. the revoked area). */
  public void moveOut(String relative, Path dest) throws IOException {
    Path src = resolve(relative);
    if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.createDirectories(dest.getParent());
    Files.move(src, dest, StandardCopyOption.REPLACE_EXISTING);
    pruneEmptyParents(src.getParent());
  }

  /** Deletes {@code dir} and its parents up to the root while they are empty. */
  void pruneEmptyParents(Path dir) throws IOException {
    while (dir != null && dir.startsWith(root) && !dir.equals(root)) {
      try (var s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          return;
        }
      } catch (NoSuchFileException e) {
        dir = dir.getParent();
        continue;
      }
      Files.deleteIfExists(dir);
      dir = dir.getParent();
    }
  }
}
