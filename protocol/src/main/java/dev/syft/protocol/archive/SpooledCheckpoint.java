package dev.syft.protocol.archive;

import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.CheckpointHeader;
import dev.syft.protocol.model.FileContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;

/**
 * A checkpoint whose JSON was copied out of its archive into a temporary file and fully validated by
 * {@link CheckpointReader#spool}: the header is known before any file is read, and reading the files
 * cannot fail on the checkpoint's content. While the files are read each content is taken out into
 * memory (up to 64 KiB) or a spool file next to the JSON, so {@link #forEachStreamedFile} needs
 * memory bounded independently of the files' sizes. Close it to delete the temporary file. Not
 * thread-safe.
 */
public final class SpooledCheckpoint implements AutoCloseable {
  /** Receives a file whose content is spooled. */
  @FunctionalInterface
  public interface StreamedFileSink {
    void accept(String path, String hash, SpooledContent content) throws IOException;
  }

  private final CheckpointReader reader;
  private final Path file;
  private final CheckpointHeader header;
  private final int fileCount;
  private final Path spoolDir;
  private boolean closed;

  SpooledCheckpoint(CheckpointReader reader, Path file, Path spoolDir, CheckpointHeader header, int fileCount) {
    this.reader = reader;
    this.file = file;
    this.spoolDir = spoolDir;
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
   * Gives every file to {@code sink}, in archive order (may be called more than once), each content
   * in memory.
   *
   * @throws IllegalStateException after {@link #close}
   * @throws IOException if the temporary file cannot be read, or as thrown by {@code sink}
   */
  public void forEachFile(CheckpointReader.FileSink sink) throws IOException {
    java.util.Objects.requireNonNull(sink, "sink");
    forEachStreamedFile((path, hash, content) -> {
      byte[] all = content.readAllBytes();
      sink.accept(new CheckpointFile(path, hash, content.type() == FileContent.Type.BINARY ? FileContent.binary(all)
          : FileContent.text(new String(all, StandardCharsets.UTF_8))));
    });
  }

  /**
   * Gives every file to {@code sink} in archive order with its content spooled (may be called more
   * than once). A content's spool file is deleted once the sink returns: copy what you keep.
   *
   * @throws IllegalStateException after {@link #close}
   * @throws IOException if a temporary file cannot be read, or as thrown by {@code sink}
   */
  public void forEachStreamedFile(StreamedFileSink sink) throws IOException {
    if (closed) {
      throw new IllegalStateException("spooled checkpoint is closed");
    }
    java.util.Objects.requireNonNull(sink, "sink");
    reader.parseDiverted(file, spoolDir, false, sink);
  }

  /** Deletes the temporary files. Idempotent. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      Files.deleteIfExists(file);
    }
  }
}
