package dev.syft.protocol.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.Vectors;
import dev.syft.protocol.hash.Hashes;
import dev.syft.protocol.model.DecodedView;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.model.WireJson;
import dev.syft.protocol.model.WirePayload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of archives/index.json (decode, re-encode, archive layout) and archives/reader_cases.json. */
class ArchiveVectorTest {
  static Stream<Arguments> archives() {
    return Vectors.cases("archives/index.json");
  }

  static Stream<Arguments> readerCases() {
    return Vectors.cases("archives/reader_cases.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("archives")
  void decodesTheReferenceArchive(JsonNode c) {
    byte[] archive = Vectors.bytes("archives/" + c.get("archive_file").stringValue());
    byte[] member = Vectors.bytes("archives/" + c.get("member_file").stringValue());
    assertThat(Hashes.sha256Hex(member)).isEqualTo(c.get("member_sha256").stringValue());
    assertThat(c.get("member_name").stringValue()).isEqualTo(ArchiveCodec.MEMBER_NAME);
    ArchiveCodec codec = codecAt(c.get("clock_at_write"));
    PayloadKind kind = kind(c);

    assertThat(PayloadKind.fromFileName(c.get("file_name").stringValue())).hasValue(kind);
    assertThat(codec.extractMember(archive)).isEqualTo(member);
    WirePayload decoded = codec.decode(archive, kind);
    assertThat(decoded.kind()).isEqualTo(kind);
    assertThat(DecodedView.of(decoded)).isEqualTo(c.get("decoded"));
    assertThat(codec.decode(archive)).as("kind detected from the member").isEqualTo(decoded);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("archives")
  void reEncodesTheMemberAndNameByteForByte(JsonNode c) {
    byte[] member = Vectors.bytes("archives/" + c.get("member_file").stringValue());
    WirePayload decoded = codecAt(c.get("clock_at_write")).decode(
        Vectors.bytes("archives/" + c.get("archive_file").stringValue()), kind(c));

    assertThat(decoded.fileName()).isEqualTo(c.get("file_name").stringValue());
    assertThat(c.get("reserialises_identically").booleanValue()).isTrue();
    assertThat(new String(WireJson.write(decoded), StandardCharsets.UTF_8))
        .isEqualTo(new String(member, StandardCharsets.UTF_8));
    assertThat(WireJson.write(decoded)).isEqualTo(member);
    String style = c.get("json_style").stringValue();
    assertThat(style).isEqualTo(kind(c) == PayloadKind.PROPOSAL ? "indent2" : "compact");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("archives")
  void writesTheReferenceArchiveLayout(JsonNode c) throws IOException {
    byte[] reference = Vectors.bytes("archives/" + c.get("archive_file").stringValue());
    ArchiveCodec codec = codecAt(c.get("clock_at_write"));
    WirePayload decoded = codec.decode(reference, kind(c));
    byte[] ours = codec.encode(decoded);

    JsonNode gz = c.get("gzip_header");
    assertThat(HexFormat.of().formatHex(ours, 0, 2)).isEqualTo(gz.get("magic").stringValue());
    assertThat(ours[2] & 0xff).isEqualTo(gz.get("method").intValue());
    assertThat(ours[3] & 0xff).isEqualTo(gz.get("flags").intValue());
    long mtime = (ours[4] & 0xffL) | (ours[5] & 0xffL) << 8 | (ours[6] & 0xffL) << 16 | (ours[7] & 0xffL) << 24;
    assertThat(mtime).isEqualTo(gz.get("mtime").longValue());
    assertThat(ours[8] & 0xff).isEqualTo(gz.get("xfl").intValue());
    assertThat(ours[9] & 0xff).isEqualTo(gz.get("os").intValue());

    JsonNode tar = c.get("tar");
    byte[] innerTar = gunzip(ours);
    assertThat(innerTar).hasSize(tar.get("inner_tar_size").intValue());
    assertThat(Hashes.sha256Hex(innerTar)).isEqualTo(tar.get("inner_tar_sha256").stringValue());
    assertThat(innerTar).isEqualTo(gunzip(reference));
    assertThat(innerTar.length % Ustar.RECORD).isZero();
    assertThat(new String(innerTar, 257, 8, StandardCharsets.ISO_8859_1)).isEqualTo(tar.get("header_magic").stringValue());
    assertThat((char) innerTar[156]).hasToString(tar.get("member_type").stringValue());
    assertThat(new String(innerTar, 100, 8, StandardCharsets.ISO_8859_1))
        .isEqualTo("0000" + tar.get("member_mode").stringValue().substring(2) + "\0");

    assertThat(codec.decode(ours, kind(c))).isEqualTo(decoded);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readerCases")
  void readerLeniencyMatchesTheReference(JsonNode c) {
    PayloadKind kind = kind(c);
    byte[] json = c.get("json").stringValue().getBytes(StandardCharsets.UTF_8);
    JsonNode expected = c.get("expected");
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1712345678), ZoneOffset.UTC);
    WireJson reader = new WireJson(clock);
    ArchiveCodec codec = new ArchiveCodec(ArchiveLimits.DEFAULT, clock);
    byte[] archive = codec.encodeMember(json);
    if (expected.get("result").stringValue().equals("error")) {
      assertThatThrownBy(() -> reader.read(kind, json)).isInstanceOf(MalformedMessageException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      assertThatThrownBy(() -> codec.decode(archive, kind)).isInstanceOf(MalformedMessageException.class);
      return;
    }
    WirePayload decoded = reader.read(kind, json);
    assertThat(DecodedView.of(decoded)).isEqualTo(expected.get("decoded"));
    assertThat(codec.decode(archive, kind)).isEqualTo(decoded);
  }

  static PayloadKind kind(JsonNode c) {
    return PayloadKind.fromName(c.get("kind").stringValue()).orElseThrow();
  }

  /** A clock fixed at the vector's write time (gives the gzip MTIME and model "now" defaults). */
  static ArchiveCodec codecAt(JsonNode clockAtWrite) {
    BigDecimal seconds = new BigDecimal(Vectors.dbl(clockAtWrite));
    Instant at = Instant.ofEpochSecond(seconds.longValue(),
        seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
    return new ArchiveCodec(ArchiveLimits.DEFAULT, Clock.fixed(at, ZoneOffset.UTC));
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
