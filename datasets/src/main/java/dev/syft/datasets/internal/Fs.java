package dev.syft.datasets.internal;

import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** File-system helpers: scanning sources, copying, atomic writes, recursive deletes. */
final class Fs {
  private Fs() {}

  /** A regular file of a source tree and its POSIX path relative to the tree. */
  record SourceFile(String rel, Path path) {}

  /**
   * The regular files of {@code src} (a file: itself under its name; a folder: everything below
   * it), sorted by relative path. Symbolic links and special files are refused, and so are names
   * that are not safe datasite paths.
   */
  static List<SourceFile> scan(Path src, String what) {
    if (Files.isSymbolicLink(src)) {
      throw new SyftException("invalid-dataset-source", what + " " + src + " is a symbolic link; pass the real path");
    }
    if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
      String name = src.getFileName().toString();
      checkRel(name, src, what);
      return List.of(new SourceFile(name, src));
    }
    if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
      throw new SyftException("invalid-dataset-source", "could not find " + what + " at " + src
          + " (it must be an existing file or folder)");
    }
    List<SourceFile> out = new ArrayList<>();
    try {
      Files.walkFileTree(src, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isSymbolicLink()) {
            throw new SyftException("invalid-dataset-source", what + " contains a symbolic link (" + file
                + "); links are not copied, replace it with the file");
          }
          if (!attrs.isRegularFile()) {
            throw new SyftException("invalid-dataset-source", what + " contains a special file: " + file);
          }
          String rel = relative(src, file);
          checkRel(rel, file, what);
          out.add(new SourceFile(rel, file));
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new SyftException("invalid-dataset-source", "cannot read " + what + " " + src + ": " + e.getMessage(), e);
    }
    out.sort((a, b) -> FlatNames.CODE_POINT_ORDER.compare(a.rel(), b.rel()));
    return out;
  }

  private static void checkRel(String rel, Path file, String what) {
    if (!DatasitePaths.isSafe(rel) || !DatasitePaths.normalize(rel).equals(rel)) {
      throw new SyftException("invalid-dataset-source", what + " has a file name that cannot be shared: " + file);
    }
  }

  static String relative(Path base, Path file) {
    List<String> parts = new ArrayList<>();
    for (Path p : base.relativize(file)) {
      parts.add(p.toString());
    }
    return String.join("/", parts);
  }

  /** Copies each source file to {@code target/<rel>}, creating folders. */
  static void copyAll(List<SourceFile> files, Path target) throws IOException {
    for (SourceFile f : files) {
      Path dest = target.resolve(f.rel());
      Files.createDirectories(dest.getParent());
      Files.copy(f.path(), dest, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes {@code bytes} to {@code file} through a temporary sibling and an atomic rename. */
  static void writeAtomic(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(".syft-tmp-" + UUID.randomUUID());
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** True when {@code dir} is missing or an empty folder. */
  static boolean missingOrEmpty(Path dir) throws IOException {
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

  /** Deletes {@code path} and everything below it (links are removed, never followed). No-op when missing. */
  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Deletes what is inside {@code dir}, keeping the folder. */
  static void deleteContents(Path dir) throws IOException {
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

  /** Regular files below {@code dir}, relative POSIX paths, sorted; empty when {@code dir} is missing. */
  static List<String> listFiles(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          out.add(relative(dir, file));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    out.sort(FlatNames.CODE_POINT_ORDER);
    return out;
  }
}
