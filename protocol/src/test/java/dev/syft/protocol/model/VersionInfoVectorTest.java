package dev.syft.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.Vectors;
import dev.syft.protocol.hash.Hashes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of models/version_info/index.json. */
class VersionInfoVectorTest {
  static Stream<Arguments> cases() {
    return Vectors.cases("models/version_info/index.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void renderAndParse(JsonNode c) {
    if (c.get("kind").stringValue().equals("render")) {
      JsonNode in = c.get("inputs");
      TemporalAccessor at = DateTimeFormatter.ISO_DATE_TIME.parse(in.get("updated_at").stringValue());
      ZoneOffset offset = at.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(at) : null;
      VersionInfo info = new VersionInfo(text(in, "syft_client_version"), text(in, "min_supported_syft_client_version"),
          text(in, "protocol_version"), text(in, "min_supported_protocol_version"), text(in, "syft_client_install_source"),
          LocalDateTime.from(at), offset, text(in, "attestation_token"));
      byte[] expected = Vectors.bytes("models/version_info/" + c.get("file").stringValue());
      assertThat(Hashes.sha256Hex(expected)).isEqualTo(c.get("sha256").stringValue());
      assertThat(new String(info.toJson(), StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
      assertThat(VersionInfo.parse(expected)).isEqualTo(info);
      return;
    }
    byte[] input = c.get("input").stringValue().getBytes(StandardCharsets.UTF_8);
    JsonNode expected = c.get("expected");
    if (expected.get("result").stringValue().equals("error")) {
      assertThatThrownBy(() -> VersionInfo.parse(input)).isInstanceOf(MalformedMessageException.class)
          .hasMessageStartingWith("version file: field ");
      return;
    }
    VersionInfo info = VersionInfo.parse(input);
    JsonNode f = expected.get("fields");
    assertThat(info.syftClientVersion()).isEqualTo(text(f, "syft_client_version"));
    assertThat(info.minSupportedSyftClientVersion()).isEqualTo(text(f, "min_supported_syft_client_version"));
    assertThat(info.protocolVersion()).isEqualTo(text(f, "protocol_version"));
    assertThat(info.minSupportedProtocolVersion()).isEqualTo(text(f, "min_supported_protocol_version"));
    assertThat(info.syftClientInstallSource()).isEqualTo(text(f, "syft_client_install_source"));
    assertThat(info.attestationToken()).isEqualTo(text(f, "attestation_token"));
    OffsetDateTime at = OffsetDateTime.parse(text(f, "updated_at"));
    assertThat(info.updatedAt()).isEqualTo(at.toLocalDateTime());
    assertThat(info.updatedAtOffset()).isEqualTo(at.getOffset());
  }

  @Test
  void currentUsesTheReferenceVersionsAndUtc() {
    Clock clock = Clock.fixed(Instant.parse("2024-04-05T19:34:38.123456789Z"), ZoneOffset.UTC);
    VersionInfo v = VersionInfo.current("syft-client==0.1.117", clock);
    assertThat(v.syftClientVersion()).isEqualTo("0.1.117");
    assertThat(v.minSupportedSyftClientVersion()).isEqualTo("0.1.93");
    assertThat(v.updatedAtText()).isEqualTo("2024-04-05T19:34:38.123456Z");
    assertThat(VersionInfo.parse(v.toJson())).isEqualTo(v);
  }

  @Test
  void missingUpdatedAtDefaultsToNowAndOffsetsAreKept() {
    Clock clock = Clock.fixed(Instant.parse("2030-01-02T03:04:05Z"), ZoneOffset.UTC);
    String json = "{\"syft_client_version\":\"0.1.117\",\"min_supported_syft_client_version\":\"0.1.93\","
        + "\"protocol_version\":\"1.0.0\",\"min_supported_protocol_version\":\"1.0.0\",\"extra\":1}";
    VersionInfo v = VersionInfo.parse(json.getBytes(StandardCharsets.UTF_8), clock);
    assertThat(v.updatedAtInstant()).isEqualTo(clock.instant());
    String withOffset = json.replace("\"extra\":1", "\"updated_at\":\"2024-04-05T21:34:38.5-0530\"");
    VersionInfo o = VersionInfo.parse(withOffset.getBytes(StandardCharsets.UTF_8));
    assertThat(o.updatedAtText()).isEqualTo("2024-04-05T21:34:38.500000-05:30");
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.stringValue();
  }
}
