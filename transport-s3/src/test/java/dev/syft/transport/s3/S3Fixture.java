package dev.syft.transport.s3;

import dev.syft.transport.Storage;
import dev.syft.transport.blob.BlobStorage;
import dev.syft.transport.blob.BlobStore;
import dev.syft.transport.conformance.StorageFixture;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A fresh bucket on the shared S3Proxy. Every user's storage uses the one test key (S3Proxy knows one
 * identity), so the identity map is checked in {@link S3StorageProviderTest}, not here.
 */
final class S3Fixture implements StorageFixture {
  final S3ProxyServer server;
  final String bucket;

  static final int LIST_PAGE = 64;

  S3Fixture() throws Exception {
    server = S3ProxyServer.get();
    bucket = server.newBucket();
  }

  @Override
  public Storage storage(String email) {
    return new BlobStorage(store(), email, "s3://" + bucket + "/syft/", false);
  }

  /** A client of this fixture's bucket. */
  BlobStore store() {
    return new HideUploadsInProgress(new S3BlobStore(server.client, bucket, "syft/", false, LIST_PAGE));
  }

  /**
   * Listing pages of {@value #LIST_PAGE} keys let the paging test cross S3 pages with a few hundred
   * files instead of 1,050 (each create costs several requests).
   */
  @Override
  public int manyEntries() {
    return 260;
  }

  @Override
  public long largeFileBytes() {
    return 12L << 20; // above the in-memory upload limit, so the spooled path is taken
  }

  /**
   * S3Proxy's file-backed stores write an upload to {@code <name>-<uuid>} and rename it, and list it
   * meanwhile; S3 itself never lists an object before its upload completes. This hides that artefact
   * of the test server (only), so the suite checks our code, not S3Proxy's.
   */
  static final class HideUploadsInProgress implements BlobStore {
    private static final Pattern TEMP = Pattern.compile(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private final BlobStore d;

    HideUploadsInProgress(BlobStore d) {
      this.d = d;
    }

    @Override
    public Optional<Blob> stat(String key) throws IOException {
      return d.stat(key);
    }

    @Override
    public Optional<Instant> folder(String key) throws IOException {
      return d.folder(key);
    }

    @Override
    public Listing list(String key) throws IOException {
      Listing l = d.list(key);
      return new Listing(l.files().stream().filter(b -> !TEMP.matcher(b.name()).matches()).toList(), l.folders());
    }

    @Override
    public InputStream get(String key) throws IOException {
      return d.get(key);
    }

    @Override
    public Blob put(String key, InputStream content, boolean exclusive) throws IOException {
      return d.put(key, content, exclusive);
    }

    @Override
    public void makeFolder(String key) throws IOException {
      d.makeFolder(key);
    }

    @Override
    public void delete(String key) throws IOException {
      d.delete(key);
    }

    @Override
    public void deleteFolder(String key) throws IOException {
      d.deleteFolder(key);
    }

    @Override
    public void move(String from, String to) throws IOException {
      d.move(from, to);
    }
  }
}
