package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files in a peer's folders that the peer did not write show in {@code status} where the store can
 * tell who wrote a file (issue #14; the in-memory store, like Drive, vouches for owners).
 */
class PlantedFilesTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;
  static final String MALLORY = "mallory@elsewhere.example";

  @TempDir Path tmp;

  @Test
  void aFilePlantedInTheOutboxOfAnOwnerIsAWarningUntilItIsGone() throws Exception {
    try (Net net = Net.create(Transport.MEMORY, tmp)) {
      Cluster c = net.cluster;
      c.connect(DS, DO);
      // the scientist's folder for the owner's events; the scientist shares it with someone else too
      Entry outbox = Forge.outboxOf(net.raw(DO), DS);
      net.raw(DS).share(outbox, MALLORY, Role.WRITER);
      Storage mallory = net.raw(MALLORY);
      Entry planted = Forge.upload(mallory, outbox, "planted.txt", "x".getBytes(StandardCharsets.UTF_8));
      assertThat(c.client(DS).status().warnings()).isEmpty();

      c.client(DS).sync();
      assertThat(c.client(DS).status().warnings()).singleElement().satisfies(w -> {
        assertThat(w).contains("1 file(s) in the outbox of " + DO);
        assertThat(w).contains("written by " + MALLORY + ", not by " + DO);
        assertThat(w).contains("planted.txt");
      });

      mallory.delete(planted);
      c.client(DS).sync();
      assertThat(c.client(DS).status().warnings()).isEmpty();
    }
  }
}
