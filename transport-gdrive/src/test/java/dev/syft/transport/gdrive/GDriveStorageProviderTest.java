package dev.syft.transport.gdrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.drivefake.FakeDriveServer;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** {@code gdrive:} URIs through {@link ServiceLoader}, as core opens a configured transport. */
class GDriveStorageProviderTest {
  static StorageProvider provider() {
    return ServiceLoader.load(StorageProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.scheme().equals("gdrive")).findFirst().orElseThrow();
  }

  @Test
  void theProviderIsRegisteredAndOpensTheFakeFromAUri() throws IOException {
    try (FakeDriveServer fake = FakeDriveServer.start()) {
      URI uri = URI.create("gdrive:?root_url=" + fake.rootUrl() + "&access_token=alice@example.com");
      try (Storage s = provider().open(uri, "Alice@Example.com", Map.of())) {
        assertThat(s).isInstanceOf(GDriveStorage.class);
        assertThat(s.identity()).isEqualTo("alice@example.com");
        assertThat(s.root().name()).isEqualTo("SyftBox");
        assertThat(s.capabilities().changeFeed()).isPresent();
        assertThat(s.capabilities().conditionalCreate()).isFalse();
      }
    }
  }

  @Test
  void optionsFromTheConfigWinOverTheUriQuery() {
    GDriveConfig c = GDriveStorageProvider.config(URI.create("gdrive:?token=/a/token.json&timeout=30s&retries=3"),
        "alice@example.com", Map.of("token", "~/tokens/alice.json", "cache_dir", "/tmp/c", "parallel", "4",
            "retry_initial", "10ms"));
    assertThat(c.tokenFile()).isEqualTo(Path.of(System.getProperty("user.home"), "tokens/alice.json"));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.retryPolicy().maxAttempts()).isEqualTo(3);
    assertThat(c.retryPolicy().initialDelay()).isEqualTo(Duration.ofMillis(10));
    assertThat(c.cacheDir()).isEqualTo(Path.of("/tmp/c"));
    assertThat(c.parallelDownloads()).isEqualTo(4);
    assertThat(c.rootUrl()).isEqualTo(GDriveConfig.GOOGLE_ROOT_URL);
    assertThat(GDriveStorageProvider.config(URI.create("gdrive:default"), "a@b.c", Map.of()).tokenFile()).isNull();
  }

  @Test
  void anUnknownOptionIsATypoNotSilence() {
    assertThatThrownBy(() -> GDriveStorageProvider.config(URI.create("gdrive:?tokn=/x"), "a@b.c", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokn").hasMessageContaining("token");
    assertThatThrownBy(() -> GDriveStorageProvider.config(URI.create("gdrive:?timeout=soon"), "a@b.c", Map.of()))
        .hasMessageContaining("500ms or 20s");
  }
}
