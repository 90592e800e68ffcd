package dev.syft.transport.blob;

import dev.syft.transport.Storage;
import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;
import dev.syft.transport.conformance.StorageFixtures;
import org.junit.jupiter.api.Nested;

/** The owner and sharing layer over a plain in-memory blob store, plain and under injected faults. */
class BlobStorageConformanceTest {
  static StorageFixture fixture() {
    MemoryBlobStore store = new MemoryBlobStore();
    return new StorageFixture() {
      @Override
      public Storage storage(String email) {
        return new BlobStorage(store, email, "memory", false);
      }

      @Override
      public long largeFileBytes() {
        return 4L << 20;
      }
    };
  }

  @Nested
  class Plain extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() {
      return fixture();
    }
  }

  @Nested
  class Faulty extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() {
      return StorageFixtures.faulty(fixture(), 0xB10BL, 4L << 20);
    }
  }
}
