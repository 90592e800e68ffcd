package dev.syft.transport.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every case of names/folder_names_render.json, folder_names_parse.json and folder_version_scan.json. */
class FolderNamesVectorTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static Path vectors() {
    String dir = System.getProperty("syft.vectors.dir");
    if (dir == null) {
      fail("system property syft.vectors.dir is not set (Surefire sets it from the parent POM)");
    }
    Path names = Path.of(dir, "names");
    if (!Files.isDirectory(names)) {
      fail("golden vectors folder missing: " + names);
    }
    return names;
  }

  static Stream<Arguments> cases(String file) throws Exception {
    JsonNode root = JSON.readTree(vectors().resolve(file).toFile());
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      out.add(Arguments.of(Named.of(c.get("id").asString(), c)));
    }
    assertThat(out).as(file + " has cases").isNotEmpty();
    return out.stream();
  }

  static Stream<Arguments> render() throws Exception {
    return cases("folder_names_render.json");
  }

  static Stream<Arguments> parse() throws Exception {
    return cases("folder_names_parse.json");
  }

  static Stream<Arguments> scan() throws Exception {
    return cases("folder_version_scan.json");
  }

  @ParameterizedTest
  @MethodSource("render")
  void rendersLikeTheReference(JsonNode c) {
    JsonNode in = c.get("inputs");
    String version = "0.1.117";
    String actual = switch (c.get("kind").asString()) {
      case "p2p" -> FolderNames.p2p(version, in.get("datasite_email").asString(), type(in.get("folder_type").asString()),
          in.get("peer_email").asString());
      case "personal" -> FolderNames.personal(version, in.get("email").asString());
      case "archive" -> FolderNames.archive(in.get("sender_email").asString(), in.get("recipient_email").asString());
      case "encryption_bundles_folder" -> FolderNames.encryptionBundlesFolder(in.get("email").asString());
      case "encryption_bundle_file" ->
          FolderNames.encryptionBundleFile(in.get("owner_email").asString(), in.get("peer_email").asString());
      case "checkpoints_folder" -> FolderNames.checkpoints(in.get("email").asString(), version);
      case "rolling_state_folder" -> FolderNames.rollingState(in.get("email").asString(), version);
      case "dataset_collection" -> FolderNames.datasetCollection(in.get("tag").asString(), in.get("content_hash").asString());
      case "private_collection" -> FolderNames.privateCollection(in.get("tag").asString(), in.get("content_hash").asString());
      default -> throw new AssertionError("unknown kind " + c.get("kind"));
    };
    assertThat(actual).isEqualTo(c.get("expected").asString());
    // everything we render parses back to the same inputs
    switch (c.get("kind").asString()) {
      case "p2p" -> assertThat(FolderNames.parseP2p(actual).render()).isEqualTo(actual);
      case "personal" -> assertThat(FolderNames.tryParsePersonal(actual)).get()
          .isEqualTo(new VersionedName(in.get("email").asString(), version));
      case "checkpoints_folder" -> assertThat(FolderNames.tryParseCheckpoints(actual)).get()
          .isEqualTo(new VersionedName(in.get("email").asString(), version));
      case "rolling_state_folder" -> assertThat(FolderNames.tryParseRollingState(actual)).get()
          .isEqualTo(new VersionedName(in.get("email").asString(), version));
      case "dataset_collection" -> assertThat(FolderNames.parseCollection(CollectionKind.DATASET, actual).render())
          .isEqualTo(actual);
      case "private_collection" -> assertThat(FolderNames.parseCollection(CollectionKind.PRIVATE, actual).render())
          .isEqualTo(actual);
      default -> { }
    }
  }

  @ParameterizedTest
  @MethodSource("parse")
  void parsesLikeTheReference(JsonNode c) {
    String input = c.get("input").asString();
    JsonNode expected = c.get("expected");
    String kind = c.get("kind").asString();
    boolean ok = expected.get("result").asString().equals("ok");
    if (kind.equals("p2p")) {
      if (ok) {
        P2pFolderName n = FolderNames.parseP2p(input);
        JsonNode f = expected.get("fields");
        assertThat(n.datasiteEmail()).isEqualTo(f.get("datasite_email").asString());
        assertThat(n.type().wire()).isEqualTo(f.get("folder_type").asString());
        assertThat(n.peerEmail()).isEqualTo(f.get("peer_email").asString());
      } else {
        assertThatThrownBy(() -> FolderNames.parseP2p(input)).isInstanceOf(FolderNameException.class)
            .hasMessage(expected.get("error").get("message").asString());
        assertThat(FolderNames.tryParseP2p(input)).isEmpty();
      }
    } else {
      CollectionKind k = kind.equals("dataset_collection") ? CollectionKind.DATASET : CollectionKind.PRIVATE;
      if (ok) {
        CollectionName n = FolderNames.parseCollection(k, input);
        assertThat(n.tag()).isEqualTo(expected.get("fields").get("tag").asString());
        assertThat(n.contentHash()).isEqualTo(expected.get("fields").get("content_hash").asString());
      } else {
        assertThatThrownBy(() -> FolderNames.parseCollection(k, input)).isInstanceOf(FolderNameException.class)
            .hasMessage(expected.get("error").get("message").asString());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("scan")
  void findsTheEmbeddedVersionLikeTheReference(JsonNode c) {
    String name = c.get("name").asString();
    JsonNode extracted = c.get("extracted_version");
    if (extracted.isNull()) {
      assertThat(FolderNames.extractVersion(name)).isEmpty();
    } else {
      assertThat(FolderNames.extractVersion(name)).contains(extracted.asString());
    }
    assertThat(FolderNames.keptAsCompatible(name, c.get("current_version").asString()))
        .isEqualTo(c.get("kept_as_compatible").asBoolean());
  }

  private static BoxType type(String wire) {
    return BoxType.fromWire(wire);
  }
}
