package dev.syft.transport.sftp;

import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;
import dev.syft.transport.conformance.StorageFixtures;
import org.junit.jupiter.api.Nested;

/** The whole conformance suite against an in-process MINA SSHD server, plain and under injected faults. */
class SftpConformanceTest {
  @Nested
  class Plain extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() throws Exception {
      return new SftpServerFixture();
    }
  }

  @Nested
  class Faulty extends StorageConformanceTest {
    @Override
    protected StorageFixture newFixture() throws Exception {
      System.out.println("fault seed " + 0x5F7L);
      return StorageFixtures.faulty(new SftpServerFixture(), 0x5F7L, 2L << 20);
    }
  }
}
