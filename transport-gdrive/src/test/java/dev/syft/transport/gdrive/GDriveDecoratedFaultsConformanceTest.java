package dev.syft.transport.gdrive;

import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;
import dev.syft.transport.conformance.StorageFixtures;

/** The suite again with every storage wrapped in FaultyStorage + RetryingStorage (seeded), as for every transport. */
class GDriveDecoratedFaultsConformanceTest extends StorageConformanceTest {
  static final long SEED = 0x6D1F7EL;

  @Override
  protected StorageFixture newFixture() throws Exception {
    System.out.println("decorator fault seed " + SEED);
    return StorageFixtures.faulty(new FakeDriveFixture(6L << 20, c -> c), SEED, 6L << 20);
  }
}
