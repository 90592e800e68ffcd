package dev.syft.protocol.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.LimitExceededException;
import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.UnsafePathException;
import dev.syft.protocol.model.PayloadKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Archives a hostile peer could send: every one is refused with a clear one-line error. */
class HostileArchiveTest {
  private static final String MEMBER = ArchiveCodec.MEMBER_NAME;
  private static final byte[] GOOD_JSON = ("{\"events\":[],\"message_filepath\":{\"id\":"
      + "\"541f773d-dbd9-4678-b9e4-cde9c1ccc3d9\",\"timestamp\":1712345678.5,\"extension\":\".tar.gz\"}}")
      .getBytes(StandardCharsets.UTF_8);

  private final ArchiveCodec codec = new ArchiveCodec();

  @Test
  void aWellFormedArchiveIsAccepted() throws IOException {
    byte[] archive = tarGz(tar -> addFile(tar, MEMBER, GOOD_JSON));
    assertThat(codec.extractMember(archive)).isEqualTo(GOOD_JSON);
    assertThat(codec.decode(archive, PayloadKind.EVENTS).kind()).isEqualTo(PayloadKind.EVENTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../" + MEMBER, "../../etc/cron.d/x", "/etc/passwd", "a/../../" + MEMBER, "..\\x"})
  void pathTraversalMemberNamesAreRefused(String name) throws IOException {
    byte[] archive = tarGz(tar -> addFile(tar, name, GOOD_JSON));
    refused(archive, MalformedMessageException.class).hasMessageContaining("points outside the archive");
  }

  @Test
  void symlinkMemberIsRefused() throws IOException {
    byte[] archive = tarGz(tar -> {
      TarArchiveEntry link = new TarArchiveEntry(MEMBER, TarConstants.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    });
    refused(archive, MalformedMessageException.class).hasMessageContaining("symbolic link");
  }

  @Test
  void hardLinkMemberIsRefused() throws IOException {
    byte[] archive = tarGz(tar -> {
      TarArchiveEntry link = new TarArchiveEntry(MEMBER, TarConstants.LF_LINK);
      link.setLinkName("/etc/shadow");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    });
    refused(archive, MalformedMessageException.class).hasMessageContaining("hard link");
  }

  @Test
  void deviceAndDirectoryMembersAreRefused() throws IOException {
    byte[] device = tarGz(tar -> {
      TarArchiveEntry dev = new TarArchiveEntry(MEMBER, TarConstants.LF_CHR);
      tar.putArchiveEntry(dev);
      tar.closeArchiveEntry();
    });
    refused(device, MalformedMessageException.class).hasMessageContaining("device");
    byte[] directory = tarGz(tar -> {
      tar.putArchiveEntry(new TarArchiveEntry(MEMBER + "/"));
      tar.closeArchiveEntry();
    });
    refused(directory, MalformedMessageException.class).hasMessageContaining("directory");
  }

  @Test
  void twoMembersAreRefused() throws IOException {
    byte[] same = tarGz(tar -> {
      addFile(tar, MEMBER, GOOD_JSON);
      addFile(tar, MEMBER, GOOD_JSON);
    });
    refused(same, MalformedMessageException.class).hasMessageContaining("more than one member");
    byte[] extra = tarGz(tar -> {
      addFile(tar, MEMBER, GOOD_JSON);
      addFile(tar, "payload.sh", "rm -rf ~".getBytes(StandardCharsets.UTF_8));
    });
    refused(extra, MalformedMessageException.class).hasMessageContaining("unexpected archive member 'payload.sh'");
  }

  @Test
  void missingOrMisnamedMemberIsRefused() throws IOException {
    refused(tarGz(tar -> { }), MalformedMessageException.class).hasMessageContaining("no member named");
    refused(tarGz(tar -> addFile(tar, "./" + MEMBER, GOOD_JSON)), MalformedMessageException.class)
        .hasMessageContaining("unexpected archive member");
    refused(tarGz(tar -> addFile(tar, "Proposed_File_Changes.json", GOOD_JSON)), MalformedMessageException.class)
        .hasMessageContaining("unexpected archive member");
  }

  @Test
  void oneGibOfCompressedZerosIsRefusedWithoutInflatingIt() throws IOException {
    long gib = 1L << 30;
    // Streamed: the 1 GiB member never exists in memory, only its ~1 MB deflate stream.
    byte[] bomb = tarGz(tar -> {
      TarArchiveEntry e = new TarArchiveEntry(MEMBER);
      e.setSize(gib);
      tar.putArchiveEntry(e);
      byte[] zeros = new byte[1 << 20];
      for (long written = 0; written < gib; written += zeros.length) {
        tar.write(zeros);
      }
      tar.closeArchiveEntry();
    }, Deflater.BEST_COMPRESSION);
    assertThat(bomb.length).isLessThan(2 << 20);
    refused(bomb, LimitExceededException.class).hasMessageContaining("above the limit of 268435456 bytes");
  }

  @Test
  void decompressionIsBoundedWhileStreaming() throws IOException {
    // A member within the limit, then a second header beyond it: the byte count stops the reader.
    ArchiveCodec small = new ArchiveCodec(new ArchiveLimits(1 << 20, 10 * 1024), java.time.Clock.systemUTC());
    byte[] archive = tarGz(tar -> {
      addFile(tar, MEMBER, new byte[9 * 1024]);
      addFile(tar, "second", new byte[10]);
    });
    assertThatThrownBy(() -> small.extractMember(archive)).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("after decompression");
  }

  @Test
  void paxHeaderBombIsBounded() throws IOException {
    ArchiveCodec small = new ArchiveCodec(new ArchiveLimits(1 << 20, 1 << 20), java.time.Clock.systemUTC());
    // A syntactically valid PAX record whose value (the member path) is 2 MiB long.
    String body = " path=" + "a".repeat(2 << 20) + "\n";
    int length = body.length() + 7;
    byte[] record = (length + body).getBytes(StandardCharsets.US_ASCII);
    assertThat(record.length).isEqualTo(length);
    byte[] archive = tarGz(tar -> {
      TarArchiveEntry pax = new TarArchiveEntry("PaxHeader", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
      pax.setSize(record.length);
      tar.putArchiveEntry(pax);
      tar.write(record);
      tar.closeArchiveEntry();
      addFile(tar, MEMBER, GOOD_JSON);
    });
    assertThatThrownBy(() -> small.extractMember(archive)).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("after decompression");
  }

  @Test
  void compressedSizeIsBounded() throws IOException {
    ArchiveCodec small = new ArchiveCodec(new ArchiveLimits(100, 1 << 20), java.time.Clock.systemUTC());
    byte[] archive = tarGz(tar -> addFile(tar, MEMBER, GOOD_JSON));
    assertThat(archive.length).isGreaterThan(100);
    assertThatThrownBy(() -> small.extractMember(archive)).isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("above the limit of 100 bytes");
    assertThatThrownBy(() -> small.readBounded(new java.io.ByteArrayInputStream(archive)))
        .isInstanceOf(LimitExceededException.class);
  }

  @Test
  void truncatedOrCorruptGzipIsRefused() throws IOException {
    byte[] archive = codec.encodeMember(GOOD_JSON);
    refused(Arrays.copyOf(archive, archive.length / 2), MalformedMessageException.class)
        .hasMessageContaining("truncated or corrupt");
    refused(Arrays.copyOf(archive, archive.length - 4), MalformedMessageException.class)
        .hasMessageContaining("truncated or corrupt");
    byte[] badCrc = archive.clone();
    badCrc[badCrc.length - 6] ^= 0x5a;
    refused(badCrc, MalformedMessageException.class).hasMessageContaining("corrupt");
    refused(Arrays.copyOf(archive, 12), MalformedMessageException.class);
  }

  @Test
  void nonGzipAndNonTarInputIsRefused() throws IOException {
    refused("just text".getBytes(StandardCharsets.UTF_8), MalformedMessageException.class)
        .hasMessageContaining("not a gzip archive");
    refused(new byte[0], MalformedMessageException.class).hasMessageContaining("not a gzip archive");
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(GOOD_JSON); // JSON gzip'd without a tar around it
    }
    refused(gz.toByteArray(), MalformedMessageException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json at all", "{\"events\": [", "[1, 2, 3]", "", "{} {}", "{\"a\":1}garbage"})
  void nonJsonMembersAreRefused(String member) {
    byte[] archive = codec.encodeMember(member.getBytes(StandardCharsets.UTF_8));
    refused(archive, MalformedMessageException.class);
  }

  @Test
  void byteOrderMarkAndInvalidUtf8AreRefused() {
    byte[] bom = new byte[GOOD_JSON.length + 3];
    bom[0] = (byte) 0xef;
    bom[1] = (byte) 0xbb;
    bom[2] = (byte) 0xbf;
    System.arraycopy(GOOD_JSON, 0, bom, 3, GOOD_JSON.length);
    refused(codec.encodeMember(bom), MalformedMessageException.class).hasMessageContaining("byte-order mark");
    byte[] latin1 = "{\"email\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    refused(codec.encodeMember(latin1), MalformedMessageException.class).hasMessageContaining("not valid UTF-8");
    // UTF-16 is valid UTF-8 byte-wise (ASCII + NUL) but must not be auto-detected as JSON.
    refused(codec.encodeMember(new String(GOOD_JSON, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE)),
        MalformedMessageException.class).hasMessageContaining("not valid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"events\":{},\"message_filepath\":{}}|field 'events' must be a list",
    "{\"events\":[5]}|field 'events[0]' must be an object",
    "{\"events\":[{\"id\":5}]}|field 'events[0].id' must be a UUID string",
    "{\"events\":[{\"id\":\"nope\"}]}|field 'events[0].id' is not a valid UUID",
    "{\"events\":[" + EVENT_PREFIX + ",\"is_deleted\":\"maybe\",\"submitted_timestamp\":1,\"timestamp\":2}]}"
        + "|field 'events[0].is_deleted' must be a boolean",
    "{\"events\":[" + EVENT_PREFIX + ",\"submitted_timestamp\":true,\"timestamp\":2}]}"
        + "|field 'events[0].submitted_timestamp' must be a number",
    "{\"events\":[" + EVENT_PREFIX + ",\"submitted_timestamp\":\"soon\",\"timestamp\":2}]}"
        + "|field 'events[0].submitted_timestamp' must be a number, not the string 'soon'",
    "{\"events\":[" + EVENT_PREFIX + ",\"submitted_timestamp\":1e999,\"timestamp\":2}]}"
        + "|field 'events[0].submitted_timestamp' must be a finite number",
    "{\"events\":[" + EVENT_PREFIX + ",\"content\":123,\"submitted_timestamp\":1,\"timestamp\":2}]}"
        + "|field 'events[0].content' must be a string or null",
    "{\"events\":[" + EVENT_PREFIX + ",\"content\":\"abc\",\"content_type\":\"binary\",\"submitted_timestamp\":1,"
        + "\"timestamp\":2}]}|field 'events[0].content' binary content is not valid base64",
    "{\"events\":[" + EVENT_PREFIX + ",\"content\":\"\\ud800\",\"submitted_timestamp\":1,\"timestamp\":2}]}"
        + "|field 'events[0].content' contains an unpaired surrogate",
    "{\"events\":[" + EVENT_PREFIX + ",\"timestamp\":2}]}|field 'events[0].submitted_timestamp' is missing",
    "{\"events\":[],\"message_filepath\":[]}|field 'message_filepath' must be an object",
    "{\"events\":[],\"message_filepath\":{\"timestamp\":null}}|field 'message_filepath.timestamp' must be a number",
  })
  void wrongFieldTypesAreRefusedNamingTheField(String spec) {
    String[] parts = spec.split("\\|", 2);
    byte[] archive = codec.encodeMember(parts[0].getBytes(StandardCharsets.UTF_8));
    refused(archive, PayloadKind.EVENTS, MalformedMessageException.class)
        .hasMessageStartingWith("events message: ").hasMessageContaining(parts[1]);
  }

  private static final String EVENT_PREFIX =
      "{\"id\":\"5196ef6d-cc26-49d3-a9ee-36196a16b3a9\",\"path_in_datasite\":\"a.txt\",\"datasite_email\":\"do@x.org\"";

  @ParameterizedTest
  @ValueSource(strings = {"../../.ssh/authorized_keys", "/etc/passwd", "a\\\\..\\\\b", "a/\\u0000b", "a/../../b", ".", ""})
  void unsafePathsInsideAreRefused(String jsonPath) {
    String json = "{\"id\":\"638272d2-c60a-482a-b8a0-42288e0c50cf\",\"sender_email\":\"ds@x.org\","
        + "\"proposed_file_changes\":[{\"path_in_datasite\":\"" + jsonPath + "\",\"datasite_email\":\"do@x.org\","
        + "\"content\":\"x\"}]}";
    byte[] archive = codec.encodeMember(json.getBytes(StandardCharsets.UTF_8));
    refused(archive, PayloadKind.PROPOSAL, UnsafePathException.class)
        .hasMessageContaining("field 'proposed_file_changes[0].path_in_datasite'");
  }

  @Test
  void deeplyNestedJsonIsRefused() {
    String json = "{\"events\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    refused(codec.encodeMember(json.getBytes(StandardCharsets.UTF_8)), MalformedMessageException.class);
  }

  // ---------------------------------------------------------------------------------- helpers

  private AbstractThrowableAssert<?, ? extends Throwable> refused(byte[] archive, Class<? extends SyftException> type) {
    return refused(archive, PayloadKind.EVENTS, type);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> refused(
      byte[] archive, PayloadKind kind, Class<? extends SyftException> type) {
    return assertThatThrownBy(() -> codec.decode(archive, kind))
        .isInstanceOf(type)
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n"));
  }

  interface TarWriter {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  static byte[] tarGz(TarWriter writer) throws IOException {
    return tarGz(writer, Deflater.DEFAULT_COMPRESSION);
  }

  static byte[] tarGz(TarWriter writer, int level) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes, 65536) {
          {
            def.setLevel(level);
          }
        };
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      writer.write(tar);
      tar.finish();
    }
    return bytes.toByteArray();
  }

  static void addFile(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }
}
