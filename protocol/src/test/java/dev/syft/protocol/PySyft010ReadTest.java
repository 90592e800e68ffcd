package dev.syft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.archive.ArchiveCodec;
import dev.syft.protocol.archive.ArchiveLimits;
import dev.syft.protocol.archive.CheckpointReader;
import dev.syft.protocol.archive.ProposalReader;
import dev.syft.protocol.archive.SpooledCheckpoint;
import dev.syft.protocol.archive.SpooledProposal;
import dev.syft.protocol.model.Checkpoint;
import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.CheckpointHeader;
import dev.syft.protocol.model.DecodedView;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.model.PeerState;
import dev.syft.protocol.model.PeerVersionFile;
import dev.syft.protocol.model.PeersFile;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.protocol.model.VersionInfo;
import dev.syft.protocol.model.WireJson;
import dev.syft.protocol.model.WirePayload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a PySyft 0.10 peer (package {@code syft}, protocol 1) writes, built from the facts of
 * PYSYFT-0.10.md on top of the 0.1.117 golden vectors, reads as the 0.1.117 original does; what we
 * write back stays protocol 0 byte for byte.
 */
class PySyft010ReadTest {
  @TempDir Path spool;

  static Stream<Arguments> archives() {
    return Vectors.cases("archives/index.json");
  }

  /**
   * The golden member with the 0.10 additions: {@code canonical_name} and {@code version} "1" in
   * every model object (the message and each change/event/file); a root that already has an integer
   * {@code version} (checkpoints, rolling state) keeps it and gains {@code canonical_name}.
   */
  static byte[] as010(byte[] member) {
    ObjectNode root = (ObjectNode) Vectors.mapper().readTree(member);
    add(root, rootName(root));
    for (String list : List.of("proposed_file_changes", "events", "files")) {
      JsonNode items = root.get(list);
      if (items != null && items.isArray()) {
        for (JsonNode item : items) {
          add((ObjectNode) item, list.equals("files") ? "CheckpointFile"
              : list.equals("events") ? "FileChangeEvent" : "ProposedFileChange");
        }
      }
    }
    return Vectors.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
  }

  private static void add(ObjectNode o, String canonicalName) {
    // first keys, as pydantic puts declared fields of a base model before the subclass's
    ObjectNode copy = o.deepCopy();
    o.removeAll();
    o.put("canonical_name", canonicalName);
    if (!copy.has("version")) {
      o.put("version", "1");
    }
    o.setAll(copy);
  }

