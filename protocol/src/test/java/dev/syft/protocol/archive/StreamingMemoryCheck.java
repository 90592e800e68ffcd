package dev.syft.protocol.archive;

import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.CheckpointHeader;
import dev.syft.protocol.model.FileContent;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * Run in a child JVM with a small heap by {@link CheckpointStreamingMemoryTest}: writes a checkpoint
 * of {@code count} generated files of {@code size} bytes with {@link CheckpointWriter}, then reads it
 * back with both {@link CheckpointReader} modes, checking every file against its generator. Nothing
 * but counters is kept, so the heap needed is about one file whatever the count. Exit status 0 and
 * a summary line on success.
 */
public final class StreamingMemoryCheck {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1712345678), ZoneOffset.UTC);
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 \"\\\n\t/";

  private StreamingMemoryCheck() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    int size = Integer.parseInt(args[2]);
    Path archive = dir.resolve("checkpoint.tar.gz");
    CheckpointHeader header = CheckpointHeader.of("do@x.org", 1712345678.5, 1712345600.0);

    long memberBytes;
    long archiveBytes;
    try (CheckpointWriter w = CheckpointWriter.open(dir, CLOCK, header);
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16)) {
      for (int i = 0; i < count; i++) {
        FileContent c = content(i, size);
        w.addFile(path(i), hash(i), c);
      }
      memberBytes = w.memberBytes();
      Counting counted = new Counting(file);
      archiveBytes = w.finish(counted);
      check(counted.count == archiveBytes, "finish() returned " + archiveBytes + " but wrote " + counted.count);
    }
    check(Files.size(archive) == archiveBytes, "archive file size differs from finish()'s count");

    CheckpointReader reader = new CheckpointReader(new ArchiveLimits(1L << 30, 1L << 30), CLOCK);
    Verifier onePass = new Verifier(size);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
      check(reader.read(in, onePass).equals(header), "one-pass header differs");
    }
    Verifier spooled = new Verifier(size);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        SpooledCheckpoint s = reader.spool(in, dir)) {
      check(s.header().equals(header), "spooled header differs");
      check(s.fileCount() == count, "spooled file count " + s.fileCount());
      s.forEachFile(spooled);
    }
    check(onePass.files == count && spooled.files == count, "file counts " + onePass.files + "/" + spooled.files);
    check(onePass.bytes == spooled.bytes, "content byte counts differ");
    System.out.println("files=" + count + " contentBytes=" + onePass.bytes + " memberBytes=" + memberBytes
        + " archiveBytes=" + archiveBytes + " maxHeap=" + Runtime.getRuntime().maxMemory());
  }

  static String path(int i) {
    return "public/data/d" + (i % 97) + "/file-" + i + ".txt";
  }

  /** A 64-hex-digit stand-in for the content hash (SHA-256 of 200 MB three times would only cost time). */
  static String hash(int i) {
    String hex = Integer.toHexString(i);
    return "0".repeat(64 - hex.length()) + hex;
  }

  /** {@code size} bytes of ASCII text with escapes, compressible like real text. */
  static FileContent content(int i, int size) {
    SplittableRandom r = new SplittableRandom(i);
    char[] line = new char[64];
    for (int k = 0; k < line.length; k++) {
      line[k] = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
    }
    StringBuilder text = new StringBuilder(size);
    while (text.length() < size) {
      text.append(line, 0, Math.min(line.length, size - text.length()));
    }
    return FileContent.text(text.toString());
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new AssertionError(problem);
    }
  }

  /** Checks each file against the generator, in order, keeping only counters. */
  private static final class Verifier implements CheckpointReader.FileSink {
    private final int size;
    int files;
    long bytes;

    Verifier(int size) {
      this.size = size;
    }

    @Override
    public void accept(CheckpointFile f) {
      FileContent expected = content(files, size);
      check(f.path().equals(path(files)), "file " + files + " has path " + f.path());
      check(f.content().equals(expected), "file " + files + " has other content");
      check(f.hash().equals(hash(files)), "file " + files + " has hash " + f.hash());
      check(f.content().text().getBytes(StandardCharsets.UTF_8).length == size, "file " + files + " size");
      bytes += f.content().size();
      files++;
    }
  }

  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
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
  }
}
