package dev.syft.protocol.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.model.Checkpoint;
import dev.syft.protocol.model.CheckpointFile;
import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.model.ProposedFileChange;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamed writing gives the codec's exact bytes; streamed reading gives the codec's exact events. */
class StreamingEncoderTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
  static final ArchiveCodec CODEC = new ArchiveCodec(ArchiveLimits.DEFAULT, CLOCK);

  @TempDir Path tmp;

  /** Contents that exercise every escape, non-ASCII text, invalid UTF-8 (binary) and the empty file. */
  List<byte[]> contents() {
    StringBuilder text = new StringBuilder();
    for (int c = 0; c < 0x80; c++) {
      text.append((char) c);
    }
    text.append("\"quoted\" back\\slash /slash caf\u00e9 \u20ac \uD83D\uDE00 \u2028\u007f\r\n");
    byte[] binary = new byte[3001];
    new Random(7).nextBytes(binary);
    binary[0] = (byte) 0xff;
    return List.of(text.toString().getBytes(StandardCharsets.UTF_8), binary, new byte[0],
        "x".repeat(70_000).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80});
  }

  private StreamingEncoder.Source source(byte[] bytes) throws IOException {
    Path f = Files.createTempFile(tmp, "c", ".bin");
    Files.write(f, bytes);
    return StreamingEncoder.Source.of(f);
  }

  @Test
  void sourcesAreMeasuredLikeTheModel() throws IOException {
    for (byte[] b : contents()) {
      StreamingEncoder.Source s = source(b);
      FileContent model = FileContent.of(b);
      assertThat(s.type()).isEqualTo(model.type());
      assertThat(s.size()).isEqualTo(b.length);
      assertThat(s.sha256()).isEqualTo(model.sha256());
      assertThat(s.jsonLength()).isEqualTo(model.isText() ? escapedLength(model) : model.wireString().length());
    }
  }

  private static long escapedLength(FileContent c) {
    // the rendered JSON of a text content, minus its quotes
    String json = dev.syft.protocol.internal.JsonOut.renderString(
        tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(c.wireString()),
        dev.syft.protocol.internal.JsonOut.Style.PYDANTIC_COMPACT);
    return json.getBytes(StandardCharsets.UTF_8).length - 2;
  }

  private static FileChangeEventsMessage oneEvent(FileContent c) {
    return new FileChangeEventsMessage(List.of(new FileChangeEvent(new UUID(1, 2), "a.txt", "o@x.org", c, null,
        c.sha256(), false, 1.5, 2.5)), new UUID(3, 4), 2.5);
  }

  @Test
  void eventsProposalsAndCheckpointsEncodeToTheCodecsBytes() throws IOException {
    StreamingEncoder enc = new StreamingEncoder();
    List<FileChangeEvent> real = new ArrayList<>();
    List<FileChangeEvent> streamed = new ArrayList<>();
    List<ProposedFileChange> realChanges = new ArrayList<>();
    List<ProposedFileChange> streamedChanges = new ArrayList<>();
    int i = 0;
    for (byte[] b : contents()) {
      FileContent c = FileContent.of(b);
      FileContent p = enc.placeholder(source(b));
      assertThat(enc.source(p)).isNotNull();
      UUID id = new UUID(9, i);
      String path = "dir/f" + i++ + ".bin";
      real.add(new FileChangeEvent(id, path, "o@x.org", c, null, c.sha256(), false, 1.5, 2.5));
      streamed.add(new FileChangeEvent(id, path, "o@x.org", p, null, c.sha256(), false, 1.5, 2.5));
      realChanges.add(new ProposedFileChange(id, null, c.sha256(), 1.5, path, c, "o@x.org", false));
      streamedChanges.add(new ProposedFileChange(id, null, c.sha256(), 1.5, path, p, "o@x.org", false));
    }
    real.add(FileChangeEvent.deletion("gone.txt", "o@x.org", "ab", 3.0));
    streamed.add(real.get(real.size() - 1));
    UUID mid = new UUID(5, 6);
    assertThat(encode(enc, new FileChangeEventsMessage(streamed, mid, 2.5)))
        .isEqualTo(CODEC.encode(new FileChangeEventsMessage(real, mid, 2.5)));
    assertThat(encode(enc, new ProposedFileChangesMessage(mid, "d@x.org", 1.5, "u1", streamedChanges)))
        .isEqualTo(CODEC.encode(new ProposedFileChangesMessage(mid, "d@x.org", 1.5, "u1", realChanges)));

    ByteArrayOutputStream viaSources = new ByteArrayOutputStream();
    try (CheckpointWriter w = CheckpointWriter.open(tmp, CLOCK, "o@x.org", 5.0, 4.0)) {
      int k = 0;
      for (byte[] b : contents()) {
        FileContent c = FileContent.of(b);
        w.addFile("f" + k++, c.sha256(), source(b));
      }
      w.finish(viaSources);
    }
    List<CheckpointFile> files = new ArrayList<>();
    int k = 0;
    for (byte[] b : contents()) {
      FileContent c = FileContent.of(b);
      files.add(new CheckpointFile("f" + k++, c.sha256(), c));
    }
    assertThat(viaSources.toByteArray()).isEqualTo(CODEC.encode(
        Checkpoint.of(dev.syft.protocol.model.CheckpointHeader.of("o@x.org", 5.0, 4.0), files)));
  }

  private static byte[] encode(StreamingEncoder enc, dev.syft.protocol.model.WirePayload p) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    enc.encode(p, CLOCK, out);
    return out.toByteArray();
  }

  @Test
  void theEventsReaderReadsWhatTheCodecReads() throws IOException {
    List<FileChangeEvent> events = new ArrayList<>();
    int i = 0;
    for (byte[] b : contents()) {
      FileContent c = FileContent.of(b);
      events.add(new FileChangeEvent(new UUID(8, i), "p/" + i++, "o@x.org", c, "old", c.sha256(), false, 1.0, 2.0));
    }
    events.add(FileChangeEvent.deletion("gone.txt", "o@x.org", "ab", 3.0));
    byte[] archive = CODEC.encode(new FileChangeEventsMessage(events, new UUID(1, 1), 4.0));
    FileChangeEventsMessage expected = CODEC.decodeEvents(archive);
    try (SpooledEvents got = new EventsReader(ArchiveLimits.DEFAULT, CLOCK)
        .read(PayloadKind.EVENTS, new ByteArrayInputStream(archive), tmp)) {
      assertThat(got.id()).isEqualTo(expected.id());
      assertThat(got.timestamp()).isEqualTo(expected.timestamp());
      assertThat(got.events()).hasSize(expected.events().size());
      for (int k = 0; k < got.events().size(); k++) {
        SpooledEvents.Event g = got.events().get(k);
        FileChangeEvent e = expected.events().get(k);
        assertThat(g.pathInDatasite()).isEqualTo(e.pathInDatasite());
        assertThat(g.newHash()).isEqualTo(e.newHash());
        assertThat(g.deleted()).isEqualTo(e.deleted());
        if (e.content() == null) {
          assertThat(g.content()).isNull();
        } else {
          assertThat(g.content().readAllBytes()).isEqualTo(e.content().bytes());
          assertThat(g.content().type()).isEqualTo(e.content().type());
        }
      }
      assertThat(got.files()).isNotEmpty(); // the 70,000-byte content was spooled
    }
    try (var s = Files.list(tmp)) {
      assertThat(s.filter(p -> p.getFileName().toString().startsWith("syft-content-"))).isEmpty();
    }
  }

  @Test
  void aSourceThatChangedSinceItWasMeasuredIsRefused() throws IOException {
    StreamingEncoder enc = new StreamingEncoder();
    StreamingEncoder.Source s = source("hello".getBytes(StandardCharsets.UTF_8));
    FileContent p = enc.placeholder(s);
    Files.writeString(s.file(), "hello, world");
    FileChangeEventsMessage m = oneEvent(p);
    assertThatThrownBy(() -> enc.encode(m, CLOCK, new ByteArrayOutputStream()))
        .isInstanceOf(IOException.class).hasMessageContaining("changed");
  }
}
