package dev.syft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syft.login creates a home once, reopens it after, refuses another identity; printing hides secrets. */
class SyftLoginTest {
  @TempDir Path tmp;

  @Test
  void loginCreatesThenReopensAndRefusesAnotherIdentityOrTransport() throws Exception {
    String transport = "local:" + tmp.resolve("shared");
    Path home = tmp.resolve("home");
    try (Syft first = Syft.login("Ana@Uni.example", transport, home)) {
      assertThat(first.email()).isEqualTo("ana@uni.example");
    }
    String config = Files.readString(home.resolve("config.yaml"));
    try (Syft again = Syft.login("ana@uni.example", transport, home)) {
      assertThat(again.email()).isEqualTo("ana@uni.example");
      assertThat(again.toString()).isEqualTo("Syft[ana@uni.example on " + transport + ", home " + home + "]");
    }
    assertThatThrownBy(() -> Syft.login("bob@uni.example", transport, home))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(home + " holds ana@uni.example on " + transport + ", not bob@uni.example on " + transport
            + "; use Syft.open(home) or another home");
    assertThatThrownBy(() -> Syft.login("ana@uni.example", "local:" + tmp.resolve("other"), home))
        .hasMessageContaining("not ana@uni.example on local:" + tmp.resolve("other"));
    assertThat(Files.readString(home.resolve("config.yaml"))).as("a refused login changes nothing").isEqualTo(config);
  }

  @Test
  void printedTransportsCarryNoTokenOrPassword() {
    assertThat(Syft.redact(URI.create("gdrive:default?token=/home/a/token.json"))).isEqualTo("gdrive:default");
    assertThat(Syft.redact(URI.create("gdrive:?root_url=http://127.0.0.1:9/&access_token=a@b.example"))).isEqualTo("gdrive:");
    assertThat(Syft.redact(URI.create("sftp://ana:hunter2@files.example:2222/syft"))).isEqualTo("sftp://ana@files.example:2222/syft");
    assertThat(Syft.redact(URI.create("s3://bucket/prefix?endpoint=https://h:9000&secret=x"))).isEqualTo("s3://bucket/prefix");
    assertThat(Syft.redact(URI.create("local:/srv/shared"))).isEqualTo("local:/srv/shared");
  }
}
