package dev.syft.transport.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.StorageProvider;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The imap+smtp: URI, the identity (the mailbox's address) and where the password comes from. */
class MailStorageProviderTest {
  static MailServer server;
  final StorageProvider provider = new MailStorageProvider();

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    server = new MailServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void isFoundByItsSchemeAndOpensWithAPasswordFile() throws Exception {
    assertThat(ServiceLoader.load(StorageProvider.class).stream().map(p -> p.get().scheme())).contains("imap+smtp");
    String me = "pat@example.com";
    Path pw = tmp.resolve("pw");
    Files.writeString(pw, "pw-" + me + "\n");
    URI uri = URI.create(server.uri(me, 1 << 20) + "&password_file=" + pw);
    assertThat(provider.prepare(uri, "Pat@Example.com", Map.of())).isEmpty();
    try (Storage s = provider.open(uri, "Pat@Example.com", Map.of())) {
      assertThat(s.identity()).isEqualTo(me);
      assertThat(s.root().owner()).isEqualTo(me);
      assertThat(s.capabilities().conditionalCreate()).as("mail cannot make a create exclusive across users").isFalse();
    }
  }

  @Test
  void theIdentityIsTheMailboxAddress() {
    String me = "quinn@example.com";
    assertThatThrownBy(() -> provider.open(URI.create(server.uri(me, 1 << 20)), "someone@else.org", server.options(me)))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
          assertThat(e.getMessage()).contains("this mailbox is quinn@example.com, not someone@else.org");
        });
  }

  @Test
  void aWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
    String me = "rae@example.com";
    Path pw = tmp.resolve("pw");
    Files.writeString(pw, "not-the-password-42\n");
    URI uri = URI.create(server.uri(me, 1 << 20) + "&password_file=" + pw);
    assertThatThrownBy(() -> provider.open(uri, me, Map.of()))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
          assertThat(e.getMessage()).contains("refused the login").contains(pw.toString())
              .doesNotContain("not-the-password-42");
        });
  }

  @Test
  void passwordsNeverGoInTheUriAndAMissingOneNamesWhereToPutIt() {
    String me = "sam@example.com";
    assertThatThrownBy(() -> provider.open(URI.create(server.uri(me, 1 << 20) + "&password=x"), me, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("put no password in an imap+smtp: URI");
    assertThatThrownBy(() -> provider.open(URI.create("imap+smtp://sam%40example.com:secret@127.0.0.1"), me, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("put no password");
    assertThatThrownBy(() -> provider.open(URI.create(server.uri(me, 1 << 20) + "&password_env=SYFT_TEST_UNSET_VAR"), me,
        Map.of()))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage())
            .contains("no password: set $SYFT_TEST_UNSET_VAR"));
  }
}
