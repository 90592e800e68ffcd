package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.protocol.SyftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing a peer's transports ({@link Transports#routePeer}), kept in config.yaml. */
class PeerRoutesTest {
  @TempDir Path tmp;

  private Path home(String... transports) throws Exception {
    Path dir = tmp.resolve("home");
    Files.createDirectories(tmp.resolve("a"));
    SyftClient.init("me@example.com", transports[0], dir).close();
    for (int i = 1; i < transports.length; i++) {
      Transports.add(dir, transports[i], false);
    }
    return dir;
  }

  @Test
  void aRouteNamesTransportsByUriOrUniqueSchemeAndSurvivesRereading() throws Exception {
    String a = "local:" + tmp.resolve("a");
    String b = "mem:other";
    Path dir = home(a);
    Home.open(dir).config().withTransports(List.of(a, b)).save(dir); // a second scheme without opening it
    assertThat(Transports.routePeer(dir, "Bob@Example.com", List.of("mem", a))).containsExactly(b, a);
    assertThat(Transports.peerRoutes(dir)).isEqualTo(Map.of("bob@example.com", List.of(b, a)));
    assertThat(Files.readString(dir.resolve("config.yaml"))).contains("peer_transports:");

    assertThatThrownBy(() -> Transports.routePeer(dir, "bob@example.com", List.of("s3")))
        .isInstanceOf(SyftException.class).hasMessageContaining("the home has no transport s3");
    assertThatThrownBy(() -> Transports.routePeer(dir, "me@example.com", List.of(a)))
        .isInstanceOf(SyftException.class).hasMessageContaining("yourself");
    assertThat(Transports.peerRoutes(dir)).containsKey("bob@example.com"); // a refused change changes nothing

    // removing a transport drops it from routes that keep another, and refuses to leave a peer with none
    Transports.remove(dir, a);
    assertThat(Transports.peerRoutes(dir)).isEqualTo(Map.of("bob@example.com", List.of(b)));
    Transports.add(dir, a, false);
    assertThatThrownBy(() -> Transports.remove(dir, b)).isInstanceOf(SyftException.class)
        .hasMessageContaining("traffic with bob@example.com goes only via " + b);

    Transports.routePeer(dir, "bob@example.com", List.of());
    assertThat(Transports.peerRoutes(dir)).isEmpty();
    assertThat(Files.readString(dir.resolve("config.yaml"))).doesNotContain("peer_transports");
  }

  @Test
  void twoLocalTransportsNeedTheUriNotTheScheme() throws Exception {
    String a = "local:" + tmp.resolve("a");
    String c = "local:" + tmp.resolve("c");
    Path dir = home(a, c);
    assertThatThrownBy(() -> Transports.routePeer(dir, "bob@example.com", List.of("local")))
        .isInstanceOf(SyftException.class).hasMessageContaining("names several transports");
    assertThat(Transports.routePeer(dir, "bob@example.com", List.of(c))).containsExactly(c);
  }
}