  private static String rootName(ObjectNode root) {
    return root.has("proposed_file_changes") ? "ProposedFileChangesMessage"
        : root.has("files") ? "Checkpoint" : root.has("sequence_number") ? "IncrementalCheckpoint"
        : root.has("base_checkpoint_timestamp") ? "RollingState" : "FileChangeEventsMessage";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("archives")
  void everyMessageKindReadsWithThe010FieldsAndWritesBackProtocol0(JsonNode c) throws IOException {
    byte[] golden = Vectors.bytes("archives/" + c.get("member_file").stringValue());
    Clock clock = clockAt(c.get("clock_at_write"));
    ArchiveCodec codec = new ArchiveCodec(ArchiveLimits.DEFAULT, clock);
    PayloadKind kind = PayloadKind.fromName(c.get("kind").stringValue()).orElseThrow();
    byte[] newer = codec.encodeMember(as010(golden));
    assertThat(new String(codec.extractMember(newer), StandardCharsets.UTF_8)).contains("\"canonical_name\"");

    WirePayload decoded = codec.decode(newer, kind);
    assertThat(DecodedView.of(decoded)).isEqualTo(c.get("decoded"));
    assertThat(codec.decode(newer)).as("kind detected despite the new keys").isEqualTo(decoded);
    assertThat(WireJson.write(decoded)).as("we write protocol 0").isEqualTo(golden);

    if (kind == PayloadKind.PROPOSAL) {
      ProposedFileChangesMessage expected = (ProposedFileChangesMessage) decoded;
      try (SpooledProposal s = new ProposalReader(ArchiveLimits.DEFAULT, clock)
          .read(new ByteArrayInputStream(newer), spool)) {
        assertThat(s.id()).isEqualTo(expected.id());
        assertThat(s.changes()).hasSameSizeAs(expected.changes());
        for (int i = 0; i < s.changes().size(); i++) {
          assertThat(s.changes().get(i).id()).isEqualTo(expected.changes().get(i).id());
          assertThat(s.changes().get(i).pathInDatasite()).isEqualTo(expected.changes().get(i).pathInDatasite());
          assertThat(s.changes().get(i).content() == null ? null : s.changes().get(i).content().toFileContent())
              .isEqualTo(expected.changes().get(i).content());
        }
      }
    }
    if (kind == PayloadKind.CHECKPOINT) {
      CheckpointReader reader = new CheckpointReader(ArchiveLimits.DEFAULT, clock);
      List<CheckpointFile> files = new ArrayList<>();
      CheckpointHeader header = reader.read(new ByteArrayInputStream(newer), files::add);
      assertThat(Checkpoint.of(header, files)).isEqualTo(decoded);
      try (SpooledCheckpoint s = reader.spool(new ByteArrayInputStream(newer), spool)) {
        List<CheckpointFile> spooled = new ArrayList<>();
        s.forEachFile(spooled::add);
        assertThat(Checkpoint.of(s.header(), spooled)).isEqualTo(decoded);
      }
    }
  }

  @Test
  void aCheckpointWhoseVersionIsTheString1ReadsAsVersion1() {
    byte[] golden = Vectors.bytes("archives/checkpoint-01-full/proposed_file_changes.json");
    ObjectNode root = (ObjectNode) Vectors.mapper().readTree(golden);
    root.put("version", "1");
    ArchiveCodec codec = new ArchiveCodec();
    Checkpoint cp = codec.decodeCheckpoint(codec.encodeMember(Vectors.mapper().writeValueAsBytes(root)));
    assertThat(WireJson.write(cp)).isEqualTo(golden);
  }

  // ------------------------------------------------------------------ version file

  /** A 0.10 version file: the protocol-0 fields plus the four additions. */
  static final String V010 = """
      {
        "canonical_name": "VersionInfo",
        "version": "2",
        "syft_client_version": "0.10.2",
        "min_supported_syft_client_version": "0.10.0",
        "protocol_version": "1.0.0",
        "min_supported_protocol_version": "1.0.0",
        "syft_client_install_source": "syft==0.10.2",
        "updated_at": "2026-06-30T10:00:00.5Z",
        "attestation_token": null,
        "protocol_schemas": {
          "sync": {"protocol_name": "sync", "version": "1", "min_supported_version": "0", "supported_versions": ["0", "1"]},
          "jobs": {"protocol_name": "jobs", "version": 1, "min_supported_version": 0, "supported_versions": [0, 1]}
        },
        "extra": {"enclave_attestation": {"quote": "AAEC", "nested": [1, {"x": null}]}}
      }""";

  @Test
  void aVersion2FileReadsWithItsAdditionsAndTheProtocol0FieldsStillParse() {
    byte[] json = V010.getBytes(StandardCharsets.UTF_8);
    VersionInfo plain = VersionInfo.parse(json);
    assertThat(plain.syftClientVersion()).isEqualTo("0.10.2");
    assertThat(plain.syftClientInstallSource()).isEqualTo("syft==0.10.2");

    PeerVersionFile f = PeerVersionFile.parse(json);
    assertThat(f.info()).isEqualTo(plain);
    assertThat(f.problem()).isNull();
    assertThat(f.isNewerFormat()).isTrue();
    assertThat(f.canonicalName()).isEqualTo("VersionInfo");
    assertThat(f.fileVersion()).isEqualTo("2");
    assertThat(f.protocolSchemas()).extracting(PeerVersionFile.ProtocolSchema::protocolName).containsExactly("sync", "jobs");
    assertThat(f.protocolSchemas().get(1).supportedVersions()).containsExactly("0", "1");
    assertThat(f.protocol()).isEqualTo(1);
    assertThat(f.refusing(0)).isEmpty();
    assertThat(f.extra().get("enclave_attestation").get("quote").stringValue()).isEqualTo("AAEC");
    assertThat(f.describe()).isEqualTo("0.10.2, protocol 1 (version file 2)");
  }

  @Test
  void schemasAsAListAndSchemasThatDropProtocol0() {
    String json = V010.replaceAll("(?s)\"protocol_schemas\": \\{.*?\\}\\s*\\},", """
        "protocol_schemas": [
          {"protocol_name": "sync", "version": "2", "min_supported_version": "1"},
          {"protocol_name": "jobs", "version": "1", "supported_versions": ["1"]},
          "not an object", {"protocol_name": 7}
        ],""");
    PeerVersionFile f = PeerVersionFile.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(f.protocolSchemas()).hasSize(3);
    assertThat(f.protocol()).isEqualTo(2);
    assertThat(f.refusing(0)).extracting(PeerVersionFile.ProtocolSchema::protocolName).containsExactly("sync", "jobs");
    assertThat(f.protocolSchemas().get(2).accepts(0)).as("says nothing: assumed to read it").isTrue();
  }

  @Test
  void aNewerFileWithoutTheProtocol0FieldsStillReadsAndSaysWhy() {
    String json = """
        {"canonical_name": "VersionInfo", "version": "3", "protocol_schemas": "later", "extra": 5}""";
    PeerVersionFile f = PeerVersionFile.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(f.info()).isNull();
    assertThat(f.problem()).isEqualTo("version file: field 'syft_client_version' is missing");
    assertThat(f.protocolSchemas()).isEmpty();
    assertThat(f.protocol()).isEqualTo(1);
    assertThat(f.describe()).isEqualTo("unknown client version, protocol 1 (version file 3)");
  }

  @Test
  void anOldFileIsProtocol0AndStaysStrict() {
    byte[] golden = Vectors.bytes("models/version_info/vi-01-current.SYFT_version.json");
    PeerVersionFile f = PeerVersionFile.parse(golden);
    assertThat(f.isNewerFormat()).isFalse();
    assertThat(f.protocol()).isZero();
    assertThat(f.describe()).isEqualTo("0.1.117");
    assertThat(f.info().toJson()).isEqualTo(golden);
    assertThatThrownBy(() -> PeerVersionFile.parse("{\"syft_client_version\": 1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("syft_client_version");
    assertThatThrownBy(() -> PeerVersionFile.parse("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedMessageException.class);
  }

  // ------------------------------------------------------------------ peers file

  static final String PEERS_010 = """
      {
        "_meta": {
          "version": 1
        },
        "ds@x.org": {
          "state": "accepted"
        },
        "new@x.org": {
          "state": "pending"
        }
      }""";

  @Test
  void theReservedMetaKeyIsNoPeerAndSurvivesARewrite() {
    PeersFile file = PeersFile.parse(PEERS_010.getBytes(StandardCharsets.UTF_8));
    assertThat(file.peers()).extracting(e -> e.email()).doesNotContain("_meta").contains("ds@x.org");
    assertThat(file.peer("_meta")).isEmpty();
    assertThat(file.meta().get("version").intValue()).isEqualTo(1);
    assertThat(file.render()).isEqualTo(PEERS_010.getBytes(StandardCharsets.UTF_8));

    PeersFile updated = file.withPeerState("ds@x.org", PeerState.REJECTED, null);
    assertThat(new String(updated.render(), StandardCharsets.UTF_8))
        .startsWith("{\n  \"_meta\": {\n    \"version\": 1\n  },\n  \"ds@x.org\": {\n    \"state\": \"rejected\"");
    assertThatThrownBy(() -> file.withPeerState("_meta", PeerState.ACCEPTED, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
  }

  @Test
  void aMetaValueShapedLikeAPeerIsStillNoPeer() {
    PeersFile file = PeersFile.parse("{\"_meta\": {\"state\": \"accepted\", \"version\": 1}}".getBytes(StandardCharsets.UTF_8));
    assertThat(file.peers()).isEmpty();
  }

  /** A clock fixed at the vector's write time (model "now" defaults), as ArchiveVectorTest does. */
  private static Clock clockAt(JsonNode clockAtWrite) {
    BigDecimal seconds = new BigDecimal(Vectors.dbl(clockAtWrite));
    return Clock.fixed(Instant.ofEpochSecond(seconds.longValue(),
        seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue()), ZoneOffset.UTC);
  }
}
