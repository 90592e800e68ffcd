package dev.syft.protocol.archive;

import dev.syft.protocol.internal.JsonOut;
import dev.syft.protocol.internal.ModelFields;
import dev.syft.protocol.model.Checkpoint;
import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.CheckpointHeader;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.WireJson;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Writes a full checkpoint archive ({@code checkpoint_<timestamp>.tar.gz}) one file at a time, so
 * memory stays at about one file's content however many files the checkpoint holds.
 *
 * <p>The tar header needs the member's size before its data, so the member JSON is first spooled to
 * a temporary file; {@link #finish} then writes header, JSON and padding through gzip. The result is
 * byte-identical to {@code new ArchiveCodec(limits, clock).encode(Checkpoint.of(header, files))}
 * for the same files in the same order and the same clock (gzip MTIME = the clock's epoch second
 * when {@code finish} runs).
 *
 * <p>Typical use: {@code try (var w = CheckpointWriter.open(dir, clock, header)) { w.addFile(...)
 * ...; w.finish(out); }}, stored under {@link #fileName()}. The spool file is deleted by
 * {@code finish} and by {@code close}. Not thread-safe.
 */
public final class CheckpointWriter implements AutoCloseable {
  private static final byte[] FILES_END = "]}".getBytes(StandardCharsets.US_ASCII);
  private static final int COPY_BUFFER = 64 * 1024;

  private final CheckpointHeader header;
  private final Clock clock;
  private final Path spool;
  private final CountingOutputStream json;
  private int fileCount;
  private boolean finished;
  private boolean closed;

  private CheckpointWriter(CheckpointHeader header, Clock clock, Path spool, OutputStream spoolOut) throws IOException {
    this.header = header;
    this.clock = clock;
    this.spool = spool;
    this.json = new CountingOutputStream(new BufferedOutputStream(spoolOut, COPY_BUFFER));
    json.write(headerPrefix(header));
  }

  /**
   * Starts a checkpoint.
   *
   * @param spoolDir folder for the temporary JSON file, or {@code null} for the system's temp folder
   * @param clock gives the gzip MTIME when {@link #finish} runs (as {@link ArchiveCodec}'s clock does)
   * @throws IOException if the spool file cannot be created
   */
  public static CheckpointWriter open(Path spoolDir, Clock clock, CheckpointHeader header) throws IOException {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(header, "header");
    Path spool = spoolDir == null
        ? Files.createTempFile("syft-checkpoint-", ".json")
        : Files.createTempFile(spoolDir, "syft-checkpoint-", ".json");
    OutputStream out = null;
    try {
      out = Files.newOutputStream(spool);
      return new CheckpointWriter(header, clock, spool, out);
    } catch (IOException | RuntimeException e) {
      if (out != null) {
        out.close();
      }
      Files.deleteIfExists(spool);
      throw e;
    }
  }

  /** {@link #open(Path, Clock, CheckpointHeader)} for a current-version header. */
  public static CheckpointWriter open(Path spoolDir, Clock clock, String email, double timestamp,
      Double lastEventTimestamp) throws IOException {
    return open(spoolDir, clock, CheckpointHeader.of(email, timestamp, lastEventTimestamp));
  }

  /**
   * Appends one file (written like {@link WireJson}: text as is, binary as base64 with
   * {@code content_type: "binary"}). Only the file's own JSON is held in memory meanwhile.
   *
   * @throws IllegalStateException after {@link #finish} or {@link #close}
   * @throws IOException if the spool file cannot be written (the writer is then closed)
   */
  public void addFile(CheckpointFile file) throws IOException {
    Objects.requireNonNull(file, "file");
    requireOpen();
    byte[] entry = JsonOut.render(ModelFields.checkpointFileNode(file), JsonOut.Style.PYDANTIC_COMPACT);
    try {
      if (fileCount > 0) {
        json.write(',');
      }
      json.write(entry);
    } catch (IOException e) {
      // the spooled JSON is now incomplete: give up on this checkpoint
      closeQuietly(e);
      throw e;
    }
    fileCount++;
  }

  /**
   * Appends one file; {@code path} is normalised as {@link CheckpointFile} does.
   *
   * @throws dev.syft.protocol.UnsafePathException if the path could leave the datasite
   */
  public void addFile(String path, String hash, FileContent content) throws IOException {
    addFile(new CheckpointFile(path, hash, content));
  }

  /**
   * Appends one file whose content is streamed from {@code source} (memory stays bounded whatever
   * its size); written exactly as {@link #addFile(String, String, FileContent)} writes the same bytes.
   */
  public void addFile(String path, String hash, StreamingEncoder.Source source) throws IOException {
    requireOpen();
    StreamingEncoder enc = new StreamingEncoder();
    byte[] entry = JsonOut.render(ModelFields.checkpointFileNode(new CheckpointFile(path, hash, enc.placeholder(source))),
        JsonOut.Style.PYDANTIC_COMPACT);
    try {
      if (fileCount > 0) {
        json.write(',');
      }
      enc.writeMember(entry, json);
    } catch (IOException e) {
      closeQuietly(e);
      throw e;
    }
    fileCount++;
  }

  /** Files added so far. */
  public int fileCount() {
    return fileCount;
  }

  /**
   * Bytes of member JSON written so far (the final member size once finished); compare with the
   * readers' {@link ArchiveLimits#maxUncompressedBytes()} to keep the checkpoint readable.
   */
  public long memberBytes() {
    return json.count();
  }

  public CheckpointHeader header() {
    return header;
  }

  /** {@code checkpoint_<timestamp>.tar.gz}: the name to store the archive under. */
  public String fileName() {
    return header.fileName();
  }

  /**
   * Writes the complete archive to {@code out} (which is flushed, not closed) and deletes the spool
   * file. Can be called once.
   *
   * @return the number of archive bytes written
   * @throws IllegalStateException if already finished or closed
   * @throws IOException if the spool file cannot be read or {@code out} cannot be written
   */
  public long finish(OutputStream out) throws IOException {
    Objects.requireNonNull(out, "out");
    requireOpen();
    finished = true;
    try {
      json.write(FILES_END);
      json.close();
      long size = json.count();
      CountingOutputStream counted = new CountingOutputStream(new FilterOutputStream(out) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }
      });
      try (GzipWriter gz = new GzipWriter(counted, clock.instant().getEpochSecond());
          InputStream in = Files.newInputStream(spool)) {
        gz.write(Ustar.header(ArchiveCodec.MEMBER_NAME, size));
        long copied = in.transferTo(gz);
        if (copied != size) {
          throw new IOException("checkpoint spool file changed while writing (" + copied + " of " + size + " bytes)");
        }
        writeZeros(gz, Ustar.paddingAfter(size));
        gz.finish();
      }
      out.flush();
      return counted.count();
    } finally {
      close();
    }
  }

  /** Deletes the spool file; the checkpoint is abandoned unless {@link #finish} ran. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      json.close();
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  private void closeQuietly(IOException primary) {
    try {
      close();
    } catch (IOException suppressed) {
      primary.addSuppressed(suppressed);
    }
  }

  private void requireOpen() {
    if (finished || closed) {
      throw new IllegalStateException("checkpoint writer is already " + (finished ? "finished" : "closed"));
    }
  }

  /** The member JSON up to and including {@code "files":[}, exactly as {@link WireJson} writes it. */
  private static byte[] headerPrefix(CheckpointHeader header) {
    byte[] empty = WireJson.write(Checkpoint.of(header, List.of()));
    byte[] tail = "[]}".getBytes(StandardCharsets.US_ASCII);
    int cut = empty.length - tail.length;
    if (cut < 0 || !Arrays.equals(empty, cut, empty.length, tail, 0, tail.length)) {
      throw new IllegalStateException("checkpoint JSON does not end with its files list");
    }
    return Arrays.copyOf(empty, cut + 1);
  }

  private static void writeZeros(OutputStream out, long count) throws IOException {
    byte[] zeros = new byte[(int) Math.min(count, Ustar.RECORD)];
    for (long left = count; left > 0; left -= zeros.length) {
      out.write(zeros, 0, (int) Math.min(zeros.length, left));
    }
  }

  /** Counts bytes passed through. */
  private static final class CountingOutputStream extends FilterOutputStream {
    private long count;
    private boolean closed;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        super.close();
      }
    }

    long count() {
      return count;
    }
  }
}
