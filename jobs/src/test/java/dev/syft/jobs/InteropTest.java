package dev.syft.jobs;

import static dev.syft.jobs.JobsFixture.DO;
import static dev.syft.jobs.JobsFixture.DS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.Cluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs cross between implementations: reference-made jobs run here, our run.sh runs as the reference runs it. */
class InteropTest {
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

  @Test
  void aJobWrittenByThePythonReferenceRunsUnchanged() throws Exception {
    // exactly what syft-client 0.1.117 writes: uv-only run.sh (no uv here), reference config, resolver import
    f.dataset(DO, "census", "p1\np2\np3\n", "m\n");
    String base = "app_data/job/inbox/" + DS + "/ref job/";
    Path replica = f.c.replica(DS, DO);
    Cluster.write(replica, base + "run.sh", "#!/bin/bash\nset -euo pipefail\nexport UV_SYSTEM_PYTHON=false\ncd code\n"
        + "uv venv --python 3.12\nsource .venv/bin/activate\nuv pip install \"syft-client==0.1.117\"\n"
        + "export PYTHONPATH=.:${PYTHONPATH:-}\npython main.py\n");
    Cluster.write(replica, base + "code/main.py", "from syft_client import resolve_dataset_file_path\n"
        + "import json, os\nrows = open(resolve_dataset_file_path('census')).read().split()\n"
        + "os.makedirs('outputs', exist_ok=True)\njson.dump({'result': len(rows)}, open('outputs/result.json', 'w'))\n");
    Cluster.write(replica, base + "config.yaml", "code_path: /home/ds/main.py\ndatasets: null\ndependencies:\n"
        + "- syft-client==0.1.117\nentrypoint: main.py\nfiles:\n- main.py\nheaders: {}\nis_folder_submission: false\n"
        + "job_type: local\nname: ref job\nsubmitted_at: '2026-01-01T10:00:00.000000Z'\ntype: python\n");
    f.sync(DS, DO);
    Jobs owner = f.jobs(DO);
    assertThat(owner.get(DS + "/ref job").status()).isEqualTo("pending");
    owner.approve(DS + "/ref job", null);
    RunResult r = owner.run(DS + "/ref job");
    Path review = f.c.datasite(DO).resolve("app_data/job/review/" + DS + "/ref job");
    assertThat(r.status()).as(Files.readString(review.resolve("stderr.txt"))).isEqualTo(JobStatus.DONE);
    assertThat(review.resolve("outputs/result.json")).hasContent("{\"result\": 3}");
  }

  @Test
  void ourRunScriptRunsTheWayAPythonOwnerRunsIt() throws Exception {
    // a stand-in for uv: creates the venv and records installs (no network here)
    Path bin = Files.createDirectories(tmp.resolve("fakebin"));
    Path log = tmp.resolve("uv.log");
    Path uv = bin.resolve("uv");
    Files.writeString(uv, "#!/bin/bash\necho \"$*\" >> '" + log + "'\nif [ \"$1\" = venv ]; then python3 -m venv"
        + " --without-pip .venv; fi\n");
    Files.setPosixFilePermissions(uv, PosixFilePermissions.fromString("rwxr-xr-x"));
    f.file("py/main.py", "import os, helper\nos.makedirs('outputs', exist_ok=True)\n"
        + "open('outputs/r.txt', 'w').write(helper.V)\n");
    f.file("py/helper.py", "V = 'ran by bash run.sh'\n");
    f.jobs(DS).submit(SubmitRequest.of(tmp.resolve("src/py"), DO).withName("py"));
    Path job = f.c.replica(DS, DO).resolve("app_data/job/inbox/" + DS + "/py");
    assertThat(referenceRun(job, bin)).isZero();
    assertThat(job.resolve("code/outputs/r.txt")).hasContent("ran by bash run.sh");
    assertThat(Files.readString(log)).contains("venv --python 3.12", "pip install syft-client==0.1.117");

    Path src = f.file("Hello.java", "import java.nio.file.*;\nclass Hello { public static void main(String[] a)"
        + " throws Exception { Files.createDirectories(Path.of(\"outputs\"));"
        + " Files.writeString(Path.of(\"outputs/j.txt\"), \"java via run.sh\"); } }\n");
    f.jobs(DS).submit(SubmitRequest.of(src, DO).withName("java"));
    Path jjob = f.c.replica(DS, DO).resolve("app_data/job/inbox/" + DS + "/java");
    assertThat(referenceRun(jjob, bin)).isZero();
    assertThat(jjob.resolve("code/outputs/j.txt")).hasContent("java via run.sh");
  }

  /** What the reference runner does: {@code bash <abs run.sh>} with cwd = the job folder. */
  private static int referenceRun(Path job, Path fakeBin) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", job.resolve("run.sh").toString()).directory(job.toFile())
        .redirectErrorStream(true);
    pb.environment().put("PATH", fakeBin + ":" + Path.of(System.getProperty("java.home"), "bin") + ":"
        + System.getenv("PATH"));
    pb.environment().put("SYFT_IS_IN_JOB", "true");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
    if (p.exitValue() != 0) {
      System.err.println(out);
    }
    return p.exitValue();
  }
}
