package dev.syft.datasets.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.core.ClientContext;
import dev.syft.core.ProgressListener;
import dev.syft.datasets.DatasetPaths;
import dev.syft.transport.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads collection folders into a staging area under the home's state folder (same file system
 * as the datasites, so installing is a rename), verifies them against their folder's hash, restores
 * nested paths from a manifest, and swaps them into place. Files are streamed, never held in memory.
 */
final class Fetcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
  /** Most files accepted from one collection (a peer's folder is untrusted). */
  static final int MAX_FILES = 10_000;

  /**
   * One folder to fetch.
   *
   * @param label for messages ({@code census of do@x})
   * @param expectedHash verify against this collection hash, or null (private collections)
   * @param keepAcl keep a permission file found in the folder (own private backups only)
   * @param escapedPaths flat names carry nested paths as {@code %2F} (PySyft 0.10's {@code v<n>}
   *     collections); restored to folders, each path checked
   */
  record Target(String label, Entry folder, String expectedHash, boolean keepAcl, boolean escapedPaths) {
    Target(String label, Entry folder, String expectedHash, boolean keepAcl) {
      this(label, folder, expectedHash, keepAcl, false);
    }
  }

  /**
   * A fetched folder, ready to install.
   *
   * @param tree the restored tree in staging, or null when the download failed
   * @param verified true when the content matched {@code expectedHash} (or none was expected)
   * @param error why it failed, or null
   */
  record Fetched(Target target, Path tree, boolean verified, String error) {}

  private final ClientContext ctx;
  private final Path staging;

  Fetcher(ClientContext ctx) throws IOException {
    this.ctx = ctx;
    Path root = ctx.home().stateDir().resolve("datasets-staging");
    DatasiteFiles.deleteTree(root); // leftovers of an interrupted round; the home lock is held
    this.staging = root.resolve(UUID.randomUUID().toString());
    Files.createDirectories(staging);
  }

  /** Lists and downloads every target in parallel (bounded); failures are per target. */
  List<Fetched> fetch(List<Target> targets) {
    int n = targets.size();
    List<Map<String, Entry>> listings = new ArrayList<>();
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      listings.add(new LinkedHashMap<>());
    }
    List<Parallel.IoTask> listTasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      listTasks.add(guard(errors, k, () -> listings.get(k).putAll(files(targets.get(k)))));
    }
    runQuietly(listTasks);
    List<Parallel.IoTask> downloads = new ArrayList<>();
    ProgressListener progress = ctx.progress();
    long bytes = 0;
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (errors[i] != null) {
        continue;
      }
      Path flat = staging.resolve(i + "/flat");
      int k = i;
      labels.add(targets.get(i).label());
      for (Entry e : listings.get(i).values()) {
        bytes += e.size();
        downloads.add(guard(errors, k, () -> {
          Files.createDirectories(flat);
          try (InputStream in = Transfers.counting(ctx.storage().read(e), progress)) {
            Files.copy(in, flat.resolve(e.name()), StandardCopyOption.REPLACE_EXISTING);
          }
        }));
      }
    }
    if (!downloads.isEmpty()) {
      progress.begin(Transfers.label("downloading", downloads.size(), bytes, labels.size() == 1 ? labels.get(0)
          : labels.size() + " collections"), bytes);
      try {
        runQuietly(downloads);
      } finally {
        progress.end();
      }
    }
    List<Fetched> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Target t = targets.get(i);
      if (errors[i] != null) {
        out.add(new Fetched(t, null, false, errors[i]));
        continue;
      }
      try {
        Path flat = staging.resolve(i + "/flat");
        Files.createDirectories(flat);
        boolean verified = t.expectedHash() == null || verify(flat, t.expectedHash());
        out.add(new Fetched(t, restore(flat, staging.resolve(i + "/tree"), t.keepAcl(), t.escapedPaths()), verified,
            null));
      } catch (IOException | RuntimeException e) {
        out.add(new Fetched(t, null, false, OwnerOps.describe(e)));
      }
    }
    return out;
  }

  private static Parallel.IoTask guard(String[] errors, int k, Parallel.IoTask task) {
    return () -> {
      try {
        task.run();
      } catch (IOException | RuntimeException e) {
        synchronized (errors) {
          if (errors[k] == null) {
            errors[k] = OwnerOps.describe(e);
          }
        }
      }
    };
  }

  private void runQuietly(List<Parallel.IoTask> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    try {
      Parallel.runAll(ctx.io(), Parallel.LIMIT, tasks);
    } catch (IOException e) {
      LOG.debug("transfer failed: {}", e.getMessage()); // guarded tasks record their own errors
    }
  }

  /** The folder's files by name: unsafe names skipped; of same-named duplicates the newest. */
  private Map<String, Entry> files(Target t) throws IOException {
    Map<String, Entry> byName = new LinkedHashMap<>();
    int count = 0;
    for (Entry e : ctx.storage().listAll(t.folder())) {
      if (e.folder()) {
        continue;
      }
      if (++count > MAX_FILES) {
        throw new IOException(t.label() + " holds more than " + MAX_FILES + " files");
      }
      if (!FlatNames.isPlainFileName(e.name()) || e.name().startsWith(".syft")) {
        LOG.warn("{}: skipping a file with an unusable name {}", t.label(), dev.syft.protocol.DatasitePaths.printable(e.name()));
        continue;
      }
      byName.merge(e.name(), e, (a, b) -> newer(a, b));
    }
    return byName;
  }

  private static Entry newer(Entry a, Entry b) {
    Comparator<Entry> c = Comparator.comparing(Entry::modified, Comparator.nullsFirst(Comparator.naturalOrder()));
    return c.compare(a, b) >= 0 ? a : b;
  }

  private static boolean verify(Path flat, String expected) throws IOException {
    List<Blob> blobs = new ArrayList<>();
    for (String name : DatasiteFiles.listFiles(flat, FlatNames.CODE_POINT_ORDER)) {
      blobs.add(Blob.ofFile(name, flat.resolve(name)));
    }
    return CollectionHash.of(blobs).equals(expected);
  }

  /** Moves flat files to their relative paths (manifest) or keeps them at the top; drops permission files. */
  private static Path restore(Path flat, Path tree, boolean keepAcl, boolean escapedPaths) throws IOException {
    Files.createDirectories(tree);
    Path manifestFile = flat.resolve(DatasetPaths.MANIFEST_FILE);
    Optional<Map<String, String>> manifest = Optional.empty();
    if (Files.isRegularFile(manifestFile) && Files.size(manifestFile) <= DatasetMeta.MAX_BYTES * 4L) {
      manifest = FlatNames.parseManifest(Files.readAllBytes(manifestFile));
    }
    Set<String> used = new HashSet<>();
    used.add(DatasetPaths.MANIFEST_FILE);
    if (manifest.isPresent()) {
      for (Map.Entry<String, String> e : manifest.get().entrySet()) {
        Path src = flat.resolve(e.getValue());
        Path dest = tree.resolve(e.getKey()).normalize();
        if (used.contains(e.getValue()) || !Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS) || !dest.startsWith(tree)) {
          continue;
        }
        try {
          Files.createDirectories(dest.getParent());
          Files.move(src, dest);
          used.add(e.getValue());
        } catch (FileAlreadyExistsException | java.nio.file.NotDirectoryException ex) {
          LOG.warn("skipping {}: it clashes with another file of the collection", e.getKey());
        }
      }
    }
    for (String name : DatasiteFiles.listFiles(flat, FlatNames.CODE_POINT_ORDER)) {
      if (used.contains(name) || (!keepAcl && name.equals(DatasetPaths.ACL_FILE))) {
        continue;
      }
      String rel = escapedPaths ? unescape(name) : name;
      if (rel == null) {
        LOG.warn("skipping {}: not a safe path once %2F is read as '/'", dev.syft.protocol.DatasitePaths.printable(name));
        continue;
      }
      Path dest = tree.resolve(rel);
      if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createDirectories(dest.getParent());
          Files.move(flat.resolve(name), dest);
        } catch (FileAlreadyExistsException | java.nio.file.NotDirectoryException ex) {
          LOG.warn("skipping {}: it clashes with another file of the collection", rel);
        }
      }
    }
    return tree;
  }

  /**
   * The relative path a PySyft 0.10 flat name stands for: {@code %2F} (any case) is a folder
   * separator, nothing else is decoded; null when the result is not a safe relative path (or names
   * a permission file).
   */
  static String unescape(String flatName) {
    String rel = flatName.replace("%2F", "/").replace("%2f", "/");
    if (rel.equals(flatName)) {
      return flatName;
    }
    String safe = FlatNames.safeRel(rel);
    return safe != null && safe.equals(rel) ? safe : null;
  }

  /** Replaces {@code dir} with the fetched tree (old content removed after the swap). */
  void install(Fetched f, Path dir) throws IOException {
    Files.createDirectories(dir.getParent());
    Path old = null;
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      old = staging.resolve("old-" + UUID.randomUUID());
      move(dir, old);
    }
    move(f.tree(), dir);
    if (old != null) {
      DatasiteFiles.deleteTree(old);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  @Override
  public void close() {
    try {
      DatasiteFiles.deleteTree(staging);
    } catch (IOException e) {
      LOG.debug("cannot remove {}: {}", staging, e.getMessage());
    }
  }
}
