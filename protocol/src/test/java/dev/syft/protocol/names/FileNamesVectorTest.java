package dev.syft.protocol.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.Vectors;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of names/file_names.json. */
class FileNamesVectorTest {
  static Stream<Arguments> cases() {
    return Vectors.cases("names/file_names.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parsesLikeTheReference(JsonNode c) {
    String input = c.get("input").stringValue();
    JsonNode expected = c.get("expected");
    String result = expected.get("result").stringValue();
    switch (c.get("parser").stringValue()) {
      case "proposal" -> {
        if (result.equals("error")) {
          assertThatThrownBy(() -> FileNames.parseProposal(input)).isInstanceOf(MalformedMessageException.class)
              .hasMessageContaining("invalid message file name");
          assertThat(FileNames.isUsableProposalName(input)).isFalse();
          return;
        }
        ProposalName parsed = FileNames.parseProposal(input);
        JsonNode fields = expected.get("fields");
        assertThat(bits(parsed.submittedTimestamp())).isEqualTo(bits(Vectors.dbl(fields.get("submitted_timestamp"))));
        assertThat(parsed.uid()).isEqualTo(fields.get("uid").stringValue());
        assertThat(parsed.render()).isEqualTo(expected.get("rendered_again").stringValue());
        assertThat(FileNames.isUsableProposalName(input)).isEqualTo(expected.get("round_trip_identical").booleanValue());
      }
      case "events" -> {
        if (result.equals("error")) {
          assertThatThrownBy(() -> FileNames.parseEvents(input)).isInstanceOf(MalformedMessageException.class);
          assertThat(FileNames.isUsableEventsName(input)).isFalse();
          return;
        }
        EventsName parsed = FileNames.parseEvents(input);
        JsonNode fields = expected.get("fields");
        assertThat(bits(parsed.timestamp())).isEqualTo(bits(Vectors.dbl(fields.get("timestamp"))));
        assertThat(parsed.id()).isEqualTo(UUID.fromString(fields.get("id").stringValue()));
        assertThat(parsed.render()).isEqualTo(expected.get("rendered_again").stringValue());
        assertThat(FileNames.isUsableEventsName(input)).isEqualTo(expected.get("round_trip_identical").booleanValue());
      }
      case "checkpoint_timestamp" -> assertOptional(FileNames.checkpointTimestamp(input), expected);
      case "rolling_timestamp" -> assertOptional(FileNames.rollingStateTimestamp(input), expected);
      case "listing_timestamp" -> assertOptional(FileNames.listingTimestamp(input), expected);
      case "incremental_sequence" -> {
        OptionalInt seq = FileNames.incrementalSequence(input);
        if (result.equals("none")) {
          assertThat(seq).isEmpty();
        } else {
          assertThat(seq).hasValue(expected.get("value").intValue());
        }
      }
      default -> fail("unknown parser in vector: " + c.get("parser"));
    }
  }

  private static void assertOptional(OptionalDouble actual, JsonNode expected) {
    if (expected.get("result").stringValue().equals("none")) {
      assertThat(actual).isEmpty();
    } else {
      assertThat(actual).isPresent();
      assertThat(bits(actual.getAsDouble())).isEqualTo(bits(Vectors.dbl(expected.get("value"))));
    }
  }

  private static long bits(double d) {
    return Double.doubleToRawLongBits(d);
  }
}
