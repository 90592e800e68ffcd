package dev.syft.bench;

import dev.syft.core.Home;
import dev.syft.core.Peer;
import dev.syft.core.SyftClient;
import dev.syft.transport.local.LocalStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Sync overhead of end-to-end encryption: a data owner and a data scientist on the local transport,
 * once with encryption on (both bundles pinned: every events message is an SYC2 envelope) and once
 * off (neither bundle readable before pinning, as with a plaintext Python peer). Each mode routes N
 * small events (default 1,000) twice: all in one round, then one event per round (N/5 rounds, each an
 * owner sync plus a scientist sync). Prints wall times. Not JMH: run on an idle machine, e.g.
 * {@code java -cp bench/target/benchmarks.jar dev.syft.bench.EncryptedSyncBench 1000}.
 */
public final class EncryptedSyncBench {
  private static final String DO = "do@bench.example";
  private static final String DS = "ds@bench.example";

  private EncryptedSyncBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    System.out.printf("%d small events (about 100 bytes each), local transport%n", events);
    System.out.printf("%-5s %-42s %10s %14s%n", "mode", "phase", "wall (s)", "ms per event");
    for (int repeat = 0; repeat < 2; repeat++) { // the first pass warms up the JIT
      for (boolean encrypted : new boolean[] {false, true}) {
        run(encrypted, events, repeat == 1);
      }
    }
  }

  private static void run(boolean encrypted, int events, boolean print) throws Exception {
    Path base = Files.createTempDirectory("syft-e2e-bench");
    Path root = base.resolve("shared");
    Files.createDirectories(root);
    try (SyftClient owner = open(base, root, DO); SyftClient ds = open(base, root, DS)) {
      ds.peers().add(DO);
      if (!encrypted) {
        withdrawBundle(root, DS, DO);
      }
      owner.sync();
      owner.peers().approve(DS);
      if (!encrypted) {
        withdrawBundle(root, DO, DS);
      }
      ds.sync();
      owner.sync();
      Path datasite = owner.home().datasite();
      Files.writeString(datasite.resolve("syft.pub.yaml"),
          "rules:\n- pattern: '**'\n  access:\n    read:\n    - '" + DS + "'\n", StandardCharsets.UTF_8);
      owner.sync();
      ds.sync();
      Peer p = owner.peers().list().stream().filter(x -> x.email().equals(DS)).findFirst().orElseThrow();
      if (p.encrypted() != encrypted) {
        throw new IllegalStateException("expected encrypted=" + encrypted + " for " + p);
      }
      String mode = encrypted ? "on" : "off";

      long t0 = System.nanoTime();
      for (int i = 0; i < events; i++) {
        write(datasite.resolve("batch/f" + i + ".txt"), i);
      }
      owner.sync();
      ds.sync();
      check(ds, "batch/f" + (events - 1) + ".txt");
      report(print, mode, "one round, " + events + " events", t0, events);

      int rounds = Math.max(1, events / 5);
      t0 = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        write(datasite.resolve("single/f" + i + ".txt"), i);
        owner.sync();
        ds.sync();
      }
      check(ds, "single/f" + (rounds - 1) + ".txt");
      report(print, mode, rounds + " rounds of one event (DO + DS sync)", t0, rounds);
    } finally {
      deleteTree(base);
    }
  }

  private static SyftClient open(Path base, Path root, String email) throws java.io.IOException {
    Home h = Home.init(base.resolve("home-" + email), email, "local:" + root);
    return SyftClient.open(h, LocalStorage.create(root, email), Clock.systemUTC());
  }

  /** Deletes {@code who}'s bundle for {@code reader} before the reader pins it: traffic stays in the clear. */
  private static void withdrawBundle(Path root, String who, String reader) throws Exception {
    String name = "encryption_bundle_" + who + "_for_" + reader + ".json";
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(q -> q.getFileName().toString().equals(name)).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void write(Path p, int i) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "row " + i + ", a small event of about one hundred bytes: " + "x".repeat(50) + "\n");
  }

  private static void check(SyftClient ds, String rel) {
    if (!Files.exists(ds.home().replica(DO).resolve(rel))) {
      throw new IllegalStateException(rel + " did not reach the scientist");
    }
  }

  private static void report(boolean print, String mode, String phase, long t0, int n) {
    if (!print) {
      return;
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%-5s %-42s %10.2f %14.2f%n", mode, phase, s, s * 1000 / n);
  }

  private static void deleteTree(Path p) throws Exception {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
