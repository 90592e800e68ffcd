package dev.syft.protocol.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.Vectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every case of versions/compatibility.json and versions/peer_skip_decisions.json. */
class VersionVectorTest {
  static Stream<Arguments> compatibility() {
    return Vectors.cases("versions/compatibility.json");
  }

  static Stream<Arguments> skipDecisions() {
    return Vectors.cases("versions/peer_skip_decisions.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compatibility")
  void compatibility(JsonNode c) {
    String local = c.get("local_version").stringValue();
    String peer = c.get("peer_version").isNull() ? null : c.get("peer_version").stringValue();
    if (c.get("status").stringValue().equals("error")) {
      assertThatThrownBy(() -> VersionCompatibility.compare(local, peer))
          .isInstanceOf(MalformedMessageException.class).hasMessageContaining("invalid version");
      return;
    }
    VersionCompatibility result = VersionCompatibility.compare(local, peer);
    assertThat(result.status().wireName()).isEqualTo(c.get("status").stringValue());
    assertThat(result.isCompatible()).isEqualTo(c.get("is_compatible").booleanValue());
    assertThat(result.isCompatible(true)).isEqualTo(c.get("is_compatible_if_unknown_true").booleanValue());
    assertThat(result.incompatibilityReason()).isEqualTo(text(c.get("incompatibility_reason")));
    assertThat(result.patchWarning()).isEqualTo(text(c.get("patch_warning_text")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("skipDecisions")
  void skipDecision(JsonNode c) {
    String peer = c.get("peer_version").isNull() ? null : c.get("peer_version").stringValue();
    VersionCompatibility compatibility = VersionCompatibility.compare(c.get("local_version").stringValue(), peer);
    assertThat(compatibility.status().wireName()).isEqualTo(c.get("status").stringValue());

    boolean hasDoRole = c.get("role").stringValue().contains("do");
    PeerVersionPolicy policy = PeerVersionPolicy.forRoles(hasDoRole, c.get("force_ignore_peer_version").booleanValue());
    assertThat(policy.skipPeerOnPatchVersionDiff()).isEqualTo(c.get("skip_peer_on_patch_version_diff").booleanValue());
    PeerVersionPolicy.Action action = PeerVersionPolicy.Action.valueOf(c.get("action").stringValue().toUpperCase());

    SkipDecision d = policy.decide("peer@example.com", compatibility, action, c.get("ignore_peer_version").booleanValue());
    assertThat(d.skip()).isEqualTo(c.get("should_skip").booleanValue());
    String expected = text(d.skip() ? c.get("explanation_skip") : c.get("explanation_not_skip"));
    assertThat(d.explanation()).isEqualTo(expected);
    assertThat(text(d.skip() ? c.get("explanation_not_skip") : c.get("explanation_skip"))).isNull();
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.stringValue();
  }
}
