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

/**
 * One data owner and P data scientists on the local transport (issue 23): what grows with P? Connects
 * P peers, then measures the owner's idle round, one public change routed to every reader, and the
 * back-fill of a new peer on a datasite of N files. Prints wall time, owner storage calls and peak
 * heap per phase. Not a test; e.g.
 * {@code java -Xmx256m -cp bench/target/benchmarks.jar dev.syft.bench.PeerScaleBench 1000 10000}.
 */
public final class PeerScaleBench {
  private PeerScaleBench() {}

  public static void main(String[] args) throws Exception {
    int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Path base = Files.createTempDirectory("syft-peer-scale");
    try {
      scale(base.resolve("p"), peers);
      backfill(base.resolve("b"), files);
    } finally {
      deleteTree(base);
    }
  }

  private static SyftClient open(Path base, Path root, String email, CountingStorage[] counting)
      throws java.io.IOException {
    Home h = Home.init(base.resolve("home-" + email), email, "local:" + root);
    CountingStorage s = new CountingStorage(LocalStorage.create(root, email));
    if (counting != null) {
      counting[0] = s;
    }
    return SyftClient.open(h, s, Clock.systemUTC());
  }

  /** P peers: connecting them, an idle round, one public change to every reader. */
  private static void scale(Path base, int p) throws Exception {
    Path root = Files.createDirectories(base.resolve("shared"));
    String owner = "do@bench.example";
    CountingStorage[] counting = new CountingStorage[1];
    try (SyftClient o = open(base, root, owner, counting)) {
      o.sync();
      long t0 = System.nanoTime();
      for (int i = 0; i < p; i++) {
        try (SyftClient ds = open(base, root, "ds" + i + "@lab.example", null)) {
          ds.peers().add(owner);
          ds.sync();
        }
      }
      report(p + " peers ask (each its own client and round)", t0, "");
      counting[0].reset();
      t0 = System.nanoTime();
      o.sync();
      for (int i = 0; i < p; i++) {
        o.peers().approve("ds" + i + "@lab.example");
      }
      o.sync();
      report("owner sees and approves " + p + " requests", t0, calls(counting[0].reset()));
      for (int round = 1; round <= 3; round++) {
        t0 = System.nanoTime();
        SyncReport r = o.sync();
        report("idle owner round " + round + ", P = " + p, t0, calls(counting[0].reset()) + ", " + r.uploaded()
            + " uploaded");
      }
      Path news = o.home().datasite().resolve("public/news.txt");
      Files.createDirectories(news.getParent());
      Files.writeString(news, "one change every reader gets\n");
      t0 = System.nanoTime();
      SyncReport r = o.sync();
      report("one public change routed to P readers", t0, calls(counting[0].reset()) + ", " + r.uploaded()
          + " uploaded");
    }
  }

  /** A datasite of N files (public), then one new peer: what the owner's back-fill round costs. */
  private static void backfill(Path base, int n) throws Exception {
    Path root = Files.createDirectories(base.resolve("shared"));
    String owner = "do@bench.example";
    String ds = "new@lab.example";
    CountingStorage[] counting = new CountingStorage[1];
    try (SyftClient o = open(base, root, owner, counting)) {
      byte[] buf = new byte[256];
      java.util.Arrays.fill(buf, (byte) 'x');
      for (int i = 0; i < n; i++) {
        Path f = o.home().datasite().resolve("public/data/d" + (i / 1000) + "/f" + i + ".csv");
        Files.createDirectories(f.getParent());
        Files.write(f, buf);
      }
      long t0 = System.nanoTime();
      o.sync();
      report("owner's first round, " + n + " public files, no peers", t0, calls(counting[0].reset()));
      try (SyftClient d = open(base, root, ds, null)) {
        d.peers().add(owner);
        d.sync();
        o.sync();
        counting[0].reset();
        t0 = System.nanoTime();
        o.peers().approve(ds);
        SyncReport r = o.sync();
        report("back-fill of a new peer (approve + round)", t0, calls(counting[0].reset()) + ", " + r.uploaded()
            + " uploaded");
        t0 = System.nanoTime();
        d.sync();
        long got;
        Path replica = d.home().dir().resolve(owner).resolve("public/data");
        try (var walk = Files.exists(replica) ? Files.walk(replica) : java.util.stream.Stream.<Path>empty()) {
          got = walk.filter(Files::isRegularFile).count();
        }
        report("the new peer's first round", t0, got + " files in its replica");
      }
    }
  }

  private static String calls(CallCounts c) {
    return c.total() + " storage calls (" + c.mutations() + " writes/deletes) " + c;
  }

  private static void report(String phase, long t0, String what) {
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%-50s %8.2f s   heap peak %6.1f MiB   %s%n", phase, s, peakHeapMiB(), what);
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
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
