package dev.syft.transport.sftp;

import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.blob.BlobStorageProvider;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;

/**
 * {@code sftp://user@host:port/path} (options from the client's config win over the query).
 *
 * <ul>
 *   <li>Host key: {@code host_key=SHA256:...} pins the server key's fingerprint; otherwise the key
 *       must be in {@code known_hosts} (default {@code ~/.ssh/known_hosts}). An unknown or changed
 *       key is refused with its fingerprint in the message, never accepted silently.
 *   <li>Authentication: {@code identity_file=PATH} (default: {@code ~/.ssh/id_ed25519},
 *       {@code id_ecdsa}, {@code id_rsa} that exist), or {@code password=...} (test servers only).
 *   <li>Identity: the server administrator maps SSH accounts to e-mails in {@code
 *       <path>/.syft-identities.json} ({@code {"accounts": {"alice": "alice@example.com"}}}), writable
 *       only by the administrator; {@link BlobStorageProvider} refuses an e-mail the map does not give
 *       the account.
 * </ul>
 */
public final class SftpStorageProvider extends BlobStorageProvider {
  public static final String SCHEME = "sftp";
  public static final String IDENTITY_MAP = BlobStorageProvider.IDENTITY_MAP;
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  protected Connection connect(URI uri, Map<String, String> options) throws IOException {
    SftpLocation loc = SftpLocation.parse(uri, options);
    String where = "sftp://" + loc.user() + "@" + loc.host() + ":" + loc.port() + loc.root();
    return new Connection(connect(loc), new Login("accounts", loc.user(), "the account " + loc.user(), where + "/",
        "server administrator", "transport-sftp", "account"), where);
  }

  /** Connects and authenticates; the returned store owns the SSH client. */
  static SftpBlobStore connect(SftpLocation loc) throws IOException {
    SshClient client = SshClient.setUpDefaultClient();
    AtomicReference<String> refused = new AtomicReference<>();
    client.setServerKeyVerifier(verifier(loc.options(), refused));
    client.start();
    try {
      ClientSession session = client.connect(loc.user(), loc.host(), loc.port()).verify(TIMEOUT).getSession();
      String password = loc.options().get("password");
      if (password != null) {
        session.addPasswordIdentity(password);
      }
      for (KeyPair kp : keys(loc.options())) {
        session.addPublicKeyIdentity(kp);
      }
      try {
        session.auth().verify(TIMEOUT);
      } catch (IOException e) {
        session.close();
        if (refused.get() != null) {
          throw new StorageException(Kind.FORBIDDEN, refused.get());
        }
        throw new StorageException(Kind.FORBIDDEN, "sftp: " + loc.user() + "@" + loc.host() + ":" + loc.port()
            + " refused authentication (" + e.getMessage() + "); set identity_file= to your private key");
      }
      return new SftpBlobStore(session, loc.root(), client::stop);
    } catch (StorageException e) {
      client.stop();
      throw e;
    } catch (IOException e) {
      client.stop();
      if (refused.get() != null) {
        throw new StorageException(Kind.FORBIDDEN, refused.get());
      }
      throw new StorageException(Kind.TRANSIENT, "sftp: cannot connect to " + loc.host() + ":" + loc.port() + ": "
          + e.getMessage(), e);
    }
  }

  /** Pinned fingerprint, else known_hosts; the reason for a refusal lands in {@code refused}. */
  static ServerKeyVerifier verifier(Map<String, String> o, AtomicReference<String> refused) {
    String pinned = o.get("host_key");
    Path knownHosts = Path.of(o.getOrDefault("known_hosts",
        Path.of(System.getProperty("user.home"), ".ssh", "known_hosts").toString()));
    ServerKeyVerifier known = new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts);
    return (ClientSession session, SocketAddress remote, PublicKey key) -> {
      String fp = KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
      boolean ok = pinned != null ? pinned.equals(fp) : Files.isRegularFile(knownHosts)
          && known.verifyServerKey(session, remote, key);
      if (!ok) {
        refused.set("sftp: host key of " + remote + " is " + fp + ", which "
            + (pinned != null ? "is not the pinned host_key=" + pinned
                : "is not in " + knownHosts + " (check it with the server's administrator, then add it with"
                    + " ssh-keyscan or pin it with host_key=" + fp + ")"));
      }
      return ok;
    };
  }

  private static Iterable<KeyPair> keys(Map<String, String> o) throws IOException {
    java.util.List<Path> files = new java.util.ArrayList<>();
    if (o.get("identity_file") != null) {
      files.add(Path.of(o.get("identity_file")));
    } else if (o.get("password") == null) {
      Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
      for (String n : new String[] {"id_ed25519", "id_ecdsa", "id_rsa"}) {
        if (Files.isRegularFile(ssh.resolve(n))) {
          files.add(ssh.resolve(n));
        }
      }
    }
    if (files.isEmpty()) {
      return java.util.List.of();
    }
    try {
      java.util.List<KeyPair> loaded = new java.util.ArrayList<>();
      new FileKeyPairProvider(files).loadKeys(null).forEach(loaded::add);
      return loaded;
    } catch (RuntimeException e) {
      throw new StorageException(Kind.INVALID, "sftp: cannot load the private key " + files + ": " + e.getMessage(), e);
    }
  }

  /** Where an {@code sftp:} URI points. */
  record SftpLocation(String user, String host, int port, String root, Map<String, String> options) {
    static SftpLocation parse(URI uri, Map<String, String> given) {
      if (uri.getScheme() == null || !SCHEME.equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()) {
        throw new IllegalArgumentException("not an sftp: URI: " + uri + " (write sftp://user@host:port/path)");
      }
      if (uri.getHost() == null || uri.getUserInfo() == null || uri.getUserInfo().isBlank()) {
        throw new IllegalArgumentException("an sftp: URI needs a user and a host: sftp://user@host:port/path");
      }
      if (uri.getUserInfo().contains(":")) {
        throw new IllegalArgumentException("put no password in an sftp: URI; use identity_file= (or password= in the"
            + " config, for test servers)");
      }
      String path = uri.getPath() == null ? "" : uri.getPath();
      while (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (path.isEmpty()) {
        throw new IllegalArgumentException("an sftp: URI needs a folder: sftp://user@host:port/srv/syft");
      }
      return new SftpLocation(uri.getUserInfo(), uri.getHost(), uri.getPort() < 0 ? 22 : uri.getPort(), path,
          BlobStorageProvider.options(uri, given));
    }
  }
}
