package dev.syft.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the runner ends a run without losing its output: killing what is left never closes the pipes
 * still to be read, and a pump that a loaded machine has not
 * scheduled yet, or that waits for output still to come, loses nothing however much time passes; only
 * an idle pipe of an uncontained run (held by an escaped process) is given up.
 */
@Timeout(60)
class RunnerPumpTest {
  private static final long HOUR = TimeUnit.HOURS.toNanos(1);
  @TempDir Path tmp;

  /** A pipe fed by the test; a read blocks until a chunk is given (an empty chunk is the end). */
  static final class Pipe extends InputStream {
    final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    final CountDownLatch waiting = new CountDownLatch(1);
    volatile boolean closed;

    Pipe give(String s) {
      chunks.add(s.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    Pipe end() {
      chunks.add(new byte[0]);
      return this;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("Stream closed");
      }
      if (chunks.isEmpty()) {
        waiting.countDown();
      }
      byte[] c;
      try {
        c = chunks.take();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      if (c.length == 0) {
        return -1;
      }
      System.arraycopy(c, 0, b, off, c.length);
      return c.length;
    }

    @Override
    public void close() {
      closed = true; // like a real pipe: a read already blocked is not woken
    }
  }

  /** A clock that moves an hour per look and runs {@code atLook} on the given look. */
  private static LongSupplier hours(int look, Runnable atLook) {
    AtomicInteger looks = new AtomicInteger();
    return () -> {
      int n = looks.incrementAndGet();
      if (n == look) {
        atLook.run();
      }
      return n * HOUR;
    };
  }

  private Path log() throws IOException {
    return Files.writeString(tmp.resolve("stdout.txt"), "");
  }

  @Test
  void killingTheTreeAfterTheJobExitedKeepsItsUnreadOutput() throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", "echo before the error; echo boom >&2; exit 1").start();
    assertThat(p.waitFor()).isEqualTo(1);
    // the runner kills whatever is left once the job ended, possibly before the pumps read anything
    Runner.killTree(p, true, new java.util.HashSet<>());
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("before the error\n");
    assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("boom\n");
  }

  @Test
  void aPumpNotYetScheduledWhenTheJobEndedStillDeliversEverything() throws Exception {
    for (boolean contained : new boolean[] {true, false}) {
      Path out = log();
      Runner.Pump pump = new Runner.Pump(new Pipe().give("before the error\n").end(), out, 1 << 20);
      // the pump thread runs only hours (by the runner's clock) after the runner began waiting for it
      assertThat(Runner.finish(pump, contained, hours(3, () -> {
        pump.start("late");
        try {
          pump.thread.join();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }))).isTrue();
      assertThat(out).hasContent("before the error");
    }
  }

  @Test
  void aContainedRunWaitsForOutputStillInFlightHoweverLong() throws Exception {
    Path out = log();
    Pipe pipe = new Pipe().give("before ");
    Runner.Pump pump = new Runner.Pump(pipe, out, 1 << 20).start("slow");
    pipe.waiting.await(); // the pump waits in its second read, nothing arriving
    assertThat(Runner.finish(pump, true, hours(3, () -> pipe.give("the error\n").end()))).isTrue();
    assertThat(out).hasContent("before the error");
  }

  @Test
  void anUncontainedRunGivesUpAPipeHeldOpenWithNothingArriving() throws Exception {
    Path out = log();
    Pipe pipe = new Pipe().give("hello\n");
    Runner.Pump pump = new Runner.Pump(pipe, out, 1 << 20).start("held");
    pipe.waiting.await();
    assertThat(Runner.finish(pump, false, hours(Integer.MAX_VALUE, () -> {}))).isFalse();
    assertThat(out).hasContent("hello");
    pipe.give("written after the runner gave up\n").end();
    pump.thread.join();
    assertThat(out).hasContent("hello"); // the logs were already collected: nothing more is written
  }

  @Test
  void outputOverTheCapIsTruncatedAndTheRestDrained() throws Exception {
    Path out = log();
    Pipe pipe = new Pipe().give("hello").give(" world").give("more").end();
    Runner.Pump pump = new Runner.Pump(pipe, out, 8).start("cap");
    assertThat(Runner.finish(pump, true, System::nanoTime)).isTrue();
    assertThat(Files.readString(out)).isEqualTo("hello wo\n--- OUTPUT TRUNCATED: only the first 8 bytes were kept ---\n");
    assertThat(pipe.chunks).isEmpty();
  }
}
