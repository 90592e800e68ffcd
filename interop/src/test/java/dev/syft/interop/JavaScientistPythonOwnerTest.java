package dev.syft.interop;

import static dev.syft.interop.PythonScientistJavaOwnerTest.b64;
import static dev.syft.interop.PythonScientistJavaOwnerTest.peer;
import static dev.syft.interop.PythonScientistJavaOwnerTest.pyJob;
import static dev.syft.interop.PythonScientistJavaOwnerTest.pyPeer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.Syft;
import dev.syft.datasets.Dataset;
import dev.syft.jobs.JobGroup;
import dev.syft.jobs.SubmitRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * syft-java as data scientist, the real Python reference as data owner, over one Drive fake. Same
 * steps as {@link PythonScientistJavaOwnerTest}, the other way round. The Python owner runs a bash
 * job: a Python job's run.sh pip-installs syft-client from a package index, which the build machines
 * do not reach.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JavaScientistPythonOwnerTest {
  static final String DO = "owner@py.example";
  static final String DS = "scientist@java.example";
  static final String DS_REJECTED = "stranger@java.example";
  static final byte[] SECRET = "SECRET-TRIAL-77b2e0-doe".getBytes(StandardCharsets.UTF_8);

  @TempDir
  static Path dir;

  Interop env;
  PyActor owner;
  Syft scientist;

  @BeforeAll
  void start() throws Exception {
    env = Interop.start(getClass(), dir);
    owner = env.python(DO, "do");
    scientist = env.java(DS);
  }

  @AfterAll
  void stop() throws Exception {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void peerRequestFromJavaIsApprovedByPythonAndVersionsAreReadBothWays() {
    scientist.peers().add(DO);
    scientist.sync();

    assertThat(pyPeer(owner, DS).path("state").asString()).isEqualTo("requested_by_peer");
    owner.call("approve_peer", "email", DS);
    scientist.sync();

    assertThat(peer(scientist, DO).state().toString()).isEqualTo("accepted");
    // Java read Python's SYFT_version.json ...
    assertThat(peer(scientist, DO).version()).isEqualTo("0.1.117");
    // ... and Python read Java's
    JsonNode seen = pyPeer(owner, DS);
    assertThat(seen.path("state").asString()).isEqualTo("accepted");
    assertThat(seen.path("version").path("syft_client_version").asString()).isEqualTo("0.1.117");
    assertThat(seen.path("version").path("protocol_version").asString()).isEqualTo("1.0.0");
  }

  @Test
  @Order(2)
  void peerRequestFromJavaIsRejectedByPython() throws Exception {
    Syft stranger = env.java(DS_REJECTED);
    stranger.peers().add(DO);
    stranger.sync();
    assertThat(pyPeer(owner, DS_REJECTED).path("state").asString()).isEqualTo("requested_by_peer");

    owner.call("reject_peer", "email", DS_REJECTED);
    owner.call("sync");
    stranger.sync();

    // the reference lists no rejected peers; its decision is in its SYFT_peers.json on Drive
    JsonNode peersJson = PyActor.JSON.readTree(env.driveFile(DO, "SYFT_peers.json"));
    assertThat(peersJson.path(DS_REJECTED).path("state").asString()).isEqualTo("rejected");
    assertThat(peersJson.path(DS).path("state").asString()).isEqualTo("accepted");
    assertThat(peer(stranger, DO).state().toString()).isNotEqualTo("accepted");
    Path replica = stranger.client().home().replica(DO);
    assertThat(replica).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(),
        p -> assertThat(Files.walk(p).filter(Files::isRegularFile).toList()).isEmpty());
  }

  @Test
  @Order(3)
  void datasetFromPythonIsListedAndMockReadByJavaWhilePrivateBytesStayHome() throws Exception {
    Path mock = Files.createDirectories(dir.resolve("trials-mock"));
    Path priv = Files.createDirectories(dir.resolve("trials-private"));
    byte[] mockCsv = "arm,outcome\nA,1\nB,0\n".getBytes(StandardCharsets.UTF_8);
    Files.write(mock.resolve("trials.csv"), mockCsv);
    Files.write(priv.resolve("trials.csv"),
        ("arm,outcome\n" + new String(SECRET, StandardCharsets.UTF_8) + ",1\nB,1\n").getBytes(StandardCharsets.UTF_8));

    owner.call("create_dataset", "name", "trials", "mock_path", mock.toString(), "private_path", priv.toString(),
        "summary", "phase II", "users", List.of(DS));
    scientist.sync();

    Dataset d = scientist.datasets().get("trials", DO);
    assertThat(d.summary()).isEqualTo("phase II");
    List<Path> mockFiles = d.mockFiles();
    assertThat(mockFiles).extracting(p -> p.getFileName().toString()).contains("trials.csv");
    Path csv = mockFiles.stream().filter(p -> p.getFileName().toString().equals("trials.csv")).findFirst().orElseThrow();
    assertThat(csv).hasBinaryContent(mockCsv);

    assertPrivateBytesNotReadableByScientist();
  }

  @Test
  @Order(4)
  void bashJobFromJavaIsApprovedRunAndReleasedByPythonAndTheOutputReadByJava() throws Exception {
    // the reference runs run.sh from the job folder and releases code/outputs/
    JobGroup group = scientist.jobs().submit(SubmitRequest.bash("""
        #!/bin/bash
        set -eu
        mkdir -p code/outputs
        printf 'ran for %s by %s\\n' "$(basename "$PWD")" "$SYFTBOX_EMAIL" > code/outputs/result.txt
        """, DO).withName("hello"));
    String id = group.members().get(0).id();

    JsonNode received = pyJob(owner, "hello");
    assertThat(received.path("submitted_by").asString()).isEqualTo(DS);
    owner.call("approve_job", "name", "hello");
    owner.call("process_approved_jobs", "share_outputs", true, "share_logs", false);
    assertThat(pyJob(owner, "hello").path("status").asString()).isEqualTo("done");
    scientist.sync();

    List<Path> outputs = scientist.jobs().outputs(id);
    assertThat(outputs).extracting(p -> p.getFileName().toString()).contains("result.txt");
    Path result = outputs.stream().filter(p -> p.getFileName().toString().equals("result.txt")).findFirst().orElseThrow();
    assertThat(Files.readString(result)).isEqualTo("ran for hello by " + DO + "\n");
    assertPrivateBytesNotReadableByScientist();
  }

  @Test
  @Order(5)
  void filesProposedByJavaLandInThePythonDatasiteOnlyWhereWritable() throws Exception {
    owner.call("write_own_file", "path", "inbox-shared/syft.pub.yaml", "content_b64", b64("""
        rules:
        - pattern: '**'
          access:
            admin: []
            write: ['%s']
            read: ['%s']
        """.formatted(DS, DS).getBytes(StandardCharsets.UTF_8)));
    owner.call("sync");

    byte[] allowed = "written by the Java scientist\n".getBytes(StandardCharsets.UTF_8);
    byte[] refused = "must not land\n".getBytes(StandardCharsets.UTF_8);
    Path replica = scientist.client().home().replica(DO);
    Files.createDirectories(replica.resolve("inbox-shared"));
    Files.createDirectories(replica.resolve("closed"));
    Files.write(replica.resolve("inbox-shared/note.txt"), allowed);
    Files.write(replica.resolve("closed/note.txt"), refused);
    scientist.sync();
    owner.call("sync");

    assertThat(owner.datasite().resolve("inbox-shared/note.txt")).exists().hasBinaryContent(allowed);
    assertThat(owner.datasite().resolve("closed/note.txt")).doesNotExist();
  }

  private void assertPrivateBytesNotReadableByScientist() throws Exception {
    assertThat(Exposure.inTree(owner.home, SECRET)).as("control: the secret is on the owner's side").isNotEmpty();
    assertThat(Exposure.inTree(scientist.client().home().dir(), SECRET)).as("private bytes in the Java scientist's home")
        .isEmpty();
    Exposure.DriveScan drive = Exposure.inDrive(env.fake.rootUrl(), DS, SECRET);
    assertThat(drive.filesRead()).as("Drive files the scientist can read").isPositive();
    assertThat(drive.found()).as("private bytes in Drive items the scientist can read").isEmpty();
  }
}
