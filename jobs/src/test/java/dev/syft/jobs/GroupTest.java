package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DO2;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Map-reduce fan-out: one job to several data owners, one group, collected results. */
class GroupTest {
  @TempDir Path tmp;
  JobsFixture f;

  @BeforeEach
  void setUp() {
    f = new JobsFixture(tmp).connect(DS, DO).connect(DS, DO2);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void fanOutShowsEveryMemberAndCollectsReleasedOutputs() throws Exception {
    f.dataset(DO, "counts", "1\n2\n3\n", "9\n");
    f.dataset(DO2, "counts", "4\n5\n", "9\n");
    String code = "import os, syft_client as sc\nrows = open(sc.resolve_dataset_file_path('counts')).read().split()\n"
        + "os.makedirs('outputs', exist_ok=True)\nopen('outputs/sum.txt', 'w').write(str(sum(map(int, rows))))\n";
    JobGroup g = f.jobs(DS).submit(new SubmitRequest(List.of(DO, DO2), f.file("mr/main.py", code), null, "mr-sum",
        null, null, List.of(), List.of()));
    assertThat(g.id()).isEqualTo("mr-sum");
    assertThat(g.members()).extracting(JobInfo::owner).containsExactly(DO, DO2);
    f.sync(DO, DO2);
    for (String owner : List.of(DO, DO2)) {
      Jobs o = f.jobs(owner);
      o.approve(DS + "/mr-sum", null);
      assertThat(o.run(DS + "/mr-sum").status()).isEqualTo(JobStatus.DONE);
    }
    f.jobs(DO).share(DS + "/mr-sum", java.util.EnumSet.of(Release.OUTPUTS));
    f.sync(DO, DO2, DS);

    JobGroup now = f.jobs(DS).group("mr-sum");
    assertThat(now.members()).extracting(JobInfo::status).containsExactly("done", "done");
    Path into = tmp.resolve("collected");
    CollectResult partial = f.jobs(DS).collect("mr-sum", into);
    assertThat(partial.complete()).isFalse();
    assertThat(partial.members()).filteredOn(m -> m.owner().equals(DO2)).singleElement()
        .satisfies(m -> assertThat(m.note()).contains("no outputs released"));
    assertThat(into.resolve(DO).resolve("sum.txt")).hasContent("6");

    f.jobs(DO2).share(DS + "/mr-sum", java.util.EnumSet.of(Release.OUTPUTS));
    f.sync(DO2, DS);
    CollectResult all = f.jobs(DS).collect("mr-sum", into);
    assertThat(all.complete()).isTrue();
    assertThat(Files.readString(into.resolve(DO2).resolve("sum.txt"))).isEqualTo("9");
    assertThat(f.jobs(DS).groups()).extracting(JobGroup::id).containsExactly("mr-sum");
    // one name, one group: resubmitting it is refused for every owner
    assertThatThrownBy(() -> f.jobs(DS).submit(new SubmitRequest(List.of(DO2), f.file("mr/main.py", code), null,
        "mr-sum", null, null, List.of(), List.of()))).hasMessageContaining("already");
  }

  @Test
  void aGroupIsAllOrNothingWhenOneOwnerIsNotAPeer() {
    assertThatThrownBy(() -> f.jobs(DS).submit(new SubmitRequest(List.of(DO, "nobody@else.example"),
        f.file("x/main.py", "print(1)\n"), null, "half", null, null, List.of(), List.of())))
        .hasMessageContaining("nobody@else.example");
    assertThat(f.c.replica(DS, DO).resolve("app_data/job/inbox/" + DS + "/half")).doesNotExist();
  }
}
