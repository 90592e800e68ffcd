package dev.syft.transport.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.transport.StorageException;
import dev.syft.transport.blob.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.sftp.server.DirectoryHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder reads while an entry vanishes. MINA SSHD stats each entry as it reads a folder and fails the
 * whole read when one is gone (a replace's temporary name renamed into place); the server here makes
 * that happen on demand: reads of a folder named {@code flaky} meet a vanished entry while
 * {@link #vanishing} is positive.
 */
class SftpListingTest {
  private static final AtomicInteger vanishing = new AtomicInteger();
  private static FakeSftpServer server;
  private static SftpBlobStore store;

  @BeforeAll
  static void start(@TempDir Path tmp) throws IOException {
    SftpFileSystemAccessor files = new SftpFileSystemAccessor() {
      @Override
      public DirectoryStream<Path> openDirectory(SftpSubsystemProxy subsystem, DirectoryHandle handle, Path dir,
          String handleName, LinkOption... options) throws IOException {
        DirectoryStream<Path> real = SftpFileSystemAccessor.super.openDirectory(subsystem, handle, dir, handleName, options);
        if (!dir.getFileName().toString().equals("flaky") || vanishing.getAndDecrement() <= 0) {
          return real;
        }
        return new DirectoryStream<>() {
          @Override
          public Iterator<Path> iterator() {
            List<Path> all = new ArrayList<>();
            all.add(dir.resolve(".syft-tmp-renamed-meanwhile")); // listed, gone when its attributes are read
            real.iterator().forEachRemaining(all::add);
            return all.iterator();
          }

          @Override
          public void close() throws IOException {
            real.close();
          }
        };
      }
    };
    server = FakeSftpServer.start(tmp.resolve("data"), 0, Map.of("alice", "alice@example.com"), files);
    store = SftpStorageProvider.connect(SftpStorageProvider.SftpLocation.parse(URI.create(server.uri("alice")), Map.of()));
    store.makeFolder("flaky");
    store.put("flaky/state", new ByteArrayInputStream(new byte[] {1, 2, 3}), false);
  }

  @AfterAll
  static void stop() throws IOException {
    store.close();
    server.close();
  }

  @Test
  void aListingThatMeetsAVanishingEntryIsReadAgainNotReportedEmpty() throws IOException {
    vanishing.set(2);
    BlobStore.Listing l = store.list("flaky");
    assertThat(l.files()).extracting(BlobStore.Blob::name).containsExactly("state");
    assertThat(vanishing.get()).as("both disturbed reads were retried").isLessThanOrEqualTo(0);
  }

  @Test
  void aFolderThatKeepsChangingFailsAsTransient() {
    vanishing.set(1_000);
    try {
      assertThatThrownBy(() -> store.list("flaky"))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.isTransient()).isTrue())
          .hasMessageContaining("kept changing");
    } finally {
      vanishing.set(0);
    }
  }

  @Test
  void aMissingFolderListsEmpty() throws IOException {
    assertThat(Files.exists(server.data().resolve(FakeSftpServer.FOLDER).resolve("absent"))).isFalse();
    BlobStore.Listing l = store.list("absent");
    assertThat(l.files()).isEmpty();
    assertThat(l.folders()).isEmpty();
  }
}
