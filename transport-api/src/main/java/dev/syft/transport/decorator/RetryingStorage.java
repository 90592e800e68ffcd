package dev.syft.transport.decorator;

import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries {@link StorageException.Kind#TRANSIENT} failures with bounded exponential back-off and
 * jitter ({@link RetryPolicy}); every other failure passes through at once.
 *
 * <ul>
 *   <li>Write content is spooled (in memory up to {@value #MEMORY_SPOOL_BYTES} bytes, else to a
 *       temporary file) so each attempt sends the same bytes; large files stay out of the heap.
 *   <li>A {@code CREATE} that fails transiently may still have happened. If the retry then meets
 *       {@code ALREADY_EXISTS}, the existing file is compared with the spooled content (size, then
 *       SHA-256): equal means the earlier attempt succeeded and its entry is returned.
 *   <li>Downloads cut part-way are resumed: the file is re-opened, its size and modification time must
 *       still equal the entry passed to {@code read}, and the bytes already delivered are read again
 *       and must match (CRC32C), since times can repeat across versions on stores with whole-second
 *       times. Otherwise the read fails as TRANSIENT and the caller starts over with a fresh entry.
 * </ul>
 *
 * <p>A move retried after a transient failure that had in fact moved the item (a store with path
 * ids reports the old id as missing) returns the item found under its name in the target folder.
 * {@code readAll} is retried as a whole (it holds at most its limit). Thread-safe.
 */
public final class RetryingStorage extends ForwardingStorage {
  static final int MEMORY_SPOOL_BYTES = 8 << 20;
  private static final Logger log = LoggerFactory.getLogger(RetryingStorage.class);

  private final RetryPolicy policy;

  /** Retries with {@link RetryPolicy#defaults()}. */
  public RetryingStorage(Storage delegate) {
    this(delegate, RetryPolicy.defaults());
  }

  public RetryingStorage(Storage delegate, RetryPolicy policy) {
    super(delegate);
    this.policy = policy;
  }

  public RetryPolicy policy() {
    return policy;
  }

  @Override
  protected <T> T invoke(Operation op, String subject, Call<T> call) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (StorageException e) {
        if (!e.isTransient() || attempt >= policy.maxAttempts()) {
          throw e;
        }
        backOff(op, subject, attempt, e);
      }
    }
  }

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    try (Spool spool = Spool.of(content)) {
      boolean maybeDone = false;
      for (int attempt = 1; ; attempt++) {
        try (InputStream in = spool.open()) {
          return delegate.write(folder, name, in, mode);
        } catch (StorageException e) {
          if (e.kind() == StorageException.Kind.ALREADY_EXISTS && mode == WriteMode.CREATE && maybeDone) {
            Optional<Entry> mine = findOwnCreate(folder, name, spool);
            if (mine.isPresent()) {
              log.debug("create of {} had succeeded before a transient failure", name);
              return mine.get();
            }
          }
          if (!e.isTransient() || attempt >= policy.maxAttempts()) {
            throw e;
          }
          maybeDone = true;
          backOff(Operation.WRITE, name, attempt, e);
        }
      }
    }
  }

  /**
   * A move that failed transiently may have happened; where ids are paths the retry then finds no
   * item. In that case the item is looked up by name in the target folder (same owner, same size).
   */
  @Override
  public Entry move(Entry item, Entry newParent) throws IOException {
    boolean maybeDone = false;
    for (int attempt = 1; ; attempt++) {
      try {
        return delegate.move(item, newParent);
      } catch (StorageException e) {
        if (e.kind() == StorageException.Kind.NOT_FOUND && maybeDone) {
          List<Entry> there = item.folder()
              ? invoke(Operation.FIND_FOLDERS, item.name(), () -> delegate.findFolders(newParent, item.name()))
              : invoke(Operation.FIND_FILES, item.name(), () -> delegate.findFiles(newParent, item.name()));
          for (Entry c : there) {
            if (c.name().equals(item.name()) && c.folder() == item.folder() && c.owner().equals(item.owner())
                && (item.folder() || c.size() == item.size())) {
              return c;
            }
          }
        }
        if (!e.isTransient() || attempt >= policy.maxAttempts()) {
          throw e;
        }
        maybeDone = true;
        backOff(Operation.MOVE, item.name(), attempt, e);
      }
    }
  }

  /** Retries the whole bounded read: no resume needed, and a stale entry cannot defeat the limit. */
  @Override
  public byte[] readAll(Entry file, long maxBytes) throws IOException {
    return invoke(Operation.READ, file.name(), () -> delegate.readAll(file, maxBytes));
  }

  @Override
  public InputStream read(Entry file) throws IOException {
    InputStream first = invoke(Operation.READ, file.name(), () -> delegate.read(file));
    return new ResumingStream(file, first);
  }

  private Optional<Entry> findOwnCreate(Entry folder, String name, Spool spool) throws IOException {
    for (Entry e : invoke(Operation.FIND_FILES, name, () -> delegate.findFiles(folder, name))) {
      if (e.size() == spool.size && Arrays.equals(digest(e), spool.sha256)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private byte[] digest(Entry e) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in = read(e)) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  private void backOff(Operation op, String subject, int attempt, StorageException e) throws IOException {
    java.time.Duration d = policy.delay(attempt, ThreadLocalRandom.current().nextDouble());
    log.debug("{} {} failed ({}); retry {} in {} ms", op, subject, e.getMessage(), attempt, d.toMillis());
    try {
      policy.sleeper().sleep(d);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      InterruptedIOException x = new InterruptedIOException("interrupted while waiting to retry " + op);
      x.initCause(e);
      throw x;
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The content of one write, replayable. */
  private static final class Spool implements AutoCloseable {
    private final byte[] memory;
    private final Path file;
    final long size;
    final byte[] sha256;

    private Spool(byte[] memory, Path file, long size, byte[] sha256) {
      this.memory = memory;
      this.file = file;
      this.size = size;
      this.sha256 = sha256;
    }

    static Spool of(InputStream content) throws IOException {
      MessageDigest md = sha256();
      DigestInputStream in = new DigestInputStream(content, md);
      byte[] head = in.readNBytes(MEMORY_SPOOL_BYTES);
      if (head.length < MEMORY_SPOOL_BYTES) {
        return new Spool(head, null, head.length, md.digest());
      }
      Path tmp = Files.createTempFile("syft-retry-", ".spool");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        out.write(head);
        long total = head.length + in.transferTo(out);
        return new Spool(null, tmp, total, md.digest());
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
    }

    InputStream open() throws IOException {
      return memory != null ? new ByteArrayInputStream(memory) : Files.newInputStream(file);
    }

    @Override
    public void close() throws IOException {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** A download that re-opens and skips ahead after a transient failure. */
  private final class ResumingStream extends InputStream {
    private final Entry file;
    private InputStream in;
    private long pos;
    private boolean changed;
    /** Checksum of the bytes delivered so far: a re-opened file must start with exactly these. */
    private final java.util.zip.CRC32C delivered = new java.util.zip.CRC32C();

    ResumingStream(Entry file, InputStream first) {
      this.file = file;
      this.in = first;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      for (int attempt = 1; ; attempt++) {
        try {
          if (in == null) {
            reopen();
          }
          int n = in.read(b, off, len);
          if (n > 0) {
            pos += n;
            delivered.update(b, off, n);
          }
          return n;
        } catch (StorageException e) {
          if (changed || !e.isTransient() || attempt >= policy.maxAttempts()) {
            throw e;
          }
          closeQuietly();
          in = null;
          backOff(Operation.READ, file.name(), attempt, e);
        }
      }
    }

    /**
     * Re-opens the file and skips what was delivered. The file must be unchanged (size and
     * modification time as in the caller's entry) both before and after the re-open, so a
     * replacement committed in between cannot splice two versions together.
     */
    private void reopen() throws IOException {
      checkUnchanged();
      InputStream fresh = invoke(Operation.READ, file.name(), () -> delegate.read(file));
      try {
        // Size and time can repeat across versions on stores with whole-second times (SFTP, S3), so the
        // bytes already delivered are read again and compared: a resume never joins two versions.
        java.util.zip.CRC32C again = new java.util.zip.CRC32C();
        byte[] buf = new byte[64 * 1024];
        long left = pos;
        while (left > 0) {
          int n = fresh.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            break;
          }
          again.update(buf, 0, n);
          left -= n;
        }
        if (left > 0 || again.getValue() != delivered.getValue()) {
          changed = true;
          throw new StorageException(StorageException.Kind.TRANSIENT,
              "'" + file.name() + "' changed while being read; read it again");
        }
        checkUnchanged();
      } catch (IOException e) {
        fresh.close();
        throw e;
      }
      in = fresh;
    }

    private void checkUnchanged() throws IOException {
      Optional<Entry> now = invoke(Operation.STAT, file.id(), () -> delegate.stat(file.id()));
      if (now.isEmpty()) {
        changed = true;
        throw new StorageException(StorageException.Kind.NOT_FOUND, "'" + file.name() + "' vanished while being read");
      }
      if (now.get().size() != file.size() || !now.get().modified().equals(file.modified())) {
        changed = true;
        throw new StorageException(StorageException.Kind.TRANSIENT,
            "'" + file.name() + "' changed while being read; read it again");
      }
    }

    private void closeQuietly() {
      try {
        if (in != null) {
          in.close();
        }
      } catch (IOException ignored) {
        // the connection is already broken
      }
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }
}
