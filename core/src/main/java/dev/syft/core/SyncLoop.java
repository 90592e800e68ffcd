package dev.syft.core;

import dev.syft.transport.Watcher;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hybrid sync strategy: a round whenever the transport's watch capability signals a change,
 * otherwise every poll interval; after a failed round the interval backs off (doubling, capped) and
 * resets after the next good one. {@link #stop()} ends the loop after the current round.
 */
public final class SyncLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final SyftClient client;
  private final Duration interval;
  private final Consumer<SyncReport> onRound;
  private final Consumer<RuntimeException> onError;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean poked;
  private volatile boolean stopped;

  public SyncLoop(SyftClient client, Duration interval, Consumer<SyncReport> onRound, Consumer<RuntimeException> onError) {
    this.client = client;
    this.interval = interval;
    this.onRound = onRound;
    this.onError = onError;
  }

  /** Asks for a round as soon as possible (called by watchers). */
  public void poke() {
    lock.lock();
    try {
      poked = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public void stop() {
    stopped = true;
    poke();
  }

  @Override
  public void run() {
    AutoCloseable watch = startWatch();
    client.onDeferredDone(this::poke); // deliver the results of background work promptly
    Duration wait = interval;
    try {
      while (!stopped) {
        try {
          onRound.accept(client.syncKeepGoing());
          wait = interval;
        } catch (RuntimeException e) {
          onError.accept(e);
          wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
        }
        await(wait);
      }
    } finally {
      if (watch != null) {
        try {
          watch.close();
        } catch (Exception e) {
          LOG.debug("closing the watcher: {}", e.getMessage());
        }
      }
      client.onDeferredDone(null);
    }
  }

  private AutoCloseable startWatch() {
    try {
      Optional<Watcher> w = client.watcher();
      if (w.isPresent()) {
        return w.get().watch(this::poke);
      }
    } catch (Exception e) {
      LOG.info("change notifications unavailable, polling only: {}", e.getMessage());
    }
    return null;
  }

  private void await(Duration d) {
    lock.lock();
    try {
      long nanos = d.toNanos();
      while (!poked && !stopped && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
      poked = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    } finally {
      lock.unlock();
    }
  }

}
