package dev.syft.bench;

import dev.syft.core.Home;
import dev.syft.core.SyftClient;
import dev.syft.core.SyncReport;
import dev.syft.transport.decorator.CallCounts;
import dev.syft.transport.decorator.CountingStorage;
import dev.syft.transport.local.LocalStorage;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * End-to-end bench: a data owner with N files (1 KiB each) on the local transport writes a full
 * checkpoint; its home is then wiped and a fresh client bootstraps from the checkpoint. Prints wall
 * time, peak heap and storage calls of each phase. Run with the heap you want to check, e.g.
 * {@code java -Xmx256m -cp bench/target/benchmarks.jar dev.syft.bench.BootstrapBench 100000}.
 */
public final class BootstrapBench {
  private BootstrapBench() {}

  public static void main(String[] args) throws Exception {
    int files = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path base = Files.createTempDirectory("syft-bootstrap-bench");
    String owner = "do@bench.example";
    Path root = base.resolve("shared");
    Path home = base.resolve("home");
    try {
      Home h = Home.init(home, owner, "local:" + root);
      SplittableRandom rnd = new SplittableRandom(42);
      byte[] buf = new byte[1024];
      for (int i = 0; i < files; i++) {
        for (int j = 0; j < buf.length; j++) {
          buf[j] = (byte) ('a' + rnd.nextInt(26)); // text content, like CSV or code
        }
        Path p = h.datasite().resolve("data/d" + (i / 1000) + "/f" + i + ".txt");
        Files.createDirectories(p.getParent());
        Files.write(p, buf);
      }
      System.out.printf("datasite: %,d files of 1 KiB%n", files);

      try (SyftClient c = SyftClient.open(h, new CountingStorage(LocalStorage.create(root, owner)), Clock.systemUTC())) {
        long t0 = System.nanoTime();
        SyncReport r = c.sync();
        report("first sync (scan + hash + event log)", t0, r.localChanges() + " changes");
        t0 = System.nanoTime();
        var cp = c.createCheckpoint();
        report("full checkpoint", t0, cp.files() + " files");
      }

      deleteTree(home);
      Home fresh = Home.init(home, owner, "local:" + root);
      resetPeaks();
      CountingStorage counting = new CountingStorage(LocalStorage.create(root, owner));
      try (SyftClient c = SyftClient.open(fresh, counting, Clock.systemUTC())) {
        long t0 = System.nanoTime();
        c.sync();
        CallCounts calls = counting.snapshot();
        long restored;
        try (var walk = Files.walk(fresh.datasite())) {
          restored = walk.filter(Files::isRegularFile).count();
        }
        report("bootstrap of a wiped home", t0, restored + " files restored, " + calls.total() + " storage calls "
            + calls);
      }
    } finally {
      deleteTree(base);
    }
  }

  private static void report(String phase, long t0, String what) {
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%-40s %8.2f s   heap peak %6.1f MiB   %s%n", phase, s, peakHeapMiB(), what);
    resetPeaks();
  }

  private static double peakHeapMiB() {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    return peak / 1048576.0;
  }

  private static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static void deleteTree(Path p) throws Exception {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
