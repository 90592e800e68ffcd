package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.transport.decorator.FaultyStorage;
import dev.syft.transport.decorator.RetryPolicy;
import dev.syft.transport.decorator.RetryingStorage;
import dev.syft.transport.decorator.Sleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The peer/proposal/routing/deletion workload of {@link SyncScenariosTest}, run once without faults
 * (the expected trees) and once under {@link FaultyStorage}: 30 % transient failures (before or
 * after the call took effect), cut downloads, duplicated creates and a listing lag on the cluster's
 * clock. With {@link RetryingStorage} in front (fast policy, no sleeping) and bare, where only the
 * engine's own re-runs of {@code sync} recover. After every phase the full file trees and hashes of
 * every home must equal the fault-free run; at the end nothing may be pending or quarantined.
 *
 * <p>Seeds are printed; replay one with {@code -Dsyft.fault.seed=N}.
 */
@ParameterizedClass(name = "{0} {1}")
@MethodSource("cases")
class FaultConvergenceTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;
  static final String DS2 = SyncScenariosTest.DS2;
  static final List<String> ALL = List.of(DS, DS2, DO);
  static final Duration LAG = Duration.ofSeconds(3);
  static final int MAX_ROUNDS_PER_PHASE = 400;

  enum Mode {
    RETRYING,
    BARE
  }

  static Stream<Arguments> cases() {
    return Stream.of(Transport.MEMORY, Transport.LOCAL).flatMap(t -> Stream.of(Mode.values()).map(m -> Arguments.of(t, m)));
  }

  @Parameter(0) Transport transport;
  @Parameter(1) Mode mode;
  @TempDir Path tmp;

  /** One step of the workload: edits and peer commands (retried like a user would re-run them). */
  record Phase(String name, Consumer<Cluster> work) {}

  static String job(String ds, String rest) {
    return SyncScenariosTest.job(ds, rest);
  }

  static List<Phase> workload() {
    List<Phase> p = new ArrayList<>();
    p.add(new Phase("requests", c -> {
      retry(c, () -> c.client(DS).peers().add(DO));
      retry(c, () -> c.client(DS2).peers().add(DO));
    }));
    p.add(new Phase("approvals", c -> {
      retry(c, () -> c.client(DO).peers().approve(DS));
      retry(c, () -> c.client(DO).peers().approve(DS2));
    }));
    p.add(new Phase("first files", c -> {
      Path d = c.datasite(DO);
      Cluster.grantRead(d, "public", "**", DS, DS2);
      Cluster.grantRead(d, "shared", "**", DS);
      Cluster.write(d, "public/a.txt", "a1");
      Cluster.write(d, "public/b.txt", "b1");
      Cluster.write(d, "public/nested/deep/c.txt", "c1");
      Cluster.write(d, "shared/s.txt", "only for ds");
      Cluster.write(d, "secret/never.txt", "stays home");
      Cluster.write(c.replica(DS, DO), job(DS, "j1/run.sh"), "echo j1\n");
      writeBytes(c.replica(DS, DO), job(DS, "j2/data.bin"), new byte[] {0, 1, (byte) 0xff, (byte) 0xfe, 7});
      Cluster.write(c.replica(DS2, DO), job(DS2, "k1/run.sh"), "echo k1\n");
    }));
    p.add(new Phase("edits and deletions", c -> {
      Path d = c.datasite(DO);
      Cluster.write(d, "public/a.txt", "a2");
      delete(d.resolve("public/b.txt"));
      Cluster.write(d, "public/d.txt", "d1");
      Cluster.write(c.replica(DS, DO), job(DS, "j1/run.sh"), "echo j1 v2\n");
      delete(c.replica(DS, DO).resolve(job(DS, "j2/data.bin")));
      Cluster.write(c.replica(DS2, DO), job(DS2, "k2/run.sh"), "echo k2\n");
    }));
    p.add(new Phase("re-grant and owner deletes a received file", c -> {
      Cluster.grantRead(c.datasite(DO), "shared", "**", DS, DS2);
      delete(c.datasite(DO).resolve(job(DS2, "k1/run.sh")));
    }));
    return p;
  }

  static void delete(Path p) {
    try {
      java.nio.file.Files.delete(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Re-runs a peer command that failed on a transient fault, as a user would. */
  static void retry(Cluster c, Runnable r) {
    RuntimeException last = null;
    for (int i = 0; i < 200; i++) {
      try {
        r.run();
        return;
      } catch (RuntimeException e) {
        last = e;
        c.clock.advance(Duration.ofSeconds(1)); // "try again in a moment"
      }
    }
    throw last;
  }

  static Map<String, SortedMap<String, String>> trees(Cluster c) {
    Map<String, SortedMap<String, String>> out = new LinkedHashMap<>();
    for (String e : ALL) {
      SortedMap<String, String> t = Trees.home(c.homeDir(e));
      // the contact states are part of the converged state too
      for (Peer p : c.client(e).peers().list()) {
        t.put("peer:" + p.email(), p.state().wireName());
      }
      out.put(e, t);
    }
    return out;
  }

  /** Runs the workload without faults, settling each phase until two rounds in a row do nothing. */
  static List<Map<String, SortedMap<String, String>>> baseline(Transport t, Path dir) {
    List<Map<String, SortedMap<String, String>>> expected = new ArrayList<>();
    try (Net net = Net.create(t, dir)) {
      Cluster c = net.cluster;
      for (Phase ph : workload()) {
        ph.work().accept(c);
        int quiet = 0;
        for (int round = 0; quiet < 2; round++) {
          assertThat(round).as("fault-free run of phase '%s' settles", ph.name()).isLessThan(50);
          boolean active = false;
          for (String e : ALL) {
            SyncReport r = c.client(e).sync();
            assertThat(r.peerErrors()).as("fault-free sync of %s", e).isEmpty();
            active |= r.localChanges() + r.accepted() + r.rejected() + r.proposed() + r.pulled() + r.uploaded()
                + r.pendingUploads() > 0;
          }
          c.clock.advance(Duration.ofSeconds(1));
          quiet = active ? 0 : quiet + 1;
        }
        expected.add(trees(c));
      }
      for (String e : ALL) {
        assertThat(c.client(e).status().quarantined()).as("fault-free quarantine of %s", e).isEmpty();
      }
      // sanity of the expected trees themselves
      Map<String, SortedMap<String, String>> last = expected.get(expected.size() - 1);
      assertThat(last.get(DS)).containsKeys(DO + "/public/a.txt", DO + "/shared/s.txt", DO + "/" + job(DS, "j1/run.sh"))
          .doesNotContainKeys(DO + "/public/b.txt", DO + "/secret/never.txt", DO + "/" + job(DS, "j2/data.bin"));
      assertThat(last.get(DS).get(DO + "/public/a.txt")).isEqualTo(Trees.sha256("a2"));
      assertThat(last.get(DS2)).containsKeys(DO + "/shared/s.txt", DO + "/" + job(DS2, "k2/run.sh"))
          .doesNotContainKeys(DO + "/" + job(DS2, "k1/run.sh"), DO + "/" + job(DS, "j1/run.sh"));
      assertThat(last.get(DO)).containsKeys(DO + "/" + job(DS, "j1/run.sh"), DO + "/" + job(DS2, "k2/run.sh"))
          .doesNotContainKeys(DO + "/" + job(DS2, "k1/run.sh"));
    }
    return expected;
  }

  @Test
  void convergesToTheFaultFreeTrees() {
    List<Map<String, SortedMap<String, String>>> expected = baseline(transport, tmp.resolve("baseline"));
    long seed = Long.getLong("syft.fault.seed", 20260101L + transport.ordinal() * 10 + mode.ordinal());
    System.out.println("FaultConvergenceTest " + transport + " " + mode + " seed=" + seed);
    Map<String, FaultyStorage> faulty = new LinkedHashMap<>();
    SettableClock[] clockRef = new SettableClock[1];
    try (Net net = Net.create(transport, tmp.resolve("faulty"), (email, raw) -> {
      FaultyStorage f = FaultyStorage.builder(raw)
          .seed(seed * 31 + email.hashCode())
          .failBefore(0.2)
          .failAfter(0.1)
          .cutReads(0.05)
          .duplicateCreates(0.2)
          .listingLag(LAG, clockRef[0])
          .build();
      faulty.put(email, f);
      return mode == Mode.RETRYING
          ? new RetryingStorage(f, RetryPolicy.defaults().withMaxAttempts(8).withSleeper(Sleeper.none()))
          : f;
    })) {
      clockRef[0] = net.clock;
      Cluster c = net.cluster;
      List<Phase> phases = workload();
      int totalRounds = 0;
      int failedSyncs = 0;
      for (int i = 0; i < phases.size(); i++) {
        phases.get(i).work().accept(c);
        int rounds = 0;
        while (true) {
          for (String e : ALL) {
            try {
              c.client(e).sync();
            } catch (RuntimeException ex) {
              failedSyncs++;
            }
          }
          c.clock.advance(Duration.ofSeconds(1));
          rounds++;
          if (trees(c).equals(expected.get(i)) && nothingPending(c)) {
            break;
          }
          if (rounds >= MAX_ROUNDS_PER_PHASE && System.getProperty("syft.fault.debug") != null) {
            dump(net, c);
          }
          if (rounds >= MAX_ROUNDS_PER_PHASE) {
            assertThat(diff(expected.get(i), trees(c))).as("phase '%s' after %d rounds (seed %d); quarantine: %s",
                phases.get(i).name(), rounds, seed, quarantines(c)).isEmpty();
            assertThat(nothingPending(c)).as("uploads pending after phase '%s'", phases.get(i).name()).isTrue();
          }
        }
        totalRounds += rounds;
      }
      // stable: more rounds change nothing and nothing was refused along the way
      for (int i = 0; i < 3; i++) {
        for (String e : ALL) {
          try {
            c.client(e).sync();
          } catch (RuntimeException ex) {
            failedSyncs++;
          }
        }
        c.clock.advance(Duration.ofSeconds(1));
      }
      assertThat(diff(expected.get(expected.size() - 1), trees(c))).isEmpty();
      for (String e : ALL) {
        Status s = c.client(e).status();
        assertThat(s.quarantined()).as("quarantine of %s (seed %d)", e, seed).isEmpty();
        assertThat(s.rejectedProposals()).as("rejected proposals of %s", e).isEmpty();
        assertThat(Trees.tempFiles(c.homeDir(e))).isEmpty();
      }
      long injected = faulty.values().stream().mapToLong(FaultyStorage::injectedCount).sum();
      System.out.printf("FaultConvergenceTest %s %s: %d rounds, %d failed syncs, %d injected faults%n", transport, mode,
          totalRounds, failedSyncs, injected);
      assertThat(injected).as("faults were injected").isGreaterThan(50);
    }
  }

  /** The entries that differ, as "home: path expected -> actual". */
  static List<String> diff(Map<String, SortedMap<String, String>> want, Map<String, SortedMap<String, String>> got) {
    List<String> out = new ArrayList<>();
    for (String e : want.keySet()) {
      java.util.Set<String> keys = new java.util.TreeSet<>(want.get(e).keySet());
      keys.addAll(got.get(e).keySet());
      for (String k : keys) {
        String a = want.get(e).get(k);
        String b = got.get(e).get(k);
        if (!java.util.Objects.equals(a, b)) {
          out.add(e + ": " + k + " " + abbrev(a) + " -> " + abbrev(b));
        }
      }
    }
    return out;
  }

  private static String abbrev(String h) {
    return h == null ? "(none)" : h.length() > 12 ? h.substring(0, 12) : h;
  }

  static Map<String, List<String>> quarantines(Cluster c) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String e : ALL) {
      Status s = c.client(e).status();
      List<String> l = new ArrayList<>();
      s.quarantined().forEach(q -> l.add("Q " + q.peer() + " " + q.message() + ": " + q.reason()));
      s.rejectedProposals().forEach(q -> l.add("R " + q.peer() + " " + q.message() + ": " + q.reason()));
      out.put(e, l);
    }
    return out;
  }

  static void dump(Net net, Cluster c) {
    try {
      dev.syft.transport.Storage doStore = net.raw(DO);
      for (FileChangeEventsMessageView v : views(doStore, Forge.outboxOf(doStore, DS), c.homeDir(DO))) {
        System.out.println("OUTBOX " + v);
      }
      try (dev.syft.core.internal.StateDb d = dev.syft.core.internal.StateDb.open(c.homeDir(DS).resolve(".syft/state.db"))) {
        System.out.println("SEEN " + new java.util.TreeMap<>(d.seenNames(DO)) + " wm=" + d.watermark(DO));
      }
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  record FileChangeEventsMessageView(String name, String modified, List<String> events) {}

  static List<FileChangeEventsMessageView> views(dev.syft.transport.Storage s, dev.syft.transport.Entry folder,
      java.nio.file.Path ownerHome) throws java.io.IOException {
    List<FileChangeEventsMessageView> out = new ArrayList<>();
    for (dev.syft.transport.Entry e : s.listAll(folder)) {
      var m = new dev.syft.protocol.archive.ArchiveCodec().decodeEvents(Forge.plain(s.readAll(e, 1 << 24), ownerHome));
      out.add(new FileChangeEventsMessageView(e.name(), String.valueOf(e.modified()), m.events().stream()
          .map(ev -> ev.pathInDatasite() + (ev.deleted() ? " DEL" : " " + ev.newHash().substring(0, 8)) + " id=" + ev.id())
          .toList()));
    }
    return out;
  }

  static boolean nothingPending(Cluster c) {
    for (String e : ALL) {
      if (c.client(e).status().pendingUploads() > 0) {
        return false;
      }
    }
    return true;
  }

  static void writeBytes(Path root, String rel, byte[] data) {
    try {
      Path p = root.resolve(rel);
      java.nio.file.Files.createDirectories(p.getParent());
      java.nio.file.Files.write(p, data);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
