package dev.syft.protocol.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.LimitExceededException;
import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.UnsafePathException;
import dev.syft.protocol.Vectors;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.ProposedFileChange;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming proposal reader reads exactly what the in-memory codec reads (every golden proposal
 * and crafted edge cases), keeps large contents out of memory, and refuses what it must.
 */
class ProposalReaderTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String ID = "541f773d-dbd9-4678-b9e4-cde9c1ccc3d9";

  @TempDir Path spool;
  private final ArchiveCodec codec = new ArchiveCodec(ArchiveLimits.DEFAULT, CLOCK);
  private final ProposalReader reader = new ProposalReader(ArchiveLimits.DEFAULT, CLOCK);

  static Stream<Path> goldenProposals() throws IOException {
    try (Stream<Path> s = Files.walk(Vectors.dir().resolve("archives"))) {
      return s.filter(p -> p.getFileName().toString().startsWith("msgv2_")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("goldenProposals")
  void everyGoldenProposalReadsAsTheCodecReadsIt(Path archive) throws IOException {
    byte[] bytes = Files.readAllBytes(archive);
    sameAsCodec(bytes);
  }

  private void sameAsCodec(byte[] archive) throws IOException {
    ProposedFileChangesMessage expected = codec.decodeProposal(archive);
    try (SpooledProposal got = reader.read(new ByteArrayInputStream(archive), spool)) {
      assertThat(got.id()).isEqualTo(expected.id());
      assertThat(got.senderEmail()).isEqualTo(expected.senderEmail());
      assertThat(got.submittedTimestamp()).isEqualTo(expected.submittedTimestamp());
      assertThat(got.uid()).isEqualTo(expected.uid());
      assertThat(got.fileName()).isEqualTo(expected.fileName());
      assertThat(got.changes()).hasSameSizeAs(expected.changes());
      for (int i = 0; i < got.changes().size(); i++) {
        SpooledProposal.Change g = got.changes().get(i);
        ProposedFileChange e = expected.changes().get(i);
        assertThat(g.id()).isEqualTo(e.id());
        assertThat(g.oldHash()).isEqualTo(e.oldHash());
        assertThat(g.newHash()).isEqualTo(e.newHash());
        assertThat(g.submittedTimestamp()).isEqualTo(e.submittedTimestamp());
        assertThat(g.pathInDatasite()).isEqualTo(e.pathInDatasite());
        assertThat(g.datasiteEmail()).isEqualTo(e.datasiteEmail());
        assertThat(g.deleted()).isEqualTo(e.deleted());
        if (e.content() == null) {
          assertThat(g.content()).isNull();
        } else {
          assertThat(g.content().toFileContent()).isEqualTo(e.content());
          assertThat(g.content().sha256()).isEqualTo(e.content().sha256());
          assertThat(g.content().size()).isEqualTo(e.content().size());
        }
      }
    }
    assertThat(spool).isEmptyDirectory();
  }

  private static byte[] archive(String json) {
    return new ArchiveCodec().encodeMember(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String change(String contentJson, String extra) {
    return "{\"id\": \"" + ID + "\", \"old_hash\": null, \"submitted_timestamp\": 1.5, \"path_in_datasite\": \"a/b.txt\","
        + " \"datasite_email\": \"do@x.example\", \"is_deleted\": false, \"content\": " + contentJson + extra + "}";
  }

  private static String message(String... changes) {
    return "{\"id\": \"" + ID + "\", \"sender_email\": \"ds@x.example\", \"message_filename\": {\"submitted_timestamp\": 2.5,"
        + " \"uid\": \"u1\"}, \"proposed_file_changes\": [" + String.join(", ", changes) + "]}";
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"plain\"", "\"\"", "\"line\\nbreak \\\"quoted\\\" back\\\\slash \\/ \\b\\f\\r\\t\"",
      "\"\\u00e9t\\u00E9 \\ud83d\\ude00 \u00e9t\u00e9 \ud83d\ude00 \u4e2d\"", "\"\\u0000nul\"", "null"})
  void textContentsWithEscapesReadAsTheCodecReadsThem(String content) throws IOException {
    sameAsCodec(archive(message(change(content, ""))));
  }

  @Test
  void binaryContentsDuplicateKeysAndEscapedKeyNamesReadAsTheCodecReadsThem() throws IOException {
    sameAsCodec(archive(message(change("\"AAEC/w==\"", ", \"content_type\": \"binary\""))));
    sameAsCodec(archive(message(change("\"AA\\nEC /w==\"", ", \"content_type\": \"binary\""))));
    sameAsCodec(archive(message(change("\"first\"", ", \"content\": \"second\""))));
    sameAsCodec(archive(message(change("\"x\"", "").replace("\"content\"", "\"con\\u0074ent\""))));
    sameAsCodec(archive(message(change("\"x\"", ", \"new_hash\": \"given\", \"unknown\": {\"content\": \"y\"}"))));
    sameAsCodec(archive(message(change("\"one\"", ""), change("\"two\"", ""))));
    sameAsCodec(archive(message(change("\"x\"", "").replace("\"is_deleted\": false", "\"is_deleted\": true"))));
  }

  @Test
  void aLargeContentIsSpooledToDiskAndDeletedOnClose() throws IOException {
    String big = "0123456789".repeat(300_000); // 3 MB
    byte[] archive = archive(message(change("\"" + big + "\"", ""), change("\"small\"", "")));
    try (SpooledProposal p = reader.read(new ByteArrayInputStream(archive), spool)) {
      SpooledContent c = p.changes().get(0).content();
      assertThat(c.size()).isEqualTo(big.length());
      assertThat(c.sha256()).isEqualTo(FileContent.text(big).sha256());
      assertThat(c.readAllBytes()).isEqualTo(big.getBytes(StandardCharsets.UTF_8));
      try (var files = Files.list(spool)) {
        assertThat(files.toList()).hasSize(1);
      }
      assertThat(p.changes().get(1).content().readAllBytes()).isEqualTo("small".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(spool).isEmptyDirectory();
  }

  private void refused(byte[] archive, Class<? extends Exception> type, String message) {
    assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(archive), spool))
        .isInstanceOf(type).hasMessageContaining(message);
    assertThat(spool).isEmptyDirectory();
  }

  @Test
  void badContentsAreRefusedAndLeaveNoSpoolFile() {
    String big = "x".repeat(200_000);
    refused(archive(message(change("\"" + big + "\\ud800\"", ""))), MalformedMessageException.class, "unpaired surrogate");
    refused(archive(message(change("\"\\udc00\"", ""))), MalformedMessageException.class, "unpaired surrogate");
    refused(archive(message(change("\"\\ud800\\n\"", ""))), MalformedMessageException.class, "unpaired surrogate");
    refused(archive(message(change("\"" + big + "\u0001\"", ""))), MalformedMessageException.class, "control character");
    refused(archive(message(change("\"\\x41\"", ""))), MalformedMessageException.class, "escape");
    refused(archive(message(change("\"\\u12G4\"", ""))), MalformedMessageException.class, "escape");
    refused(archive(message(change("42", ""))), MalformedMessageException.class,
        "field 'proposed_file_changes[0].content' must be a string or null");
    refused(archive(message(change("\"AAE\"", ", \"content_type\": \"binary\""))), MalformedMessageException.class,
        "proposed_file_changes[0].content' binary content is not valid base64");
    refused(archive(message(change("\"AA==AAAA\"", ", \"content_type\": \"binary\""))), MalformedMessageException.class,
        "not valid base64");
    refused(archive(message(change("\"" + big + "\"", "").replace("a/b.txt", "../escape.txt"))),
        UnsafePathException.class, "path_in_datasite");
    byte[] json = message(change("\"" + big + "\u00e9\"", "")).getBytes(StandardCharsets.UTF_8);
    int at = new String(json, StandardCharsets.ISO_8859_1).indexOf('\u00c3');
    json[at + 1] = (byte) 0x41; // a lead byte without its continuation
    refused(new ArchiveCodec().encodeMember(json), MalformedMessageException.class, "UTF-8");
  }

  @Test
  void truncatedArchivesAndHugeStringsOutsideContentsAreRefused() {
    byte[] whole = archive(message(change("\"" + "y".repeat(300_000) + "\"", "")));
    refused(java.util.Arrays.copyOf(whole, whole.length / 2), MalformedMessageException.class, "truncated");
    refused(archive(message(change("\"x\"", ", \"note\": \"" + "n".repeat(ContentDiverter.MAX_OTHER_STRING + 1) + "\""))),
        LimitExceededException.class, "outside file contents");
    refused(archive(message(change("\"x\"", ", \"note\": \"" + "\\n".repeat(ContentDiverter.MAX_OTHER_STRING) + "\""))),
        LimitExceededException.class, "outside file contents");
    refused(archive("[1, 2]"), MalformedMessageException.class, "not a JSON object");
    refused(archive(message() + " {}"), MalformedMessageException.class, "not valid JSON");
    refused(archive(message(change("\"x\"", "")).replace("\"u1\"", "\"u/1\"")), MalformedMessageException.class, "uid");
  }

  @Test
  void theSameRefusalsAsTheCodecForHostileArchives() {
    byte[] notGzip = "plain".getBytes(StandardCharsets.UTF_8);
    refused(notGzip, MalformedMessageException.class, "not a gzip archive");
    ProposalReader tiny = new ProposalReader(new ArchiveLimits(1 << 20, 1000), CLOCK);
    byte[] archive = archive(message(change("\"" + "z".repeat(5000) + "\"", "")));
    assertThatThrownBy(() -> tiny.read(new ByteArrayInputStream(archive), spool)).isInstanceOf(LimitExceededException.class);
    assertThat(spool).isEmptyDirectory();
  }
}
