package dev.syft.protocol.names;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.Vectors;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of names/timestamps.json. */
class TimestampsVectorTest {
  /** The id/uid the vector names use. */
  private static final String ID = "3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b";

  static Stream<Arguments> cases() {
    return Vectors.cases("names/timestamps.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void spellingsAndNamesMatchTheReference(JsonNode c) {
    double value = Vectors.dbl(c.get("value"));

    assertThat(Timestamps.nameText(value)).isEqualTo(c.get("name_text").stringValue());
    assertThat(Timestamps.nameText(value)).isEqualTo(c.get("python_repr").stringValue());
    assertThat(Timestamps.jsonText(value)).isEqualTo(c.get("json_text").stringValue());
    assertThat(Double.doubleToRawLongBits(Timestamps.parse(c.get("name_text").stringValue())))
        .isEqualTo(Double.doubleToRawLongBits(value));
    assertThat(Double.doubleToRawLongBits(Timestamps.parse(c.get("json_text").stringValue())))
        .isEqualTo(Double.doubleToRawLongBits(value));

    JsonNode names = c.get("names");
    assertThat(FileNames.proposal(value, ID)).isEqualTo(names.get("proposal").stringValue());
    assertThat(FileNames.events(value, UUID.fromString(ID))).isEqualTo(names.get("events").stringValue());
    assertThat(FileNames.checkpoint(value)).isEqualTo(names.get("checkpoint").stringValue());
    assertThat(FileNames.incrementalCheckpoint(2, value)).isEqualTo(names.get("incremental_checkpoint").stringValue());
    assertThat(FileNames.rollingState(value)).isEqualTo(names.get("rolling_state").stringValue());

    boolean parsesBack = FileNames.parseProposal(names.get("proposal").stringValue()).submittedTimestamp() == value
        && FileNames.parseEvents(names.get("events").stringValue()).timestamp() == value;
    assertThat(parsesBack).isEqualTo(c.get("name_parses_back_to_same_double").booleanValue());
  }
}
