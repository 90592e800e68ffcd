package dev.syft.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.archive.ArchiveCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class WireJsonTest {
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1712345678, 250_000_000), ZoneOffset.UTC);
  private final WireJson json = new WireJson(CLOCK);

  @Test
  void binaryCheckpointContentIsBase64WithAContentTypeAndReadsBack() {
    FileContent binary = FileContent.of(new byte[] {(byte) 0xff, 0, 1});
    Checkpoint c = Checkpoint.of("do@x.org", 1.5, null,
        List.of(CheckpointFile.of("a.txt", FileContent.text("hi")), CheckpointFile.of("b.bin", binary)));
    String text = new String(WireJson.write(c), StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("{\"version\":1,\"timestamp\":1.5,\"email\":\"do@x.org\",\"last_event_timestamp\":null,"
        + "\"files\":[{\"path\":\"a.txt\",\"hash\":\"" + FileContent.text("hi").sha256() + "\",\"content\":\"hi\"},"
        + "{\"path\":\"b.bin\",\"hash\":\"" + binary.sha256() + "\",\"content\":\"/wAB\",\"content_type\":\"binary\"}]}");
    assertThat(json.readCheckpoint(WireJson.write(c))).isEqualTo(c);
  }

  @Test
  void stringsAreEscapedLikePydantic() {
    String tricky = "q\" b\\ s/ \u0001\u001f\t\n\r\b\f \u007f \u2028 \u00e9 \uD83D\uDE00";
    FileChangeEvent e = FileChangeEvent.change("p.txt", "do@x.org", FileContent.text(tricky), null, 2);
    String text = new String(WireJson.write(new FileChangeEventsMessage(List.of(e), e.id(), 2)), StandardCharsets.UTF_8);
    assertThat(text).contains("\"content\":\"q\\\" b\\\\ s/ \\u0001\\u001f\\t\\n\\r\\b\\f \u007f \u2028 \u00e9 \uD83D\uDE00\"");
  }

  @Test
  void layoutsChangeOnlyWhitespace() {
    FileChangeEventsMessage m = new FileChangeEventsMessage(List.of(), UUID.fromString("541f773d-dbd9-4678-b9e4-cde9c1ccc3d9"), 5);
    assertThat(new String(WireJson.write(m, WireJson.Layout.PRETTY), StandardCharsets.UTF_8)).isEqualTo("""
        {
          "events": [],
          "message_filepath": {
            "id": "541f773d-dbd9-4678-b9e4-cde9c1ccc3d9",
            "timestamp": 5.0,
            "extension": ".tar.gz"
          }
        }""");
    assertThat(WireJson.write(m, WireJson.Layout.COMPACT)).isEqualTo(WireJson.write(m));
  }

  @Test
  void missingDefaultsComeFromTheClock() {
    String proposal = "{\"sender_email\":\"ds@x.org\",\"proposed_file_changes\":[{\"path_in_datasite\":\"a\","
        + "\"datasite_email\":\"do@x.org\",\"content\":\"x\"}]}";
    ProposedFileChangesMessage m = json.readProposal(proposal.getBytes(StandardCharsets.UTF_8));
    assertThat(m.submittedTimestamp()).isEqualTo(1712345678.25);
    assertThat(m.changes().get(0).submittedTimestamp()).isEqualTo(1712345678.25);
    assertThat(UUID.fromString(m.uid())).isNotNull();
    assertThat(m.changes().get(0).newHash()).isEqualTo(FileContent.text("x").sha256());
  }

  @Test
  void detectKindFromTopLevelKeys() {
    assertThat(WireJson.detectKind("{\"proposed_file_changes\":[]}".getBytes(StandardCharsets.UTF_8))).isEqualTo(PayloadKind.PROPOSAL);
    assertThat(WireJson.detectKind("{\"events\":[]}".getBytes(StandardCharsets.UTF_8))).isEqualTo(PayloadKind.EVENTS);
    assertThat(WireJson.detectKind("{\"email\":\"a\",\"events\":[],\"sequence_number\":1}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(PayloadKind.INCREMENTAL_CHECKPOINT);
    assertThat(WireJson.detectKind("{\"email\":\"a\",\"base_checkpoint_timestamp\":1}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(PayloadKind.ROLLING_STATE);
    assertThat(WireJson.detectKind("{\"email\":\"a\",\"files\":[]}".getBytes(StandardCharsets.UTF_8))).isEqualTo(PayloadKind.CHECKPOINT);
    assertThatThrownBy(() -> WireJson.detectKind("{\"x\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void hostileUidsCannotShapeFileNames() {
    String proposal = "{\"sender_email\":\"ds@x.org\",\"message_filename\":{\"submitted_timestamp\":1,\"uid\":\"../../x\"},"
        + "\"proposed_file_changes\":[]}";
    assertThatThrownBy(() -> json.readProposal(proposal.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("uid");
  }

  @RepeatedTest(3)
  void randomPayloadsRoundTripThroughArchives(RepetitionInfo info) {
    long seed = 0xA11CE000L + info.getCurrentRepetition();
    System.out.println("WireJsonTest seed " + seed);
    SplittableRandom random = new SplittableRandom(seed);
    ArchiveCodec codec = new ArchiveCodec(dev.syft.protocol.archive.ArchiveLimits.DEFAULT, CLOCK);
    for (int round = 0; round < 30; round++) {
      List<FileChangeEvent> events = new ArrayList<>();
      List<ProposedFileChange> changes = new ArrayList<>();
      List<CheckpointFile> files = new ArrayList<>();
      for (int i = 0; i < random.nextInt(5); i++) {
        FileContent content = randomContent(random);
        String path = "dir" + random.nextInt(3) + "/f\u00e9" + i + ".bin";
        double ts = random.nextDouble() * 2e9;
        events.add(FileChangeEvent.change(path, "do@x.org", content, random.nextBoolean() ? null : "ab", ts));
        events.add(FileChangeEvent.deletion(path + ".old", "do@x.org", "cd", ts));
        changes.add(ProposedFileChange.of(path, content, "do@x.org", null, ts));
        files.add(CheckpointFile.of(path, content));
      }
      List<WirePayload> payloads = List.of(
          ProposedFileChangesMessage.create("ds@x.org", changes, CLOCK),
          FileChangeEventsMessage.create(events, CLOCK),
          Checkpoint.of("do@x.org", random.nextDouble() * 2e9, random.nextBoolean() ? null : 3.25, files),
          new IncrementalCheckpoint(1, 7.5, "do@x.org", 1 + random.nextInt(100), events),
          new RollingState(1, 8.5, "do@x.org", 0.0, 9.0, events));
      for (WirePayload p : payloads) {
        assertThat(json.read(p.kind(), WireJson.write(p))).isEqualTo(p);
        assertThat(json.read(p.kind(), WireJson.write(p, WireJson.Layout.PRETTY))).isEqualTo(p);
        assertThat(codec.decode(codec.encode(p), p.kind())).isEqualTo(p);
      }
    }
  }

  private static FileContent randomContent(SplittableRandom random) {
    byte[] bytes = new byte[random.nextInt(200)];
    if (random.nextBoolean()) {
      random.nextBytes(bytes);
      return FileContent.of(bytes);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bytes.length; i++) {
      int cp = random.nextInt(4) == 0 ? random.nextInt(0x20) : 0x20 + random.nextInt(0x2fff);
      if (!Character.isSurrogate((char) cp)) {
        sb.appendCodePoint(cp);
      }
    }
    return FileContent.text(sb.toString());
  }
}
