package dev.syft.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RollingStateTest {
  private static final String DO = "do@example.com";

  private static FileChangeEvent event(String path, String text, double ts) {
    return FileChangeEvent.change(path, DO, FileContent.text(text), null, ts);
  }

  @Test
  void laterEventForAPathReplacesTheEarlierOneAndMovesToTheEnd() {
    RollingState s = RollingState.empty(DO, 100.5, 101);
    FileChangeEvent a1 = event("public/a.txt", "v1", 102);
    FileChangeEvent b = event("public/b.txt", "b", 103);
    FileChangeEvent a2 = event("public//a.txt", "v2", 104);
    s = s.withEvent(a1, 110).withEvent(b, 111).withEvent(a2, 112);
    assertThat(s.events()).containsExactly(b, a2);
    assertThat(s.eventCount()).isEqualTo(2);
    assertThat(s.lastEventTimestamp()).isEqualTo(104);
    assertThat(s.timestamp()).isEqualTo(112);
    assertThat(s.fileName()).isEqualTo("rolling_state_112.0.tar.gz");
  }

  @Test
  void eventsMessageUsesTheLargestTimestampAndPerPathReplacement() {
    FileChangeEvent x = event("public/x.bin", "x", 1011);
    FileChangeEvent y = event("public/y.txt", "y", 1012.25);
    FileChangeEvent xGone = FileChangeEvent.deletion("public/x.bin", DO, x.newHash(), 1011);
    RollingState s = RollingState.empty(DO, 0, 1000)
        .withEventsMessage(new FileChangeEventsMessage(List.of(x, y, xGone), java.util.UUID.randomUUID(), 1013), 1100);
    assertThat(s.events()).containsExactly(y, xGone);
    assertThat(s.lastEventTimestamp()).isEqualTo(1012.25);
    RollingState unchanged = s.withEventsMessage(new FileChangeEventsMessage(List.of(), java.util.UUID.randomUUID(), 1), 1200);
    assertThat(unchanged.lastEventTimestamp()).isEqualTo(1012.25);
    assertThat(unchanged.timestamp()).isEqualTo(1200);
  }

  @Test
  void clearedRebasesAndIncrementalCheckpointDeduplicates() {
    RollingState s = RollingState.empty(DO, 1, 2).withEvent(event("a", "1", 3), 4).cleared(50, 60);
    assertThat(s.events()).isEmpty();
    assertThat(s.baseCheckpointTimestamp()).isEqualTo(50);
    assertThat(s.lastEventTimestamp()).isNull();
    FileChangeEvent a1 = event("a", "1", 3);
    FileChangeEvent a2 = event("a", "2", 4);
    IncrementalCheckpoint inc = IncrementalCheckpoint.of(DO, 3, 99, List.of(a1, a2));
    assertThat(inc.events()).containsExactly(a2);
    assertThat(inc.fileName()).isEqualTo("incremental_checkpoint_3_99.0.tar.gz");
  }
}
