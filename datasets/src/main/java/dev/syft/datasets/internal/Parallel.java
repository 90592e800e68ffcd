package dev.syft.datasets.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/** Runs I/O tasks on the client's executor with at most {@code limit} in flight. */
final class Parallel {
  /** Uploads or downloads in flight at once (Drive tolerates about this many per user). */
  static final int LIMIT = 8;

  @FunctionalInterface
  interface IoTask {
    void run() throws IOException;
  }

  private Parallel() {}

  /** Runs every task (even after a failure) and rethrows the first failure, the others suppressed. */
  static void runAll(ExecutorService io, int limit, List<IoTask> tasks) throws IOException {
    if (tasks.size() == 1) {
      tasks.get(0).run();
      return;
    }
    Semaphore permits = new Semaphore(limit);
    List<Future<?>> futures = new ArrayList<>();
    for (IoTask t : tasks) {
      try {
        permits.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while starting transfers");
      }
      try {
        futures.add(io.submit(() -> {
          try {
            t.run();
            return null;
          } finally {
            permits.release();
          }
        }));
      } catch (RuntimeException e) {
        permits.release();
        throw e;
      }
    }
    Throwable first = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause();
        } else {
          first.addSuppressed(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for transfers");
      }
    }
    if (first instanceof IOException io2) {
      throw io2;
    }
    if (first instanceof RuntimeException re) {
      throw re;
    }
    if (first instanceof Error err) {
      throw err;
    }
  }
}
