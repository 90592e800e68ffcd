package dev.syft.transport.local;

import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;
import dev.syft.transport.conformance.StorageFixtures;

/** The whole suite again, every storage wrapped in FaultyStorage + RetryingStorage (seeded). */
class LocalFaultyConformanceTest extends StorageConformanceTest {
  static final long SEED = 0x10CA1L;

  @Override
  protected StorageFixture newFixture() throws Exception {
    System.out.println("fault seed " + SEED);
    return StorageFixtures.faulty(new LocalFixture(LocalOptions.defaults().withFsync(false)), SEED, 8L << 20);
  }
}
