package dev.syft.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long work extensions queue during a sync round (e.g. running an approved job) and that must not
 * run under the home lock: one worker runs it in order, after the round released the lock, so other
 * rounds and commands go on meanwhile. Work with a key already queued or running is not queued again.
 */
final class DeferredWork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeferredWork.class);

  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "syft-deferred");
    t.setDaemon(true);
    return t;
  });
  /** Queued in the current round, handed to the worker when the round ends. */
  private final Map<String, Runnable> pending = new LinkedHashMap<>();
  /** Handed to the worker and not finished yet, by key. */
  private final Map<String, CompletableFuture<Void>> inFlight = new LinkedHashMap<>();
  private volatile Runnable onDone = () -> {};
  private boolean accepting = true;

  /** Queues {@code work} for after the round; ignored when the key is pending or in flight, or while not accepting. */
  synchronized void add(String key, Runnable work) {
    if (!accepting || pending.containsKey(key) || inFlight.containsKey(key)) {
      return;
    }
    pending.put(key, work);
  }

  synchronized void accepting(boolean on) {
    accepting = on;
  }

  /** Called after each piece of work finished (the daemon asks for a round to deliver its results). */
  void onDone(Runnable r) {
    onDone = r == null ? () -> {} : r;
  }

  /** Hands the work queued in the round that just ended to the worker; returns what was started. */
  synchronized List<CompletableFuture<Void>> start() {
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (Map.Entry<String, Runnable> e : pending.entrySet()) {
      String key = e.getKey();
      Runnable work = e.getValue();
      CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
        try {
          work.run();
        } catch (RuntimeException ex) {
          LOG.warn("deferred work {} failed: {}", key, ex.getMessage());
        } finally {
          synchronized (this) {
            inFlight.remove(key);
          }
          onDone.run();
        }
      }, worker);
      inFlight.put(key, f);
      started.add(f);
    }
    pending.clear();
    return started;
  }

  /** Waits for everything handed to the worker so far. */
  void awaitIdle() {
    List<CompletableFuture<Void>> all;
    synchronized (this) {
      all = new ArrayList<>(inFlight.values());
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
  }

  /** Lets the work handed to the worker finish (a job has its own time limit); work not handed over is dropped. */
  @Override
  public void close() {
    synchronized (this) {
      pending.clear();
    }
    worker.shutdown();
    try {
      if (!worker.awaitTermination(1, TimeUnit.HOURS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
