package dev.syft.transport.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.WriteMode;
import io.methvin.watcher.DirectoryChangeEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Watching: another user's write into a shared folder wakes the watcher (native and polling). */
class LocalWatcherTest {
  LocalFixture fixture;

  @AfterEach
  void tearDown() throws IOException {
    if (fixture != null) {
      fixture.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = LocalOptions.WatchMode.class, names = {"NATIVE", "POLL"})
  void aWriteByAnotherUserTriggersTheCallbackAndCloseStopsIt(LocalOptions.WatchMode mode) throws Exception {
    fixture = new LocalFixture(LocalOptions.defaults().withFsync(false).withWatch(mode)
        .withPollInterval(Duration.ofMillis(100)));
    LocalStorage ds = (LocalStorage) fixture.storage("ds@example.com");
    LocalStorage owner = (LocalStorage) fixture.storage("do@example.com");
    Entry outbox = ds.ensureFolder(ds.root(), "syft_datasite#0.1.117#do@example.com#outbox#ds@example.com");
    ds.share(outbox, "do@example.com", Role.WRITER);
    Entry unrelated = owner.ensureFolder(owner.root(), "private");

    AtomicInteger calls = new AtomicInteger();
    AutoCloseable handle = ds.capabilities().watcher().orElseThrow().watch(calls::incrementAndGet);
    owner.write(outbox, "syfteventsmessagev3_1.0_u.tar.gz", "events".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
    await().atMost(Duration.ofSeconds(20)).until(() -> calls.get() > 0);

    handle.close();
    int afterClose = calls.get();
    owner.write(outbox, "syfteventsmessagev3_2.0_u.tar.gz", "more".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
    owner.write(unrelated, "x", new byte[1], WriteMode.CREATE);
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> calls.get() == afterClose);
  }

  @Test
  void changesTheWatcherCannotSeeAreNotReported() throws Exception {
    fixture = new LocalFixture(LocalOptions.defaults().withFsync(false));
    LocalStorage ds = (LocalStorage) fixture.storage("ds@example.com");
    LocalStorage owner = (LocalStorage) fixture.storage("do@example.com");
    Entry secret = owner.ensureFolder(owner.root(), "private");
    Entry shared = owner.ensureFolder(owner.root(), "shared");
    Entry mine = ds.ensureFolder(ds.root(), "mine");
    LocalWatcher w = new LocalWatcher(ds, ds.options());
    Path root = ds.rootPath();

    Path hidden = root.resolve(secret.id()).resolve("hidden");
    Path visible = root.resolve(mine.id()).resolve("visible");
    Path inShared = root.resolve(shared.id()).resolve("later");
    Files.write(hidden, new byte[1]);
    Files.write(visible, new byte[1]);
    Files.write(inShared, new byte[1]);
    assertThat(w.relevant(event(hidden, root))).isFalse();
    assertThat(w.relevant(event(visible, root))).isTrue();
    assertThat(w.relevant(event(inShared, root))).isFalse();
    assertThat(w.relevant(event(root.resolve(mine.id()).resolve(".syft-tmp-1"), root))).isFalse();
    owner.share(shared, "ds@example.com", Role.READER);
    assertThat(w.relevant(event(inShared, root))).isTrue();
    assertThat(w.relevant(event(root.resolve(".syft-shares/ds@example.com/x.json"), root))).isTrue();
    assertThat(w.relevant(event(root.resolve(".syft-shares/other@example.com/x.json"), root))).isFalse();

    // the polling fallback's fingerprint moves only with visible changes
    long before = w.fingerprint();
    owner.write(secret, "hidden-2", new byte[1], WriteMode.CREATE);
    assertThat(w.fingerprint()).isEqualTo(before);
    owner.write(shared, "seen", new byte[1], WriteMode.CREATE);
    assertThat(w.fingerprint()).isNotEqualTo(before);
  }

  private static DirectoryChangeEvent event(Path p, Path root) {
    return new DirectoryChangeEvent(DirectoryChangeEvent.EventType.CREATE, false, p, null, 1, root);
  }
}
