package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job files from a PySyft 0.10 peer (PYSYFT-0.10.md): {@code config.yaml} and {@code state.yaml}
 * with {@code canonical_name}, {@code version} and other new keys read as the 0.1.117 files do; a
 * protocol-1 job under {@code inbox/<ds>/v1/<job>/} (what 0.10 writes only for protocol-1 peers) is
 * neither mistaken for a job nor in the way of the protocol-0 jobs beside it.
 */
class PySyft010JobsTest {
  /** The additions, as YAML lines a newer model would dump beside the old fields. */
  static final String ADDITIONS = "canonical_name: JobModel\nextra:\n  enclave: null\n  tags:\n  - a\nprotocol: 1\n"
      + "version: '1'\n";

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

  static List<Path> golden(String fileName) throws IOException {
    try (Stream<Path> s = Files.walk(JobFileVectorsTest.dir())) {
      return s.filter(p -> p.getFileName().toString().equals(fileName)).sorted().toList();
    }
  }

  @Test
  void goldenJobFilesWithThe010KeysReadAsTheOriginals() throws IOException {
    List<Path> configs = golden("config.yaml");
    List<Path> states = golden("state.yaml");
    assertThat(configs).isNotEmpty();
    assertThat(states).isNotEmpty();
    for (Path p : configs) {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      JobConfig original = JobConfig.parse(text, DO, DS);
      assertThat(JobConfig.parse(ADDITIONS + text, DO, DS)).as(p.toString()).isEqualTo(original);
      assertThat(JobConfig.parse(text + ADDITIONS, DO, DS)).as(p.toString()).isEqualTo(original);
      assertThat(original.render()).as("we write protocol 0").isEqualTo(text);
    }
    for (Path p : states) {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      JobState original = JobState.parse(text);
      assertThat(JobState.parse(ADDITIONS + text)).as(p.toString()).isEqualTo(original);
      assertThat(original.render()).isEqualTo(text);
    }
  }

  @Test
  void aProtocol1JobFolderBesideProtocol0JobsIsNotAJob() throws Exception {
    Path code = f.file("analysis.py", "print(1)\n");
    f.jobs(DS).submit(SubmitRequest.of(code, DO).withName("classic"));
    f.sync(DO);
    // what a 0.10 scientist talking protocol 1 would leave in the owner's inbox
    Path v1 = f.c.datasite(DO).resolve("app_data/job/inbox/" + DS + "/v1/newer-job");
    Files.createDirectories(v1.resolve("code"));
    Files.writeString(v1.resolve("config.yaml"), ADDITIONS + Files.readString(
        JobFileVectorsTest.dir().resolve("job-c01-python/config.yaml")));
    Files.writeString(v1.resolve("code/main.py"), "print(2)\n");
    f.sync(DO);

    assertThat(f.jobs(DO).list()).extracting(JobInfo::name).containsExactly("classic");
    f.sync(DS);
    assertThat(f.jobs(DS).list()).extracting(JobInfo::name).containsExactly("classic");
  }
}
