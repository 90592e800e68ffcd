package dev.syft.protocol.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.UnsafePathException;
import dev.syft.protocol.Vectors;
import dev.syft.protocol.model.Checkpoint;
import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.CheckpointHeader;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.WireJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming writer produces exactly {@link ArchiveCodec#encode}'s bytes. */
class CheckpointWriterTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1712345678, 123_000_000), ZoneOffset.UTC);

  @TempDir
  Path spool;

  @RepeatedTest(30)
  void randomCheckpointsAreByteIdenticalToTheCodec(RepetitionInfo info) throws IOException {
    long seed = 0xc4ec0000L + info.getCurrentRepetition();
    System.out.println("CheckpointWriterTest seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    CheckpointHeader header = RandomCheckpoints.header(r);
    List<CheckpointFile> files = RandomCheckpoints.files(r, r.nextInt(5) == 0 ? 0 : r.nextInt(40));
    Clock clock = RandomCheckpoints.clock(r);

    byte[] expected = new ArchiveCodec(ArchiveLimits.DEFAULT, clock).encode(Checkpoint.of(header, files));
    assertThat(write(clock, header, files)).isEqualTo(expected);
  }

  @Test
  void pathsAreNormalisedLikeCheckpointFile() throws IOException {
    CheckpointHeader header = CheckpointHeader.of("do@x.org", 5, null);
    FileContent content = FileContent.text("x");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CheckpointWriter w = CheckpointWriter.open(spool, CLOCK, header)) {
      w.addFile("a//b/./c/", content.sha256(), content);
      w.finish(out);
    }
    Checkpoint expected = Checkpoint.of(header, List.of(CheckpointFile.of("a/b/c", content)));
    assertThat(out.toByteArray()).isEqualTo(new ArchiveCodec(ArchiveLimits.DEFAULT, CLOCK).encode(expected));
  }

  /** Member sizes around the 512-byte block and 10240-byte record boundaries of the tar padding. */
  @ParameterizedTest
  @ValueSource(ints = {511, 512, 513, 1023, 1024, 1025, 8703, 8704, 8705, 9216, 10240, 18943, 18944, 18945})
  void paddingMatchesAtBlockAndRecordBoundaries(int memberSize) throws IOException {
    CheckpointHeader header = CheckpointHeader.of("do@x.org", 1712345678.5, 1712345600.25);
    int base = WireJson.write(Checkpoint.of(header, List.of(file("")))).length;
    assertThat(memberSize).isGreaterThanOrEqualTo(base);
    List<CheckpointFile> files = List.of(file("y".repeat(memberSize - base)));
    byte[] member = WireJson.write(Checkpoint.of(header, files));
    assertThat(member).hasSize(memberSize);

    byte[] ours = write(CLOCK, header, files);
    assertThat(ours).isEqualTo(new ArchiveCodec(ArchiveLimits.DEFAULT, CLOCK).encode(Checkpoint.of(header, files)));
    assertThat(ArchiveVectorTest.gunzip(ours).length % Ustar.RECORD).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"checkpoint-01-full", "checkpoint-02-empty"})
  void reWritesTheVectorCheckpointsLikeTheCodec(String name) throws IOException {
    Path folder = Vectors.dir().resolve("archives").resolve(name);
    Path archive;
    try (Stream<Path> list = Files.list(folder)) {
      archive = list.filter(p -> p.getFileName().toString().endsWith(".tar.gz")).findFirst()
          .orElseThrow(() -> new AssertionError("no archive in vector folder " + folder));
    }
    byte[] reference = Files.readAllBytes(archive);
    Clock clock = Clock.fixed(Instant.ofEpochSecond(mtime(reference)), ZoneOffset.UTC);
    ArchiveCodec codec = new ArchiveCodec(ArchiveLimits.DEFAULT, clock);
    Checkpoint decoded = codec.decodeCheckpoint(reference);

    byte[] ours = write(clock, decoded.header(), decoded.files());
    assertThat(ours).isEqualTo(codec.encode(decoded));
    assertThat(ArchiveVectorTest.gunzip(ours)).as("inner tar equals the reference's").isEqualTo(ArchiveVectorTest.gunzip(reference));
    assertThat(archive.getFileName().toString()).isEqualTo(decoded.header().fileName());
  }

  @Test
  void finishReturnsTheArchiveSizeAndLeavesTheStreamOpen() throws IOException {
    CountingSink out = new CountingSink();
    long written;
    try (CheckpointWriter w = CheckpointWriter.open(spool, CLOCK, "do@x.org", 7.5, 7.0)) {
      w.addFile(CheckpointFile.of("a.txt", FileContent.text("hello")));
      assertThat(w.fileCount()).isEqualTo(1);
      assertThat(w.fileName()).isEqualTo("checkpoint_7.5.tar.gz");
      written = w.finish(out);
      assertThat(w.memberBytes()).isEqualTo(WireJson.write(Checkpoint.of(w.header(),
          List.of(CheckpointFile.of("a.txt", FileContent.text("hello"))))).length);
    }
    assertThat(written).isEqualTo(out.count).isPositive();
    assertThat(out.closed).isFalse();
    assertThat(out.flushed).isTrue();
  }

  @Test
  void theSpoolFileIsDeletedByFinishAndByClose() throws IOException {
    CheckpointWriter finished = CheckpointWriter.open(spool, CLOCK, "do@x.org", 1, null);
    finished.addFile(CheckpointFile.of("a", FileContent.text("a")));
    assertThat(listing()).hasSize(1);
    finished.finish(OutputStream.nullOutputStream());
    assertThat(listing()).isEmpty();

    CheckpointWriter abandoned = CheckpointWriter.open(spool, CLOCK, "do@x.org", 1, null);
    abandoned.addFile(CheckpointFile.of("a", FileContent.text("a")));
    abandoned.close();
    abandoned.close();
    assertThat(listing()).isEmpty();
    assertThatThrownBy(() -> abandoned.addFile(CheckpointFile.of("b", FileContent.text("b"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> finished.finish(OutputStream.nullOutputStream()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("finished");
  }

  @Test
  void aFailingTargetStillDeletesTheSpoolFile() throws IOException {
    CheckpointWriter w = CheckpointWriter.open(spool, CLOCK, "do@x.org", 1, null);
    w.addFile(CheckpointFile.of("a", FileContent.text("a")));
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("upload failed");
      }
    };
    assertThatThrownBy(() -> w.finish(broken)).isInstanceOf(IOException.class).hasMessage("upload failed");
    assertThat(listing()).isEmpty();
  }

  @Test
  void unsafePathsAreRefusedBeforeAnythingIsWritten() throws IOException {
    try (CheckpointWriter w = CheckpointWriter.open(spool, CLOCK, "do@x.org", 1, null)) {
      FileContent c = FileContent.text("x");
      assertThatThrownBy(() -> w.addFile("../../etc/passwd", c.sha256(), c)).isInstanceOf(UnsafePathException.class);
      assertThatThrownBy(() -> w.addFile("/abs", c.sha256(), c)).isInstanceOf(UnsafePathException.class);
      assertThat(w.fileCount()).isZero();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      w.finish(out);
      assertThat(new ArchiveCodec(ArchiveLimits.DEFAULT, CLOCK).decodeCheckpoint(out.toByteArray()).files()).isEmpty();
    }
  }

  @Test
  void defaultSpoolFolderIsTheSystemTempFolder() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CheckpointWriter w = CheckpointWriter.open(null, CLOCK, "do@x.org", 3, null)) {
      w.finish(out);
    }
    assertThat(out.toByteArray()).isEqualTo(new ArchiveCodec(ArchiveLimits.DEFAULT, CLOCK)
        .encode(Checkpoint.of("do@x.org", 3, null, List.of())));
  }

  // ---------------------------------------------------------------------------------- helpers

  private byte[] write(Clock clock, CheckpointHeader header, List<CheckpointFile> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CheckpointWriter w = CheckpointWriter.open(spool, clock, header)) {
      for (CheckpointFile f : files) {
        w.addFile(f);
      }
      assertThat(w.finish(out)).isEqualTo(out.size());
    }
    assertThat(listing()).as("spool file deleted").isEmpty();
    return out.toByteArray();
  }

  private List<Path> listing() throws IOException {
    try (Stream<Path> list = Files.list(spool)) {
      return new ArrayList<>(list.toList());
    }
  }

  private static CheckpointFile file(String text) {
    return CheckpointFile.of("public/f.txt", FileContent.text(text));
  }

  private static long mtime(byte[] gz) {
    return (gz[4] & 0xffL) | (gz[5] & 0xffL) << 8 | (gz[6] & 0xffL) << 16 | (gz[7] & 0xffL) << 24;
  }

  static final class CountingSink extends OutputStream {
    long count;
    boolean closed;
    boolean flushed;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }

    @Override
    public void flush() {
      flushed = true;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
