package dev.syft.transport.mail;

import dev.syft.transport.Storage;
import dev.syft.transport.conformance.StorageConformanceTest;
import dev.syft.transport.conformance.StorageFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The conformance suite over GreenMail: every user a mailbox, each its own replica, writes mailed to the
 * users who may see them. One server for the class, emptied between tests. Mail is slow to drive
 * (several IMAP round trips per call, about 4 minutes for the suite on 2 busy cores), so it runs only with
 * {@code -Dsyft.mail.conformance=true}; the module's other tests cover mail's own behaviour in seconds.
 */
@EnabledIfSystemProperty(named = "syft.mail.conformance", matches = "true")
class MailConformanceTest extends StorageConformanceTest {
  private static MailServer server;

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected StorageFixture newFixture() {
    if (server == null) {
      server = new MailServer();
    }
    server.purge();
    return new StorageFixture() {
      @Override
      public Storage storage(String email) {
        return server.lenientStorage(email, 256 << 10);
      }

      @Override
      public long largeFileBytes() {
        return 3L << 20;
      }

      @Override
      public int manyEntries() {
        return 60;
      }

      @Override
      public boolean sharedNamespace() {
        return false;
      }
    };
  }
}
