package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.transport.local.LocalStorage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file far larger than the heap syncs end to end (issue #14, item 3): every step runs in a child
 * JVM with {@code -Xmx64m}, so holding the file in memory anywhere would end in an
 * OutOfMemoryError (and a quarantine instead of the file). The scientist proposes a 128 MiB file
 * (twice the heap; about 130 KB gzipped), the owner applies it and routes it to a second reader, that reader applies
 * it, the owner writes a full checkpoint, loses its home and restores the file from the checkpoint.
 * The content mixes quotes, backslashes, control characters and non-ASCII text, so the streamed JSON
 * escaping is checked byte for byte through the hashes.
 */
class BigFileEndToEndTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;
  static final String DS2 = SyncScenariosTest.DS2;
  static final long BIG = 128L << 20;
  static final String HEAP = "-Xmx64m";

  @TempDir Path tmp;
  Net net;
  Cluster c;

  @AfterEach
  void tearDown() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void aFileOfTwoHundredMegabytesSyncsProposedAppliedRoutedCheckpointedAndRestoredInSmallHeaps() throws Exception {
    net = Net.create(Transport.LOCAL, tmp);
    c = net.cluster;
    c.connect(DS, DO);
    c.connect(DS2, DO);
    Cluster.write(c.datasite(DO), "shared/syft.pub.yaml", "rules:\n- pattern: '**'\n  access:\n    read:\n    - '" + DS2
        + "'\n    write:\n    - '" + DS + "'\n");
    c.client(DO).sync();
    c.client(DS).sync();
    c.client(DS2).sync();
    String expected = writeBig(c.replica(DS, DO).resolve("shared/big.txt"));
    for (String who : List.of(DO, DS, DS2)) {
      c.close(who); // each child takes the home
    }

    assertThat(step(DS, "sync")).anyMatch(l -> l.endsWith("errors={}"));
    assertThat(step(DO, "sync")).contains("accepted=1 rejected=0 errors={}");
    assertThat(sha256(c.homeDir(DO).resolve(DO).resolve("shared/big.txt"))).isEqualTo(expected);
    assertThat(step(DS2, "sync")).anyMatch(l -> l.endsWith("errors={}"));
    assertThat(sha256(c.homeDir(DS2).resolve(DO).resolve("shared/big.txt"))).isEqualTo(expected);

    assertThat(step(DO, "checkpoint")).anyMatch(l -> l.startsWith("files="));
    c.wipe(DO);
    assertThat(step(DO, "restore")).anyMatch(l -> l.endsWith("errors={}"));
    assertThat(sha256(c.homeDir(DO).resolve(DO).resolve("shared/big.txt"))).isEqualTo(expected);

    for (String who : List.of(DO, DS, DS2)) {
      assertThat(c.client(who).status().quarantined()).as("quarantine of %s", who).isEmpty();
      assertThat(Trees.tempFiles(c.homeDir(who))).isEmpty();
      for (String dir : List.of(".syft/blobs", ".syft/outgoing", ".syft/spool", ".syft/staging", ".syft/tmp")) {
        Path d = c.homeDir(who).resolve(dir);
        if (Files.isDirectory(d)) {
          assertThat(d).as("%s of %s", dir, who).isEmptyDirectory();
        }
      }
    }
    assertThat(Trees.tempFiles(tmp.resolve("shared-root"))).isEmpty();
  }

  /**
   * Writes {@link #BIG} bytes of text: 64 KiB of varied lines (quotes, backslashes, control
   * characters, non-ASCII), then runs of one letter (highly compressible, so quick to compress);
   * returns their SHA-256.
   */
  static String writeBig(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    StringBuilder varied = new StringBuilder();
    for (int i = 0; varied.length() < 64 << 10; i++) {
      varied.append("row ").append(i).append(",\"quoted\",tab\there,back\\slash,\u0001ctl,caf\u00e9 \u20ac \uD83D\uDE00\r\n");
    }
    byte[] head = varied.toString().getBytes(StandardCharsets.UTF_8);
    byte[] run = new byte[1 << 20];
    java.util.Arrays.fill(run, (byte) 'a');
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head);
      md.update(head);
      for (long left = BIG - head.length; left > 0; left -= run.length) {
        int n = (int) Math.min(run.length, left);
        out.write(run, 0, n);
        md.update(run, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Runs one step for {@code who} in a child JVM with a small heap; returns its output. */
  private List<String> step(String who, String action) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElseThrow());
    cmd.addAll(List.of(HEAP, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Step.class.getName(), action, who,
        c.homeDir(who).toString(), tmp.resolve("shared-root").toString()));
    Path err = tmp.resolve("child-" + who + "-" + action + ".log");
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("child %s %s exit; stdout %s; stderr:%n%s", who, action, lines, Files.readString(err))
        .isZero();
    System.out.println("[big-file] " + who + " " + action + ": " + String.join(" | ", lines));
    return lines;
  }

  /** Child-process entry: {@code sync}, {@code checkpoint} or {@code restore} (a new home, then sync). */
  public static final class Step {
    public static void main(String[] args) throws Exception {
      long started = System.nanoTime();
      String action = args[0];
      Path dir = Path.of(args[2]);
      Home home = action.equals("restore") ? Home.init(dir, args[1], "memory:test") : Home.open(dir);
      try (SyftClient client = SyftClient.open(home, LocalStorage.open(Path.of(args[3]), home.email()),
          Clock.systemUTC())) {
        if (action.equals("checkpoint")) {
          CheckpointInfo info = client.createCheckpoint();
          System.out.println("files=" + info.files());
        } else {
          SyncReport r = client.sync();
          System.out.println("accepted=" + r.accepted() + " rejected=" + r.rejected() + " errors=" + r.peerErrors());
        }
      }
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println("peak_heap_mib=" + (peak >> 20) + " max_heap_mib=" + (Runtime.getRuntime().maxMemory() >> 20)
          + " ms=" + (System.nanoTime() - started) / 1_000_000);
      System.exit(0);
    }
  }
}
