package dev.syft.transport.blob;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A plain hierarchical store of files under '/'-separated keys (an S3 bucket prefix, a directory on an
 * SFTP server). It knows nothing of owners or sharing: {@link BlobStorage} keeps those in sidecar
 * files on top of it, so every such store gets Drive's model from one implementation.
 *
 * <p>Keys are relative ({@code alice@x.org/SyftBox-child/file}), never start or end with '/', and
 * their segments are plain names. Failures are {@link dev.syft.transport.StorageException}s,
 * classified as the SPI says (TRANSIENT only when a retry is safe). Implementations are thread-safe.
 */
public interface BlobStore extends AutoCloseable {

  /** A file directly inside a folder: its name, size and last modification time. */
  record Blob(String name, long size, Instant modified) {}

  /**
   * The direct children of a folder, in any order: files, and sub-folders (size 0; modified may be
   * null where the store's listing does not tell, as on S3).
   */
  record Listing(List<Blob> files, List<Blob> folders) {
    public Listing {
      files = List.copyOf(files);
      folders = List.copyOf(folders);
    }
  }

  /** The file at {@code key}, or empty when there is none (a folder is not a file). */
  Optional<Blob> stat(String key) throws IOException;

  /** The folder at {@code key} (its creation or modification time), or empty when there is none. */
  Optional<Instant> folder(String key) throws IOException;

  /** The children of the folder {@code key}; empty when it does not exist. */
  Listing list(String key) throws IOException;

  /** Opens the file at {@code key}; NOT_FOUND when missing. */
  InputStream get(String key) throws IOException;


  /**
   * Stores {@code content} at {@code key} atomically (readers see the old or the new content, never a
   * part). With {@code exclusive} it fails with ALREADY_EXISTS when the key exists, atomically against
   * every other writer of the store: that is what makes message files exactly-once.
   */
  Blob put(String key, InputStream content, boolean exclusive) throws IOException;

  /** Creates the folder {@code key} (its parent exists); creating an existing one is a no-op. */
  void makeFolder(String key) throws IOException;

  /** Deletes the file at {@code key}; a missing one is a no-op. */
  void delete(String key) throws IOException;

  /** Deletes the folder {@code key} and everything below it; a missing one is a no-op. */
  void deleteFolder(String key) throws IOException;

  /**
   * Moves a file to another key in the same store, failing with ALREADY_EXISTS when the target
   * exists. Stores without a native move copy and delete (the default), which is not atomic: a
   * reader may briefly see the file in both places, never in neither.
   */
  default void move(String from, String to) throws IOException {
    try (InputStream in = get(from)) {
      put(to, in, true);
    }
    delete(from);
  }

  @Override
  default void close() throws IOException {}
}
