package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static dev.syft.jobs.JobsFixture.DS2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a submission looks like at the data owner, and what submission refuses. */
class SubmissionTest {
  @TempDir Path tmp;
  JobsFixture f;

  @BeforeEach
  void setUp() {
    f = new JobsFixture(tmp).connect(DS, DO);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private Path atOwner(String job) {
    return f.c.datasite(DO).resolve("app_data/job/inbox/" + DS + "/" + job);
  }

  private String runSh(String job) throws Exception {
    return Files.readString(atOwner(job).resolve("run.sh"));
  }

  @Test
  void singleFileWithoutPyproject() throws Exception {
    Path p = f.file("analysis.py", "print(1)\n");
    f.jobs(DS).submit(SubmitRequest.of(p, DO).withName("single"));
    f.sync(DO);
    assertThat(atOwner("single").resolve("code/analysis.py")).hasContent("print(1)");
    assertThat(atOwner("single").resolve("run.sh")).exists();
    JobConfig c = JobConfig.load(atOwner("single").resolve("config.yaml"));
    assertThat(c.type()).isEqualTo("python");
    assertThat(c.entrypoint()).isEqualTo("analysis.py");
    assertThat(c.files()).containsExactly("analysis.py");
    assertThat(c.dependencies()).first().asString().startsWith("syft-client");
    assertThat(c.isFolderSubmission()).isFalse();
    assertThat(c.submittedBy()).isEqualTo(DS);
    assertThat(c.datasiteEmail()).isEqualTo(DO);
    assertThat(runSh("single")).contains("uv venv", "cd code", "python analysis.py", "python3 -m venv")
        .doesNotContain("uv sync");
  }

  @Test
  void folderWithoutPyprojectAutoDetectsMainPy() throws Exception {
    f.file("proj/main.py", "import helper\nprint(helper.x)\n");
    f.file("proj/helper.py", "x = 2\n");
    f.file("proj/.venv/lib/junk.py", "ignored\n");
    f.jobs(DS).submit(SubmitRequest.of(tmp.resolve("src/proj"), DO).withName("folder")
        .withDependencies(List.of("numpy>=1")));
    f.sync(DO);
    assertThat(atOwner("folder").resolve("code/main.py")).exists();
    assertThat(atOwner("folder").resolve("code/helper.py")).exists();
    assertThat(atOwner("folder").resolve("code/.venv")).doesNotExist();
    assertThat(runSh("folder")).contains("uv venv", "cd code", "python main.py", "\"numpy>=1\"").doesNotContain("uv sync");
    JobConfig c = JobConfig.load(atOwner("folder").resolve("config.yaml"));
    assertThat(c.files()).containsExactly("helper.py", "main.py");
    assertThat(c.isFolderSubmission()).isTrue();
    assertThat(c.dependencies()).hasSize(2).last().isEqualTo("numpy>=1");
  }

  @Test
  void folderWithPyprojectUsesUvSync() throws Exception {
    f.file("pp/main.py", "print(1)\n");
    f.file("pp/pyproject.toml", "[project]\nname = \"x\"\ndependencies = []\n");
    f.jobs(DS).submit(SubmitRequest.of(tmp.resolve("src/pp"), DO).withName("pp"));
    f.sync(DO);
    assertThat(runSh("pp")).contains("uv sync", "cd code", "python main.py");
  }

  @Test
  void autoDetectsTheOnlyPythonFileAndRefusesAmbiguity() throws Exception {
    f.file("one/script.py", "print(1)\n");
    f.jobs(DS).submit(SubmitRequest.of(tmp.resolve("src/one"), DO).withName("one"));
    f.sync(DO);
    assertThat(runSh("one")).contains("python script.py");

    f.file("two/a.py", "");
    f.file("two/b.py", "");
    assertThatThrownBy(() -> f.jobs(DS).submit(SubmitRequest.of(tmp.resolve("src/two"), DO).withName("two")))
        .isInstanceOf(JobsException.class).hasMessageContaining("Could not auto-detect entrypoint");
    assertThat(f.jobs(DS).list()).extracting(JobInfo::name).containsExactly("one");
  }

  @Test
  void bashJobKeepsTheScriptVerbatim() throws Exception {
    String script = "#!/bin/bash\necho hi > code/outputs/hi.txt\n";
    f.jobs(DS).submit(SubmitRequest.bash(script, DO).withName("sh"));
    f.sync(DO);
    assertThat(runSh("sh")).isEqualTo(script);
    assertThat(atOwner("sh").resolve("code/script.sh")).hasContent(script.strip());
    JobConfig c = JobConfig.load(atOwner("sh").resolve("config.yaml"));
    assertThat(c.type()).isEqualTo("bash");
    assertThat(c.files()).containsExactly("script.sh");
    assertThat(c.entrypoint()).isNull();
    assertThat(c.dependencies()).isEmpty();
  }

  @Test
  void javaJobIsABashJobForPythonOwners() throws Exception {
    Path p = f.file("Main.java", "class Main { public static void main(String[] a) { System.out.println(1); } }\n");
    f.jobs(DS).submit(SubmitRequest.of(p, DO).withName("java"));
    f.sync(DO);
    JobConfig c = JobConfig.load(atOwner("java").resolve("config.yaml"));
    assertThat(c.type()).isEqualTo("bash");
    assertThat(c.headers()).containsEntry(JobKind.RUNTIME_HEADER, "java");
    assertThat(c.kind()).isEqualTo(JobKind.JAVA);
    assertThat(runSh("java")).contains("cd code", "java Main.java");
  }

  @Test
  void datasetsNamedAtSubmissionAreWrittenForTheOwner() throws Exception {
    Path p = f.file("main.py", "print(1)\n");
    f.jobs(DS).submit(SubmitRequest.of(p, DO).withName("ds").withDatasets(List.of("census")));
    JobConfig c = JobConfig.load(f.c.replica(DS, DO).resolve("app_data/job/inbox/" + DS + "/ds/config.yaml"));
    assertThat(c.datasets()).isEqualTo(Map.of(DO, List.of("census")));
  }

  @Test
  void namesAreValidatedAndDuplicatesRefused() {
    Path p = f.file("main.py", "print(1)\n");
    for (String bad : List.of("../x", "a/b", ".hidden", "x..y", "trailing ", "", "ä")) {
      if (bad.isEmpty()) {
        continue; // empty means "generate one"
      }
      assertThatThrownBy(() -> f.jobs(DS).submit(SubmitRequest.of(p, DO).withName(bad)))
          .as(bad).isInstanceOf(JobsException.class).hasMessageContaining("not allowed");
    }
    JobGroup g = f.jobs(DS).submit(SubmitRequest.of(p, DO));
    assertThat(g.name()).matches("job-[0-9a-f]{8}");
    f.jobs(DS).submit(SubmitRequest.of(p, DO).withName("dup"));
    assertThatThrownBy(() -> f.jobs(DS).submit(SubmitRequest.of(p, DO).withName("dup")))
        .isInstanceOf(JobsException.class).hasMessageContaining("already");
  }

  @Test
  void onlyApprovedPeersReceiveJobs() {
    Path p = f.file("main.py", "print(1)\n");
    assertThatThrownBy(() -> f.jobs(DS).submit(SubmitRequest.of(p, DS2)))
        .isInstanceOf(JobsException.class).hasMessageContaining("not an approved peer");
    f.c.client(DS).peers().add(DS2);
    assertThatThrownBy(() -> f.jobs(DS).submit(SubmitRequest.of(p, DS2)))
        .isInstanceOf(JobsException.class).hasMessageContaining("requested_by_me");
    assertThatThrownBy(() -> f.jobs(DS).submit(SubmitRequest.of(p, DS)))
        .isInstanceOf(JobsException.class).hasMessageContaining("yourself");
  }

  @Test
  void permissionFilesInTheSubmittedFolderAreLeftOut() throws Exception {
    f.file("acl/main.py", "print(1)\n");
    f.file("acl/syft.pub.yaml", "rules: []\n");
    JobGroup g = f.jobs(DS).submit(SubmitRequest.of(tmp.resolve("src/acl"), DO).withName("acl"));
    assertThat(g.members().get(0).files()).containsExactly("main.py");
    assertThat(f.c.client(DO).sync().accepted()).isEqualTo(1); // the proposal is not refused
  }
}
