package dev.syft.transport.gdrive.internal;

import dev.syft.transport.Entry;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ids of the caller's own folders (by parent id and name), of its top folder, and of files it
 * replaces in place, so steady-state calls skip the search that would find them. Optionally kept in
 * a small JSON file so a new process starts warm. Entries are hints: a 404 on a cached id evicts it
 * (and everything cached below it). Thread-safe.
 */
public final class FolderCache {
  private static final Logger log = LoggerFactory.getLogger(FolderCache.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What is remembered of a folder. */
  public record Cached(String id, String name, String parentId, String owner) {
    public Entry toEntry() {
      return new Entry(id, name, true, 0, Instant.EPOCH, owner, parentId, Map.of());
    }
  }

  private final Path file;
  private Cached root;
  private final Map<String, Cached> folders = new LinkedHashMap<>();
  private final Map<String, String> files = new LinkedHashMap<>();
  private String verified; // a digest of the credential whose account was checked, or null

  /** @param file where to keep the cache, or null for memory only */
  public FolderCache(Path file) {
    this.file = file;
    if (file != null) {
      load();
    }
  }

  private static String key(String parentId, String name) {
    return parentId + "/" + name;
  }

  public synchronized Cached root() {
    return root;
  }

  public synchronized void root(Entry e) {
    root = new Cached(e.id(), e.name(), null, e.owner());
    save();
  }

  public synchronized Cached folder(String parentId, String name) {
    return folders.get(key(parentId, name));
  }

  public synchronized void putFolder(Entry e) {
    if (e.parentId() == null) {
      return;
    }
    Cached c = new Cached(e.id(), e.name(), e.parentId(), e.owner());
    if (!c.equals(folders.put(key(e.parentId(), e.name()), c))) {
      save();
    }
  }

  public synchronized String file(String parentId, String name) {
    return files.get(key(parentId, name));
  }

  public synchronized void putFile(String parentId, String name, String id) {
    if (!id.equals(files.put(key(parentId, name), id))) {
      save();
    }
  }

  /** Forgets {@code id} and everything cached below it. */
  public synchronized void evict(String id) {
    Deque<String> gone = new ArrayDeque<>();
    gone.add(id);
    boolean changed = false;
    while (!gone.isEmpty()) {
      String g = gone.poll();
      if (root != null && root.id().equals(g)) {
        root = null;
        changed = true;
      }
      for (Iterator<Cached> it = folders.values().iterator(); it.hasNext(); ) {
        Cached c = it.next();
        if (c.id().equals(g) || c.parentId().equals(g)) {
          it.remove();
          changed = true;
          if (!c.id().equals(g)) {
            gone.add(c.id());
          }
        }
      }
      changed |= files.values().removeIf(g::equals);
      changed |= files.keySet().removeIf(k -> k.startsWith(g + "/"));
    }
    if (changed) {
      save();
    }
  }

  /** Whether the account of the credential with this digest was checked before (then no about.get). */
  public synchronized boolean verified(String credentialDigest) {
    return credentialDigest != null && credentialDigest.equals(verified);
  }

  public synchronized void verified(String credentialDigest, boolean ok) {
    String v = ok ? credentialDigest : null;
    if (!java.util.Objects.equals(v, verified)) {
      verified = v;
      save();
    }
  }

  public synchronized void clear() {
    verified = null;
    root = null;
    folders.clear();
    files.clear();
    save();
  }

  public synchronized int size() {
    return folders.size() + files.size() + (root == null ? 0 : 1);
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      JsonNode o = JSON.readTree(Files.readAllBytes(file));
      JsonNode r = o.get("root");
      if (r != null && r.isObject()) {
        root = read(r);
      }
      JsonNode f = o.get("folders");
      if (f != null) {
        for (Map.Entry<String, JsonNode> e : f.properties()) {
          folders.put(e.getKey(), read(e.getValue()));
        }
      }
      JsonNode v = o.get("verified");
      verified = v == null || v.isNull() ? null : v.asString();
      JsonNode fl = o.get("files");
      if (fl != null) {
        for (Map.Entry<String, JsonNode> e : fl.properties()) {
          files.put(e.getKey(), e.getValue().asString());
        }
      }
    } catch (RuntimeException | IOException e) {
      log.warn("ignoring the unreadable Drive id cache {}: {}", file, e.toString());
      root = null;
      verified = null;
      folders.clear();
      files.clear();
    }
  }

  private static Cached read(JsonNode n) {
    JsonNode p = n.get("parent");
    return new Cached(n.get("id").asString(), n.get("name").asString(), p == null || p.isNull() ? null : p.asString(),
        n.get("owner").asString());
  }

  private void save() {
    if (file == null) {
      return;
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("format", 1);
    if (verified != null) {
      o.put("verified", verified);
    }
    if (root != null) {
      write(o.putObject("root"), root);
    }
    ObjectNode f = o.putObject("folders");
    folders.forEach((k, v) -> write(f.putObject(k), v));
    ObjectNode fl = o.putObject("files");
    files.forEach(fl::put);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(o));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      log.warn("could not save the Drive id cache {}: {}", file, e.toString());
    }
  }

  private static void write(ObjectNode o, Cached c) {
    o.put("id", c.id());
    o.put("name", c.name());
    if (c.parentId() != null) {
      o.put("parent", c.parentId());
    }
    o.put("owner", c.owner());
  }

  /** For tests: a copy of the folder map. */
  synchronized Map<String, Cached> folders() {
    return new HashMap<>(folders);
  }
}
