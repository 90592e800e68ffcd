package dev.syft.bench;

import dev.syft.Syft;
import dev.syft.core.SyncLoop;
import dev.syft.jobs.JobGroup;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.Release;
import dev.syft.jobs.SubmitRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Wall time of a job round trip on the local transport with both sides syncing as {@code syft daemon}
 * does (a {@link SyncLoop} each: change notifications, 10 s polling otherwise), as in issue 17: the
 * data scientist submits, the owner's daemon receives it, the owner approves and deposits a result
 * (no run: the job's own time is excluded) and shares it, and the scientist's daemon brings the
 * output. The owner's actions poke its loop, as the console inside the daemon does. Not a test:
 * prints median and p95. Run: {@code java -cp bench/target/benchmarks.jar dev.syft.bench.LocalRoundTrips [N]}.
 */
public final class LocalRoundTrips {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path tmp = Files.createTempDirectory("local-round-trips");
    Path shared = tmp.resolve("shared");
    try (Syft owner = Syft.init(DO, "local:" + shared, tmp.resolve("do"));
        Syft scientist = Syft.init(DS, "local:" + shared, tmp.resolve("ds"))) {
      scientist.peers().add(DO);
      owner.sync();
      owner.peers().approve(DS);
      scientist.sync();
      owner.sync();
      SyncLoop doLoop = new SyncLoop(owner.client(), Duration.ofSeconds(10), r -> {}, e -> {});
      SyncLoop dsLoop = new SyncLoop(scientist.client(), Duration.ofSeconds(10), r -> {}, e -> {});
      Thread a = Thread.ofPlatform().name("do-daemon").start(doLoop);
      Thread b = Thread.ofPlatform().name("ds-daemon").start(dsLoop);
      List<Double> ms = new ArrayList<>();
      try {
        for (int i = 0; i < n + 2; i++) { // the first two warm up
          String name = "rt-" + i;
          long t0 = System.nanoTime();
          // the daemon proposes it (a submit next to a running daemon leaves the sync to it)
          JobGroup g = locked(() -> scientist.jobs().submit(
              SubmitRequest.bash("echo 42 > outputs/answer.txt\n", DO).withName(name), false));
          dsLoop.poke();
          String mine = g.members().get(0).id();
          JobInfo job = await(() -> owner.jobs().list().stream().filter(j -> j.name().equals(name) && j.status().equals("pending"))
              .findFirst());
          Path result = tmp.resolve("result-" + i);
          Files.createDirectories(result);
          Files.writeString(result.resolve("answer.txt"), "42\n", StandardCharsets.UTF_8);
          locked(() -> {
            owner.jobs().approve(job.id(), "bench");
            owner.jobs().deposit(job.id(), result);
            return owner.jobs().share(job.id(), EnumSet.of(Release.OUTPUTS));
          });
          doLoop.poke();
          await(() -> scientist.jobs().outputs(mine).isEmpty() ? Optional.empty() : Optional.of(Boolean.TRUE));
          double took = (System.nanoTime() - t0) / 1e6;
          if (i >= 2) {
            ms.add(took);
          }
          System.out.printf("round trip %2d: %7.1f ms%n", i, took);
        }
      } finally {
        doLoop.stop();
        dsLoop.stop();
        a.join();
        b.join();
      }
      ms.sort(Double::compare);
      System.out.printf("local job round trip, %d runs: median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms%n",
          ms.size(), ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.95) - 1), ms.get(0),
          ms.get(ms.size() - 1));
    } finally {
      delete(tmp);
    }
  }

  /** Runs an action on a home whose daemon may be in a round (it holds the home lock): again until it gets in. */
  private static <T> T locked(Supplier<T> action) throws InterruptedException {
    for (int i = 0; ; i++) {
      try {
        return action.get();
      } catch (dev.syft.protocol.SyftException e) {
        if (i > 12_000 || e.getMessage() == null || !e.getMessage().contains("another syft process")) {
          throw e;
        }
        Thread.sleep(5);
      }
    }
  }

  /** Polls the clients' local state (no transport calls) every 5 ms, for at most 60 s. */
  private static <T> T await(Supplier<Optional<T>> probe) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < end) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("bench scenario broke: nothing arrived within 60 s");
  }

  private static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
