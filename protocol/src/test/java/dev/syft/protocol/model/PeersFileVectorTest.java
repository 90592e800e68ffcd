package dev.syft.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.protocol.Vectors;
import dev.syft.protocol.hash.Hashes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of models/peers/index.json. */
class PeersFileVectorTest {
  static Stream<Arguments> cases() {
    return Vectors.cases("models/peers/index.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void renderAndParse(JsonNode c) {
    if (c.get("kind").stringValue().equals("render")) {
      PeersFile file = PeersFile.empty();
      for (JsonNode op : c.get("operations")) {
        file = file.withPeerState(op.get("peer_email").stringValue(),
            PeerState.fromWireName(op.get("state").stringValue()).orElseThrow(), op.get("public_encryption_bundle"));
      }
      byte[] expected = Vectors.bytes("models/peers/" + c.get("file").stringValue());
      assertThat(Hashes.sha256Hex(expected)).isEqualTo(c.get("sha256").stringValue());
      assertThat(new String(file.render(), StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
      assertThat(PeersFile.parse(expected).render()).isEqualTo(expected);
      return;
    }
    PeersFile file = PeersFile.parse(c.get("input").stringValue().getBytes(StandardCharsets.UTF_8));
    List<PeerEntry> peers = file.peers();
    JsonNode expected = c.get("expected");
    assertThat(peers).hasSize(expected.size());
    for (int i = 0; i < peers.size(); i++) {
      JsonNode e = expected.get(i);
      assertThat(peers.get(i).email()).isEqualTo(e.get("email").stringValue());
      assertThat(peers.get(i).state().wireName()).isEqualTo(e.get("state").stringValue());
      JsonNode bundle = e.get("public_encryption_bundle");
      if (bundle.isNull()) {
        assertThat(peers.get(i).publicEncryptionBundle()).isNull();
      } else {
        assertThat(peers.get(i).publicEncryptionBundle()).isEqualTo(bundle);
      }
    }
  }

  @Test
  void unknownStatesAreSkippedButKeptAndOtherKeysSurviveUpdates() {
    String json = "{\"a@x.com\": {\"state\": \"unknown-state\"}, \"b@x.com\": {\"state\": \"accepted\", \"note\": \"k\u00e9\"},"
        + " \"c@x.com\": 5}";
    PeersFile file = PeersFile.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(file.peers()).extracting(PeerEntry::email).containsExactly("b@x.com");
    PeersFile updated = file.withPeerState("b@x.com", PeerState.REJECTED, null);
    assertThat(new String(updated.render(), StandardCharsets.UTF_8)).isEqualTo("""
        {
          "a@x.com": {
            "state": "unknown-state"
          },
          "b@x.com": {
            "state": "rejected",
            "note": "k\\u00e9"
          },
          "c@x.com": 5
        }""");
    assertThat(file.peer("b@x.com").orElseThrow().state()).isEqualTo(PeerState.ACCEPTED);
  }
}
