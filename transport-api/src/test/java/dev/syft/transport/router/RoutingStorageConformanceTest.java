package dev.syft.transport.router;

import dev.syft.transport.Storage;
import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;
import dev.syft.transport.conformance.StorageFixtures;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** The whole suite on a router over two in-memory stores, plain and through injected faults and retries. */
class RoutingStorageConformanceTest {

  static StorageFixture twoStores() {
    MemoryStore a = new MemoryStore();
    MemoryStore b = MemoryStore.builder().conditionalCreate(true).build();
    return new StorageFixture() {
      @Override
      public Storage storage(String email) throws IOException {
        return new RoutingStorage(List.of(new RoutingStorage.Member("mem:a", a.as(email)),
            new RoutingStorage.Member("mem:b", b.as(email))));
      }

      @Override
      public long largeFileBytes() {
        return 16L << 20;
      }
    };
  }

  @Nested
  class Plain extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() {
      return twoStores();
    }
  }

  @Nested
  class Faulty extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() {
      return StorageFixtures.faulty(twoStores(), 0x5EEDL, 4L << 20);
    }
  }
}
