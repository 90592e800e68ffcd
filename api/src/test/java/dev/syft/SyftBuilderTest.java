package dev.syft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.ClientContext;
import dev.syft.core.Home;
import dev.syft.core.ProgressListener;
import dev.syft.core.SettableClock;
import dev.syft.core.SyncExtension;
import dev.syft.jobs.SubmitRequest;
import dev.syft.transport.memory.MemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Syft.builder}: what is injected reaches the engine, the extensions and the jobs. */
class SyftBuilderTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@uni.example";

  @TempDir Path tmp;

  @Test
  void injectedClockStoreExtensionsExecutorAndProgressAreTheOnesUsed() throws Exception {
    MemoryStore store = MemoryStore.builder().build();
    SettableClock clock = new SettableClock(Instant.parse("2026-03-04T05:06:07Z"));
    List<Clock> clocksSeen = new ArrayList<>();
    List<ProgressListener> listenersSeen = new ArrayList<>();
    ProgressListener progress = ProgressListener.NONE;
    SyncExtension probe = new SyncExtension() {
      @Override
      public String name() {
        return "probe";
      }

      @Override
      public void onRound(ClientContext ctx) {
        clocksSeen.add(ctx.clock());
        listenersSeen.add(ctx.progress());
      }
    };
    Home.init(tmp.resolve("ds"), DS, "memory:test").email();
    Home.init(tmp.resolve("do"), DO, "memory:test").email();
    ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    try (Syft ds = Syft.builder(tmp.resolve("ds")).storage(store.as(DS)).clock(clock).ioExecutor(io).progress(progress)
            .extensions(List.of(probe)).build();
        Syft owner = Syft.builder(tmp.resolve("do")).storage(store.as(DO)).clock(clock).build()) {
      ds.peers().add(DO);
      owner.sync();
      owner.peers().approve(DS);
      ds.sync();
      assertThat(clocksSeen).isNotEmpty().allSatisfy(c -> assertThat(c).isSameAs(clock));
      assertThat(listenersSeen).isNotEmpty().allSatisfy(l -> assertThat(l).isSameAs(progress));

      Path code = Files.writeString(Files.createDirectories(tmp.resolve("src")).resolve("main.py"), "print(1)\n");
      ds.jobs().submit(SubmitRequest.of(code, DO).withName("clocked"));
      // the jobs of a built client read its clock, not the system's
      assertThat(ds.jobs().list()).singleElement()
          .satisfies(j -> assertThat(j.submittedAt().toString()).startsWith("2026-03-04T05:06:07"));
    }
    assertThat(io.isShutdown()).as("the caller's executor is the caller's to close").isFalse();
    io.shutdown();
  }
}
