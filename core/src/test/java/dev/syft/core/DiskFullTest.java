package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk under the owner's home (a small tmpfs, filled up): the sync says "no space left on
 * ...", the waiting proposal is neither applied in part nor quarantined, and once space is freed
 * the next round applies it. Needs permission to mount a tmpfs (root in a container); skipped
 * elsewhere.
 */
class DiskFullTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;

  @TempDir Path tmp;
  Path homes;
  boolean mounted;
  Net net;
  Cluster c;

  @BeforeEach
  void setUp() throws Exception {
    homes = Files.createDirectories(tmp.resolve("homes"));
    mounted = run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", homes.toString());
    Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here");
    net = Net.create(Transport.LOCAL, tmp);
    c = net.cluster;
    c.connect(DS, DO);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (net != null) {
      net.close();
    }
    if (mounted) {
      run("umount", homes.toString());
    }
  }

  private static boolean run(String... cmd) throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false; // no mount command
    }
  }

  /** Fills the home's file system up to the last byte; returns the filler. */
  private Path fill() throws IOException {
    Path filler = homes.resolve("filler");
    byte[] mb = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(mb);
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left");
    }
    return filler;
  }

  @Test
  void aFullDiskIsReportedAsSuchAndTheProposalAppliesOnceThereIsSpace() throws Exception {
    String rel = SyncScenariosTest.job(DS, "j/data.bin");
    Cluster.write(c.replica(DS, DO), rel, "x".repeat(2 << 20));
    c.client(DS).sync();
    c.client(DO); // opened before the disk fills
    Path filler = fill();
    String error;
    try {
      SyncReport r = c.client(DO).sync();
      assertThat(r.accepted()).isZero();
      error = String.join("; ", r.peerErrors().values());
    } catch (SyftException e) {
      error = e.getMessage();
    }
    assertThat(error).contains("no space left on").doesNotContain("no transaction is active");
    assertThat(c.datasite(DO).resolve(rel)).doesNotExist();
    Files.delete(filler);
    SyncReport healed = c.client(DO).sync();
    assertThat(healed.accepted()).isEqualTo(1);
    assertThat(c.datasite(DO).resolve(rel)).hasSize(2 << 20);
    assertThat(c.client(DO).status().quarantined()).isEmpty();
  }
}
