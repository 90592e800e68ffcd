package dev.syft.transport.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.StorageProvider;
import dev.syft.transport.WriteMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The s3: URI and the access key -> e-mail map, against S3Proxy. */
class S3StorageProviderTest {
  final StorageProvider provider = new S3StorageProvider();
  final Map<String, String> creds = Map.of("access_key_id", S3ProxyServer.KEY, "secret_access_key", S3ProxyServer.SECRET);

  @Test
  void isFoundByItsSchemeAndOpensAsTheMappedKeysOwner() throws Exception {
    S3ProxyServer s = S3ProxyServer.get();
    String bucket = s.newBucket();
    s.mapKeyTo(bucket, "syft/", "alice@example.com");
    assertThat(ServiceLoader.load(StorageProvider.class).stream().map(p -> p.get().scheme())).contains("s3");
    URI uri = URI.create("s3://" + bucket + "/syft/?endpoint=" + s.endpoint);
    try (Storage alice = provider.open(uri, "Alice@Example.com", creds)) {
      assertThat(alice.identity()).isEqualTo("alice@example.com");
      alice.write(alice.ensureFolder(alice.root(), "hello"), "x.txt", "hi".getBytes(StandardCharsets.UTF_8),
          WriteMode.CREATE);
    }
    assertThat(s.client.getObjectAsBytes(b -> b.bucket(bucket).key("syft/alice@example.com/hello/x.txt")).asUtf8String())
        .isEqualTo("hi");
  }

  @Test
  void aKeyCannotClaimAnotherPeersEmail() throws Exception {
    S3ProxyServer s = S3ProxyServer.get();
    String bucket = s.newBucket();
    s.mapKeyTo(bucket, "", "alice@example.com");
    URI uri = URI.create("s3://" + bucket + "?endpoint=" + s.endpoint);
    assertThatThrownBy(() -> provider.prepare(uri, "bob@example.com", creds))
        .isInstanceOf(StorageException.class).hasMessageContaining("belongs to alice@example.com");
    assertThatThrownBy(() -> provider.open(uri, "bob@example.com", creds))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
          assertThat(e.getMessage()).contains("belongs to alice@example.com").contains("not to bob@example.com");
        });
  }

  @Test
  void aBucketWithoutAnIdentityMapIsRefusedWithWhatToDo() throws Exception {
    S3ProxyServer s = S3ProxyServer.get();
    String bucket = s.newBucket();
    URI uri = URI.create("s3://" + bucket + "/p?endpoint=" + s.endpoint);
    assertThatThrownBy(() -> provider.open(uri, "alice@example.com", creds))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
          assertThat(e.getMessage()).contains("no identity map .syft-identities.json")
              .contains("map access key " + S3ProxyServer.KEY + " to alice@example.com");
        });
  }

  @Test
  void badUrisAreRefusedClearly() {
    assertThatThrownBy(() -> provider.open(URI.create("s3:///nobucket"), "a@b.c", creds))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a bucket");
  }
}
