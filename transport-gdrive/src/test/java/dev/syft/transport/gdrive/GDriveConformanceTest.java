package dev.syft.transport.gdrive;

import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;

/** The whole transport conformance suite: the real Drive client against the fake over HTTP. */
class GDriveConformanceTest extends StorageConformanceTest {
  @Override
  protected StorageFixture newFixture() throws Exception {
    return new FakeDriveFixture();
  }
}
