package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.transport.decorator.CallCounts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Storage calls of an idle {@code sync} (TESTING-PATTERNS.md 1: count API calls, regressions fail).
 * With P peers an idle round must cost at most P + 2 calls, on the in-memory store (change feed)
 * and on the local transport (folder times track children), both in the steady state and in the
 * round where the periodic full listing is due. The round where the hourly version re-check is due
 * as well is reported and bounded separately. Figures are printed as {@code CALL-BUDGET} lines.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = Transport.class, names = {"MEMORY", "LOCAL"})
class CallBudgetTest {
  static final String DO = "do@hospital.example";

  @Parameter Transport transport;
  @TempDir Path tmp;

  static String ds(int i) {
    return "ds" + i + "@lab" + i + ".example";
  }

  static String owner(int i) {
    return "owner" + i + "@site" + i + ".example";
  }

  /** One DO with P data scientists; the DO's idle rounds are counted. */
  @ParameterizedTest(name = "P={0}")
  @ValueSource(ints = {1, 10, 100})
  void anIdleOwnerSyncCostsAtMostPPlusTwoCalls(int p) {
    try (Net net = Net.create(transport, tmp)) {
      Cluster c = net.cluster;
      List<String> peers = new ArrayList<>();
      for (int i = 0; i < p; i++) {
        peers.add(ds(i));
        c.client(ds(i)).peers().add(DO);
      }
      c.client(DO).sync();
      for (String s : peers) {
        c.client(DO).peers().approve(s);
        c.close(s); // only the DO stays open (a peer that is offline costs the same)
      }
      measure(net, DO, p, "owner");
    }
  }

  /** One DS connected to P data owners; the DS's idle rounds are counted (P = 100 only as owner, for time). */
  @ParameterizedTest(name = "P={0}")
  @ValueSource(ints = {1, 10})
  void anIdleScientistSyncCostsAtMostPPlusTwoCalls(int p) {
    try (Net net = Net.create(transport, tmp)) {
      Cluster c = net.cluster;
      String me = "scientist@uni.example";
      List<String> owners = new ArrayList<>();
      for (int i = 0; i < p; i++) {
        owners.add(owner(i));
        c.client(me).peers().add(owner(i));
      }
      for (String o : owners) {
        c.client(o).peers().approve(me);
        c.close(o);
      }
      measure(net, me, p, "scientist");
    }
  }

  private void measure(Net net, String who, int p, String role) {
    Cluster c = net.cluster;
    // settle: every folder a change was reported for has been listed again after the settle window
    for (int i = 0; i < 3; i++) {
      c.client(who).sync();
      c.clock.advance(Duration.ofSeconds((long) ChangeHintsWindow.SECONDS + 1));
    }
    c.client(who).sync();
    var counter = net.counting(who);

    counter.reset();
    SyncReport idle = c.client(who).sync();
    CallCounts steady = counter.reset();
    assertThat(idle.clean()).isTrue();
    c.clock.advance(Duration.ofSeconds(10));
    c.client(who).sync();
    CallCounts steady2 = counter.reset();

    c.clock.advance(Duration.ofSeconds(301)); // the periodic full listing is due
    c.client(who).sync();
    CallCounts full = counter.reset();

    c.clock.advance(Duration.ofSeconds(1));
    c.client(who).sync();
    CallCounts fullNext = counter.reset();

    c.clock.advance(Duration.ofSeconds(3601)); // full listing and the hourly version re-check
    c.client(who).sync();
    CallCounts hourly = counter.reset();

    System.out.printf("CALL-BUDGET %s %s P=%d steady=%d (then %d) full-listing=%d (next round %d) hourly=%d  %s | %s%n",
        transport, role, p, steady.total(), steady2.total(), full.total(), fullNext.total(), hourly.total(), full, hourly);
    assertThat(steady.total()).as("steady idle round: %s", steady).isLessThanOrEqualTo(p + 2);
    assertThat(steady2.total()).as("second steady idle round: %s", steady2).isLessThanOrEqualTo(p + 2);
    assertThat(full.total()).as("idle round with the full listing due: %s", full).isLessThanOrEqualTo(p + 2);
    assertThat(hourly.total()).as("idle round with the version re-check due: %s", hourly).isLessThanOrEqualTo(p + 2);
    assertThat(hourly.get(dev.syft.transport.decorator.Operation.READ)).as("unchanged version files are not downloaded")
        .isZero();
    // the safety-net re-listing of all 2P watched folders is spread, not skipped: done within two rounds
    long rootListings = transport == Transport.LOCAL ? 2 : 0; // the local hints list our root each round
    assertThat(full.get(dev.syft.transport.decorator.Operation.LIST) + fullNext.get(dev.syft.transport.decorator.Operation.LIST)
        - rootListings).as("folders re-listed after %s s", 300).isEqualTo(2L * p);
    assertThat(steady.mutations() + full.mutations() + hourly.mutations()).as("an idle round changes nothing").isZero();
  }

  /** The settle window of the change hints ({@code ChangeHints.SETTLE_SECONDS}). */
  static final class ChangeHintsWindow {
    static final double SECONDS = 60;
  }
}
