package dev.syft.transport.blob;

import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link BlobStore} in memory, for testing {@link BlobStorage} without a server. */
final class MemoryBlobStore implements BlobStore {
  private record Obj(byte[] data, Instant modified) {}

  private final ConcurrentSkipListMap<String, Obj> files = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<String, Instant> folders = new ConcurrentSkipListMap<>();
  private final AtomicLong clock = new AtomicLong(1_700_000_000_000_000L);

  private Instant now() {
    long micros = clock.incrementAndGet();
    return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
  }

  @Override
  public Optional<Blob> stat(String key) {
    Obj o = files.get(key);
    return o == null ? Optional.empty() : Optional.of(new Blob(name(key), o.data.length, o.modified));
  }

  @Override
  public Optional<Instant> folder(String key) {
    return Optional.ofNullable(folders.get(key));
  }

  @Override
  public Listing list(String key) {
    String p = key + "/";
    List<Blob> fs = new ArrayList<>();
    for (Map.Entry<String, Obj> e : files.tailMap(p).entrySet()) {
      if (!e.getKey().startsWith(p)) {
        break;
      }
      if (e.getKey().indexOf('/', p.length()) < 0) {
        fs.add(new Blob(name(e.getKey()), e.getValue().data.length, e.getValue().modified));
      }
    }
    List<Blob> ds = new ArrayList<>();
    for (Map.Entry<String, Instant> e : folders.tailMap(p).entrySet()) {
      if (!e.getKey().startsWith(p)) {
        break;
      }
      if (e.getKey().indexOf('/', p.length()) < 0) {
        ds.add(new Blob(name(e.getKey()), 0, e.getValue()));
      }
    }
    return new Listing(fs, ds);
  }

  @Override
  public InputStream get(String key) throws IOException {
    Obj o = files.get(key);
    if (o == null) {
      throw new StorageException(Kind.NOT_FOUND, key + " does not exist");
    }
    return new ByteArrayInputStream(o.data);
  }

  @Override
  public Blob put(String key, InputStream content, boolean exclusive) throws IOException {
    Obj o = new Obj(content.readAllBytes(), now());
    if (exclusive) {
      if (files.putIfAbsent(key, o) != null) {
        throw new StorageException(Kind.ALREADY_EXISTS, key + " exists");
      }
    } else {
      files.put(key, o);
    }
    return new Blob(name(key), o.data.length, o.modified);
  }

  @Override
  public void makeFolder(String key) {
    folders.putIfAbsent(key, now());
  }

  @Override
  public void delete(String key) {
    files.remove(key);
  }

  @Override
  public void deleteFolder(String key) {
    folders.remove(key);
    files.keySet().removeIf(k -> k.startsWith(key + "/"));
    folders.keySet().removeIf(k -> k.startsWith(key + "/"));
  }

  private static String name(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }
}
