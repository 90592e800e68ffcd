package dev.syft.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.UnsafePathException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SmallModelsTest {
  @Test
  void fileCollectionReadsTheSharedWithAnyProperty() {
    assertThat(FileCollection.fromAppProperties("f1", "census", "051df26b52c3",
        Map.of(FileCollection.SHARED_WITH_ANY_PROPERTY, "true")).hasAnyPermission()).isTrue();
    assertThat(FileCollection.fromAppProperties("f1", "census", "051df26b52c3",
        Map.of(FileCollection.SHARED_WITH_ANY_PROPERTY, "True")).hasAnyPermission()).isFalse();
    assertThat(FileCollection.fromAppProperties("f1", "census", "051df26b52c3", null).hasAnyPermission()).isFalse();
  }

  @Test
  void payloadKindsFromNamesAndFileNames() {
    assertThat(PayloadKind.fromName("incremental")).hasValue(PayloadKind.INCREMENTAL_CHECKPOINT);
    assertThat(PayloadKind.fromName("ROLLING")).hasValue(PayloadKind.ROLLING_STATE);
    assertThat(PayloadKind.fromName("rolling-state")).hasValue(PayloadKind.ROLLING_STATE);
    assertThat(PayloadKind.fromName("jobs")).isEmpty();
    assertThat(PayloadKind.fromFileName("incremental_checkpoint_1_2.0.tar.gz")).hasValue(PayloadKind.INCREMENTAL_CHECKPOINT);
    assertThat(PayloadKind.fromFileName("checkpoint_2.0.tar.gz")).hasValue(PayloadKind.CHECKPOINT);
    assertThat(PayloadKind.fromFileName("SYFT_version.json")).isEmpty();
  }

  @Test
  void pathsAreNormalisedAndUnsafeOnesRefused() {
    ProposedFileChange c = ProposedFileChange.of("a//b/./c.txt/", FileContent.text("x"), "do@x.org", null, 1);
    assertThat(c.pathInDatasite()).isEqualTo("a/b/c.txt");
    assertThat(c.contentType()).isEqualTo("text");
    assertThatThrownBy(() -> ProposedFileChange.of("../x", FileContent.text("x"), "do@x.org", null, 1))
        .isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> FileChangeEvent.deletion("/abs", "do@x.org", null, 1)).isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> new FileChangeEventsMessage(List.of(), UUID.randomUUID(), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptedProposalBecomesAnEventWithTheSameIdentity() {
    ProposedFileChange c = ProposedFileChange.of("x.bin", FileContent.of(new byte[] {(byte) 0xff}), "do@x.org", "aa", 10);
    FileChangeEvent e = FileChangeEvent.fromProposedChange(c, 20);
    assertThat(e.id()).isEqualTo(c.id());
    assertThat(e.newHash()).isEqualTo(c.newHash());
    assertThat(e.oldHash()).isEqualTo("aa");
    assertThat(e.submittedTimestamp()).isEqualTo(10);
    assertThat(e.timestamp()).isEqualTo(20);
    assertThat(e.contentType()).isEqualTo("binary");
    assertThat(e.pathInSyftbox()).isEqualTo("do@x.org/x.bin");
  }

  @Test
  void messagesNameThemselvesLikeTheReference() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1700000000), ZoneOffset.UTC);
    ProposedFileChangesMessage p = ProposedFileChangesMessage.create("ds@x.org", List.of(), clock);
    assertThat(p.fileName()).isEqualTo("msgv2_1700000000.0_" + p.uid() + ".tar.gz");
    FileChangeEventsMessage m = FileChangeEventsMessage.create(List.of(), clock);
    assertThat(m.fileName()).isEqualTo("syfteventsmessagev3_1700000000.0_" + m.id() + ".tar.gz");
    assertThat(Checkpoint.of("do@x.org", 1e-5, null, List.of()).fileName()).isEqualTo("checkpoint_1e-05.tar.gz");
  }
}
