package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.archive.ArchiveCodec;
import dev.syft.protocol.names.FileNames;
import dev.syft.transport.Storage;
import dev.syft.transport.WriteMode;
import dev.syft.transport.local.LocalStorage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Big in-limit messages in a small heap (issue #14, item 3): a proposal carrying a 200 MB file
 * (about 200 KB gzipped, under the 256 MiB limit) is read by an owner whose sync runs in a child
 * JVM with {@code -Xmx64m}. Within the per-file limit it applies (streamed through disk); above a
 * lowered limit it is refused cleanly; an {@link Error} while handling a message refuses that message
 * only. Either way the sync ends normally and the next peer's proposal applies. The whole way
 * (proposal, routing, checkpoint, restore) is {@link BigFileEndToEndTest}.
 */
class BigProposalTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;
  static final String DS2 = SyncScenariosTest.DS2;
  static final long BIG = 200L << 20;

  @TempDir Path tmp;
  Net net;
  Cluster c;

  @BeforeEach
  void setUp() throws Exception {
    net = Net.create(Transport.LOCAL, tmp);
    c = net.cluster;
    c.connect(DS, DO);
    c.connect(DS2, DO);
    Cluster.write(c.datasite(DO), "shared/syft.pub.yaml",
        "rules:\n- pattern: '**'\n  access:\n    write:\n    - '" + DS + "'\n    - '" + DS2 + "'\n");
    c.client(DO).sync();
    Storage ds = net.raw(DS);
    double ts = Cluster.EPOCH.getEpochSecond() + 10;
    String name = FileNames.proposal(ts, UUID.randomUUID().toString());
    Path archive = tmp.resolve("big.tar.gz");
    writeBigProposal(archive, ts, name);
    try (InputStream in = Files.newInputStream(archive)) {
      ds.write(Forge.inboxAt(ds, DO), name, in, WriteMode.CREATE);
    }
    Files.delete(archive);
    Storage ds2 = net.raw(DS2);
    var small = Forge.proposal(DS2, DO, "shared/small.txt", "small", null, ts + 1);
    Forge.upload(ds2, Forge.inboxAt(ds2, DO), small.fileName(), Forge.archive(small));
    c.close(DO); // the child takes the home
  }

  @AfterEach
  void tearDown() {
    net.close();
  }

  /** A proposal from DS with one text file of {@link #BIG} bytes of 'a', built and gzipped as a stream. */
  private static void writeBigProposal(Path out, double ts, String name) throws Exception {
    String uid = name.substring(name.lastIndexOf('_') + 1, name.length() - FileNames.ARCHIVE_EXTENSION.length());
    String head = "{\"id\": \"" + UUID.randomUUID() + "\", \"sender_email\": \"" + DS + "\", \"message_filename\": "
        + "{\"submitted_timestamp\": " + ts + ", \"uid\": \"" + uid + "\"}, \"proposed_file_changes\": [{\"id\": \""
        + UUID.randomUUID() + "\", \"old_hash\": null, \"submitted_timestamp\": " + ts
        + ", \"path_in_datasite\": \"shared/big.txt\", \"datasite_email\": \"" + DO + "\", \"is_deleted\": false,"
        + " \"content\": \"";
    String tail = "\"}]}";
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    try (OutputStream file = Files.newOutputStream(out);
        GZIPOutputStream gz = new GZIPOutputStream(file, 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      TarArchiveEntry e = new TarArchiveEntry(ArchiveCodec.MEMBER_NAME);
      e.setSize(h.length + BIG + t.length);
      tar.putArchiveEntry(e);
      tar.write(h);
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) 'a');
      for (long left = BIG; left > 0; left -= chunk.length) {
        tar.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
      tar.write(t);
      tar.closeArchiveEntry();
      tar.finish();
    }
  }

  /** Runs one owner sync in a child JVM with a 64 MiB heap; returns its output. */
  private List<String> ownerSyncInSmallHeap(String... props) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElseThrow());
    cmd.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(List.of(props));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OwnerSync.class.getName(),
        c.homeDir(DO).toString(), tmp.resolve("shared-root").toString()));
    Path err = tmp.resolve("child-stderr.log");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("child exit; stderr:%n%s", Files.readString(err)).isZero();
    return lines;
  }

  void nextPeerServedAndBigFileRefused(String reason) {
    assertThat(c.datasite(DO).resolve("shared/small.txt")).hasContent("small");
    assertThat(c.datasite(DO).resolve("shared/big.txt")).doesNotExist();
    assertThat(c.client(DO).status().quarantined()).singleElement().satisfies(q -> {
      assertThat(q.peer()).isEqualTo(DS);
      assertThat(q.reason()).contains(reason);
    });
    assertThat(c.homeDir(DO).resolve(".syft/spool")).isEmptyDirectory();
    assertThat(Trees.tempFiles(c.homeDir(DO))).isEmpty();
    assertThat(c.client(DO).sync().clean()).isTrue();
  }

  @Test
  void aFileAboveThePerFileLimitIsRefusedInASmallHeapAndTheNextPeerIsServed() throws Exception {
    List<String> out = ownerSyncInSmallHeap("-Dsyft.limits.maxFileBytes=" + (100L << 20));
    assertThat(out).contains("accepted=1 rejected=1 errors={}");
    nextPeerServedAndBigFileRefused("above this owner's limit");
  }

  @Test
  void aFileWithinTheLimitIsAppliedInASmallHeapAndTheNextPeerIsServed() throws Exception {
    List<String> out = ownerSyncInSmallHeap();
    assertThat(out).contains("accepted=2 rejected=0 errors={}");
    assertThat(c.datasite(DO).resolve("shared/small.txt")).hasContent("small");
    assertThat(Files.size(c.datasite(DO).resolve("shared/big.txt"))).isEqualTo(BIG);
    assertThat(c.client(DO).status().quarantined()).isEmpty();
    assertThat(c.homeDir(DO).resolve(".syft/spool")).isEmptyDirectory();
    assertThat(Trees.tempFiles(c.homeDir(DO))).isEmpty();
  }

  /** Child-process entry: one sync of the home in args[0] over the local store in args[1]. */
  public static final class OwnerSync {
    public static void main(String[] args) throws Exception {
      Home home = Home.open(Path.of(args[0]));
      try (SyftClient client = SyftClient.open(home, LocalStorage.open(Path.of(args[1]), home.email()),
          Clock.systemUTC())) {
        SyncReport r = client.sync();
        System.out.println("accepted=" + r.accepted() + " rejected=" + r.rejected() + " errors=" + r.peerErrors());
      }
      System.exit(0);
    }
  }
}
