package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.syft.protocol.archive.ArchiveCodec;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.model.WirePayload;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code syft wire decode|encode}, run in-process against every golden archive. */
class WireCommandTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @TempDir Path tmp;

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(exit, out.toString(), err.toString());
  }

  static Path vectors() {
    String prop = System.getProperty("syft.vectors.dir");
    if (prop == null || !Files.isDirectory(Path.of(prop))) {
      fail("golden vectors not found (system property syft.vectors.dir = " + prop + ")");
    }
    return Path.of(prop);
  }

  static Stream<Arguments> archives() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : MAPPER.readTree(vectors().resolve("archives/index.json").toFile()).get("cases")) {
      out.add(Arguments.of(Named.of(c.get("id").stringValue(), c)));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("archives")
  void decodePrintsTheMemberJson(JsonNode c) throws IOException {
    Path archive = vectors().resolve("archives").resolve(c.get("archive_file").stringValue());
    String member = Files.readString(vectors().resolve("archives").resolve(c.get("member_file").stringValue()));
    boolean proposal = c.get("kind").stringValue().equals("proposal");

    Result pretty = run("wire", "decode", archive.toString());
    assertThat(pretty.exit()).as(pretty.err()).isZero();
    assertThat(MAPPER.readTree(pretty.out())).isEqualTo(MAPPER.readTree(member));
    assertThat(keyOrder(MAPPER.readTree(pretty.out()))).isEqualTo(keyOrder(MAPPER.readTree(member)));
    if (proposal) {
      assertThat(pretty.out()).isEqualTo(member + System.lineSeparator());
    }

    Result compact = run("wire", "decode", "--json", archive.toString());
    assertThat(compact.exit()).as(compact.err()).isZero();
    assertThat(compact.out().strip()).doesNotContain("\n");
    assertThat(MAPPER.readTree(compact.out())).isEqualTo(MAPPER.readTree(member));
    if (!proposal) {
      assertThat(compact.out()).isEqualTo(member + System.lineSeparator());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("archives")
  void encodeThenDecodeRoundTrips(JsonNode c) throws IOException {
    Path member = vectors().resolve("archives").resolve(c.get("member_file").stringValue());
    String kind = switch (c.get("kind").stringValue()) {
      case "incremental_checkpoint" -> "incremental";
      case "rolling_state" -> "rolling";
      default -> c.get("kind").stringValue();
    };
    Path in = Files.copy(member, tmp.resolve("in.json"));

    Result encoded = run("wire", "encode", "--kind", kind, in.toString(), tmp.toString());
    assertThat(encoded.exit()).as(encoded.err()).isZero();
    Path written = tmp.resolve(c.get("file_name").stringValue());
    assertThat(encoded.out()).contains("reference file name: " + c.get("file_name").stringValue());
    assertThat(written).isRegularFile();

    ArchiveCodec codec = new ArchiveCodec();
    byte[] reference = Files.readAllBytes(vectors().resolve("archives").resolve(c.get("archive_file").stringValue()));
    PayloadKind payloadKind = PayloadKind.fromName(kind).orElseThrow();
    WirePayload ours = codec.decode(Files.readAllBytes(written), payloadKind);
    assertThat(ours).isEqualTo(codec.decode(reference, payloadKind));
    assertThat(codec.extractMember(Files.readAllBytes(written))).isEqualTo(Files.readAllBytes(member));

    Path named = tmp.resolve("renamed.tar.gz");
    assertThat(run("wire", "encode", "--kind", kind, in.toString(), named.toString()).exit()).isZero();
    Result decoded = run("wire", "decode", "--json", "--kind", kind, named.toString());
    assertThat(decoded.exit()).as(decoded.err()).isZero();
    assertThat(MAPPER.readTree(decoded.out())).isEqualTo(MAPPER.readTree(member.toFile()));
    Result detected = run("wire", "decode", named.toString());
    assertThat(detected.exit()).as("kind detected from JSON keys: " + detected.err()).isZero();
  }

  @Test
  void refusedInputExitsOneWithOneLine() throws IOException {
    Path garbage = Files.writeString(tmp.resolve("msgv2_1.5_x.tar.gz"), "not an archive");
    Result r = run("wire", "decode", garbage.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(r.err()).startsWith("syft: not a gzip archive").hasLineCount(1);

    Result missing = run("wire", "decode", tmp.resolve("nope.tar.gz").toString());
    assertThat(missing.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(missing.err()).contains("no such file").hasLineCount(1);

    Path badJson = Files.writeString(tmp.resolve("bad.json"), "{\"events\": 5}");
    Result enc = run("wire", "encode", "--kind", "events", badJson.toString(), tmp.resolve("out.tar.gz").toString());
    assertThat(enc.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(enc.err()).isEqualTo("syft: events message: field 'events' must be a list, not a number"
        + System.lineSeparator());
    assertThat(tmp.resolve("out.tar.gz")).doesNotExist();

    Path unsafe = Files.writeString(tmp.resolve("unsafe.json"), "{\"events\":[{\"id\":\"5196ef6d-cc26-49d3-a9ee-36196a16b3a9\","
        + "\"path_in_datasite\":\"../../x\",\"datasite_email\":\"a\",\"submitted_timestamp\":1,\"timestamp\":1}]}");
    Result u = run("wire", "encode", "--kind", "events", unsafe.toString(), tmp.resolve("u.tar.gz").toString());
    assertThat(u.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(u.err()).contains("'..' in path refused").hasLineCount(1);
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("wire").exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run("wire", "decode").exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(run("wire", "encode", "a.json", "b").exit()).isEqualTo(Main.EXIT_USAGE);
    Result badKind = run("wire", "encode", "--kind", "nonsense", "a.json", "b");
    assertThat(badKind.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(badKind.err()).contains("unknown kind 'nonsense'");
    assertThat(run("wire", "decode", "--bogus", "x").exit()).isEqualTo(Main.EXIT_USAGE);
    Result help = run("wire", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("decode").contains("encode");
  }

  private static List<String> keyOrder(JsonNode node) {
    List<String> out = new ArrayList<>();
    collect(node, "", out);
    return out;
  }

  private static void collect(JsonNode node, String path, List<String> out) {
    if (node.isObject()) {
      for (var e : node.properties()) {
        out.add(path + "/" + e.getKey());
        collect(e.getValue(), path + "/" + e.getKey(), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), path + "[" + i + "]", out);
      }
    }
  }
}
