package dev.syft.transport.router;

import dev.syft.transport.Entry;
import dev.syft.transport.Page;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.transport.decorator.ForwardingStorage;
import dev.syft.transport.layout.FolderNames;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, per peer, when calls on the folders of our traffic with that peer (P2P folders and
 * archives, see {@link FolderNames#peerOfFolder}) last worked on this store, and the last failure.
 * Calls are attributed by the folder they act on, or for files by their parent folder once a lookup
 * has shown it. "Not found" and "already exists" are answers, not failures. Unlike other decorators
 * it forwards {@code listAll} and {@code readAll} whole, so it adds no requests. Thread-safe.
 */
public final class PeerHealthStorage extends ForwardingStorage {
  /**
   * One peer's traffic on this store.
   *
   * @param lastOk the last call that worked, or null
   * @param lastError the message of the last failure, or null
   * @param lastErrorAt when it failed, or null
   */
  public record Health(String peer, Instant lastOk, String lastError, Instant lastErrorAt) {}

  private final Clock clock;
  private final Map<String, Health> health = new ConcurrentHashMap<>();
  /** Folder id to peer, for the folders lookups returned. */
  private final Map<String, String> folders = new ConcurrentHashMap<>();

  public PeerHealthStorage(Storage delegate, Clock clock) {
    super(delegate);
    this.clock = clock;
  }

  /** Per peer (lower-case e-mail), what was seen since this storage was opened. */
  public Map<String, Health> health() {
    return new TreeMap<>(health);
  }

  private Optional<String> peerOfName(String folderName) {
    return FolderNames.peerOfFolder(delegate.identity(), folderName);
  }

  /** The peer of a folder entry (by name), or of a file entry (by its parent, once seen). */
  private Optional<String> peerOf(Entry e) {
    if (e.folder()) {
      return peerOfName(e.name());
    }
    return Optional.ofNullable(e.parentId() == null ? null : folders.get(e.parentId()));
  }

  private void learn(List<Entry> found) {
    for (Entry e : found) {
      learn(e);
    }
  }

  private Entry learn(Entry e) {
    if (e.folder()) {
      peerOfName(e.name()).ifPresent(p -> folders.put(e.id(), p));
    }
    return e;
  }

  private <T> T track(Optional<String> peer, Call<T> call) throws IOException {
    if (peer.isEmpty()) {
      return call.run();
    }
    String p = peer.get();
    try {
      T out = call.run();
      health.merge(p, new Health(p, clock.instant(), null, null),
          (old, now) -> new Health(p, now.lastOk(), old.lastError(), old.lastErrorAt()));
      return out;
    } catch (IOException | RuntimeException e) {
      boolean answer = e instanceof StorageException se
          && (se.kind() == StorageException.Kind.NOT_FOUND || se.kind() == StorageException.Kind.ALREADY_EXISTS);
      if (!answer) {
        String msg = String.valueOf(e.getMessage());
        health.merge(p, new Health(p, null, msg, clock.instant()),
            (old, now) -> new Health(p, old.lastOk(), now.lastError(), now.lastErrorAt()));
      }
      throw e;
    }
  }

  @Override
  public List<Entry> findFolders(Entry parent, String name) throws IOException {
    List<Entry> found = track(peerOfName(name), () -> delegate.findFolders(parent, name));
    learn(found);
    return found;
  }

  @Override
  public List<Entry> findFoldersContaining(Entry parent, String fragment) throws IOException {
    List<Entry> found = delegate.findFoldersContaining(parent, fragment);
    learn(found);
    return found;
  }

  @Override
  public List<Entry> findSharedWithMe(String fragment) throws IOException {
    List<Entry> found = delegate.findSharedWithMe(fragment);
    learn(found);
    return found;
  }

  @Override
  public Entry ensureFolder(Entry parent, String name) throws IOException {
    return learn(track(peerOfName(name), () -> delegate.ensureFolder(parent, name)));
  }

  @Override
  public Page list(Entry folder, String pageToken, int pageSize) throws IOException {
    Page p = track(peerOf(folder), () -> delegate.list(folder, pageToken, pageSize));
    learn(p.entries());
    return p;
  }

  /** Forwarded whole, so a store's own listing (Drive: one search) is kept. */
  @Override
  public List<Entry> listAll(Entry folder) throws IOException {
    List<Entry> all = track(peerOf(folder), () -> delegate.listAll(folder));
    learn(all);
    return all;
  }

  @Override
  public byte[] readAll(Entry file, long maxBytes) throws IOException {
    return track(peerOf(file), () -> delegate.readAll(file, maxBytes));
  }

  @Override
  public List<Entry> findFiles(Entry parent, String name) throws IOException {
    return track(peerOf(parent), () -> delegate.findFiles(parent, name));
  }

  @Override
  public InputStream read(Entry file) throws IOException {
    return track(peerOf(file), () -> delegate.read(file));
  }

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    return track(peerOf(folder), () -> delegate.write(folder, name, content, mode));
  }

  @Override
  public Entry move(Entry item, Entry newParent) throws IOException {
    Optional<String> peer = peerOf(newParent).or(() -> peerOf(item));
    return track(peer, () -> delegate.move(item, newParent));
  }

  @Override
  public void delete(Entry item) throws IOException {
    track(peerOf(item), () -> {
      delegate.delete(item);
      return null;
    });
  }

  @Override
  public void share(Entry folder, String user, Role role) throws IOException {
    track(peerOf(folder), () -> {
      delegate.share(folder, user, role);
      return null;
    });
  }
}
