package dev.syft.transport.local;

import dev.syft.transport.Storage;
import dev.syft.transport.conformance.StorageFixture;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** A fresh shared root in a temporary folder, deleted on close. */
final class LocalFixture implements StorageFixture {
  final Path root;
  final LocalOptions options;

  LocalFixture(LocalOptions options) throws IOException {
    this.root = Files.createTempDirectory("syft-local-test-");
    this.options = options;
  }

  @Override
  public Storage storage(String email) throws IOException {
    return LocalStorage.open(root, email, options);
  }

  @Override
  public void close() throws IOException {
    deleteTree(root);
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
