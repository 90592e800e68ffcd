package dev.syft.core;

import dev.syft.protocol.DatasitePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * File handling inside a client home, for core and the modules built on it (jobs, datasets): atomic
 * writes the sync scan never sees half-done (a rename, falling back to a plain replace where the file
 * system has no atomic move), walks and copies that never follow links and tolerate files vanishing
 * while they run, and deletes.
 */
public final class DatasiteFiles {
  /** Temporary files start with this ({@link DatasitePaths#TEMP_PREFIX}); walks skip them. */
  public static final String TEMP_PREFIX = DatasitePaths.TEMP_PREFIX;

  private DatasiteFiles() {}

  /** Writes {@code bytes} to {@code file} through a temporary file in the same folder and a rename. */
  public static void writeAtomic(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = tempSibling(file);
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * A temporary name beside {@code file}, tagged with our pid like the sync's own: a scan in this
   * process (the daemon's loop beside the console, or an API call) leaves it alone, while a scan
   * sweeps the leftovers of a process that died mid-write.
   */
  static Path tempSibling(Path file) {
    return file.resolveSibling(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
  }

  public static void writeAtomic(Path file, String text) throws IOException {
    writeAtomic(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Every regular file below {@code root} (relative, {@code /}-separated, sorted), never following
   * links; links, temporary files and paths {@code skip} rejects are left out.
   */
  public static TreeMap<String, Path> files(Path root, Predicate<String> keep) throws IOException {
    TreeMap<String, Path> out = new TreeMap<>();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        if (!dir.equals(root) && !keep.test(rel(root, dir) + "/")) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String r = rel(root, file);
        if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(TEMP_PREFIX) && keep.test(r)) {
          out.put(r, file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        return skipVanished(exc);
      }
    });
    return out;
  }

  /** A file or folder deleted while a walk ran is skipped; other errors stop the walk. */
  private static FileVisitResult skipVanished(IOException exc) throws IOException {
    if (exc instanceof NoSuchFileException) {
      return FileVisitResult.CONTINUE;
    }
    throw exc;
  }

  /**
   * The regular files below {@code dir} (relative, {@code /}-separated), temporary files left out,
   * sorted by code point; empty when {@code dir} is missing.
   */
  public static List<String> listFiles(Path dir, Comparator<String> order) throws IOException {
    List<String> out = new ArrayList<>(files(dir, r -> true).keySet());
    out.sort(order);
    return out;
  }

  /** True when {@code dir} is missing or an empty folder. */
  public static boolean missingOrEmpty(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      return !s.iterator().hasNext();
    }
  }

  /** Deletes what is inside {@code dir}, keeping the folder. */
  public static void deleteContents(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(children::add);
    }
    for (Path c : children) {
      deleteTree(c);
    }
  }

  /** Symbolic links below {@code root} (relative paths), which copies leave out. */
  public static List<String> links(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isSymbolicLink() || attrs.isOther()) {
          out.add(rel(root, file));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        return skipVanished(exc);
      }
    });
    return out;
  }

  public static String rel(Path root, Path p) {
    StringBuilder sb = new StringBuilder();
    for (Path part : root.relativize(p)) {
      if (!sb.isEmpty()) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  /** Copies the regular files {@link #files} finds, recreating folders; returns the copied paths. */
  public static List<String> copyTree(Path from, Path to, Predicate<String> keep) throws IOException {
    List<String> copied = new ArrayList<>();
    Files.createDirectories(to);
    for (var e : files(from, keep).entrySet()) {
      Path dest = to.resolve(e.getKey());
      Files.createDirectories(dest.getParent());
      Files.copy(e.getValue(), dest, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
      copied.add(e.getKey());
    }
    return copied;
  }

  /** Deletes a tree without following links; a missing tree, or files vanishing meanwhile, are fine. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(root);
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        return skipVanished(exc);
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Best-effort delete for clean-up paths. */
  public static void deleteQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException | UncheckedIOException e) {
      org.slf4j.LoggerFactory.getLogger(DatasiteFiles.class).debug("could not delete {}: {}", root, e.getMessage());
    }
  }

  /**
   * Total bytes and entries below {@code root}; stops counting (returns early) once either passes
   * its bound, so a job that creates millions of files cannot stall the check.
   */
  public static long[] usage(Path root, long maxBytes, long maxEntries) {
    long[] acc = {0, 0};
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return acc;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          acc[1]++;
          return acc[1] > maxEntries ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          acc[0] += attrs.size();
          acc[1]++;
          return acc[0] > maxBytes || acc[1] > maxEntries ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // a vanishing file mid-walk: the next check sees the rest
    }
    return acc;
  }
}
