package dev.syft.transport.memory;

import dev.syft.transport.Storage;
import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;
import dev.syft.transport.conformance.StorageFixtures;
import org.junit.jupiter.api.Nested;

/** The whole suite through FaultyStorage + RetryingStorage, on both create semantics. */
class MemoryFaultyConformanceTest {
  static final long SEED = 0x5EEDL;

  static StorageFixture fixture(boolean conditional) {
    MemoryStore store = MemoryStore.builder().conditionalCreate(conditional).build();
    StorageFixture base = new StorageFixture() {
      @Override
      public Storage storage(String email) {
        return store.as(email);
      }
    };
    System.out.println("fault seed " + SEED);
    return StorageFixtures.faulty(base, SEED, 4L << 20);
  }

  @Nested
  class DriveLike extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() {
      return fixture(false);
    }
  }

  @Nested
  class Conditional extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() {
      return fixture(true);
    }
  }
}
