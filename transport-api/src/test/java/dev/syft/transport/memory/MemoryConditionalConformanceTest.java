package dev.syft.transport.memory;

import dev.syft.transport.Storage;
import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;

/** The in-memory store with conditional create and without the optional change feed and watcher. */
class MemoryConditionalConformanceTest extends StorageConformanceTest {
  @Override
  protected StorageFixture newFixture() {
    MemoryStore store = MemoryStore.builder().conditionalCreate(true).changeFeed(false).watcher(false).build();
    return new StorageFixture() {
      @Override
      public Storage storage(String email) {
        return store.as(email);
      }

      @Override
      public long largeFileBytes() {
        return 8L << 20;
      }
    };
  }
}
