package dev.syft.protocol.archive;

import static dev.syft.protocol.archive.HostileArchiveTest.addFile;
import static dev.syft.protocol.archive.HostileArchiveTest.tarGz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.syft.protocol.LimitExceededException;
import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.UnsafePathException;
import dev.syft.protocol.model.Checkpoint;
import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.FileContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile checkpoint archives: the streaming reader (both modes) refuses each one with the same
 * exception type as {@link ArchiveCodec#decodeCheckpoint}, and for field errors the same message.
 */
class CheckpointReaderHostileTest {
  private static final String MEMBER = ArchiveCodec.MEMBER_NAME;
  private static final byte[] GOOD = "{\"email\":\"do@x.org\",\"files\":[]}".getBytes(StandardCharsets.UTF_8);
  private static final String F = "{\"email\":\"do@x.org\",\"files\":[";

  @TempDir
  Path spool;

  @Test
  void theGoodArchiveUsedBelowIsAccepted() throws IOException {
    byte[] archive = tarGz(tar -> addFile(tar, MEMBER, GOOD));
    assertThat(CheckpointReaderTest.streamed(archive)).isEqualTo(Checkpoint.of("do@x.org", 1712345678.25, null, List.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../" + MEMBER, "/etc/passwd", "a/../../" + MEMBER, "..\\x"})
  void traversalMemberNames(String name) throws IOException {
    refusedLikeTheCodec(tarGz(tar -> addFile(tar, name, GOOD)), MalformedMessageException.class, "points outside the archive");
  }

  @Test
  void linksDevicesAndDirectories() throws IOException {
    refusedLikeTheCodec(tarGz(tar -> {
      TarArchiveEntry link = new TarArchiveEntry(MEMBER, TarConstants.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }), MalformedMessageException.class, "symbolic link");
    refusedLikeTheCodec(tarGz(tar -> {
      TarArchiveEntry link = new TarArchiveEntry(MEMBER, TarConstants.LF_LINK);
      link.setLinkName("/etc/shadow");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }), MalformedMessageException.class, "hard link");
    for (byte type : new byte[] {TarConstants.LF_CHR, TarConstants.LF_BLK, TarConstants.LF_FIFO}) {
      refusedLikeTheCodec(tarGz(tar -> {
        tar.putArchiveEntry(new TarArchiveEntry(MEMBER, type));
        tar.closeArchiveEntry();
      }), MalformedMessageException.class, "device or pipe");
    }
    refusedLikeTheCodec(tarGz(tar -> {
      tar.putArchiveEntry(new TarArchiveEntry(MEMBER + "/"));
      tar.closeArchiveEntry();
    }), MalformedMessageException.class, "directory");
  }

  @Test
  void extraMissingAndMisnamedMembers() throws IOException {
    refusedLikeTheCodec(tarGz(tar -> {
      addFile(tar, MEMBER, GOOD);
      addFile(tar, MEMBER, GOOD);
    }), MalformedMessageException.class, "more than one member");
    refusedLikeTheCodec(tarGz(tar -> {
      addFile(tar, MEMBER, GOOD);
      addFile(tar, "payload.sh", "rm -rf ~".getBytes(StandardCharsets.UTF_8));
    }), MalformedMessageException.class, "unexpected archive member 'payload.sh'");
    refusedLikeTheCodec(tarGz(tar -> { }), MalformedMessageException.class, "no member named");
    refusedLikeTheCodec(tarGz(tar -> addFile(tar, "./" + MEMBER, GOOD)), MalformedMessageException.class,
        "unexpected archive member");
  }

  @Test
  void sizesAreBoundedBeforeAndDuringDecompression() throws IOException {
    ArchiveLimits small = new ArchiveLimits(1 << 20, 64 * 1024);
    // member header announcing more than the limit
    byte[] big = tarGz(tar -> addFile(tar, MEMBER, json(2 * 64 * 1024)));
    refusedLikeTheCodec(big, small, LimitExceededException.class, "above the limit of 65536 bytes");
    // a member within the limit, then more tar content past it
    byte[] trailing = tarGz(tar -> {
      addFile(tar, MEMBER, json(64 * 1024 - 600)); // the next header passes the limit
      addFile(tar, "second", new byte[10 * 1024]);
    });
    refusedLikeTheCodec(trailing, small, LimitExceededException.class, "after decompression");
    // a PAX header larger than the limit
    String body = " path=" + "a".repeat(2 << 20) + "\n"; // 7-digit record length
    int length = body.length() + 7;
    byte[] record = (length + body).getBytes(StandardCharsets.US_ASCII);
    byte[] pax = tarGz(tar -> {
      TarArchiveEntry e = new TarArchiveEntry("PaxHeader", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
      e.setSize(record.length);
      tar.putArchiveEntry(e);
      tar.write(record);
      tar.closeArchiveEntry();
      addFile(tar, MEMBER, GOOD);
    });
    refusedLikeTheCodec(pax, small, LimitExceededException.class, "after decompression");
    // compressed size
    ArchiveLimits tiny = new ArchiveLimits(100, 1 << 20);
    byte[] archive = tarGz(tar -> addFile(tar, MEMBER, json(1000)));
    assertThat(archive.length).isGreaterThan(100);
    refusedLikeTheCodec(archive, tiny, LimitExceededException.class, "limit of 100 bytes");
  }

  @Test
  void aZipBombIsRefusedWithoutInflatingIt() throws IOException {
    ArchiveLimits limits = new ArchiveLimits(1 << 20, 1 << 20);
    // 64 MiB of zeros inside a valid JSON string: ~64 KiB compressed, refused by its tar header
    byte[] bomb = new ArchiveCodec(limits, CheckpointReaderTest.CLOCK).encodeMember(json(64 << 20));
    assertThat(bomb.length).isLessThan(1 << 20);
    long[] delivered = {0};
    assertThatThrownBy(() -> new CheckpointReader(limits, Clock.systemUTC())
        .read(new ByteArrayInputStream(bomb), f -> delivered[0]++))
        .isInstanceOf(LimitExceededException.class).hasMessageContaining("above the limit of 1048576 bytes");
    assertThat(delivered[0]).isZero();
  }

  @Test
  void truncatedCorruptAndNonGzipInput() throws IOException {
    byte[] archive = CheckpointReaderTest.CODEC.encode(Checkpoint.of("do@x.org", 1, null,
        List.of(CheckpointFile.of("a", FileContent.text("some text ".repeat(300))))));
    refusedLikeTheCodec(Arrays.copyOf(archive, archive.length / 2), MalformedMessageException.class, "truncated or corrupt");
    refusedLikeTheCodec(Arrays.copyOf(archive, archive.length - 4), MalformedMessageException.class, "truncated or corrupt");
    byte[] badCrc = archive.clone();
    badCrc[badCrc.length - 6] ^= 0x5a;
    refusedLikeTheCodec(badCrc, MalformedMessageException.class, "corrupt");
    byte[] badDeflate = archive.clone();
    badDeflate[20] ^= (byte) 0xff;
    badDeflate[21] ^= (byte) 0xff;
    refusedLikeTheCodec(badDeflate, MalformedMessageException.class, "");
    refusedLikeTheCodec(Arrays.copyOf(archive, 12), MalformedMessageException.class, "");
    refusedLikeTheCodec("just text".getBytes(StandardCharsets.UTF_8), MalformedMessageException.class, "not a gzip archive");
    refusedLikeTheCodec(new byte[0], MalformedMessageException.class, "not a gzip archive");
    refusedLikeTheCodec(new byte[] {0x1f}, MalformedMessageException.class, "not a gzip archive");
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(GOOD); // JSON without a tar around it
    }
    refusedLikeTheCodec(gz.toByteArray(), MalformedMessageException.class, "");
  }

  static Stream<String> malformedJson() {
    return Stream.of("", "   ", "not json", "[1, 2, 3]", "\"text\"", "{} {}", "{\"email\":\"a\"}garbage",
        "{\"email\":\"a\",\"files\":[", "{\"email\":\"a\",\"files\":[{\"path\":\"a\"", "{\"email\":\"a\",", "{\"email\"",
        "{\"email\":\"a\",\"files\":[{\"path\":\"a\",\"hash\":\"h\",\"content\":\"x\"}]]}", "{'email':'a'}", "{\"email\":\"a\",}", "{\"email\":\"a\",\"files\":[,]}",
        "{\"email\":\"a\",\"files\":[" + "[".repeat(5000) + "]".repeat(5000) + "]}",
        "{\"x\":" + "{\"y\":".repeat(5000) + "1" + "}".repeat(5000) + ",\"email\":\"a\"}",
        "{\"email\":\"a\",\"files\":[{\"path\":\"a\",\"hash\":\"h\",\"content\":\"x\",\"deep\":" + "[".repeat(5000)
            + "]".repeat(5000) + "}]}");
  }

  @ParameterizedTest
  @MethodSource("malformedJson")
  void malformedJsonIsRefused(String json) throws IOException {
    byte[] archive = CheckpointReaderTest.CODEC.encodeMember(json.getBytes(StandardCharsets.UTF_8));
    SyftException e = refusedLikeTheCodec(archive, MalformedMessageException.class, "checkpoint ");
    assertThat(e.getMessage()).containsAnyOf("not valid JSON", "is empty", "not a JSON object");
  }

  @Test
  void byteOrderMarkInvalidUtf8AndUtf16AreRefused() throws IOException {
    byte[] bom = new byte[GOOD.length + 3];
    bom[0] = (byte) 0xef;
    bom[1] = (byte) 0xbb;
    bom[2] = (byte) 0xbf;
    System.arraycopy(GOOD, 0, bom, 3, GOOD.length);
    refusedLikeTheCodec(encodeMember(bom), MalformedMessageException.class, "byte-order mark");
    byte[] latin1 = "{\"email\":\"caf\u00e9\",\"files\":[]}".getBytes(StandardCharsets.ISO_8859_1);
    refusedLikeTheCodec(encodeMember(latin1), MalformedMessageException.class, "not valid UTF-8");
    // invalid UTF-8 deep inside a file's content, after a valid prefix longer than any buffer
    byte[] prefix = (F + "{\"path\":\"a\",\"hash\":\"h\",\"content\":\"" + "x".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
    byte[] late = Arrays.copyOf(prefix, prefix.length + 6);
    late[prefix.length] = (byte) 0xc3; // truncated two-byte sequence
    System.arraycopy("x\"}]}".getBytes(StandardCharsets.US_ASCII), 0, late, prefix.length + 1, 5);
    refusedLikeTheCodec(encodeMember(late), MalformedMessageException.class, "not valid UTF-8");
    byte[] surrogate = (F + "{\"path\":\"a\",\"hash\":\"h\",\"content\":\"").getBytes(StandardCharsets.UTF_8);
    byte[] cesu = Arrays.copyOf(surrogate, surrogate.length + 3 + 4);
    cesu[surrogate.length] = (byte) 0xed; // an encoded surrogate is not UTF-8
    cesu[surrogate.length + 1] = (byte) 0xa0;
    cesu[surrogate.length + 2] = (byte) 0x80;
    System.arraycopy("\"}]}".getBytes(StandardCharsets.US_ASCII), 0, cesu, surrogate.length + 3, 4);
    refusedLikeTheCodec(encodeMember(cesu), MalformedMessageException.class, "not valid UTF-8");
    refusedLikeTheCodec(encodeMember(new String(GOOD, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE)),
        MalformedMessageException.class, "not valid JSON");
  }

  /** Wrong types and values: same exception type and the very same message as the tree reader. */
  @ParameterizedTest
  @ValueSource(strings = {
    "{\"files\":[]}|field 'email' is missing",
    "{\"files\":[],\"email\":null}|field 'email' must be a string, not null",
    "{\"email\":5,\"files\":[]}|field 'email' must be a string, not a number",
    "{\"email\":[\"a\"],\"files\":[]}|field 'email' must be a string, not a list",
    "{\"email\":{\"a\":1},\"files\":[]}|field 'email' must be a string, not an object",
    "{\"email\":\"\\ud800\",\"files\":[]}|field 'email' contains an unpaired surrogate",
    "{\"email\":\"a\",\"timestamp\":\"soon\"}|field 'timestamp' must be a number, not the string 'soon'",
    "{\"email\":\"a\",\"timestamp\":1e999}|field 'timestamp' must be a finite number",
    "{\"email\":\"a\",\"timestamp\":true}|field 'timestamp' must be a number, not a boolean",
    "{\"email\":\"a\",\"timestamp\":null}|field 'timestamp' must be a number, not null",
    "{\"email\":\"a\",\"version\":\"x\"}|field 'version' must be an integer",
    "{\"email\":\"a\",\"version\":1.5}|field 'version' must be an integer",
    "{\"email\":\"a\",\"version\":99999999999}|field 'version' is out of range",
    "{\"email\":\"a\",\"last_event_timestamp\":\"x\"}|field 'last_event_timestamp' must be a number",
    "{\"email\":\"a\",\"last_event_timestamp\":[]}|field 'last_event_timestamp' must be a number, not a list",
    "{\"email\":\"a\",\"files\":{}}|field 'files' must be a list, not an object",
    "{\"email\":\"a\",\"files\":null}|field 'files' must be a list, not null",
    "{\"email\":\"a\",\"files\":\"x\"}|field 'files' must be a list, not a string",
    "{\"email\":\"a\",\"files\":[5]}|field 'files[0]' must be an object, not a number",
    "{\"email\":\"a\",\"files\":[[]]}|field 'files[0]' must be an object, not a list",
    "{\"email\":\"a\",\"files\":[null]}|field 'files[0]' must be an object, not null",
    F + "{\"hash\":\"h\",\"content\":\"x\"}]}|field 'files[0].path' is missing",
    F + "{\"path\":\"a\",\"content\":\"x\"}]}|field 'files[0].hash' is missing",
    F + "{\"path\":\"a\",\"hash\":\"h\"}]}|field 'files[0].content' is missing",
    F + "{\"path\":\"a\",\"hash\":\"h\",\"content\":null}]}|field 'files[0].content' must be a string, not null",
    F + "{\"path\":\"a\",\"hash\":5,\"content\":\"x\"}]}|field 'files[0].hash' must be a string, not a number",
    F + "{\"path\":[],\"hash\":\"h\",\"content\":\"x\"}]}|field 'files[0].path' must be a string, not a list",
    F + "{\"path\":\"a\",\"hash\":\"h\",\"content\":{}}]}|field 'files[0].content' must be a string, not an object",
    F + "{\"path\":\"a\",\"hash\":\"h\",\"content\":\"\\udc00x\"}]}|field 'files[0].content' contains an unpaired surrogate",
    F + "{\"path\":\"a\",\"hash\":\"h\",\"content\":\"abc\",\"content_type\":\"binary\"}]}"
        + "|field 'files[0].content' binary content is not valid base64",
    F + "{\"path\":\"a\",\"hash\":\"h\",\"content\":\"x\"},{\"path\":\"b\",\"hash\":\"h\",\"content\":\"a*b\","
        + "\"content_type\":\"binary\"}]}|field 'files[1].content' binary content is not valid base64",
    // a bad header field after the files
    "{\"files\":[{\"path\":\"a\",\"hash\":\"h\",\"content\":\"x\"}],\"email\":false}|field 'email' must be a string",
  })
  void wrongTypesAreRefusedWithTheTreeReadersMessage(String spec) throws IOException {
    String[] parts = spec.split("\\|", 2);
    byte[] archive = encodeMember(parts[0].getBytes(StandardCharsets.UTF_8));
    SyftException e = refusedLikeTheCodec(archive, MalformedMessageException.class, parts[1]);
    assertThat(e.getMessage()).startsWith("checkpoint: ");
    assertThat(e.getMessage()).isEqualTo(catchThrowable(() -> CheckpointReaderTest.CODEC.decodeCheckpoint(archive)).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../.ssh/authorized_keys", "/etc/passwd", "a\\\\..\\\\b", "a/\\u0000b", "a/../../b", ".", "",
      "C:/x", "a/\\u001fb", "a/\\u007f"})
  void unsafePathsAreRefused(String jsonPath) throws IOException {
    String json = F + "{\"path\":\"ok.txt\",\"hash\":\"h\",\"content\":\"x\"},{\"path\":\"" + jsonPath
        + "\",\"hash\":\"h\",\"content\":\"x\"}]}";
    byte[] archive = encodeMember(json.getBytes(StandardCharsets.UTF_8));
    SyftException e = refusedLikeTheCodec(archive, UnsafePathException.class, "field 'files[1].path'");
    assertThat(e.getMessage()).isEqualTo(catchThrowable(() -> CheckpointReaderTest.CODEC.decodeCheckpoint(archive)).getMessage());
  }

  @Test
  void aSecondFilesListIsRefused() throws IOException {
    // Deviation: the tree reader keeps the last list; a stream cannot take back files it delivered.
    byte[] archive = encodeMember((F + "],\"files\":[]}").getBytes(StandardCharsets.UTF_8));
    assertThat(CheckpointReaderTest.CODEC.decodeCheckpoint(archive).files()).isEmpty();
    assertThatThrownBy(() -> CheckpointReaderTest.READER.read(new ByteArrayInputStream(archive), f -> { }))
        .isInstanceOf(MalformedMessageException.class).hasMessage("checkpoint: field 'files' appears more than once");
  }

  // ---------------------------------------------------------------------------------- helpers

  private static byte[] encodeMember(byte[] json) {
    return CheckpointReaderTest.CODEC.encodeMember(json);
  }

  /** A member of about {@code size} bytes: a valid checkpoint with one file of zeros-as-text. */
  private static byte[] json(int size) {
    String head = F + "{\"path\":\"a\",\"hash\":\"h\",\"content\":\"";
    String tail = "\"}]}";
    return (head + "0".repeat(Math.max(0, size - head.length() - tail.length())) + tail).getBytes(StandardCharsets.US_ASCII);
  }

  private SyftException refusedLikeTheCodec(byte[] archive, Class<? extends SyftException> type, String fragment)
      throws IOException {
    return refusedLikeTheCodec(archive, ArchiveLimits.DEFAULT, type, fragment);
  }

  /** Both reading modes refuse with {@code type}, as the codec does; nothing is left in the spool folder. */
  private SyftException refusedLikeTheCodec(byte[] archive, ArchiveLimits limits, Class<? extends SyftException> type,
      String fragment) throws IOException {
    ArchiveCodec codec = new ArchiveCodec(limits, CheckpointReaderTest.CLOCK);
    assertThatThrownBy(() -> codec.decodeCheckpoint(archive)).as("the codec refuses it too").isInstanceOf(type);
    CheckpointReader reader = new CheckpointReader(limits, CheckpointReaderTest.CLOCK);
    Throwable streamed = catchThrowable(() -> reader.read(new ByteArrayInputStream(archive), f -> { }));
    assertThat(streamed).isInstanceOf(type).hasMessageContaining(fragment);
    assertThat(streamed.getMessage()).isNotBlank().doesNotContain("\n");
    Throwable spooled = catchThrowable(() -> reader.spool(new ByteArrayInputStream(archive), spool).close());
    assertThat(spooled).isInstanceOf(type).hasMessage(streamed.getMessage());
    try (Stream<Path> left = Files.list(spool)) {
      assertThat(left).as("no temporary file left behind").isEmpty();
    }
    return (SyftException) streamed;
  }
}
