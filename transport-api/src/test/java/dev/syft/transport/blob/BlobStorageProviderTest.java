package dev.syft.transport.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What S3 and SFTP share: options from the URI, the identity map check, opening and closing. */
class BlobStorageProviderTest {
  final MemoryBlobStore store = new MemoryBlobStore();
  final AtomicBoolean closed = new AtomicBoolean();

  final BlobStorageProvider provider = new BlobStorageProvider() {
    @Override
    public String scheme() {
      return "test";
    }

    @Override
    protected Connection connect(URI uri, Map<String, String> options) {
      String user = options(uri, options).get("user");
      return new Connection(new Closing(), new Login("accounts", user, "the account " + user,
          "test://x/", "test administrator", "transport-test", "account"), "test://x");
    }
  };

  /** The memory store, noting when it is closed. */
  final class Closing implements BlobStore {
    @Override
    public java.util.Optional<Blob> stat(String key) throws IOException {
      return store.stat(key);
    }

    @Override
    public java.util.Optional<java.time.Instant> folder(String key) throws IOException {
      return store.folder(key);
    }

    @Override
    public Listing list(String key) throws IOException {
      return store.list(key);
    }

    @Override
    public java.io.InputStream get(String key) throws IOException {
      return store.get(key);
    }

    @Override
    public Blob put(String key, java.io.InputStream content, boolean exclusive) throws IOException {
      return store.put(key, content, exclusive);
    }

    @Override
    public void makeFolder(String key) throws IOException {
      store.makeFolder(key);
    }

    @Override
    public void delete(String key) throws IOException {
      store.delete(key);
    }

    @Override
    public void deleteFolder(String key) throws IOException {
      store.deleteFolder(key);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private void map(String json) throws IOException {
    store.put(BlobStorageProvider.IDENTITY_MAP, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), false);
  }

  @Test
  void optionsComeFromTheQueryAndTheConfigWins() {
    Map<String, String> o = BlobStorageProvider.options(URI.create("test://x/p?a=1&b=%2Fdir&flag&c=q"), Map.of("c", "config"));
    assertThat(o).isEqualTo(Map.of("a", "1", "b", "/dir", "flag", "true", "c", "config"));
    assertThat(BlobStorageProvider.options(URI.create("test://x/p"), null)).isEmpty();
  }

  @Test
  void openChecksTheIdentityMapAndClosesTheStoreOnRefusal() throws IOException {
    URI uri = URI.create("test://x/?user=alice");
    assertThatThrownBy(() -> provider.open(uri, "alice@example.com", Map.of()))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.FORBIDDEN))
        .hasMessage("test://x/ has no identity map .syft-identities.json: the test administrator must map the account"
            + " alice to alice@example.com there (see the transport-test README)");
    assertThat(closed.getAndSet(false)).isTrue();

    map("{not json");
    assertThatThrownBy(() -> provider.open(uri, "alice@example.com", Map.of()))
        .hasMessageStartingWith("the identity map test://x/.syft-identities.json is not valid JSON");
    map("{\"accounts\": {\"bob\": \"bob@example.com\", \"alice\": \" Alice@Example.com \"}}");
    assertThatThrownBy(() -> provider.open(URI.create("test://x/?user=carol"), "carol@example.com", Map.of()))
        .hasMessage("the account carol is not in the identity map test://x/.syft-identities.json; ask the test"
            + " administrator to map it to carol@example.com");
    assertThatThrownBy(() -> provider.open(uri, "bob@example.com", Map.of()))
        .hasMessageContaining("the account alice belongs to alice@example.com").hasMessageContaining("not to bob@example.com");
    assertThat(closed.getAndSet(false)).isTrue();

    try (Storage s = provider.open(uri, "ALICE@example.com", Map.of())) {
      assertThat(s.identity()).isEqualTo("alice@example.com");
      assertThat(closed.get()).isFalse();
    }
    assertThat(closed.get()).as("the storage owns the store").isTrue();
  }
}
