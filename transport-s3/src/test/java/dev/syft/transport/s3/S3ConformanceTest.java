package dev.syft.transport.s3;

import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;
import dev.syft.transport.conformance.StorageFixtures;
import org.junit.jupiter.api.Nested;

/** The whole conformance suite against S3Proxy over real HTTP, plain and under injected faults. */
class S3ConformanceTest {
  @Nested
  class Plain extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() throws Exception {
      return new S3Fixture();
    }
  }

  @Nested
  class Faulty extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() throws Exception {
      System.out.println("fault seed " + 0x53L);
      return StorageFixtures.faulty(new S3Fixture(), 0x53L, 4L << 20);
    }
  }
}
