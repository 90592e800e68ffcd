package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.FileContent;
import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.decorator.ForwardingStorage;
import dev.syft.transport.memory.MemoryStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14 follow-up: the scientist reads and applies an owner's new events messages one after the
 * other, so the home's spool folder (large contents waiting to be applied) holds one message's
 * contents at a time, not the sum of every new message. Observed through the store: each time the
 * scientist finishes reading an events message, the spool files present are counted.
 */
class PullSpoolPeakTest {
  static final String DO = SyncScenariosTest.DO;
  static final String DS = SyncScenariosTest.DS;

  @TempDir Path tmp;
  Cluster c;
  final MemoryStore store = MemoryStore.builder().build();
  /** Spool files present each time the scientist closed an events message it read. */
  final List<Integer> spoolAtClose = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void tearDown() {
    if (c != null) {
      c.close();
    }
  }

  Storage storageFor(String who) {
    Storage raw = store.as(who);
    if (!who.equals(DS)) {
      return raw;
    }
    return new ForwardingStorage(raw) {
      @Override
      public InputStream read(Entry file) throws IOException {
        InputStream in = super.read(file);
        if (!file.name().startsWith("syfteventsmessagev3_")) {
          return in;
        }
        return new FilterInputStream(in) {
          private boolean closed;

          @Override
          public void close() throws IOException {
            super.close();
            if (!closed) { // a stream may be closed twice (the envelope opener closes what it wraps)
              closed = true;
              spoolAtClose.add(spoolFiles());
            }
          }
        };
      }
    };
  }

  int spoolFiles() {
    Path blobs = c.homeDir(DS).resolve(".syft").resolve("blobs");
    if (!Files.isDirectory(blobs)) {
      return 0;
    }
    try (var s = Files.list(blobs)) {
      return (int) s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void bigAndSmallMessagesAreSpooledOneMessageAtATimeAndAllApplyInOrder() throws IOException {
    c = Cluster.over(tmp, this::storageFor);
    c.connect(DS, DO);
    Entry outbox = Forge.outboxOf(store.as(DO), DS);
    double ts = Cluster.EPOCH.getEpochSecond() + 100_000;
    Random random = new Random(14);
    List<byte[]> contents = new ArrayList<>();
    // four incompressible messages above the read-ahead size (streamed at their turn), then four
    // compressible ones (downloaded ahead together); each holds one content above the 64 KiB spool threshold
    for (int i = 0; i < 8; i++) {
      byte[] content = new byte[i < 4 ? 300 << 10 : 100 << 10];
      if (i < 4) {
        random.nextBytes(content);
      } else {
        java.util.Arrays.fill(content, (byte) ('a' + i));
      }
      contents.add(content);
      // the last message rewrites the first file: applying in order leaves its content
      String path = "public/f" + (i == 7 ? 0 : i) + ".bin";
      FileChangeEvent ev = FileChangeEvent.change(path, DO, FileContent.binary(content), null, ts + i);
      FileChangeEventsMessage m = new FileChangeEventsMessage(List.of(ev), UUID.randomUUID(), ts + i);
      Forge.upload(store.as(DO), outbox, m.fileName(), Forge.archive(m));
    }
    spoolAtClose.clear();

    SyncReport r = c.client(DS).sync();

    assertThat(r.peerErrors()).isEmpty();
    assertThat(r.pulled()).isEqualTo(8);
    Path replica = c.replica(DS, DO);
    assertThat(replica.resolve("public/f0.bin")).hasBinaryContent(contents.get(7));
    for (int i = 1; i < 7; i++) {
      assertThat(replica.resolve("public/f" + i + ".bin")).hasBinaryContent(contents.get(i));
    }
    assertThat(spoolAtClose).as("every message was read").hasSize(8);
    // a big message spools its content (and the raw archive kept for a quarantine): its own files only,
    // never those of the messages before it (they were applied and deleted) or after it (not read yet)
    int oneMessage = spoolAtClose.get(0);
    assertThat(oneMessage).isPositive();
    assertThat(spoolAtClose.subList(0, 4)).as("spool files when each big message had been read")
        .containsOnly(oneMessage);
    // the small ones were downloaded ahead together, as bytes in memory: nothing spooled, nothing left over
    assertThat(spoolAtClose.subList(4, 8)).containsOnly(0);
    assertThat(spoolFiles()).as("nothing left spooled").isZero();
    assertThat(new String(Files.readAllBytes(replica.resolve("public/f5.bin")), StandardCharsets.ISO_8859_1))
        .startsWith("fff");
  }
}
