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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

/** The streaming reader returns exactly what {@link ArchiveCodec#decodeCheckpoint} returns. */
class CheckpointReaderTest {
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1712345678, 250_000_000), ZoneOffset.UTC);
  static final ArchiveCodec CODEC = new ArchiveCodec(ArchiveLimits.DEFAULT, CLOCK);
  static final CheckpointReader READER = new CheckpointReader(ArchiveLimits.DEFAULT, CLOCK);

  @TempDir
  Path spool;

  @RepeatedTest(20)
  void randomRoundTripsMatchTheCodec(RepetitionInfo info) throws IOException {
    long seed = 0x4eade000L + info.getCurrentRepetition();
    System.out.println("CheckpointReaderTest seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    CheckpointHeader header = RandomCheckpoints.header(r);
    List<CheckpointFile> files = RandomCheckpoints.files(r, r.nextInt(5) == 0 ? 0 : r.nextInt(40));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CheckpointWriter w = CheckpointWriter.open(spool, CLOCK, header)) {
      for (CheckpointFile f : files) {
        w.addFile(f);
      }
      w.finish(out);
    }
    byte[] archive = out.toByteArray();

    Checkpoint expected = CODEC.decodeCheckpoint(archive);
    assertThat(expected).isEqualTo(Checkpoint.of(header, files));
    assertThat(streamed(archive)).isEqualTo(expected);
    assertThat(spooled(archive)).isEqualTo(expected);
    // one byte per read() call: no dependence on how the source delivers its bytes
    assertThat(streamed(new Trickle(new ByteArrayInputStream(archive)))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"checkpoint-01-full", "checkpoint-02-empty"})
  void readsTheVectorCheckpointsLikeTheCodec(String name) throws IOException {
    Path folder = Vectors.dir().resolve("archives").resolve(name);
    Path archive;
    try (Stream<Path> list = Files.list(folder)) {
      archive = list.filter(p -> p.getFileName().toString().endsWith(".tar.gz")).findFirst()
          .orElseThrow(() -> new AssertionError("no archive in vector folder " + folder));
    }
    byte[] bytes = Files.readAllBytes(archive);
    Checkpoint expected = CODEC.decodeCheckpoint(bytes);
    assertThat(streamed(bytes)).isEqualTo(expected);
    assertThat(spooled(bytes)).isEqualTo(expected);
    assertThat(expected.header().fileName()).isEqualTo(archive.getFileName().toString());
    if (name.endsWith("full")) {
      assertThat(expected.files()).hasSize(3);
    } else {
      assertThat(expected.files()).isEmpty();
    }
  }

  private static final String HASH = "9d30855a2ada542760d1a9de78920f0e1ed6b45c2aa1780ecd90ecfe48994c20";
  private static final String ENTRY = "{\"path\":\"public/readme.md\",\"hash\":\"" + HASH + "\",\"content\":\"# Readme\\n\"}";

  /** Member JSON other tools could write; each must read exactly as the tree reader reads it. */
  @ParameterizedTest
  @ValueSource(strings = {
    // files before the header fields
    "{\"files\":[" + ENTRY + "],\"version\":1,\"timestamp\":1712345678.5,\"email\":\"do@x.org\",\"last_event_timestamp\":3.5}",
    "{\"files\":[" + ENTRY + "," + ENTRY + "],\"email\":\"do@x.org\"}",
    // header fields split around files, defaults for missing ones (timestamp = the clock's now)
    "{\"timestamp\":5,\"files\":[" + ENTRY + "],\"email\":\"do@x.org\"}",
    "{\"email\":\"do@x.org\"}",
    "{\"email\":\"do@x.org\",\"files\":[]}",
    // indented, CRLF and tabs
    "{\r\n\t\"version\" : 1 ,\r\n  \"email\": \"do@x.org\",\n  \"files\": [\n    {\n      \"path\": \"a\",\n"
        + "      \"hash\": \"h\",\n      \"content\": \"x\"\n    }\n  ]\n}\n\n",
    // unknown fields at every level, including ones that look like ours
    "{\"extra\":{\"files\":[1,2],\"email\":5},\"email\":\"do@x.org\",\"list\":[[{}]],\"n\":null,\"files\":[{\"path\":\"a\","
        + "\"hash\":\"h\",\"mode\":420,\"meta\":{\"content\":null},\"content\":\"x\"}],\"zz\":true}",
    // lax values: numeric strings and integral floats, explicit nulls
    "{\"version\":1.0,\"timestamp\":\"1712345678.25\",\"email\":\"do@x.org\",\"last_event_timestamp\":null,\"files\":[]}",
    "{\"version\":\"2\",\"timestamp\":17,\"email\":\"do@x.org\",\"last_event_timestamp\":\"  12.5 \",\"files\":[]}",
    // last duplicate header key wins, like the tree reader
    "{\"email\":\"first@x.org\",\"files\":[],\"email\":\"second@x.org\",\"timestamp\":1,\"timestamp\":2}",
    // duplicate keys inside an entry: last wins
    "{\"email\":\"do@x.org\",\"files\":[{\"path\":\"a\",\"path\":\"b\",\"hash\":\"h\",\"content\":\"1\",\"content\":\"2\"}]}",
    // binary and legacy text entries; content_type is case-sensitive
    "{\"email\":\"do@x.org\",\"files\":[{\"path\":\"b.bin\",\"hash\":\"h\",\"content\":\"/wAB\",\"content_type\":\"binary\"},"
        + "{\"path\":\"t.txt\",\"hash\":\"h\",\"content\":\"/wAB\"},{\"path\":\"u.txt\",\"hash\":\"h\",\"content\":\"/wAB\","
        + "\"content_type\":\"Binary\"},{\"path\":\"v.txt\",\"hash\":\"h\",\"content\":\"x\",\"content_type\":\"text\"},"
        + "{\"path\":\"w.bin\",\"hash\":\"h\",\"content\":\"/w\\nAB\",\"content_type\":\"binary\"}]}",
    // escapes: unicode, surrogate pairs, control characters, solidus
    "{\"email\":\"d\\u00f6@x.org\",\"files\":[{\"path\":\"\\u65e5/\\ud83d\\ude00\\/x\",\"hash\":\"h\","
        + "\"content\":\"\\u0000\\u001f\\t\\r\\n\\\"\\\\\\b\\f\u00e9\u2028\"}]}",
    // paths are normalised
    "{\"email\":\"do@x.org\",\"files\":[{\"path\":\"a//b/./c/\",\"hash\":\"h\",\"content\":\"\"}]}",
  })
  void acceptsWhatTheTreeReaderAccepts(String json) throws IOException {
    byte[] archive = CODEC.encodeMember(json.getBytes(StandardCharsets.UTF_8));
    Checkpoint expected = CODEC.decodeCheckpoint(archive);
    assertThat(streamed(archive)).isEqualTo(expected);
    assertThat(spooled(archive)).isEqualTo(expected);
  }

  @Test
  void theReferenceLayoutAndThePrettyLayoutReadTheSame() throws IOException {
    Checkpoint cp = Checkpoint.of("do@x.org", 1712345678.5, null, List.of(
        CheckpointFile.of("a/b.txt", FileContent.text("line\r\n\u00e9")),
        CheckpointFile.of("a/c.bin", FileContent.binary(new byte[] {(byte) 0xff, 0, 7}))));
    assertThat(streamed(CODEC.encodeMember(WireJson.write(cp, WireJson.Layout.PRETTY)))).isEqualTo(cp);
    assertThat(streamed(CODEC.encode(cp))).isEqualTo(cp);
  }

  @Test
  void filesAreDeliveredInOrderBeforeTheHeaderIsReturned() throws IOException {
    Checkpoint cp = Checkpoint.of("do@x.org", 9, 8.0, List.of(
        CheckpointFile.of("1", FileContent.text("a")), CheckpointFile.of("2", FileContent.text("b"))));
    List<String> seen = new ArrayList<>();
    CheckpointHeader header = READER.read(new ByteArrayInputStream(CODEC.encode(cp)), f -> seen.add(f.path()));
    assertThat(seen).containsExactly("1", "2");
    assertThat(header).isEqualTo(cp.header());
  }

  @Test
  void theCallersStreamIsNotClosed() throws IOException {
    boolean[] closed = {false};
    InputStream in = new FilterInputStream(new ByteArrayInputStream(CODEC.encode(Checkpoint.of("do@x.org", 1, null, List.of())))) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    READER.read(in, f -> { });
    assertThat(closed[0]).isFalse();
  }

  @Test
  void sinkExceptionsPropagateUnchanged() {
    byte[] archive = CODEC.encode(Checkpoint.of("do@x.org", 1, null, List.of(
        CheckpointFile.of("a", FileContent.text("a")), CheckpointFile.of("b", FileContent.text("b")))));
    IOException diskFull = new IOException("disk full");
    assertThatThrownBy(() -> READER.read(new ByteArrayInputStream(archive), f -> {
      if (f.path().equals("b")) {
        throw diskFull;
      }
    })).isSameAs(diskFull);
    IllegalStateException bug = new IllegalStateException("bug in sink");
    assertThatThrownBy(() -> READER.read(new ByteArrayInputStream(archive), f -> {
      throw bug;
    })).isSameAs(bug);
    UnsafePathException refusal = new UnsafePathException("sink refuses");
    assertThatThrownBy(() -> READER.read(new ByteArrayInputStream(archive), f -> {
      throw refusal;
    })).isSameAs(refusal);
  }

  @Test
  void aFailingSourceIsAnIoErrorNotACorruptArchive() {
    byte[] archive = CODEC.encode(Checkpoint.of("do@x.org", 1, null, List.of(
        CheckpointFile.of("a", FileContent.text("x".repeat(50_000))))));
    for (int failAt : new int[] {0, 1, 5, 20, archive.length / 2, archive.length - 1}) {
      IOException down = new IOException("network down");
      InputStream failing = new InputStream() {
        private int pos;

        @Override
        public int read() throws IOException {
          if (pos >= failAt) {
            throw down;
          }
          return archive[pos++] & 0xff;
        }
      };
      assertThatThrownBy(() -> READER.read(failing, f -> { })).as("failing at byte %d", failAt).isSameAs(down);
    }
  }

  @Test
  void spooledCheckpointsKnowTheirHeaderFirstAndCleanUp() throws IOException {
    Checkpoint cp = Checkpoint.of("do@x.org", 42, 41.5, List.of(
        CheckpointFile.of("x/1", FileContent.text("a")), CheckpointFile.of("x/2", FileContent.binary(new byte[] {1, 2}))));
    SpooledCheckpoint s = READER.spool(new ByteArrayInputStream(CODEC.encode(cp)), spool);
    try (s) {
      assertThat(s.header()).isEqualTo(cp.header());
      assertThat(s.fileCount()).isEqualTo(2);
      assertThat(listing()).hasSize(1);
      List<CheckpointFile> first = new ArrayList<>();
      s.forEachFile(first::add);
      List<CheckpointFile> second = new ArrayList<>();
      s.forEachFile(second::add);
      assertThat(first).isEqualTo(cp.files()).isEqualTo(second);
    }
    assertThat(listing()).isEmpty();
    assertThatThrownBy(() -> s.forEachFile(f -> { })).isInstanceOf(IllegalStateException.class);
    s.close();
  }

  @Test
  void spoolingRefusesTheWholeCheckpointBeforeDeliveringAnything() throws IOException {
    String json = "{\"email\":\"do@x.org\",\"files\":[" + ENTRY + "," + ENTRY
        + ",{\"path\":\"../../.ssh/authorized_keys\",\"hash\":\"h\",\"content\":\"key\"}]}";
    byte[] archive = CODEC.encodeMember(json.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> READER.spool(new ByteArrayInputStream(archive), spool))
        .isInstanceOf(UnsafePathException.class).hasMessageContaining("field 'files[2].path'");
    assertThat(listing()).as("temporary file removed").isEmpty();

    // the one-pass reader delivers the good files first: the caller must discard them on error
    List<CheckpointFile> delivered = new ArrayList<>();
    assertThatThrownBy(() -> READER.read(new ByteArrayInputStream(archive), delivered::add))
        .isInstanceOf(UnsafePathException.class);
    assertThat(delivered).hasSize(2);
  }

  // ---------------------------------------------------------------------------------- helpers

  static Checkpoint streamed(byte[] archive) throws IOException {
    return streamed(new ByteArrayInputStream(archive));
  }

  static Checkpoint streamed(InputStream archive) throws IOException {
    List<CheckpointFile> files = new ArrayList<>();
    CheckpointHeader header = READER.read(archive, files::add);
    return Checkpoint.of(header, files);
  }

  Checkpoint spooled(byte[] archive) throws IOException {
    try (SpooledCheckpoint s = READER.spool(new ByteArrayInputStream(archive), spool)) {
      List<CheckpointFile> files = new ArrayList<>();
      s.forEachFile(files::add);
      assertThat(files).hasSize(s.fileCount());
      return Checkpoint.of(s.header(), files);
    } finally {
      assertThat(listing()).as("spool file deleted").isEmpty();
    }
  }

  private List<Path> listing() throws IOException {
    try (Stream<Path> list = Files.list(spool)) {
      return list.toList();
    }
  }

  /** Delivers one byte per read call. */
  static final class Trickle extends FilterInputStream {
    Trickle(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1));
    }
  }
}
