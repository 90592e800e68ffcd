package dev.syft.core.internal;

import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the file changes of one message to a datasite all or nothing.
 *
 * <ol>
 *   <li>{@link #stage}: every new content is written (and forced to disk) to a file of its own in
 *       a staging folder of the home ({@code .syft/staging}, the same file system as the datasite),
 *       so nothing in the tree changes while the message is read or written out;
 *   <li>{@link #check}: every target is checked against the tree as it will be once the message's
 *       own deletions are done (no folder or file in the way, no file below a file, no segment or
 *       path over the file system's limits);
 *   <li>{@link #commit}: deletions first (a scientist who replaced folder {@code d/} with file
 *       {@code d} lists the creation before the deletions), then renames, then the caller's database
 *       transaction. Replaced and deleted files are moved aside, not destroyed, until the
 *       transaction committed; any failure puts the tree back as it was.
 * </ol>
 *
 * <p>A crash in the middle of a commit leaves what a crash in the old write-then-commit order left:
 * some files new, the index old; the message is still in the inbox and re-applies as a no-op for
 * the files already in place. Staging leftovers of a dead process are swept by the next apply.
 */
final class StagedApply implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StagedApply.class);
  /** Longest file name (one path segment) in bytes on the file systems we run on (NAME_MAX). */
  static final int MAX_SEGMENT_BYTES = 255;
  /** Longest absolute path in bytes the system calls take (PATH_MAX including the terminating NUL). */
  static final int MAX_PATH_BYTES = 4095;

  /** The message cannot be applied to this tree: refuse it, the tree is unchanged. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The content of one staged file. */
  @FunctionalInterface
  interface Source {
    InputStream open() throws IOException;
  }

  /** Where a written file ended up: for the index. */
  record Written(String path, long size, long mtime) {}

  private final LocalTree tree;
  private final Path dir;
  private final Set<String> deletions = new LinkedHashSet<>();
  private final Map<String, Path> writes = new LinkedHashMap<>();
  private final Deque<Undo> undo = new ArrayDeque<>();
  private final List<Path> backups = new ArrayList<>();
  private int counter;

  private interface Undo {
    void run() throws IOException;
  }

  /** Prepares a staging folder below {@code stagingRoot}; sweeps leftovers of earlier processes. */
  StagedApply(LocalTree tree, Path stagingRoot) {
    this.tree = tree;
    sweep(stagingRoot);
    this.dir = stagingRoot.resolve(UUID.randomUUID().toString());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw DiskErrors.classify(e, stagingRoot, x -> new SyftException("staging-failed",
          "cannot create the staging folder " + stagingRoot + ": " + x.getMessage(), x));
    }
  }

  /** The home lock keeps every other process out, so whatever is in the staging root is a leftover. */
  private static void sweep(Path stagingRoot) {
    if (!Files.isDirectory(stagingRoot, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.list(stagingRoot)) {
      s.forEach(StagedApply::deleteTree);
    } catch (IOException e) {
      LOG.debug("cannot sweep {}: {}", stagingRoot, e.getMessage());
    }
  }

  /** Plans the deletion of {@code path} (normalised). */
  void delete(String path) {
    deletions.add(path);
  }

  /**
   * Writes {@code content} for {@code path} (normalised) to a staging file, durably.
   *
   * @throws SyftException with code {@value DiskErrors#CODE} when the disk is full, or another
   *     local failure: neither is the message's fault
   */
  void stage(String path, Source content) {
    Path staged = dir.resolve("w" + (counter++));
    try (InputStream in = content.open();
        FileChannel ch = FileChannel.open(staged, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream out = Channels.newOutputStream(ch);
      in.transferTo(out);
      ch.force(true);
    } catch (IOException e) {
      throw DiskErrors.classify(e, dir, x -> new SyftException("staging-failed",
          "cannot stage " + DatasitePaths.printable(path) + " in " + dir + ": " + x.getMessage(), x));
    }
    writes.put(path, staged);
  }

  /**
   * Refuses the message when a target cannot be written once its own deletions are done.
   *
   * @throws Refused with a one-line reason naming the path
   */
  void check() throws Refused {
    for (String d : deletions) {
      Path p = resolve(d);
      BasicFileAttributes a = attrs(p);
      if (a != null && a.isDirectory()) {
        throw new Refused("cannot delete " + DatasitePaths.printable(d) + ": it is a folder in the datasite");
      }
      if (a != null && !a.isRegularFile()) {
        throw new Refused("cannot delete " + DatasitePaths.printable(d) + ": it is not a regular file");
      }
    }
    for (String w : writes.keySet()) {
      checkLengths(w);
      Path target = resolve(w);
      String[] parts = w.split("/");
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < parts.length - 1; i++) {
        if (i > 0) {
          prefix.append('/');
        }
        prefix.append(parts[i]);
        String ancestor = prefix.toString();
        if (writes.containsKey(ancestor)) {
          throw new Refused("the message writes both the file " + DatasitePaths.printable(ancestor)
              + " and the file " + DatasitePaths.printable(w) + " below it");
        }
        BasicFileAttributes a = attrs(tree.root().resolve(ancestor));
        if (a == null) {
          break; // the rest of the chain is created
        }
        if (!a.isDirectory() && !(a.isRegularFile() && deletions.contains(ancestor))) {
          throw new Refused("a file is in the way of " + DatasitePaths.printable(w) + ": "
              + DatasitePaths.printable(ancestor) + " is a file, not a folder");
        }
      }
      BasicFileAttributes a = attrs(target);
      if (a != null && a.isDirectory()) {
        String left = firstSurvivor(target);
        if (left != null) {
          throw new Refused("a folder is in the way of file " + DatasitePaths.printable(w) + " (it still holds "
              + DatasitePaths.printable(left) + ")");
        }
      } else if (a != null && !a.isRegularFile()) {
        throw new Refused(DatasitePaths.printable(w) + " exists and is not a regular file");
      }
    }
  }

  private Path resolve(String path) throws Refused {
    try {
      return tree.resolve(path);
    } catch (SyftException | java.nio.file.InvalidPathException e) {
      throw new Refused(e.getMessage());
    }
  }

  private void checkLengths(String path) throws Refused {
    for (String segment : path.split("/")) {
      int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_SEGMENT_BYTES) {
        throw new Refused("a name in " + DatasitePaths.printable(shorten(path)) + " is " + bytes
            + " bytes long, above the file system's limit of " + MAX_SEGMENT_BYTES);
      }
    }
    int total = tree.root().resolve(path).toString().getBytes(StandardCharsets.UTF_8).length;
    if (total > MAX_PATH_BYTES) {
      throw new Refused("the path " + DatasitePaths.printable(shorten(path)) + " is " + total
          + " bytes long in the datasite, above the file system's limit of " + MAX_PATH_BYTES);
    }
  }

  private static String shorten(String path) {
    return path.length() > 120 ? path.substring(0, 60) + "..." + path.substring(path.length() - 40) : path;
  }

  /** A file below {@code folder} that the message does not delete, or null when only folders remain. */
  private String firstSurvivor(Path folder) throws Refused {
    try (Stream<Path> s = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        String rel = tree.root().relativize(p).toString().replace(java.io.File.separatorChar, '/');
        if (!deletions.contains(rel) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          return rel;
        }
      }
      return null;
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new Refused("cannot look into the folder in the way of a file: " + e.getMessage());
    }
  }

  /**
   * Deletes, renames the staged files into place and runs {@code transaction} with the written
   * files; on any failure the tree is put back as it was and the failure is thrown.
   *
   * @return the written files with their size and modification time after the rename
   * @throws IOException if a file operation failed (the tree is unchanged)
   */
  List<Written> commit(java.util.function.Consumer<List<Written>> transaction) throws IOException {
    List<Written> out = new ArrayList<>();
    try {
      for (String d : deletions) {
        Path p = tree.resolve(d);
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          moveAside(p);
        }
      }
      for (var w : writes.entrySet()) {
        Path target = tree.resolve(w.getKey());
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
          removeEmptyFolders(target); // only folders are left in it (checked)
        } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          moveAside(target);
        }
        createParents(target.getParent());
        rename(w.getValue(), target);
        undo.push(() -> Files.deleteIfExists(target));
        BasicFileAttributes a = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        out.add(new Written(w.getKey(), a.size(), a.lastModifiedTime().toMillis()));
      }
      transaction.accept(List.copyOf(out));
    } catch (IOException | RuntimeException | Error e) {
      rollback(e);
      throw e;
    }
    undo.clear();
    // committed: what follows is housekeeping, and its failures are only logged
    try {
      for (Path b : backups) {
        Files.deleteIfExists(b);
      }
      for (String d : deletions) {
        Path parent = tree.resolve(d).getParent();
        if (Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) { // not when a file took the folder's place
          tree.pruneEmptyParents(parent);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cleaning up after an apply: {}", e.getMessage());
    }
    return out;
  }

  private void moveAside(Path p) throws IOException {
    Path backup = dir.resolve("b" + (counter++));
    rename(p, backup);
    backups.add(backup);
    undo.push(() -> rename(backup, p));
  }

  private void removeEmptyFolders(Path folder) throws IOException {
    List<Path> dirs;
    try (Stream<Path> s = Files.walk(folder)) {
      dirs = s.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path d : dirs) {
      Files.delete(d);
      undo.push(() -> Files.createDirectories(d));
    }
  }

  private void createParents(Path parent) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = parent; p != null && p.startsWith(tree.root()) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        p = p.getParent()) {
      missing.add(p);
    }
    for (int i = missing.size() - 1; i >= 0; i--) {
      Path d = missing.get(i);
      Files.createDirectory(d);
      undo.push(() -> Files.deleteIfExists(d));
    }
  }

  private static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private void rollback(Throwable cause) {
    while (!undo.isEmpty()) {
      try {
        undo.pop().run();
      } catch (IOException | RuntimeException e) {
        cause.addSuppressed(e);
        LOG.warn("could not undo part of a failed apply: {}", e.getMessage());
      }
    }
  }

  private static BasicFileAttributes attrs(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    deleteTree(dir);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      LOG.debug("cannot delete {}: {}", root, e.getMessage());
    }
  }
}
