package dev.syft.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.syft.jobs.JobsException;
import dev.syft.jobs.internal.SlurmExecutor.SlurmState;
import dev.syft.protocol.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Slurm watcher without a cluster: a scripted {@code squeue} and an injected scheduler. */
class SlurmMonitorTest {
  final Map<String, SlurmState> cluster = new ConcurrentHashMap<>();
  final List<List<String>> asked = new CopyOnWriteArrayList<>();
  final AtomicBoolean controllerDown = new AtomicBoolean();
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  final SlurmMonitor monitor = new SlurmMonitor(ids -> {
    asked.add(List.copyOf(ids));
    if (controllerDown.get()) {
      throw new JobsException(ErrorCode.JOBS_IO, "squeue failed: controller restarting");
    }
    Map<String, SlurmState> out = new java.util.LinkedHashMap<>();
    ids.forEach(id -> out.put(id, cluster.getOrDefault(id, SlurmState.PENDING)));
    return out;
  }, scheduler, SlurmMonitor.bounded(2), Duration.ofMillis(5));

  @AfterEach
  void stop() {
    monitor.close();
    scheduler.shutdownNow();
  }

  @Test
  void everyWatchedJobIsAskedInOneQueryAndEachEndsOnItsOwn() {
    CompletableFuture<SlurmState> a = monitor.watch("7_0");
    CompletableFuture<SlurmState> b = monitor.watch("7_1");
    await().atMost(Duration.ofSeconds(10)).until(() -> asked.stream().anyMatch(q -> q.containsAll(List.of("7_0", "7_1"))));
    cluster.put("7_0", SlurmState.FAILED);
    assertThat(a).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(SlurmState.FAILED);
    assertThat(b).isNotDone();
    cluster.put("7_1", SlurmState.DONE);
    assertThat(b).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(SlurmState.DONE);
    await().atMost(Duration.ofSeconds(10)).until(() -> monitor.watching() == 0);
  }

  @Test
  void aControllerThatCannotAnswerIsAskedAgainNotTakenAsTheEnd() {
    controllerDown.set(true);
    CompletableFuture<SlurmState> a = monitor.watch("8");
    await().atMost(Duration.ofSeconds(10)).until(() -> asked.size() >= 3);
    assertThat(a).isNotDone();
    controllerDown.set(false);
    cluster.put("8", SlurmState.TIMED_OUT);
    assertThat(a).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(SlurmState.TIMED_OUT);
  }

  @Test
  void closingDetachesEveryWatchWithoutAnEnd() {
    CompletableFuture<SlurmState> a = monitor.watch("9");
    monitor.close();
    assertThatThrownBy(a::join).hasCauseInstanceOf(SlurmMonitor.Detached.class);
    assertThatThrownBy(() -> monitor.watch("10").join()).hasCauseInstanceOf(SlurmMonitor.Detached.class);
  }
}
