package dev.syft.transport.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.transport.Entry;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.transport.conformance.SettableClock;
import dev.syft.transport.decorator.FaultyStorage;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Which peer a call concerns, and what is recorded for it. */
class PeerHealthStorageTest {
  static final String ME = "alice@example.com";
  static final String BOB = "bob@example.com";
  static final String TO_BOB = "syft_datasite#0.1.117#" + ME + "#outbox#" + BOB;

  final AtomicBoolean down = new AtomicBoolean();
  final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final PeerHealthStorage s = new PeerHealthStorage(
      FaultyStorage.builder(new MemoryStore().as(ME)).outage(down::get).build(), clock);

  @Test
  void callsOnAPeersFoldersAndFilesAreRecordedForThatPeer() throws IOException {
    Entry box = s.ensureFolder(s.root(), TO_BOB);
    Entry other = s.ensureFolder(s.root(), "datasets");
    s.write(other, "d", "d".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
    assertThat(s.health()).containsOnlyKeys(BOB);
    Instant created = s.health().get(BOB).lastOk();
    assertThat(created).isEqualTo(clock.instant());

    clock.advance(java.time.Duration.ofMinutes(1));
    Entry m = s.write(box, "m1", "one".getBytes(StandardCharsets.UTF_8), WriteMode.CREATE);
    clock.advance(java.time.Duration.ofMinutes(1));
    s.readAll(m, 10); // a file is attributed through the folder it was found in
    assertThat(s.health().get(BOB).lastOk()).isEqualTo(clock.instant());
    assertThat(s.health().get(BOB).lastError()).isNull();

    clock.advance(java.time.Duration.ofMinutes(1));
    s.delete(m);
    assertThatThrownBy(() -> s.readAll(m, 10))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
    assertThat(s.health().get(BOB).lastError()).as("an answer, not a failure").isNull();

    clock.advance(java.time.Duration.ofMinutes(1));
    down.set(true);
    assertThatThrownBy(() -> s.listAll(box)).isInstanceOf(StorageException.class);
    PeerHealthStorage.Health h = s.health().get(BOB);
    assertThat(h.lastErrorAt()).isEqualTo(clock.instant());
    assertThat(h.lastError()).isNotBlank();
    assertThat(h.lastOk()).isBefore(h.lastErrorAt());
  }
}
