package dev.syft.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.Cluster;
import dev.syft.jobs.internal.Host;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled {@code syft_client} module: private files inside a job, mock files outside (JOBS-DATASETS 3.7). */
class SyftClientShimTest {
  static final String DO = "do@hospital.example";
  @TempDir Path tmp;

  @BeforeAll
  static void needsPython() {
    Assumptions.assumeTrue(Host.python().isPresent(), "python3 is not installed");
  }

  private String py(Map<String, String> env, String code) throws Exception {
    Path lib = tmp.resolve("lib/syft_client");
    Files.createDirectories(lib);
    try (InputStream in = getClass().getResourceAsStream("/dev/syft/jobs/python/syft_client/__init__.py")) {
      Files.write(lib.resolve("__init__.py"), in.readAllBytes());
    }
    ProcessBuilder pb = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("SYFT"));
    pb.environment().put("PYTHONPATH", tmp.resolve("lib").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.strip();
  }

  private Path sb() {
    Path sb = tmp.resolve("sb");
    Cluster.write(sb, DO + "/private/syft_datasets/census/b.csv", "private-b");
    Cluster.write(sb, DO + "/private/syft_datasets/census/a.csv", "private-a");
    Cluster.write(sb, DO + "/private/syft_datasets/census/private_metadata.yaml", "uid: x\n");
    Cluster.write(sb, DO + "/private/syft_datasets/census/sub/c.csv", "private-c");
    Cluster.write(sb, DO + "/private/syft_datasets/census/syft.pub.yaml", "rules: []\n");
    Cluster.write(sb, DO + "/public/syft_datasets/census/mock.csv", "mock");
    Cluster.write(sb, DO + "/public/syft_datasets/census/dataset.yaml", "name: census\nmock_files_urls:\n- syft://" + DO
        + "/public/syft_datasets/census/mock.csv\nmock_url: syft://" + DO + "/public/syft_datasets/census\n");
    return sb;
  }

  @Test
  void insideAJobThePrivateFilesSortedAndWithoutMetadata() throws Exception {
    Path sb = sb();
    String out = py(Map.of("SYFT_IS_IN_JOB", "true", "SYFTBOX_FOLDER", sb.toString(), "SYFTBOX_EMAIL", DO),
        "import syft_client as sc\nprint([p.name for p in sc.resolve_dataset_files_path('census')])\n"
            + "print(open(sc.resolve_dataset_file_path('census')).read())");
    // recursive and sorted by relative path, like syft-java's DatasetResolver
    assertThat(out).isEqualTo("['a.csv', 'b.csv', 'c.csv']\nprivate-a");
  }

  @Test
  void outsideAJobTheMockFilesFromDatasetYaml() throws Exception {
    Path sb = sb();
    String out = py(Map.of("SYFTBOX_FOLDER", sb.toString(), "SYFTBOX_EMAIL", DO),
        "import syft_client as sc\nprint(open(sc.resolve_dataset_file_path('census')).read())\n"
            + "print(sc.resolve_path('syft://" + DO + "/public/x.txt'))\n"
            + "print(sc.resolve_path('syft:/" + DO + "/public/x.txt'))\n"
            + "class C: syftbox_folder = '" + sb + "'\n"
            + "print(open(sc.resolve_dataset_file_path('census', client=C())).read())");
    assertThat(out).isEqualTo("mock\n" + sb.resolve(DO + "/public/x.txt") + "\n" + sb.resolve(DO + "/public/x.txt")
        + "\nresolving MOCK files (local test mode)\nmock");
  }

  @Test
  void withoutPyYamlTheMockListIsStillRead() throws Exception {
    Path sb = sb();
    String out = py(Map.of("SYFTBOX_FOLDER", sb.toString(), "SYFTBOX_EMAIL", DO),
        "import sys\nsys.modules['yaml'] = None\nimport syft_client as sc\n"
            + "print([p.name for p in sc.resolve_dataset_files_path('census')])");
    assertThat(out).isEqualTo("['mock.csv']");
  }

  @Test
  void aDatasetTheOwnerDidNotMountIsAClearError() throws Exception {
    Path sb = sb();
    String out = py(Map.of("SYFT_IS_IN_JOB", "true", "SYFTBOX_FOLDER", sb.toString(), "SYFTBOX_EMAIL", DO),
        "import syft_client as sc\ntry:\n    sc.resolve_dataset_file_path('salaries')\n"
            + "except FileNotFoundError as e:\n    print(e)");
    assertThat(out).contains("not available to this job");
  }
}
