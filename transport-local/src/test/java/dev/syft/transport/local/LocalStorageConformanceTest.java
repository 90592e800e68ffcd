package dev.syft.transport.local;

import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;

/** The whole conformance suite on a real folder, with fsync and native watching on (the defaults). */
class LocalStorageConformanceTest extends StorageConformanceTest {
  @Override
  protected StorageFixture newFixture() throws Exception {
    return new LocalFixture(LocalOptions.defaults());
  }
}
