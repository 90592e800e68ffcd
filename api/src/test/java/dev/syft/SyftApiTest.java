package dev.syft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.syft.datasets.NewDataset;
import dev.syft.jobs.JobFile;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.Release;
import dev.syft.jobs.ReleaseFile;
import dev.syft.jobs.SubmitRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notebook-style flow of docs/java-api.md, through the fluent API, on the local transport. */
class SyftApiTest {
  @TempDir Path tmp;

  @Test
  void theDocumentedFlowWorks() throws Exception {
    String transport = "local:" + tmp.resolve("shared");
    Path mock = Files.createDirectories(tmp.resolve("in/mock"));
    Path priv = Files.createDirectories(tmp.resolve("in/private"));
    Files.writeString(mock.resolve("counts.txt"), "1 2 3\n");
    Files.writeString(priv.resolve("counts.txt"), "10 20 30 40\n");
    Path script = tmp.resolve("in/count.sh");
    // a bash job runs in its job folder; like the reference, outputs are collected from code/outputs/
    Files.writeString(script, "mkdir -p code/outputs\nwc -w < \"$SYFTBOX_FOLDER/$SYFTBOX_EMAIL/private/syft_datasets/counts/counts.txt\""
        + " > code/outputs/n.txt\n");
    try (Syft owner = Syft.init("do@hospital.example", transport, tmp.resolve("do"));
        Syft scientist = Syft.init("ds@uni.example", transport, tmp.resolve("ds"))) {
      scientist.peers().add(owner.email());
      owner.sync();
      owner.peers().approve(scientist.email());
      scientist.sync();

      owner.datasets().create(NewDataset.builder("counts", mock, priv).shareWith(scientist.email()).build());
      owner.sync();
      scientist.sync();
      assertThat(scientist.datasets().get("counts", owner.email()).mockFiles()).singleElement()
          .satisfies(p -> assertThat(p).hasContent("1 2 3\n"));

      var group = scientist.jobs().submit(SubmitRequest.of(script, owner.email()).withName("count")
          .withDatasets(List.of("counts")));
      owner.sync();
      JobInfo job = owner.jobs().list().stream().filter(j -> j.name().equals("count")).findFirst().orElseThrow();
      var review = owner.jobs().show(job.id());
      assertThat(review.files()).extracting(JobFile::path).contains("code/script.sh", "config.yaml", "run.sh");
      owner.jobs().approve(job.id(), "fine");
      var run = owner.jobs().run(job.id());
      assertThat(run.returnCode()).as("%s", owner.jobs().logs(job.id())).isZero();
      assertThat(owner.jobs().show(job.id()).release()).extracting(ReleaseFile::path, ReleaseFile::part)
          .contains(tuple("outputs/n.txt", Release.OUTPUTS), tuple("stdout.txt", Release.LOGS));
      owner.jobs().share(job.id(), EnumSet.of(Release.OUTPUTS));
      owner.sync();
      scientist.sync();
      List<Path> outputs = scientist.jobs().outputs(group.members().get(0).id());
      assertThat(outputs).singleElement().satisfies(p -> assertThat(Files.readString(p).trim()).isEqualTo("4"));
      assertThat(scientist.jobs().logs(group.members().get(0).id()).available()).as("logs are not released").isFalse();
    }
  }
}
