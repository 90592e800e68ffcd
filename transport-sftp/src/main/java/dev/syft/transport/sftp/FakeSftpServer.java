package dev.syft.transport.sftp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SFTP server (Apache MINA SSHD) on loopback serving one folder, for tests and for trying the
 * transport ({@code syft dev fake-sftp}). Every account's password is {@code <account>-pw}; the folder
 * gets an identity map of the given accounts. Not for real use: one shared folder, no OS permissions.
 */
public final class FakeSftpServer implements AutoCloseable {
  /** The shared folder inside the served one (the URI's path). */
  public static final String FOLDER = "syft";
  private final SshServer server;
  private final Path data;

  private FakeSftpServer(SshServer server, Path data) {
    this.server = server;
    this.data = data;
  }

  /**
   * Starts on {@code port} (0 for any free one) serving {@code data} (created if missing; the shared
   * folder is {@code data/syft}), with the host key kept in {@code data/../<data name>.hostkey} so
   * restarts keep the fingerprint.
   *
   * @param accounts SSH account -> e-mail, written to the folder's identity map
   */
  public static FakeSftpServer start(Path data, int port, Map<String, String> accounts) throws IOException {
    return start(data, port, accounts, SftpFileSystemAccessor.DEFAULT);
  }

  /** As {@link #start(Path, int, Map)}, serving files through {@code files} (tests alter what the server sees). */
  static FakeSftpServer start(Path data, int port, Map<String, String> accounts, SftpFileSystemAccessor files)
      throws IOException {
    Files.createDirectories(data);
    Path abs = data.toAbsolutePath().normalize();
    StringBuilder json = new StringBuilder("{\"accounts\":{");
    String sep = "";
    for (Map.Entry<String, String> e : new TreeMap<>(accounts).entrySet()) {
      json.append(sep).append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
      sep = ",";
    }
    json.append("}}");
    Files.createDirectories(abs.resolve(FOLDER));
    Files.writeString(abs.resolve(FOLDER).resolve(SftpStorageProvider.IDENTITY_MAP), json, StandardCharsets.UTF_8);
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(port);
    sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(abs.resolveSibling(abs.getFileName() + ".hostkey")));
    sshd.setPasswordAuthenticator((user, password, session) -> accounts.containsKey(user) && password.equals(user + "-pw"));
    SftpSubsystemFactory sftp = new SftpSubsystemFactory();
    sftp.setFileSystemAccessor(files);
    sshd.setSubsystemFactories(List.of(sftp));
    sshd.setFileSystemFactory(new VirtualFileSystemFactory(abs));
    sshd.start();
    return new FakeSftpServer(sshd, abs);
  }

  public int port() {
    return server.getPort();
  }

  public Path data() {
    return data;
  }

  /** The server's public host key. */
  public PublicKey hostKey() throws IOException {
    try {
      return server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  /** The host key's SHA-256 fingerprint, to pin with {@code host_key=}. */
  public String fingerprint() throws IOException {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey());
  }

  /** The transport URI of {@code account} on this server, with the pinned host key and password. */
  public String uri(String account) throws IOException {
    return "sftp://" + account + "@127.0.0.1:" + port() + "/" + FOLDER + "?host_key="
        + java.net.URLEncoder.encode(fingerprint(), StandardCharsets.UTF_8) + "&password=" + account + "-pw";
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
