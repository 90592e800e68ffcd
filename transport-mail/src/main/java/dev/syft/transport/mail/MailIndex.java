package dev.syft.transport.mail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The state of one replica, resolved from the parts in its Syft folder. Pure logic (no IMAP): for
 * each key the highest complete version wins (a file version is complete when every chunk of it,
 * grouped by version and hash, is present; duplicates count once); a deletion wins when it is newer;
 * a tree deletion hides everything at or below its key that is older. Not thread-safe (the store
 * holds its lock).
 */
final class MailIndex {
  /** A live file: the chunks of its winning version, in order. */
  record FileState(String path, String version, long size, String sha256, List<Part> chunks) {
    Instant modified() {
      return Versions.time(version);
    }
  }

  private final Map<Long, Part> byUid = new HashMap<>();
  private TreeMap<String, FileState> files;
  private TreeMap<String, Instant> folders;
  private List<Part> superseded;

  void add(Part p) {
    if (byUid.put(p.uid(), p) == null) {
      files = null;
    }
  }

  void remove(long uid) {
    if (byUid.remove(uid) != null) {
      files = null;
    }
  }

  boolean contains(long uid) {
    return byUid.containsKey(uid);
  }

  int size() {
    return byUid.size();
  }

  void clear() {
    byUid.clear();
    files = null;
  }

  Collection<Part> parts() {
    return byUid.values();
  }

  NavigableMap<String, FileState> files() {
    resolve();
    return files;
  }

  NavigableMap<String, Instant> folders() {
    resolve();
    return folders;
  }

  /** Parts no replica state needs any more (older versions, deletions hidden by newer ones). */
  List<Part> superseded() {
    resolve();
    return superseded;
  }

  /** Newest tree deletion at or above {@code key}. */
  private static String treeDeleted(Map<String, String> trees, String key) {
    String best = null;
    String k = key;
    while (true) {
      String v = trees.get(k);
      if (Versions.newer(v, best)) {
        best = v;
      }
      int slash = k.lastIndexOf('/');
      if (slash < 0) {
        return best;
      }
      k = k.substring(0, slash);
    }
  }

  private void resolve() {
    if (files != null) {
      return;
    }
    Map<String, String> trees = new HashMap<>();
    Map<String, List<Part>> byPath = new HashMap<>();
    for (Part p : byUid.values()) {
      byPath.computeIfAbsent(p.path(), k -> new ArrayList<>()).add(p);
      if (p.kind() == Part.Kind.DELETE_TREE && Versions.newer(p.version(), trees.get(p.path()))) {
        trees.put(p.path(), p.version());
      }
    }
    TreeMap<String, FileState> f = new TreeMap<>();
    TreeMap<String, Instant> d = new TreeMap<>();
    List<Part> old = new ArrayList<>();
    for (Map.Entry<String, List<Part>> e : byPath.entrySet()) {
      String path = e.getKey();
      String dead = treeDeleted(trees, path);
      // file versions: complete groups of (version, sha256)
      Map<String, Part[]> groups = new HashMap<>();
      String winner = null;
      boolean winnerIsFile = false;
      String marker = null;
      for (Part p : e.getValue()) {
        switch (p.kind()) {
          case FILE -> {
            Part[] g = groups.computeIfAbsent(p.version() + "/" + p.sha256() + "/" + p.count() + "/" + p.total(),
                k -> new Part[p.count()]);
            if (p.index() < g.length && (g[p.index()] == null || g[p.index()].uid() > p.uid())) {
              g[p.index()] = p; // a duplicate counts once: the first stored copy
            }
          }
          case DELETE -> {
            if (Versions.newer(p.version(), winner)) {
              winner = p.version();
              winnerIsFile = false;
            }
          }
          case FOLDER -> {
            if (Versions.newer(p.version(), marker)) {
              marker = p.version();
            }
          }
          case DELETE_TREE -> { }
        }
      }
      FileState live = null;
      for (Part[] g : groups.values()) {
        boolean complete = true;
        for (Part c : g) {
          complete &= c != null;
        }
        if (complete && (Versions.newer(g[0].version(), winner) || g[0].version().equals(winner) && !winnerIsFile)) {
          winner = g[0].version();
          winnerIsFile = true;
          live = new FileState(path, g[0].version(), g[0].total(), g[0].sha256(), List.of(g));
        }
      }
      if (!winnerIsFile) {
        live = null;
      }
      if (live != null && Versions.newer(live.version(), dead)) {
        f.put(path, live);
      }
      if (marker != null && Versions.newer(marker, dead)) {
        d.put(path, Versions.time(marker));
      }
      for (Part p : e.getValue()) {
        boolean keep = switch (p.kind()) {
          // an incomplete newer version waits for its chunks; older ones (and the winner's duplicates) go
          case FILE -> Versions.newer(p.version(), dead) && (Versions.newer(p.version(), winner)
              || live != null && live.chunks().contains(p));
          case DELETE -> p.version().equals(winner) && Versions.newer(p.version(), dead);
          case FOLDER -> p.version().equals(marker) && Versions.newer(p.version(), dead);
          case DELETE_TREE -> p.version().equals(trees.get(path));
        };
        if (!keep) {
          old.add(p);
        }
      }
    }
    // a live file keeps every folder above it
    for (FileState s : f.values()) {
      String k = s.path();
      int slash;
      while ((slash = k.lastIndexOf('/')) > 0) {
        k = k.substring(0, slash);
        d.putIfAbsent(k, s.modified());
      }
    }
    for (String marked : List.copyOf(d.keySet())) {
      String k = marked;
      int slash;
      while ((slash = k.lastIndexOf('/')) > 0) {
        k = k.substring(0, slash);
        d.putIfAbsent(k, d.get(marked));
      }
    }
    files = f;
    folders = d;
    superseded = old;
  }
}
