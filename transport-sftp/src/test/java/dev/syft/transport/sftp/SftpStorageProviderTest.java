package dev.syft.transport.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.StorageProvider;
import dev.syft.transport.WriteMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sftp: URI, host key verification and the account -> e-mail map, against the in-process server. */
class SftpStorageProviderTest {
  final StorageProvider provider = new SftpStorageProvider();

  @TempDir Path tmp;

  @Test
  void isFoundByItsSchemeAndOpensAsTheMappedAccount() throws Exception {
    FakeSftpServer server = SftpServerFixture.server();
    assertThat(ServiceLoader.load(StorageProvider.class).stream().map(p -> p.get().scheme())).contains("sftp");
    try (Storage alice = provider.open(URI.create(server.uri("alice")), "Alice@Example.com", Map.of())) {
      assertThat(alice.identity()).isEqualTo("alice@example.com");
      alice.write(alice.ensureFolder(alice.root(), "hello"), "x.txt", "hi".getBytes(StandardCharsets.UTF_8),
          WriteMode.CREATE);
    }
    assertThat(server.data().resolve(FakeSftpServer.FOLDER).resolve("alice@example.com/hello/x.txt")).hasContent("hi");
  }

  @Test
  void anAccountCannotClaimAnotherPeersEmail() throws Exception {
    FakeSftpServer server = SftpServerFixture.server();
    assertThatThrownBy(() -> provider.prepare(URI.create(server.uri("alice")), "bob@example.com", Map.of()))
        .isInstanceOf(StorageException.class).hasMessageContaining("belongs to alice@example.com");
    assertThatThrownBy(() -> provider.open(URI.create(server.uri("alice")), "bob@example.com", Map.of()))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
          assertThat(e.getMessage()).contains("belongs to alice@example.com").contains("not to bob@example.com");
        });
  }

  @Test
  void aHostKeyOtherThanThePinnedOneIsRefusedWithItsFingerprint() throws Exception {
    FakeSftpServer server = SftpServerFixture.server();
    String uri = "sftp://alice@127.0.0.1:" + server.port() + "/syft?host_key=SHA256:not-this-one&password=alice-pw";
    String fp = server.fingerprint();
    assertThatThrownBy(() -> provider.open(URI.create(uri), "alice@example.com", Map.of()))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
          assertThat(e.getMessage()).contains(fp).contains("not the pinned");
        });
  }

  @Test
  void withoutAPinTheKeyMustBeInKnownHosts() throws Exception {
    FakeSftpServer server = SftpServerFixture.server();
    Path known = tmp.resolve("known_hosts");
    Files.writeString(known, "");
    Map<String, String> opts = Map.of("known_hosts", known.toString(), "password", "alice-pw");
    URI uri = URI.create("sftp://alice@127.0.0.1:" + server.port() + "/syft");
    String fp = server.fingerprint();
    assertThatThrownBy(() -> provider.open(uri, "alice@example.com", opts))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage())
            .contains(fp).contains("is not in " + known));
    Files.writeString(known, "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(server.hostKey()) + "\n");
    try (Storage alice = provider.open(uri, "alice@example.com", opts)) {
      assertThat(alice.root().owner()).isEqualTo("alice@example.com");
    }
  }

  @Test
  void aWrongPasswordIsAClearRefusal() throws Exception {
    FakeSftpServer server = SftpServerFixture.server();
    String uri = "sftp://alice@127.0.0.1:" + server.port() + "/syft";
    assertThatThrownBy(() -> provider.open(URI.create(uri), "alice@example.com",
        Map.of("host_key", server.fingerprint(), "password", "wrong")))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
          assertThat(e.getMessage()).contains("refused authentication");
        });
  }
}
