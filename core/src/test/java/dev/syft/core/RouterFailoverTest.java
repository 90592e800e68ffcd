package dev.syft.core;

import static dev.syft.core.FaultConvergenceTest.ALL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.transport.decorator.FaultyStorage;
import dev.syft.transport.decorator.Operation;
import dev.syft.transport.memory.MemoryStore;
import dev.syft.transport.router.RoutingStorage;
import dev.syft.transport.router.RoutingStorage.Member;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients whose homes have two transports, routed by {@link RoutingStorage}: A is a shared folder
 * ({@code local:}) behind fault injection, B an in-memory store. The workload of {@link
 * FaultConvergenceTest} must reach the same trees as on one healthy transport, with nothing pending
 * and nothing quarantined (a message applied twice would show as a changed tree or a quarantine).
 */
class RouterFailoverTest {
  static final int MAX_ROUNDS = 60;
  @TempDir static Path shared;
  static List<Map<String, SortedMap<String, String>>> expected;

  @BeforeAll
  static void baseline() {
    expected = FaultConvergenceTest.baseline(Transport.LOCAL, shared.resolve("baseline"));
  }

  /** A switchable outage of A shared by every client: down once armed and {@code budget} more calls passed. */
  static final class Outage {
    final AtomicBoolean armed = new AtomicBoolean();
    final AtomicLong budget = new AtomicLong();

    boolean down() {
      return armed.get() && budget.decrementAndGet() < 0;
    }

    /** A goes away after {@code calls} more calls to it, i.e. in the middle of a sync round. */
    void loseAfter(long calls) {
      budget.set(calls);
      armed.set(true);
    }

    void heal() {
      armed.set(false);
    }
  }

  /** A net of routed clients: A = faulty(local), B = memory. */
  static Net routed(Path dir, Outage outage, RoutingStorage.Writes writes, boolean lagA, Map<String, RoutingStorage> out) {
    MemoryStore b = new MemoryStore();
    SettableClock[] clock = new SettableClock[1];
    Net net = Net.create(Transport.LOCAL, dir, (email, rawA) -> {
      FaultyStorage.Builder a = FaultyStorage.builder(rawA).seed(email.hashCode()).outage(outage::down);
      if (lagA) {
        a.listingLag(Duration.ofSeconds(3), clock[0]).failBefore(0.3, Operation.WRITE);
      }
      try {
        RoutingStorage r = new RoutingStorage(List.of(new Member("local:A", a.build()), new Member("mem:B", b.as(email))),
            writes, clock[0]);
        out.put(email, r);
        return r;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    clock[0] = net.clock;
    return net;
  }

  /** Syncs everyone until the trees equal {@code want} and nothing is pending; returns the rounds. */
  static int converge(Cluster c, Map<String, SortedMap<String, String>> want, String what) {
    for (int round = 1; ; round++) {
      for (String e : ALL) {
        try {
          c.client(e).sync();
        } catch (RuntimeException ex) {
          // a round may fail while a transport goes away; the next one goes on
        }
      }
      c.clock.advance(Duration.ofSeconds(1));
      if (FaultConvergenceTest.trees(c).equals(want) && FaultConvergenceTest.nothingPending(c)) {
        return round;
      }
      assertThat(round).as("%s: %s", what, FaultConvergenceTest.diff(want, FaultConvergenceTest.trees(c)))
          .isLessThan(MAX_ROUNDS);
    }
  }

  static void assertClean(Cluster c) {
    for (String e : ALL) {
      Status s = c.client(e).status();
      assertThat(s.quarantined()).as("quarantine of %s", e).isEmpty();
      assertThat(s.rejectedProposals()).as("rejected proposals of %s", e).isEmpty();
      assertThat(s.pendingUploads()).as("pending uploads of %s", e).isZero();
    }
  }

  @Test
  void aTransportLostForGoodMidSyncLosesNothingWhenWritesGoToAll(@TempDir Path tmp) {
    Outage outage = new Outage();
    Map<String, RoutingStorage> routers = new ConcurrentHashMap<>();
    try (Net net = routed(tmp, outage, RoutingStorage.Writes.ALL, false, routers)) {
      Cluster c = net.cluster;
      List<FaultConvergenceTest.Phase> phases = FaultConvergenceTest.workload();
      for (int i = 0; i < phases.size(); i++) {
        phases.get(i).work().accept(c);
        if (i == 2) {
          outage.loseAfter(25); // A goes away in the middle of the first round of this phase, for good
        }
        converge(c, expected.get(i), "phase " + phases.get(i).name());
      }
      assertClean(c);
      assertThat(routers.values()).allSatisfy(r -> assertThat(r.health().get(0).works()).isFalse());
    }
  }

  @Test
  void aLaggingPreferredTransportWithFailingWritesStillConverges(@TempDir Path tmp) {
    Map<String, RoutingStorage> routers = new ConcurrentHashMap<>();
    try (Net net = routed(tmp, new Outage(), RoutingStorage.Writes.FIRST_WORKING, true, routers)) {
      Cluster c = net.cluster;
      List<FaultConvergenceTest.Phase> phases = FaultConvergenceTest.workload();
      for (int i = 0; i < phases.size(); i++) {
        phases.get(i).work().accept(c);
        converge(c, expected.get(i), "phase " + phases.get(i).name());
      }
      assertClean(c);
    }
  }
}
