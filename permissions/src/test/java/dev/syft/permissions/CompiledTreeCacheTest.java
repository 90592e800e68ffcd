package dev.syft.permissions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compiled tree is reused until a permission file changes; changes are picked up. */
class CompiledTreeCacheTest {
  private static final String BOB = "bob@example.com";

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @TempDir Path tmp;
  Path root;
  ManualClock clock = new ManualClock();

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("owner@example.com"));
    for (int i = 0; i < 20; i++) {
      Path d = Files.createDirectories(root.resolve("team" + i));
      Files.writeString(d.resolve("syft.pub.yaml"), "{rules: [{pattern: '**', access: {read: [" + BOB + "]}}]}\n");
    }
  }

  private static void rewrite(Path file, String text) throws IOException {
    FileTime before = Files.getLastModifiedTime(file);
    Files.writeString(file, text);
    // make the change visible even on file systems with coarse timestamps
    Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2000));
  }

  @Test
  void treeIsReusedUntilAFileChanges() throws IOException {
    Datasite ds = Datasite.builder(root).clock(clock).statInterval(Duration.ofSeconds(1)).build();
    Datasite.Stats start = ds.stats();
    assertThat(start.permissionFiles()).isEqualTo(20);
    assertThat(start.filesParsed()).isEqualTo(20);
    PermissionTree first = ds.tree();
    for (int i = 0; i < 10_000; i++) {
      assertThat(ds.check("team" + (i % 20) + "/x.txt", BOB, Level.READ)).isTrue();
    }
    assertThat(ds.tree()).isSameAs(first);
    assertThat(ds.stats()).isEqualTo(start); // no stat, no read, no scan within the interval

    // the interval passes: files are statted, nothing is re-read, the same tree stays
    clock.advance(Duration.ofSeconds(1));
    assertThat(ds.check("team0/x.txt", BOB, Level.READ)).isTrue();
    assertThat(ds.stats().statRounds()).isEqualTo(start.statRounds() + 1);
    assertThat(ds.stats().filesParsed()).isEqualTo(20);
    assertThat(ds.tree()).isSameAs(first);

    // a file changes: only that file is re-read, and decisions follow
    rewrite(root.resolve("team3/syft.pub.yaml"), "{rules: [{pattern: '**', access: {}}]}\n");
    assertThat(ds.check("team3/x.txt", BOB, Level.READ)).isTrue(); // not due yet
    clock.advance(Duration.ofSeconds(1));
    assertThat(ds.check("team3/x.txt", BOB, Level.READ)).isFalse();
    assertThat(ds.stats().filesParsed()).isEqualTo(21);
    assertThat(ds.tree()).isNotSameAs(first);

    // a deleted file is noticed the same way
    Files.delete(root.resolve("team4/syft.pub.yaml"));
    clock.advance(Duration.ofSeconds(1));
    assertThat(ds.tree().decide("team4/x.txt", BOB, Level.READ).reason()).isEqualTo(Reason.NO_ACL_FILE);
    assertThat(ds.stats().permissionFiles()).isEqualTo(19);
  }

  @Test
  void newFilesNeedAHintOrARefresh() throws IOException {
    Datasite ds = Datasite.builder(root).clock(clock).statInterval(Duration.ZERO).build();
    Path d = Files.createDirectories(root.resolve("newteam"));
    Files.writeString(d.resolve("syft.pub.yaml"), "{rules: [{pattern: '**', access: {read: ['*']}}]}\n");
    assertThat(ds.check("newteam/x", BOB, Level.READ)).isFalse(); // stat of known files cannot see it
    long parsed = ds.stats().filesParsed();
    assertThat(ds.fileChanged("newteam/syft.pub.yaml")).isTrue();
    assertThat(ds.check("newteam/x", BOB, Level.READ)).isTrue();
    assertThat(ds.stats().filesParsed()).isEqualTo(parsed + 1);
    assertThat(ds.fileChanged("newteam/x")).isFalse(); // an ordinary file costs nothing

    // a whole folder appearing (e.g. a moved folder) is found by a folder hint
    Path moved = Files.createDirectories(root.resolve("moved/deep"));
    Files.writeString(moved.resolve("syft.pub.yaml"), "{rules: [{pattern: '**', access: {read: ['*']}}]}\n");
    assertThat(ds.fileChanged("moved")).isTrue();
    assertThat(ds.check("moved/deep/x", BOB, Level.READ)).isTrue();

    // refresh and invalidate re-walk the datasite but re-read nothing that did not change
    long before = ds.stats().filesParsed();
    assertThat(ds.refresh()).isFalse();
    ds.invalidate();
    assertThat(ds.check("team0/x", BOB, Level.READ)).isTrue();
    assertThat(ds.stats().filesParsed()).isEqualTo(before);
    assertThat(ds.stats().fullScans()).isEqualTo(3);
  }

  @Test
  void manualModeNeverStats() throws IOException {
    Datasite ds = Datasite.builder(root).clock(clock).statInterval(null).build();
    rewrite(root.resolve("team1/syft.pub.yaml"), "{rules: []}\n");
    clock.advance(Duration.ofDays(1));
    assertThat(ds.check("team1/x", BOB, Level.READ)).isTrue();
    assertThat(ds.stats().statRounds()).isZero();
    assertThat(ds.fileChanged("team1/syft.pub.yaml")).isTrue();
    assertThat(ds.check("team1/x", BOB, Level.READ)).isFalse();
  }

  @Test
  void editsUpdateTheTreeAtOnce() {
    Datasite ds = Datasite.builder(root).clock(clock).statInterval(null).build();
    ds.grant("team5/secret.txt", "carol@example.com", Level.READ);
    assertThat(ds.check("team5/secret.txt", "carol@example.com", Level.READ)).isTrue();
    assertThat(ds.check("team5/other.txt", "carol@example.com", Level.READ)).isFalse();
  }
}
