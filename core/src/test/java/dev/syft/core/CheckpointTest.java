package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.decorator.CountingStorage;
import dev.syft.transport.layout.SyftLayout;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling state, incremental and full checkpoints, bootstrap of a wiped home, outbox compaction. */
class CheckpointTest {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

  @TempDir Path tmp;
  MemoryStore store;
  Cluster c;

  @BeforeEach
  void setUp() {
    store = MemoryStore.builder().build();
    c = Cluster.over(tmp, store::as);
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  private List<String> names(String owner, java.util.function.Function<SyftLayout, java.util.Optional<Entry>> folder) {
    try {
      SyftLayout layout = new SyftLayout(store.as(owner));
      var f = folder.apply(layout);
      List<String> out = new ArrayList<>();
      if (f.isPresent()) {
        for (Entry e : store.as(owner).listAll(f.get())) {
          out.add(e.name());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> checkpointNames() {
    return names(DO, l -> {
      try {
        return l.findCheckpointsFolder();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private List<String> rollingNames() {
    return names(DO, l -> {
      try {
        return l.findRollingStateFolder();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Every syncable file of a datasite with its content (notices and the like included). */
  static Map<String, String> tree(Path root) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String rel = root.relativize(p).toString();
        if (rel.startsWith("private/") || rel.startsWith("public/syft_datasets/")) {
          continue;
        }
        out.put(rel, dev.syft.protocol.hash.Hashes.sha256Hex(Files.readAllBytes(p)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Test
  void aManualFullCheckpointRestoresAWipedHome() {
    Cluster.write(c.datasite(DO), "public/a.txt", "alpha");
    Cluster.write(c.datasite(DO), "notes/b.txt", "beta");
    c.client(DO).sync();
    CheckpointInfo cp = c.client(DO).createCheckpoint();
    assertThat(cp.files()).isEqualTo(2);
    assertThat(checkpointNames()).containsExactly(cp.name());
    assertThat(rollingNames()).isEmpty(); // a full checkpoint resets the rolling state
    Map<String, String> before = tree(c.datasite(DO));
    c.wipe(DO);
    c.client(DO).sync();
    assertThat(tree(c.datasite(DO))).isEqualTo(before);
    // the restored files are known: nothing is re-emitted as a local change
    assertThat(c.client(DO).sync().localChanges()).isZero();
  }

  @Test
  void rollingStateCarriesChangesMadeAfterTheCheckpoint() {
    Cluster.write(c.datasite(DO), "public/a.txt", "v1");
    c.client(DO).sync();
    c.client(DO).createCheckpoint();
    Cluster.write(c.datasite(DO), "public/a.txt", "v2 is longer");
    Cluster.write(c.datasite(DO), "public/c.txt", "new");
    c.client(DO).sync();
    assertThat(rollingNames()).hasSize(1);
    assertThat(c.client(DO).checkpointStatus().rollingPaths()).isEqualTo(2);
    Map<String, String> before = tree(c.datasite(DO));
    c.wipe(DO);
    c.client(DO).sync();
    assertThat(tree(c.datasite(DO))).isEqualTo(before);
    assertThat(Cluster.read(c.datasite(DO), "public/a.txt")).isEqualTo("v2 is longer");
  }

  @Test
  void incrementalsAreCutAtTheThresholdAndCompactedIntoAFullCheckpoint() {
    c.configure(DO, cfg -> cfg.withThresholds(3, 3, 20));
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 3; i++) {
        Cluster.write(c.datasite(DO), "data/r" + round + "_" + i + ".txt", "round " + round + " file " + i);
      }
      c.client(DO).sync();
      CheckpointStatus s = c.client(DO).checkpointStatus();
      if (round < 2) {
        assertThat(s.incrementals()).isEqualTo(round + 1);
        assertThat(s.fullCheckpoints()).isZero();
      } else {
        // the third incremental triggers compaction: one full checkpoint, no incrementals left
        assertThat(s.incrementals()).isZero();
        assertThat(s.fullCheckpoints()).isEqualTo(1);
      }
    }
    Map<String, String> before = tree(c.datasite(DO));
    assertThat(before).hasSize(9);
    c.wipe(DO);
    c.client(DO).sync();
    assertThat(tree(c.datasite(DO))).isEqualTo(before);
  }

  @Test
  void deletionsAndOverwritesAcrossIncrementalsEndInTheRightState() {
    c.configure(DO, cfg -> cfg.withThresholds(1, 10, 20));
    Cluster.write(c.datasite(DO), "x/keep.txt", "v1");
    Cluster.write(c.datasite(DO), "x/gone.txt", "soon deleted");
    c.client(DO).sync();
    Cluster.write(c.datasite(DO), "x/keep.txt", "modified_v3");
    c.client(DO).sync();
    assertThat(c.datasite(DO).resolve("x/gone.txt").toFile().delete()).isTrue();
    c.client(DO).sync();
    assertThat(c.client(DO).checkpointStatus().incrementals()).isGreaterThanOrEqualTo(3);
    c.wipe(DO);
    c.client(DO).sync();
    assertThat(Cluster.read(c.datasite(DO), "x/keep.txt")).isEqualTo("modified_v3");
    assertThat(c.datasite(DO).resolve("x/gone.txt")).doesNotExist();
  }

  @Test
  void aManualCheckpointRetiresTheIncrementalsItCovers() {
    c.configure(DO, cfg -> cfg.withThresholds(1, 10, 20));
    Cluster.write(c.datasite(DO), "x/f.txt", "old");
    c.client(DO).sync();
    assertThat(c.client(DO).checkpointStatus().incrementals()).isEqualTo(1);
    Cluster.write(c.datasite(DO), "x/f.txt", "newest");
    c.client(DO).createCheckpoint();
    assertThat(c.client(DO).checkpointStatus().incrementals()).isZero();
    c.wipe(DO);
    c.client(DO).sync();
    assertThat(Cluster.read(c.datasite(DO), "x/f.txt")).isEqualTo("newest");
  }

  @Test
  void binaryFilesSurviveEveryCheckpointPath() throws IOException {
    c.configure(DO, cfg -> cfg.withThresholds(1, 2, 20));
    byte[] bin = new byte[300];
    new SplittableRandom(7).nextBytes(bin);
    bin[0] = (byte) 0xff; // never valid UTF-8
    Path p = c.datasite(DO).resolve("bin/model.bin");
    Files.createDirectories(p.getParent());
    Files.write(p, bin);
    c.client(DO).sync(); // incremental 1
    Cluster.write(c.datasite(DO), "bin/readme.txt", "text");
    c.client(DO).sync(); // incremental 2 -> compaction into a full checkpoint
    assertThat(c.client(DO).checkpointStatus().fullCheckpoints()).isEqualTo(1);
    c.wipe(DO);
    c.client(DO).sync();
    assertThat(Files.readAllBytes(c.datasite(DO).resolve("bin/model.bin"))).isEqualTo(bin);
  }

  @Test
  void datasetCollectionsAndPrivateFilesStayOutOfCheckpoints() {
    Cluster.write(c.datasite(DO), "public/syft_datasets/census/mock.csv", "a,b");
    Cluster.write(c.datasite(DO), "private/secret.csv", "x,y");
    Cluster.write(c.datasite(DO), "public/ok.txt", "fine");
    c.client(DO).sync();
    assertThat(c.client(DO).createCheckpoint().files()).isEqualTo(1);
  }

  @Test
  void bootstrapAfterACheckpointDownloadsNoIndividualEventMessages() {
    for (int i = 0; i < 5; i++) {
      Cluster.write(c.datasite(DO), "p/" + i + ".txt", "file " + i);
      c.client(DO).sync();
    }
    c.client(DO).createCheckpoint();
    c.wipe(DO);
    CountingStorage counting = new CountingStorage(store.as(DO));
    Cluster fresh = Cluster.over(tmp.resolve("fresh"), email -> email.equals(DO) ? counting : store.as(email));
    try {
      fresh.client(DO).sync();
      assertThat(tree(fresh.datasite(DO))).hasSize(5);
      // one checkpoint download; the event log was pruned or skipped, so no per-message downloads
      assertThat(counting.count(dev.syft.transport.decorator.Operation.READ)).isEqualTo(1);
    } finally {
      fresh.close();
    }
  }

  @Test
  void outboxCompactionLeavesOneMessageAndReadersStayCorrect() {
    c.configure(DO, cfg -> cfg.withThresholds(50, 4, 5));
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "public", "**", DS);
    c.client(DO).sync();
    c.client(DS).sync(); // caught up with the permission file's effects
    for (int i = 0; i < 6; i++) {
      Cluster.write(c.datasite(DO), "public/f" + (i % 3) + ".txt", "version " + i);
      c.client(DO).sync();
      if (i == 2) {
        c.client(DS).sync(); // the DS reads part of the history before compaction
      }
    }
    Storage ds = store.as(DS);
    int files;
    try {
      Entry outbox = new SyftLayout(ds).findPeerDatasiteFolder(DO, dev.syft.transport.layout.BoxType.OUTBOX).orElseThrow();
      files = ds.listAll(outbox).size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(files).isLessThan(5);
    c.client(DS).sync();
    for (int i = 0; i < 3; i++) {
      assertThat(Cluster.read(c.replica(DS, DO), "public/f" + i + ".txt")).isEqualTo("version " + (i + 3));
    }
    // a brand-new home of the reader (keys restored from its recovery key, since the history is sealed
    // to them) gets the compacted history
    c.wipeKeepingKeys(DS);
    c.client(DS).peers().add(DO);
    c.client(DS).sync();
    for (int i = 0; i < 3; i++) {
      assertThat(Cluster.read(c.replica(DS, DO), "public/f" + i + ".txt")).isEqualTo("version " + (i + 3));
    }
  }

  @Test
  void aCrashBetweenUploadingACheckpointAndDeletingWhatItCoversConverges() {
    java.util.concurrent.atomic.AtomicBoolean failDeletes = new java.util.concurrent.atomic.AtomicBoolean(false);
    c.close();
    c = Cluster.over(tmp.resolve("crash"), email -> email.equals(DO) && failDeletes.get()
        ? dev.syft.transport.decorator.FaultyStorage.builder(store.as(email))
            .failBefore(1.0, dev.syft.transport.decorator.Operation.DELETE).build()
        : store.as(email));
    c.configure(DO, cfg -> cfg.withThresholds(1, 2, 20));
    c.connect(DS, DO);
    Cluster.grantRead(c.datasite(DO), "pub", "**", DS);
    Cluster.write(c.datasite(DO), "pub/one.txt", "1");
    c.client(DO).sync(); // incremental 1
    c.client(DO).createCheckpoint(); // a clean start: one full checkpoint, nothing else
    assertThat(c.client(DO).checkpointStatus().incrementals()).isZero();
    failDeletes.set(true); // from now on every delete "crashes"
    c.restart(DO);
    Cluster.write(c.datasite(DO), "pub/one.txt", "one, edited");
    c.client(DO).sync(); // incremental 1
    Cluster.write(c.datasite(DO), "pub/two.txt", "2");
    SyncReport r = c.client(DO).sync(); // incremental 2 -> new full checkpoint uploaded, deletes fail
    assertThat(r.partErrors()).isEmpty();
    CheckpointStatus st = c.client(DO).checkpointStatus();
    assertThat(st.fullCheckpoints()).isEqualTo(2); // the new one and the old one it covers
    assertThat(st.incrementals()).isEqualTo(2); // left behind, covered
    // bootstrap now, with redundant material on the transport: what the newest full covers is skipped
    failDeletes.set(false);
    c.restart(DO);
    Map<String, String> expected = tree(c.datasite(DO));
    c.wipe(DO);
    c.client(DO).sync();
    assertThat(tree(c.datasite(DO))).isEqualTo(expected);
    assertThat(Cluster.read(c.datasite(DO), "pub/one.txt")).isEqualTo("one, edited");
    // the next checkpoint clears the leftovers; the reader saw every change exactly once in effect
    c.client(DO).createCheckpoint();
    assertThat(c.client(DO).checkpointStatus().incrementals()).isZero();
    c.client(DS).sync();
    assertThat(Cluster.read(c.replica(DS, DO), "pub/one.txt")).isEqualTo("one, edited");
    assertThat(Cluster.read(c.replica(DS, DO), "pub/two.txt")).isEqualTo("2");
  }

  /**
   * Random creates, edits and deletions with checkpoints and compactions at random points; a home
   * wiped at the end restores exactly the data owner's tree.
   */
  @RepeatedTest(6)
  void aFreshBootstrapAtAnyPointHasExactlyTheOwnersTree(RepetitionInfo info) throws IOException {
    long seed = 0x5eedL + info.getCurrentRepetition();
    SplittableRandom rnd = new SplittableRandom(seed);
    c.configure(DO, cfg -> cfg.withThresholds(1 + rnd.nextInt(4), 2 + rnd.nextInt(3), 20));
    List<String> paths = List.of("a.txt", "b/c.txt", "b/d.bin", "e/f/g.txt", "h.txt");
    int rounds = 8 + rnd.nextInt(8);
    for (int r = 0; r < rounds; r++) {
      int ops = 1 + rnd.nextInt(3);
      for (int o = 0; o < ops; o++) {
        String path = paths.get(rnd.nextInt(paths.size()));
        Path file = c.datasite(DO).resolve(path);
        if (rnd.nextInt(4) == 0) {
          Files.deleteIfExists(file);
        } else {
          Files.createDirectories(file.getParent());
          byte[] content = new byte[1 + rnd.nextInt(40)];
          rnd.nextBytes(content);
          Files.write(file, content);
        }
      }
      c.client(DO).sync();
      if (rnd.nextInt(5) == 0) {
        c.client(DO).createCheckpoint();
      }
    }
    Map<String, String> expected = tree(c.datasite(DO));
    c.wipe(DO);
    c.client(DO).sync();
    assertThat(tree(c.datasite(DO))).as("seed %d", seed).isEqualTo(expected);
  }
}
