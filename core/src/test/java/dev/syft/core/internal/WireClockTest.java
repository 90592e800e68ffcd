package dev.syft.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.archive.ArchiveCodec;
import dev.syft.protocol.archive.SpooledEvents;
import dev.syft.protocol.model.PayloadKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine reads messages with the client's clock (a test's settable clock), never the system's. */
class WireClockTest {
  @TempDir Path spool;

  @Test
  void aMessageWithoutATimestampIsDatedByTheClientsClock() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2001-02-03T04:05:06Z"), ZoneOffset.UTC);
    // an events message without message_filepath: its time is "now"
    byte[] archive = new ArchiveCodec().encodeMember("{\"events\": []}".getBytes(StandardCharsets.UTF_8));
    try (SpooledEvents m = Wire.readEvents(PayloadKind.EVENTS, new ByteArrayInputStream(archive),
        SyncContext.Limits.defaults(), clock, spool)) {
      assertThat(m.timestamp()).isEqualTo(clock.instant().getEpochSecond());
    }
  }
}
