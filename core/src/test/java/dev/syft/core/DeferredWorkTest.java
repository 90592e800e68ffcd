package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syft.transport.memory.MemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long work an extension defers (auto-run jobs) runs after the round, outside the home lock: other
 * rounds and commands are not locked out for its length, {@code sync()} still delivers its results in
 * the same call, and the daemon's loop keeps syncing while it runs.
 */
class DeferredWorkTest {
  static final String ME = "do@hospital.example";

  @TempDir Path tmp;
  final MemoryStore store = MemoryStore.builder().build();
  final SettableClock clock = new SettableClock(Cluster.EPOCH);
  final AtomicInteger rounds = new AtomicInteger();
  final AtomicInteger ranAfter = new AtomicInteger();
  volatile boolean lockFreeDuringWork;
  volatile CountDownLatch release = new CountDownLatch(0);
  /** Rounds done when the work started; -1 until it runs. */
  volatile int roundsWhenWorkRan = -1;
  SyftClient client;
  Home home;

  /** Defers one piece of work per round, under one key, and counts rounds. */
  final SyncExtension ext = new SyncExtension() {
    @Override
    public String name() {
      return "test";
    }

    @Override
    public void onRound(ClientContext ctx) {
      rounds.incrementAndGet();
      ctx.afterRound("work", () -> {
        roundsWhenWorkRan = rounds.get();
        try (Home.HomeLock l = ctx.home().lock()) {
          lockFreeDuringWork = true; // taking the home lock works: no round holds it
        }
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ranAfter.incrementAndGet();
      });
    }
  };

  @BeforeEach
  void setUp() {
    home = Home.init(tmp.resolve("home"), ME, "memory:test");
    client = SyftClient.builder(home).storage(store.as(ME)).clock(clock).extensions(List.of(ext)).build();
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    client.close();
  }

  @Test
  void syncRunsDeferredWorkOutsideTheLockThenDeliversInTheSameCall() {
    SyncReport r = client.sync();
    assertThat(r.peerErrors()).isEmpty();
    assertThat(ranAfter).hasValue(1);
    assertThat(lockFreeDuringWork).as("the work ran without the home lock held").isTrue();
    assertThat(roundsWhenWorkRan).as("the work ran after the round, not inside it").isEqualTo(1);
    // one more round delivered its results, and deferred nothing new
    assertThat(rounds).hasValue(2);
    client.sync();
    assertThat(ranAfter).hasValue(2);
  }

  @Test
  void theDaemonKeepsSyncingWhileDeferredWorkRuns() {
    release = new CountDownLatch(1);
    client.syncKeepGoing(); // round 1 queues the work, which now blocks until released
    await().atMost(Duration.ofSeconds(20)).until(() -> lockFreeDuringWork);
    client.syncKeepGoing(); // a second round while the work still runs: not locked out, not queued twice
    client.syncKeepGoing();
    assertThat(rounds).hasValue(3);
    assertThat(ranAfter).hasValue(0);
    release.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> ranAfter.get() == 1);
    client.syncKeepGoing(); // the next round may queue it again
    await().atMost(Duration.ofSeconds(20)).until(() -> ranAfter.get() == 2);
  }
}
