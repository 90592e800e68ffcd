package dev.syft.transport.gdrive;

import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * The suite with the fake itself misbehaving: rate limits (403 and 429), 5xx bursts, uploads cut
 * half-way, mutations whose answer is lost, downloads cut half-way. Nothing wraps the storage: the
 * transport's own retry policy, id-reserved creates and resumed downloads must absorb every fault.
 */
class GDriveServerFaultsConformanceTest extends StorageConformanceTest {
  static final long SEED = 0xD21FEL;
  private FakeDriveFixture drive;

  @Override
  protected StorageFixture newFixture() throws Exception {
    System.out.println("server fault seed " + SEED);
    drive = new FakeDriveFixture(6L << 20, c -> c.withUploads(1 << 20, 1 << 20));
    drive.server.faults().seed(SEED).rateLimit(0.04).serverErrors(0.02, 2).dropUploads(0.05).loseResponses(0.05)
        .cutDownloads(0.1);
    return drive;
  }

  private static final AtomicLong INJECTED = new AtomicLong();

  @AfterEach
  void countFaults() {
    if (drive != null) {
      INJECTED.addAndGet(drive.server.faults().injectedCount());
    }
  }

  @AfterAll
  static void faultsWereInjected() {
    org.assertj.core.api.Assertions.assertThat(INJECTED.get())
        .as("faults injected by the fake over the whole suite (seed " + SEED + ")").isGreaterThan(100);
  }
}
