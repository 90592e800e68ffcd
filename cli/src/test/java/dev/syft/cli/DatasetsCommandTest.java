package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code syft datasets ...} in-process: two homes over one shared folder ({@code local:} transport). */
class DatasetsCommandTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  @TempDir Path tmp;
  Path doHome;
  Path dsHome;
  Path mock;
  Path priv;

  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(exit, out.toString(), err.toString());
  }

  static Result ok(String... args) {
    Result r = run(args);
    assertThat(r.exit()).as("exit of " + String.join(" ", args) + "\nout: " + r.out() + "\nerr: " + r.err()).isZero();
    return r;
  }

  @BeforeEach
  void setUp() throws IOException {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    doHome = tmp.resolve("do");
    dsHome = tmp.resolve("ds");
    ok("init", "--email", DO, "--transport", "local:" + shared, "--home", doHome.toString());
    ok("init", "--email", DS, "--transport", "local:" + shared, "--home", dsHome.toString());
    ok("peers", "add", DO, "--home", dsHome.toString());
    ok("sync", "--home", doHome.toString());
    ok("peers", "approve", DS, "--home", doHome.toString());
    ok("sync", "--home", dsHome.toString());
    mock = tmp.resolve("src/mock");
    priv = tmp.resolve("src/private");
    Files.createDirectories(mock.resolve("sub"));
    Files.createDirectories(priv);
    Files.writeString(mock.resolve("mock.csv"), "a,b\n1,2\n");
    Files.writeString(mock.resolve("sub/mock.csv"), "a,b\n3,4\n");
    Files.writeString(priv.resolve("real.csv"), "a,b\nsecret,secret\n");
    Files.writeString(tmp.resolve("src/README.md"), "# Census\n");
  }

  @Test
  void createListShowShareAndDeleteAcrossTwoHomes() throws IOException {
    Result created = ok("datasets", "create", "census", "--mock", mock.toString(), "--private", priv.toString(),
        "--summary", "Census sample", "--readme", tmp.resolve("src/README.md").toString(), "--tags", "demo,census",
        "--share", DS, "--home", doHome.toString());
    assertThat(created.out()).contains("created dataset census (shared with " + DS + ")");
    assertThat(doHome.resolve(DO + "/public/syft_datasets/census/dataset.yaml")).exists();
    assertThat(doHome.resolve(DO + "/private/syft_datasets/census/real.csv")).exists();

    JsonNode own = MAPPER.readTree(ok("datasets", "show", "census", "--json", "--home", doHome.toString()).out());
    assertThat(own.get("own").asBoolean()).isTrue();
    assertThat(own.get("tags").toString()).isEqualTo("[\"demo\",\"census\"]");
    assertThat(own.get("shared_with").get(0).asString()).isEqualTo(DS);
    assertThat(own.get("private_files")).hasSize(1);

    ok("sync", "--home", dsHome.toString());
    JsonNode list = MAPPER.readTree(ok("datasets", "list", "--json", "--home", dsHome.toString()).out());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("owner").asString()).isEqualTo(DO);
    assertThat(list.get(0).get("mock_files")).hasSize(2);
    assertThat(list.get(0).get("private_files")).isEmpty();
    assertThat(ok("datasets", "list", "--home", dsHome.toString()).out()).contains("census").contains("from " + DO);
    assertThat(ok("datasets", "show", "census", "--peer", DO, "--home", dsHome.toString()).out())
        .contains("summary:     Census sample").doesNotContain("private:");
    Path copy = dsHome.resolve(DO + "/public/syft_datasets/census");
    assertThat(Files.readString(copy.resolve("sub/mock.csv"), StandardCharsets.UTF_8)).isEqualTo("a,b\n3,4\n");

    Result noYes = run("datasets", "delete", "census", "--home", doHome.toString());
    assertThat(noYes.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(noYes.err()).contains("--yes");
    assertThat(ok("datasets", "delete", "census", "--yes", "--home", doHome.toString()).out())
        .contains("deleted dataset census: 2 local folder(s), 1 transport folder(s)");
    ok("sync", "--home", dsHome.toString());
    assertThat(copy).doesNotExist();
    assertThat(ok("datasets", "list", "--home", dsHome.toString()).out()).contains("no datasets yet");
  }

  @Test
  void shareLaterWithAnyAndUnshare() throws IOException {
    ok("datasets", "create", "stats", "--mock", mock.resolve("mock.csv").toString(), "--private",
        priv.resolve("real.csv").toString(), "--home", doHome.toString());
    ok("sync", "--home", dsHome.toString());
    assertThat(ok("datasets", "list", "--home", dsHome.toString()).out()).contains("no datasets yet");
    assertThat(ok("datasets", "share", "stats", "--any", "--home", doHome.toString()).out())
        .contains("shared with every approved peer");
    ok("sync", "--home", dsHome.toString());
    assertThat(dsHome.resolve(DO + "/public/syft_datasets/stats/mock.csv")).exists();
    ok("datasets", "unshare", "stats", "--any", "--home", doHome.toString());
    ok("sync", "--home", dsHome.toString());
    assertThat(dsHome.resolve(DO + "/public/syft_datasets/stats")).doesNotExist();
  }

  @Test
  void refusedInputExitsWithOneLine() {
    Result bad = run("datasets", "create", "has space", "--mock", mock.toString(), "--private", priv.toString(),
        "--home", doHome.toString());
    assertThat(bad.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(bad.err().strip()).startsWith("syft: invalid dataset name").doesNotContain("\n").doesNotContain("Exception");

    Result both = run("datasets", "create", "x", "--mock", mock.toString(), "--private", priv.toString(), "--any",
        "--share", DS, "--home", doHome.toString());
    assertThat(both.exit()).isEqualTo(Main.EXIT_USAGE);

    Result nobody = run("datasets", "share", "x", "--home", doHome.toString());
    assertThat(nobody.exit()).isEqualTo(Main.EXIT_USAGE);

    Result missing = run("datasets", "show", "nope", "--home", doHome.toString());
    assertThat(missing.exit()).isEqualTo(Main.EXIT_REFUSED);
    assertThat(missing.err()).contains("no dataset 'nope'");

    Result noMock = run("datasets", "create", "x", "--private", priv.toString(), "--home", doHome.toString());
    assertThat(noMock.exit()).isEqualTo(Main.EXIT_USAGE);
    assertThat(doHome.resolve(DO + "/public/syft_datasets/x")).doesNotExist();
  }
}
