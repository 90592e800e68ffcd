package dev.syft.core.internal;

import dev.syft.protocol.SyftException;
import dev.syft.protocol.archive.SpooledContent;
import dev.syft.protocol.archive.StreamingEncoder;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.WirePayload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * File contents on their way into messages, with memory bounded independently of the files' sizes.
 * Small files (up to {@link #IN_MEMORY}) are held in memory as they always were; larger ones become
 * placeholders of a {@link StreamingEncoder}: a snapshot copy in the home's blob folder (so the bytes
 * sent are the bytes hashed even if the user edits the file meanwhile) or a spool file the caller
 * owns. Messages holding a placeholder are encoded to a file in the blob folder. Close it to delete
 * the snapshots; encoded files belong to whoever took them (the outgoing journal moves them away).
 * One per batch of work; not thread-safe.
 */
final class Blobs implements AutoCloseable {
  /** Contents up to this size are held in memory. */
  static final long IN_MEMORY = 1L << 20;

  private final SyncContext ctx;
  private final StreamingEncoder encoder = new StreamingEncoder();
  private final List<Path> owned = new ArrayList<>();
  private boolean streamed;

  Blobs(SyncContext ctx) {
    this.ctx = ctx;
  }

  /** A file's content and hash; {@code size} for batching. */
  record Read(FileContent content, String sha256, long size) {}

  /** Reads {@code path} of {@code tree}: in memory when small, else as a snapshot. */
  Read read(LocalTree tree, String path) throws IOException {
    Path file = tree.resolve(path);
    long size = Files.size(file);
    if (size <= IN_MEMORY) {
      byte[] bytes = tree.read(path);
      return new Read(FileContent.of(bytes), LocalTree.sha256Hex(bytes), bytes.length);
    }
    Path copy = newFile("snapshot-", ".bin");
    StreamingEncoder.Source s;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(copy);
      s = StreamingEncoder.Source.copy(in, copy);
    }
    streamed = true;
    return new Read(encoder.placeholder(s), s.sha256(), s.size());
  }

  /** The content of {@code path} if it still has {@code hash}, else null (changed or gone). */
  FileContent readIf(LocalTree tree, String path, String hash) {
    try {
      Read r = read(tree, path);
      return r.sha256().equals(hash) ? r.content() : null;
    } catch (IOException | SyftException e) {
      return null;
    }
  }

  /** A spooled content as a message content: in memory when small, else streamed from its spool file. */
  FileContent of(SpooledContent c) throws IOException {
    if (c.file() == null || c.size() <= IN_MEMORY) {
      return FileContent.of(c.readAllBytes());
    }
    streamed = true;
    return encoder.placeholder(StreamingEncoder.Source.of(c.file()));
  }

  /** True once a content of this batch is streamed from a file. */
  boolean streamed() {
    return streamed;
  }

  /** The file behind a placeholder of this batch, or null for a content in memory. */
  StreamingEncoder.Source source(FileContent c) {
    return encoder.source(c);
  }

  /** The size of a content (placeholders stand for their file). */
  long size(FileContent c) {
    if (c == null) {
      return 0;
    }
    StreamingEncoder.Source s = encoder.source(c);
    return s == null ? c.size() : s.size();
  }

  /** A message encoded in memory, or in a file of the blob folder when it may hold streamed contents. */
  record Encoded(byte[] bytes, Path file) {
    InputStream open() throws IOException {
      return bytes != null ? new java.io.ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    void discard() {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // swept with the blob folder
        }
      }
    }
  }

  Encoded encode(WirePayload payload) throws IOException {
    if (!streamed) {
      return new Encoded(Wire.encode(payload), null);
    }
    Path out = newFile("message-", ".tar.gz");
    try (OutputStream o = Files.newOutputStream(out)) {
      encoder.encode(payload, ctx.clock(), o);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(out);
      throw e;
    }
    return new Encoded(null, out);
  }

  private Path newFile(String prefix, String suffix) throws IOException {
    Path f = Files.createTempFile(ctx.blobDir(), prefix, suffix);
    if (prefix.startsWith("snapshot")) {
      owned.add(f);
    }
    return f;
  }

  @Override
  public void close() {
    for (Path f : owned) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // swept with the blob folder
      }
    }
    owned.clear();
  }
}
