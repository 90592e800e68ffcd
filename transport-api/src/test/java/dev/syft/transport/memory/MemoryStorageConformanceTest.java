package dev.syft.transport.memory;

import dev.syft.transport.Storage;
import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;

/** The in-memory store, Drive-like (no conditional create, change feed and watcher on). */
class MemoryStorageConformanceTest extends StorageConformanceTest {
  @Override
  protected StorageFixture newFixture() {
    MemoryStore store = new MemoryStore();
    return new StorageFixture() {
      @Override
      public Storage storage(String email) {
        return store.as(email);
      }
    };
  }
}
