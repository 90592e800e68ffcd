package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * vectors/models/acl_files: the exact bytes of the permission files the reference writes for a
 * sequence of grants (replayed with {@link GrantMode#REFERENCE}).
 */
class AclFileVectorsTest {
  private static final String INDEX = "models/acl_files/index.json";

  static Stream<Arguments> cases() {
    return TestVectors.cases(INDEX);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesTheReferenceBytes(JsonNode c, @TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("do.owner@openmined.org"));
    if (c.has("existing_dirs")) {
      for (JsonNode d : c.get("existing_dirs")) {
        Files.createDirectories(root.resolve(d.stringValue()));
      }
    }
    Datasite ds = Datasite.open(root);
    for (JsonNode op : c.get("operations")) {
      String call = op.get("call").stringValue();
      switch (call) {
        case "setup_ds_job_folder_as_do" -> {
          String email = op.get("ds_email").stringValue();
          ds.grant("app_data/job/inbox/" + email + "/", email, Level.WRITE, GrantMode.REFERENCE);
          ds.grant("app_data/job/review/" + email + "/", email, Level.READ, GrantMode.REFERENCE);
        }
        case "grant_read_access", "grant_write_access", "grant_admin_access" -> {
          Level level = Level.parse(call.substring("grant_".length(), call.length() - "_access".length()));
          ds.grant(op.get("path").stringValue(), op.get("user").stringValue(), level, GrantMode.REFERENCE);
        }
        default -> throw new AssertionError("operation not covered by this test: " + call);
      }
    }
    Set<String> expectedFiles = new TreeSet<>();
    for (var e : c.get("files").properties()) {
      expectedFiles.add(e.getKey());
      Path vector = TestVectors.file("models/acl_files/" + e.getValue().get("file").stringValue());
      byte[] want = Files.readAllBytes(vector);
      assertThat(sha256(want)).isEqualTo(e.getValue().get("sha256").stringValue());
      byte[] got = Files.readAllBytes(root.resolve(e.getKey()));
      assertThat(new String(got, java.nio.charset.StandardCharsets.UTF_8))
          .as(e.getKey()).isEqualTo(new String(want, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(got).as(e.getKey()).isEqualTo(want);
    }
    Set<String> written = new TreeSet<>();
    try (var walk = Files.walk(root)) {
      walk.filter(p -> p.getFileName().toString().equals("syft.pub.yaml"))
          .forEach(p -> written.add(root.relativize(p).toString().replace('\\', '/')));
    }
    assertThat(written).isEqualTo(expectedFiles);
    // what was written parses back to the same rules
    for (String f : written) {
      String folder = f.equals("syft.pub.yaml") ? "" : f.substring(0, f.length() - "/syft.pub.yaml".length());
      AclFile parsed = AclFile.parse(folder, Files.readString(root.resolve(f)));
      assertThat(parsed.render()).isEqualTo(Files.readString(root.resolve(f)));
    }
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
