package dev.syft.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.Syft;
import dev.syft.core.Peer;
import dev.syft.datasets.NewDataset;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.Release;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real Python reference as data scientist, syft-java as data owner, over one Drive fake. The
 * steps build on each other (peer, dataset, job, proposals), in order; every check reads the other
 * side's actual state: its files, the bytes, the Drive items.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonScientistJavaOwnerTest {
  static final String DO = "owner@java.example";
  static final String DS = "scientist@py.example";
  static final String DS_REJECTED = "stranger@py.example";
  static final byte[] SECRET = "SECRET-ROW-4f1c9e-jones".getBytes(StandardCharsets.UTF_8);

  @TempDir
  static Path dir;

  Interop env;
  Syft owner;
  PyActor scientist;
  PyActor stranger;

  @BeforeAll
  void start() throws Exception {
    env = Interop.start(getClass(), dir);
    owner = env.java(DO);
    List<PyActor> py = env.pythons("ds", DS, DS_REJECTED);
    scientist = py.get(0);
    stranger = py.get(1);
  }

  @AfterAll
  void stop() throws Exception {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void peerRequestFromPythonIsApprovedByJavaAndVersionsAreReadBothWays() {
    scientist.call("add_peer", "email", DO);

    owner.sync();
    assertThat(peer(owner, DS).state().toString()).isEqualTo("requested_by_peer");
    owner.peers().approve(DS);
    owner.sync();

    JsonNode seen = pyPeer(scientist, DO);
    assertThat(seen.path("state").asString()).isEqualTo("accepted");
    // Python read Java's SYFT_version.json ...
    assertThat(seen.path("version").path("syft_client_version").asString()).isEqualTo("0.1.117");
    assertThat(seen.path("version").path("protocol_version").asString()).isEqualTo("1.0.0");
    // ... and Java read Python's
    assertThat(peer(owner, DS).state().toString()).isEqualTo("accepted");
    assertThat(peer(owner, DS).version()).isEqualTo("0.1.117");
  }

  @Test
  @Order(2)
  void peerRequestFromPythonIsRejectedByJava() throws Exception {
    stranger.call("add_peer", "email", DO);
    owner.sync();
    assertThat(peer(owner, DS_REJECTED).state().toString()).isEqualTo("requested_by_peer");

    owner.peers().reject(DS_REJECTED);
    owner.sync();

    assertThat(peer(owner, DS_REJECTED).state().toString()).isEqualTo("rejected");
    // the decision on the wire, where the reference reads it: the owner's SYFT_peers.json on Drive
    JsonNode peersJson = PyActor.JSON.readTree(env.driveFile(DO, "SYFT_peers.json"));
    assertThat(peersJson.path(DS_REJECTED).path("state").asString()).isEqualTo("rejected");
    assertThat(peersJson.path(DS).path("state").asString()).isEqualTo("accepted");
    assertThat(pyPeer(stranger, DO).path("state").asString()).isNotEqualTo("accepted");
    // nothing of the owner's datasite reaches the rejected requester
    stranger.call("sync");
    assertThat(stranger.syftbox().resolve(DO)).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(),
        p -> assertThat(Files.walk(p).filter(Files::isRegularFile).toList()).isEmpty());
  }

  @Test
  @Order(3)
  void datasetFromJavaIsListedAndMockReadByPythonWhilePrivateBytesStayHome() throws Exception {
    Path mock = Files.createDirectories(dir.resolve("patients-mock"));
    Path priv = Files.createDirectories(dir.resolve("patients-private"));
    byte[] mockCsv = "name,age\nalice,40\nbob,51\ncarol,38\n".getBytes(StandardCharsets.UTF_8);
    Files.write(mock.resolve("patients.csv"), mockCsv);
    Files.write(priv.resolve("patients.csv"),
        ("name,age\n" + new String(SECRET, StandardCharsets.UTF_8) + ",71\nsmith,64\nlee,29\n").getBytes(StandardCharsets.UTF_8));

    owner.datasets().create(NewDataset.builder("patients", mock, priv).summary("cardiology ward").shareWith(DS).build());
    owner.sync();

    JsonNode listed = pyDataset(scientist, "patients", DO);
    assertThat(listed.path("summary").asString()).isEqualTo("cardiology ward");
    assertThat(Base64.getDecoder().decode(listed.path("mock").path("patients.csv").asString())).isEqualTo(mockCsv);

    assertPrivateBytesNotReadableByScientist();
  }

  @Test
  @Order(4)
  void pythonJobIsApprovedRunAndReleasedByJavaAndTheOutputReadByPython() throws Exception {
    Path code = Files.createDirectories(dir.resolve("row-count"));
    Files.writeString(code.resolve("main.py"), """
        import os
        from syft_client import resolve_dataset_file_path

        path = resolve_dataset_file_path("patients")
        with open(path) as f:
            rows = sum(1 for _ in f) - 1
        os.makedirs("outputs", exist_ok=True)
        with open("outputs/result.txt", "w") as out:
            out.write("rows=%d\\n" % rows)
        """);
    scientist.call("submit_python_job", "user", DO, "code_path", code.toString(), "job_name", "row-count");

    owner.sync();
    JobInfo job = owner.jobs().list().stream().filter(j -> j.name().equals("row-count")).findFirst()
        .orElseThrow(() -> new AssertionError("the Java owner did not receive the Python job: " + owner.jobs().list()));
    assertThat(job.submitter()).isEqualTo(DS);
    owner.jobs().approve(job.id(), "aggregate only");
    owner.jobs().run(job.id());
    owner.jobs().share(job.id(), EnumSet.of(Release.OUTPUTS));
    owner.sync();

    JsonNode seen = pyJob(scientist, "row-count");
    assertThat(seen.path("status").asString()).isEqualTo("done");
    assertThat(new String(Base64.getDecoder().decode(seen.path("outputs").path("result.txt").asString()),
        StandardCharsets.UTF_8)).isEqualTo("rows=3\n");
    assertPrivateBytesNotReadableByScientist();
  }

  @Test
  @Order(5)
  void filesProposedByPythonLandInTheJavaDatasiteOnlyWhereWritable() throws Exception {
    Path site = owner.client().home().datasite();
    Files.createDirectories(site.resolve("inbox-shared"));
    Files.writeString(site.resolve("inbox-shared/syft.pub.yaml"), """
        rules:
        - pattern: '**'
          access:
            admin: []
            write: ['%s']
            read: ['%s']
        """.formatted(DS, DS));
    owner.sync();

    byte[] allowed = "written by the Python scientist\n".getBytes(StandardCharsets.UTF_8);
    byte[] refused = "must not land\n".getBytes(StandardCharsets.UTF_8);
    scientist.call("propose", "datasite", DO, "path", "inbox-shared/note.txt", "content_b64", b64(allowed));
    scientist.call("propose", "datasite", DO, "path", "closed/note.txt", "content_b64", b64(refused));
    owner.sync();

    assertThat(site.resolve("inbox-shared/note.txt")).exists().hasBinaryContent(allowed);
    assertThat(site.resolve("closed/note.txt")).doesNotExist();
  }

  // ------------------------------------------------------------------ helpers

  private void assertPrivateBytesNotReadableByScientist() throws Exception {
    // control: the secret is on the owner's side, so the scans below can find it where it leaks
    assertThat(Exposure.inTree(owner.client().home().dir(), SECRET)).isNotEmpty();
    assertThat(Exposure.inTree(scientist.home, SECRET)).as("private bytes in the Python scientist's home").isEmpty();
    Exposure.DriveScan drive = Exposure.inDrive(env.fake.rootUrl(), DS, SECRET);
    assertThat(drive.filesRead()).as("Drive files the scientist can read").isPositive();
    assertThat(drive.found()).as("private bytes in Drive items the scientist can read").isEmpty();
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static Peer peer(Syft s, String email) {
    List<Peer> all = s.peers().list();
    return all.stream().filter(p -> p.email().equals(email)).findFirst()
        .orElseThrow(() -> new AssertionError(s.email() + " does not know " + email + ": " + all));
  }

  static JsonNode pyPeer(PyActor a, String email) {
    JsonNode all = a.call("peers");
    for (JsonNode p : all) {
      if (p.path("email").asString().equals(email)) {
        return p;
      }
    }
    throw new AssertionError(a.email + " does not know " + email + ": " + all);
  }

  static JsonNode pyDataset(PyActor a, String name, String owner) {
    JsonNode all = a.call("datasets");
    for (JsonNode d : all) {
      if (d.path("name").asString().equals(name) && d.path("owner").asString().equals(owner)) {
        return d;
      }
    }
    throw new AssertionError(a.email + " does not list dataset " + name + " of " + owner + ": " + all);
  }

  static JsonNode pyJob(PyActor a, String name) {
    JsonNode all = a.call("jobs");
    for (JsonNode j : all) {
      if (j.path("name").asString().equals(name)) {
        return j;
      }
    }
    throw new AssertionError(a.email + " does not list job " + name + ": " + all);
  }
}
