package dev.syft.transport.blob;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the calls reaching a {@link BlobStore}: on S3 each is one HTTP request (a folder delete is
 * one per object), on SFTP one round trip (a put is three: write, rename, stat). For request budgets.
 */
public final class CountingBlobStore implements BlobStore {
  private final BlobStore d;
  private final AtomicLong calls = new AtomicLong();

  public CountingBlobStore(BlobStore d) {
    this.d = d;
  }

  /** Calls so far, and starts counting afresh. */
  public long reset() {
    return calls.getAndSet(0);
  }

  public long count() {
    return calls.get();
  }

  @Override
  public Optional<Blob> stat(String key) throws IOException {
    calls.incrementAndGet();
    return d.stat(key);
  }

  @Override
  public Optional<Instant> folder(String key) throws IOException {
    calls.incrementAndGet();
    return d.folder(key);
  }

  @Override
  public Listing list(String key) throws IOException {
    calls.incrementAndGet();
    return d.list(key);
  }

  @Override
  public InputStream get(String key) throws IOException {
    calls.incrementAndGet();
    return d.get(key);
  }

  @Override
  public Blob put(String key, InputStream content, boolean exclusive) throws IOException {
    calls.incrementAndGet();
    return d.put(key, content, exclusive);
  }

  @Override
  public void makeFolder(String key) throws IOException {
    calls.incrementAndGet();
    d.makeFolder(key);
  }

  @Override
  public void delete(String key) throws IOException {
    calls.incrementAndGet();
    d.delete(key);
  }

  @Override
  public void deleteFolder(String key) throws IOException {
    calls.incrementAndGet();
    d.deleteFolder(key);
  }

  @Override
  public void move(String from, String to) throws IOException {
    calls.incrementAndGet();
    d.move(from, to);
  }

  @Override
  public void close() throws IOException {
    d.close();
  }
}
