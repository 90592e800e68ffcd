package dev.syft.jobs.internal;

import dev.syft.jobs.JobsException;
import dev.syft.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for Slurm jobs without holding a thread per job: one task on a scheduler asks Slurm for the
 * state of every watched job at once, and each job that reached its end is handed to a bounded pool
 * of virtual threads (collecting outputs reads and writes files). {@link #close} detaches: polling
 * stops and the watches end with {@link Detached}; the Slurm jobs go on (a restarted daemon
 * re-attaches to them).
 */
final class SlurmMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlurmMonitor.class);
  /** At most this many finished jobs are collected at once by the default finisher pool. */
  static final int MAX_FINISHING = 4;
  private static final ScheduledExecutorService SHARED_SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "syft-slurm-poll");
    t.setDaemon(true);
    return t;
  });
  private static final Executor SHARED_FINISHERS = bounded(MAX_FINISHING);

  /** Asks the cluster for the states of some jobs; a job missing from the answer is not known (yet). */
  interface Query {
    Map<String, SlurmExecutor.SlurmState> states(List<String> slurmIds);
  }

  /** The watch ended because the watcher was closed, not because the Slurm job ended. */
  static final class Detached extends JobsException {
    private static final long serialVersionUID = 1L;

    Detached(String message) {
      super(ErrorCode.JOBS_IO, message);
    }
  }

  private final Query query;
  private final ScheduledExecutorService scheduler;
  private final Executor finishers;
  private final Duration every;
  private final Map<String, CompletableFuture<SlurmExecutor.SlurmState>> watched = new LinkedHashMap<>();
  private ScheduledFuture<?> task;
  private boolean closed;

  SlurmMonitor(Query query, ScheduledExecutorService scheduler, Executor finishers, Duration every) {
    this.query = query;
    this.scheduler = scheduler != null ? scheduler : SHARED_SCHEDULER;
    this.finishers = finishers != null ? finishers : SHARED_FINISHERS;
    this.every = every;
  }

  /** Runs each task on its own virtual thread, at most {@code n} at a time. */
  static Executor bounded(int n) {
    Semaphore permits = new Semaphore(n);
    return r -> Thread.ofVirtual().name("syft-slurm-finish").start(() -> {
      permits.acquireUninterruptibly();
      try {
        r.run();
      } finally {
        permits.release();
      }
    });
  }

  Executor finishers() {
    return finishers;
  }

  /** Completes (on a finisher thread) with the job's end state; never blocks the caller. */
  synchronized CompletableFuture<SlurmExecutor.SlurmState> watch(String slurmId) {
    if (closed) {
      return CompletableFuture.failedFuture(new Detached("the Slurm watcher is closed"));
    }
    CompletableFuture<SlurmExecutor.SlurmState> f = watched.computeIfAbsent(slurmId, k -> new CompletableFuture<>());
    if (task == null) {
      task = scheduler.scheduleWithFixedDelay(this::poll, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }
    return f;
  }

  synchronized int watching() {
    return watched.size();
  }

  private void poll() {
    List<String> ids;
    synchronized (this) {
      ids = new ArrayList<>(watched.keySet());
    }
    if (ids.isEmpty()) {
      return;
    }
    Map<String, SlurmExecutor.SlurmState> states;
    try {
      states = query.states(ids);
    } catch (RuntimeException e) {
      // the controller may be restarting: ask again next time
      LOG.warn("cannot read the state of {} Slurm job(s): {}", ids.size(), e.getMessage());
      return;
    }
    for (Map.Entry<String, SlurmExecutor.SlurmState> e : states.entrySet()) {
      if (!e.getValue().terminal()) {
        continue;
      }
      CompletableFuture<SlurmExecutor.SlurmState> f;
      synchronized (this) {
        f = watched.remove(e.getKey());
        stopIfIdle();
      }
      if (f != null) {
        SlurmExecutor.SlurmState st = e.getValue();
        finishers.execute(() -> f.complete(st));
      }
    }
  }

  private void stopIfIdle() {
    if (watched.isEmpty() && task != null) {
      task.cancel(false);
      task = null;
    }
  }

  /** Stops polling; every watch ends with {@link Detached} and its Slurm job keeps running. */
  @Override
  public void close() {
    List<CompletableFuture<SlurmExecutor.SlurmState>> open;
    synchronized (this) {
      closed = true;
      open = new ArrayList<>(watched.values());
      watched.clear();
      stopIfIdle();
    }
    open.forEach(f -> f.completeExceptionally(new Detached("detached from the Slurm job (the runner stopped);"
        + " a restarted daemon re-attaches to it")));
  }
}
