package dev.syft.transport.gdrive;

import static dev.syft.transport.conformance.Content.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.syft.drivefake.FakeDriveServer;
import dev.syft.drivefake.Faults.Fault;
import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.WriteMode;
import dev.syft.transport.conformance.Content;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one retry policy against scripted faults at the fake: what is retried, what is not, how many
 * requests it costs, and that retried creates never leave a second copy.
 */
class GDriveRetryTest {
  static final String ALICE = "alice@example.com";

  FakeDriveServer fake;
  GDriveStorage alice;
  Entry folder;

  @BeforeEach
  void start() throws IOException {
    fake = FakeDriveServer.start();
    alice = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), ALICE));
    folder = alice.ensureFolder(alice.root(), "inbox");
    alice.write(folder, "warm-up", new byte[0], WriteMode.CREATE);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private long named(String name) {
    return fake.files().stream().filter(f -> f.name().equals(name)).count();
  }

  @Test
  void rateLimitsAndServerErrorsAreRetriedWithBackOff() throws IOException {
    fake.faults().next("files.list", Fault.RATE_LIMIT_429, 1).next("files.list", Fault.RATE_LIMIT_403, 1)
        .next("files.list", Fault.SERVER_ERROR, 2);
    fake.resetCounts();
    long before = alice.retries();
    assertThat(alice.listAll(folder)).hasSize(1);
    assertThat(fake.counts().get("files.list")).isEqualTo(5L);
    assertThat(alice.retries() - before).isEqualTo(4);
  }

  @Test
  void permanentErrorsAreNotRetried() throws IOException {
    Entry other = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), "bob@example.com")).root();
    fake.resetCounts();
    StorageException e = catchThrowableOfType(StorageException.class, () -> alice.read(
        new Entry(other.id() + "x", "missing", false, 1, java.time.Instant.EPOCH, ALICE, null, java.util.Map.of())));
    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(fake.counts().get("files.get.media")).isEqualTo(1L);
    StorageException denied = catchThrowableOfType(StorageException.class,
        () -> alice.write(other, "x", utf8("x"), WriteMode.CREATE));
    assertThat(denied.kind()).isIn(Kind.NOT_FOUND, Kind.FORBIDDEN);
    assertThat(fake.counts().get("files.create")).isEqualTo(1L);
  }

  @Test
  void theRetryBudgetEndsInATransientErrorNamingTheAttempts() {
    fake.faults().next("files.list", Fault.SERVER_ERROR, 20);
    StorageException e = catchThrowableOfType(StorageException.class, () -> alice.listAll(folder));
    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e.getMessage()).contains("after 8 attempts").contains("backendError");
  }

  @Test
  void aTransientBadRequestDuringAnUploadIsRetried() throws IOException {
    fake.faults().next("files.create", Fault.BAD_REQUEST_400, 1);
    Entry e = alice.write(folder, "msg", utf8("hello"), WriteMode.CREATE);
    assertThat(alice.readAll(e, 100)).isEqualTo(utf8("hello"));
    assertThat(named("msg")).isEqualTo(1);
  }

  @Test
  void aBadRequestOutsideUploadsIsNotRetried() {
    fake.faults().next("files.list", Fault.BAD_REQUEST_400, 1);
    StorageException e = catchThrowableOfType(StorageException.class, () -> alice.listAll(folder));
    assertThat(e.kind()).isEqualTo(Kind.INVALID);
  }

  @Test
  void aCreateWhoseAnswerWasLostIsFoundByItsIdNotMadeTwice() throws IOException {
    fake.faults().next("files.create", Fault.LOSE_RESPONSE, 1);
    fake.resetCounts();
    Entry e = alice.write(folder, "msgv2_1712345678.5_u.tar.gz", utf8("once"), WriteMode.CREATE);
    assertThat(named("msgv2_1712345678.5_u.tar.gz")).isEqualTo(1);
    assertThat(fake.file(e.id())).isPresent();
    assertThat(fake.counts()).containsEntry("files.create", 1L).containsEntry("files.get", 1L);
  }

  @Test
  void aFolderCreateWhoseAnswerWasLostIsNotMadeTwice() throws IOException {
    fake.faults().next("files.create", Fault.LOSE_RESPONSE, 1);
    Entry f = alice.ensureFolder(alice.root(), "0.1.117#alice@example.com");
    assertThat(named("0.1.117#alice@example.com")).isEqualTo(1);
    assertThat(alice.ensureFolder(alice.root(), "0.1.117#alice@example.com").id()).isEqualTo(f.id());
  }

  @Test
  void anUploadCutHalfWayIsSentAgain() throws IOException {
    fake.faults().next("files.create", Fault.DROP_UPLOAD, 2);
    Entry e = alice.write(folder, "m", Content.filled(50_000, 'q'), WriteMode.CREATE);
    assertThat(alice.readAll(e, 100_000)).isEqualTo(Content.filled(50_000, 'q'));
    assertThat(named("m")).isEqualTo(1);
  }

  @Test
  void aResumableChunkCutHalfWayRestartsTheUpload() throws IOException {
    GDriveStorage chunky = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), ALICE).withUploads(256 << 10,
        256 << 10));
    Entry f = chunky.ensureFolder(chunky.root(), "inbox");
    fake.faults().next("upload.chunk", Fault.DROP_UPLOAD, 1).next("upload.chunk", Fault.LOSE_RESPONSE, 1);
    String want = Content.sha256(Content.generated(1_000_000, 5));
    Entry e = chunky.write(f, "big.bin", Content.generated(1_000_000, 5), WriteMode.CREATE);
    assertThat(Content.sha256(chunky.read(e))).isEqualTo(want);
    assertThat(named("big.bin")).isEqualTo(1);
  }

  @Test
  void aDownloadCutHalfWayResumesWithARangeRequest() throws IOException {
    byte[] data = Content.generated(300_000, 9).readAllBytes();
    Entry e = alice.write(folder, "blob", data, WriteMode.CREATE);
    fake.faults().next("files.get.media", Fault.CUT_DOWNLOAD, 1);
    fake.resetCounts();
    try (InputStream in = alice.read(e)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(fake.counts()).containsEntry("files.get.media", 2L);
  }

  @Test
  void aDownloadCutWhileTheFileChangesFailsSoTheCallerStartsOver() throws IOException {
    Entry e = alice.write(folder, "state", Content.filled(100_000, 'a'), WriteMode.REPLACE);
    fake.faults().next("files.get.media", Fault.CUT_DOWNLOAD, 1);
    InputStream in = alice.read(e);
    alice.write(folder, "state", Content.filled(100_000, 'b'), WriteMode.REPLACE);
    StorageException x = catchThrowableOfType(StorageException.class, in::readAllBytes);
    assertThat(x.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(x.getMessage()).contains("changed meanwhile");
  }

  @Test
  void aStalledServerHitsTheReadTimeoutAndTheCallIsRetried() throws IOException {
    GDriveStorage impatient = GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), ALICE)
        .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)));
    fake.faults().next("files.list", Fault.HANG, 1);
    assertThat(impatient.listAll(folder)).hasSize(1);
    assertThat(impatient.retries()).isEqualTo(1);
  }

  @Test
  void aBatchWithFailedPartsSendsOnlyThoseAgain() throws IOException {
    Entry col = alice.ensureFolder(alice.root(), "syft_datasetcollection_d_0123456789ab");
    fake.faults().next("batch", Fault.SERVER_ERROR, 1);
    alice.shareWithAll(col, List.of("a@example.com", "b@example.com", "c@example.com"), Role.READER);
    assertThat(alice.sharedWith(col)).containsOnlyKeys("a@example.com", "b@example.com", "c@example.com");
  }

  @Test
  void aDeleteWhoseAnswerWasLostSucceedsOnRetry() throws IOException {
    Entry e = alice.write(folder, "gone", utf8("x"), WriteMode.CREATE);
    fake.faults().next("files.delete", Fault.LOSE_RESPONSE, 1);
    alice.delete(e);
    assertThat(fake.file(e.id())).isEmpty();
  }
}
