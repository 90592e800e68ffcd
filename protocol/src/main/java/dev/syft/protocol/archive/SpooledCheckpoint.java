package dev.syft.protocol.archive;

import dev.syft.protocol.model.CheckpointHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint whose JSON was copied out of its archive into a temporary file and fully validated by
 * {@link CheckpointReader#spool}: the header is known before any file is read, and reading the files
 * cannot fail on the checkpoint's content. Memory stays at about one file's content. Close it to
 * delete the temporary file. Not thread-safe.
 */
public final class SpooledCheckpoint implements AutoCloseable {
  private final CheckpointReader reader;
  private final Path file;
  private final CheckpointHeader header;
  private final int fileCount;
  private boolean closed;

  SpooledCheckpoint(CheckpointReader reader, Path file, CheckpointHeader header, int fileCount) {
    this.reader = reader;
    this.file = file;
    this.header = header;
    this.fileCount = fileCount;
  }

  /** The checkpoint's fields other than its files. */
  public CheckpointHeader header() {
    return header;
  }

  /** Number of entries in {@code files}. */
  public int fileCount() {
    return fileCount;
  }

  /**
   * Gives every file to {@code sink}, in archive order (may be called more than once).
   *
   * @throws IllegalStateException after {@link #close}
   * @throws IOException if the temporary file cannot be read, or as thrown by {@code sink}
   */
  public void forEachFile(CheckpointReader.FileSink sink) throws IOException {
    if (closed) {
      throw new IllegalStateException("spooled checkpoint is closed");
    }
    reader.parseSpooled(file, java.util.Objects.requireNonNull(sink, "sink"));
  }

  /** Deletes the temporary file. Idempotent. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      Files.deleteIfExists(file);
    }
  }
}
