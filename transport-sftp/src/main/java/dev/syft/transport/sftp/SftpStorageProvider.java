package dev.syft.transport.sftp;

import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.StorageProvider;
import dev.syft.transport.blob.BlobStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
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
import tools.jackson.databind.json.JsonMapper;

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
 *       only by the administrator; {@link #open} refuses an e-mail the map does not give the account.
 * </ul>
 */
public final class SftpStorageProvider implements StorageProvider {
  public static final String SCHEME = "sftp";
  public static final String IDENTITY_MAP = ".syft-identities.json";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Override
  public String scheme() {
    return SCHEME;
  }

  /**
   * {@code syft init}: connects once, so a wrong identity (the map gives the credentials to another
   * e-mail), bad credentials or an unknown host key are refused before a home is created. Creates
   * nothing on the server.
   */
  @Override
  public java.util.Optional<String> prepare(URI uri, String email, Map<String, String> options) throws IOException {
    open(uri, email, options).close();
    return java.util.Optional.empty();
  }

  @Override
  public Storage open(URI uri, String email, Map<String, String> options) throws IOException {
    String me = BlobStorage.identityOf(email);
    SftpLocation loc = SftpLocation.parse(uri, options);
    SftpBlobStore store = connect(loc);
    try {
      verifyIdentity(store, loc, me);
      return new BlobStorage(store, me, "sftp://" + loc.user() + "@" + loc.host() + ":" + loc.port() + loc.root(), true);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
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

  /** Refuses unless the server's identity map gives the SSH account exactly {@code email}. */
  static void verifyIdentity(SftpBlobStore store, SftpLocation loc, String email) throws IOException {
    Map<?, ?> accounts;
    try (InputStream in = store.get(IDENTITY_MAP)) {
      Object v = JSON.readValue(in.readNBytes(1 << 20), Map.class).get("accounts");
      accounts = v instanceof Map<?, ?> m ? m : Map.of();
    } catch (StorageException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        throw new StorageException(Kind.FORBIDDEN, "sftp: " + loc.root() + "/" + IDENTITY_MAP + " is missing: the"
            + " server administrator must map the account " + loc.user() + " to " + email
            + " there (see the transport-sftp README)");
      }
      throw e;
    } catch (tools.jackson.core.JacksonException e) {
      throw new StorageException(Kind.INVALID, "sftp: " + loc.root() + "/" + IDENTITY_MAP + " is not valid JSON: "
          + e.getOriginalMessage());
    }
    Object mapped = accounts.get(loc.user());
    if (mapped == null) {
      throw new StorageException(Kind.FORBIDDEN, "sftp: the account " + loc.user() + " is not in " + loc.root() + "/"
          + IDENTITY_MAP + "; ask the server administrator to map it to " + email);
    }
    String m = mapped.toString().trim().toLowerCase(Locale.ROOT);
    if (!m.equals(email)) {
      throw new StorageException(Kind.FORBIDDEN, "sftp: the account " + loc.user() + " belongs to " + m + " (per "
          + IDENTITY_MAP + "), not to " + email);
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
      Map<String, String> o = new LinkedHashMap<>();
      String q = uri.getRawQuery();
      if (q != null && !q.isEmpty()) {
        for (String pair : q.split("&")) {
          int eq = pair.indexOf('=');
          o.put(URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8),
              eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "true");
        }
      }
      if (given != null) {
        o.putAll(given);
      }
      return new SftpLocation(uri.getUserInfo(), uri.getHost(), uri.getPort() < 0 ? 22 : uri.getPort(), path,
          Map.copyOf(o));
    }
  }
}
