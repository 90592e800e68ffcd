package dev.syft.transport.sftp;

import dev.syft.transport.Storage;
import dev.syft.transport.blob.BlobStorage;
import dev.syft.transport.conformance.StorageFixture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.session.ClientSession;

/**
 * One in-process MINA SSHD server for the test JVM, one authenticated SSH session per account
 * (alice, bob, carol: the part of the e-mail before '@'), and a fresh folder per fixture.
 */
final class SftpServerFixture implements StorageFixture {
  private static final AtomicInteger FOLDERS = new AtomicInteger();
  private static FakeSftpServer server;
  private static final Map<String, SftpBlobStore> SESSIONS = new HashMap<>();

  private final String folder;

  SftpServerFixture() throws IOException {
    server();
    folder = "/t" + FOLDERS.incrementAndGet();
    Files.createDirectories(server.data().resolve(folder.substring(1)));
  }

  static synchronized FakeSftpServer server() throws IOException {
    if (server == null) {
      Path data = Files.createTempDirectory("syft-sftp-test-").resolve("data");
      server = FakeSftpServer.start(data, 0, Map.of("alice", "alice@example.com", "bob", "bob@example.com",
          "carol", "carol@example.com", "do", "do@hospital.example", "ds", "ds@university.example"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
        } catch (IOException ignored) {
          // the JVM is going away
        }
      }));
    }
    return server;
  }

  private static synchronized ClientSession session(String account) throws IOException {
    SftpBlobStore s = SESSIONS.get(account);
    if (s == null) {
      s = SftpStorageProvider.connect(SftpStorageProvider.SftpLocation.parse(URI.create(server.uri(account)), Map.of()));
      SESSIONS.put(account, s);
    }
    return s.session();
  }

  @Override
  public Storage storage(String email) throws IOException {
    return new BlobStorage(store(email), email, "sftp " + folder, false);
  }

  /** This fixture's folder, through the session of {@code email}'s account (the part before '@'). */
  SftpBlobStore store(String email) throws IOException {
    return new SftpBlobStore(session(email.substring(0, email.indexOf('@'))), folder, () -> { });
  }

  @Override
  public long largeFileBytes() {
    return 8L << 20;
  }

  /** SFTP has no server-side pages (BlobStorage pages the whole listing), so a few hundred entries prove it. */
  @Override
  public int manyEntries() {
    return 260;
  }
}
