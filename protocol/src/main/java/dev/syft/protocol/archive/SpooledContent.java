package dev.syft.protocol.archive;

import dev.syft.protocol.model.FileContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The content of one file of a {@link SpooledProposal}: small contents in memory, larger ones in a
 * spool file, so a message's memory use does not grow with its files' sizes. Owned by its
 * proposal: closing the proposal deletes the files.
 */
public final class SpooledContent {
  /** Contents up to this size stay in memory. */
  static final int IN_MEMORY = 64 * 1024;

  private final FileContent.Type type;
  private final byte[] bytes;
  private final Path file;
  private final long size;
  private final String sha256;

  private SpooledContent(FileContent.Type type, byte[] bytes, Path file, long size, String sha256) {
    this.type = type;
    this.bytes = bytes;
    this.file = file;
    this.size = size;
    this.sha256 = sha256;
  }

  /** {@code text} (the JSON string's UTF-8 bytes) or {@code binary} (decoded base64). */
  public FileContent.Type type() {
    return type;
  }

  /** Number of bytes of the file. */
  public long size() {
    return size;
  }

  /** Lowercase hex SHA-256 of the file's bytes. */
  public String sha256() {
    return sha256;
  }

  /** The spool file holding the bytes, or null when they are in memory (up to 64 KiB). */
  public Path file() {
    return file;
  }

  /** The bytes, streamed. */
  public InputStream open() throws IOException {
    return file == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
  }

  /**
   * All bytes in memory, for callers that need them (small files).
   *
   * @throws IllegalStateException if the content is larger than {@link Integer#MAX_VALUE} - 8
   */
  public byte[] readAllBytes() throws IOException {
    if (file == null) {
      return bytes.clone();
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("content of " + size + " bytes does not fit in memory");
    }
    return Files.readAllBytes(file);
  }

  /** The content as the in-memory model (copies it into memory). */
  public FileContent toFileContent() throws IOException {
    byte[] all = readAllBytes();
    return type == FileContent.Type.BINARY ? FileContent.binary(all) : FileContent.text(
        new String(all, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "SpooledContent[" + type.wireName() + ", " + size + " bytes" + (file == null ? "" : ", on disk") + "]";
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Collects bytes in memory, then in a spool file past {@link #IN_MEMORY}; hashes them on the way. */
  static final class Builder {
    private final Path spoolDir;
    private final java.util.List<Path> created;
    private final MessageDigest md = newDigest();
    private byte[] buf = new byte[256];
    private int count;
    private long size;
    private Path file;
    private OutputStream out;

    private final boolean discard;

    /** Spool files go to {@code spoolDir} and are added to {@code created} (for deletion). */
    Builder(Path spoolDir, java.util.List<Path> created) {
      this(spoolDir, created, false);
    }

    /** With {@code discard}, the bytes are only counted and hashed (for validating a content). */
    Builder(Path spoolDir, java.util.List<Path> created, boolean discard) {
      this.spoolDir = spoolDir;
      this.created = created;
      this.discard = discard;
    }

    long size() {
      return size;
    }

    void write(byte[] b, int off, int len) throws IOException {
      md.update(b, off, len);
      size += len;
      if (discard) {
        return;
      }
      if (out != null) {
        out.write(b, off, len);
        return;
      }
      if (count + len > IN_MEMORY) {
        file = spoolDir == null ? Files.createTempFile("syft-content-", ".bin")
            : Files.createTempFile(spoolDir, "syft-content-", ".bin");
        created.add(file);
        out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        out.write(buf, 0, count);
        out.write(b, off, len);
        buf = null;
        return;
      }
      if (count + len > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.min(IN_MEMORY, Math.max(buf.length * 2, count + len)));
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    SpooledContent finish(FileContent.Type type) throws IOException {
      String hash = HexFormat.of().formatHex(md.digest());
      if (out != null) {
        out.close();
        return new SpooledContent(type, null, file, size, hash);
      }
      return new SpooledContent(type, java.util.Arrays.copyOf(buf, count), null, size, hash);
    }

    /** Closes the spool file, if any, without finishing (the caller deletes it). */
    void abandon() {
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          // the file is deleted with the proposal
        }
      }
    }
  }
}
