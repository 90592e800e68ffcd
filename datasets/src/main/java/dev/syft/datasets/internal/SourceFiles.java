package dev.syft.datasets.internal;

import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a data owner names as a dataset's mock or private part: scanned (regular files with
 * shareable names only) and copied. Datasite file handling is {@link dev.syft.core.DatasiteFiles}.
 */
final class SourceFiles {
  private SourceFiles() {}

  /** A regular file of a source tree and its POSIX path relative to the tree. */
  record SourceFile(String rel, Path path) {}

  /**
   * The regular files of {@code src} (a file: itself under its name; a folder: everything below
   * it), sorted by relative path. Symbolic links and special files are refused, and so are names
   * that are not safe datasite paths.
   */
  static List<SourceFile> scan(Path src, String what) {
    if (Files.isSymbolicLink(src)) {
      throw new SyftException(ErrorCode.INVALID_DATASET_SOURCE, what + " " + src + " is a symbolic link; pass the real path");
    }
    if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
      String name = src.getFileName().toString();
      checkRel(name, src, what);
      return List.of(new SourceFile(name, src));
    }
    if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
      throw new SyftException(ErrorCode.INVALID_DATASET_SOURCE, "could not find " + what + " at " + src
          + " (it must be an existing file or folder)");
    }
    List<SourceFile> out = new ArrayList<>();
    try {
      Files.walkFileTree(src, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isSymbolicLink()) {
            throw new SyftException(ErrorCode.INVALID_DATASET_SOURCE, what + " contains a symbolic link (" + file
                + "); links are not copied, replace it with the file");
          }
          if (!attrs.isRegularFile()) {
            throw new SyftException(ErrorCode.INVALID_DATASET_SOURCE, what + " contains a special file: " + file);
          }
          String rel = relative(src, file);
          checkRel(rel, file, what);
          out.add(new SourceFile(rel, file));
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new SyftException(ErrorCode.INVALID_DATASET_SOURCE, "cannot read " + what + " " + src + ": " + e.getMessage(), e);
    }
    out.sort((a, b) -> FlatNames.CODE_POINT_ORDER.compare(a.rel(), b.rel()));
    return out;
  }

  private static void checkRel(String rel, Path file, String what) {
    if (!DatasitePaths.isSafe(rel) || !DatasitePaths.normalize(rel).equals(rel)) {
      throw new SyftException(ErrorCode.INVALID_DATASET_SOURCE, what + " has a file name that cannot be shared: " + file);
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
}
