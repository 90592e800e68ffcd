package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.transport.decorator.CallCounts;
import dev.syft.transport.decorator.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests per step on Google Drive (the fake, the real client), pinned where a fix removed some
 * (issue 17; the whole table is bench/DriveRoundTrips). Call counts are behaviour, not timing.
 */
class DriveRoundTripsTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

  @TempDir Path tmp;

  /** Past every settle window, so the next round is a steady one. */
  static void settle(Cluster c, String who) {
    for (int i = 0; i < 3; i++) {
      c.client(who).sync();
      c.clock.advance(Duration.ofSeconds(61));
    }
    c.client(who).sync();
    c.clock.advance(Duration.ofSeconds(10));
  }

  @Test
  void aProposalTheFeedReportsIsTakenFromTheFeedWithoutListingTheInbox() {
    try (Net net = Net.create(Transport.DRIVE, tmp)) {
      Cluster c = net.cluster;
      c.connect(DS, DO);
      settle(c, DO);
      var counter = net.counting(DO);
      for (int n = 1; n <= 2; n++) {
        Cluster.write(c.replica(DS, DO), "app_data/job/inbox/" + DS + "/job-" + n + "/run.sh", "echo " + n + "\n");
        c.client(DS).sync();
        c.clock.advance(Duration.ofSeconds(5));
        counter.reset();
        assertThat(c.client(DO).sync().accepted()).isEqualTo(1);
        CallCounts round = counter.reset();
        assertThat(round.get(Operation.LIST)).as("proposal round %d: %s", n, round).isZero();
        c.clock.advance(Duration.ofSeconds(5));
        c.client(DO).sync(); // inside the settle window of the reported inbox: still no listing
        CallCounts next = counter.reset();
        assertThat(next.get(Operation.LIST)).as("next round: %s", next).isZero();
      }
      assertThat(c.client(DO).status().quarantined()).isEmpty();
    }
  }

  /** HTTP requests {@code who} makes during {@code step}, per endpoint. */
  static Map<String, Long> requests(Net net, String who, Runnable step) {
    Map<String, Long> before = net.drive().counts(who);
    step.run();
    Map<String, Long> out = new TreeMap<>();
    net.drive().counts(who).forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d != 0) {
        out.put(k, d);
      }
    });
    return out;
  }

  @Test
  void theSafetyNetListsEveryWatchedFolderInOneQuery() {
    try (Net net = Net.create(Transport.DRIVE, tmp)) {
      Cluster c = net.cluster;
      for (int i = 0; i < 3; i++) {
        c.connect("ds" + i + "@lab" + i + ".example", DO);
      }
      settle(c, DO);
      c.clock.advance(Duration.ofSeconds((long) 301));
      c.client(DO).sync(); // the rolling state of the connection's events is due: out of the way
      assertThat(requests(net, DO, () -> c.client(DO).sync())).as("idle").isEqualTo(Map.of("changes.list", 1L));
      c.clock.advance(Duration.ofSeconds((long) 301));
      // 6 folders (3 peer inboxes, 3 outboxes from the peers) due at once, and the search for newly
      // shared folders: one query, not one listing each plus a search
      assertThat(requests(net, DO, () -> c.client(DO).sync())).as("safety-net round")
          .isEqualTo(Map.of("changes.list", 1L, "files.list", 1L));
      assertThat(requests(net, DO, () -> c.client(DO).sync())).as("the round after").isEqualTo(Map.of("changes.list", 1L));
    }
  }

  @Test
  void processedProposalsGoToTheArchiveInOneBatch() {
    try (Net net = Net.create(Transport.DRIVE, tmp)) {
      Cluster c = net.cluster;
      c.connect(DS, DO);
      for (int n = 1; n <= 3; n++) {
        Cluster.write(c.replica(DS, DO), "app_data/job/inbox/" + DS + "/job-" + n + "/run.sh", "echo " + n + "\n");
        c.client(DS).sync();
        c.clock.advance(Duration.ofSeconds(1));
      }
      var counter = net.counting(DO);
      counter.reset();
      Map<String, Long> spent = requests(net, DO, () -> assertThat(c.client(DO).sync().accepted()).isEqualTo(3));
      CallCounts round = counter.reset();
      assertThat(round.get(Operation.MOVE)).as("%s", round).isEqualTo(1);
      assertThat(spent).containsEntry("batch", 1L).containsEntry("batch:files.update", 3L);
      assertThat(net.drive().files().stream().filter(f -> f.name().startsWith("msgv2_")
          && f.parents().stream().anyMatch(p -> net.drive().file(p).orElseThrow().name().endsWith("_archive"))))
          .hasSize(3);
    }
  }

  @Test
  void theRollingStateIsUploadedOnATimerNotAfterEveryRoundWithEvents() {
    try (Net net = Net.create(Transport.DRIVE, tmp)) {
      Cluster c = net.cluster;
      c.connect(DS, DO);
      Cluster.write(c.datasite(DO), "public/syft.pub.yaml", "rules:\n- pattern: '**'\n  access:\n    read:\n    - '*'\n");
      c.client(DO).sync(); // the first rolling state after the (empty) checkpoint goes at once
      settle(c, DO);
      Cluster.write(c.datasite(DO), "public/a.txt", "v1");
      Map<String, Long> change = requests(net, DO, () -> c.client(DO).sync());
      assertThat(change).as("a local change: event log + one outbox message, no rolling state")
          .isEqualTo(Map.of("changes.list", 1L, "files.create", 2L));
      c.clock.advance(Duration.ofSeconds((long) 301));
      Map<String, Long> due = requests(net, DO, () -> c.client(DO).sync());
      assertThat(due.get("files.update")).as("the due rolling state, replaced in place: %s", due).isEqualTo(1L);
      Map<String, Long> idle = requests(net, DO, () -> c.client(DO).sync());
      assertThat(idle).as("uploaded: nothing due").isEqualTo(Map.of("changes.list", 1L));
      // what the rolling state lagged behind is in the event log: a wiped owner restores it
      Cluster.write(c.datasite(DO), "public/a.txt", "v2");
      c.client(DO).sync();
      c.wipe(DO);
      c.client(DO).sync();
      assertThat(Cluster.read(c.datasite(DO), "public/a.txt")).isEqualTo("v2");
    }
  }
}
