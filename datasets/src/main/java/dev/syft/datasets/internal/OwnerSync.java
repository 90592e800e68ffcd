package dev.syft.datasets.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.core.ClientContext;
import dev.syft.datasets.DatasetNames;
import dev.syft.datasets.DatasetPaths;
import dev.syft.transport.layout.CollectionKind;
import dev.syft.transport.layout.SharedCollection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The data owner's side of a round: retry removing collections of deleted datasets, share "any"
 * datasets with peers approved since, and once per process restore own datasets whose local folders
 * are missing from their collections (PROTOCOL.md 11.1 steps 6-7).
 */
final class OwnerSync {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OwnerSync.class);
  /** State key: the approved peers every "any" dataset was last shared with. */
  static final String ANY_PEERS = "peers:any";

  private final ClientContext ctx;
  private final String me;
  private List<SharedCollection> myDatasets;
  private List<SharedCollection> myPrivate;

  OwnerSync(ClientContext ctx) {
    this.ctx = ctx;
    this.me = ctx.email().toLowerCase(Locale.ROOT);
  }

  private List<SharedCollection> myDatasets() throws IOException {
    if (myDatasets == null) {
      myDatasets = ctx.layout().listMyCollections(CollectionKind.DATASET);
    }
    return myDatasets;
  }

  private List<SharedCollection> myPrivate() throws IOException {
    if (myPrivate == null) {
      myPrivate = ctx.layout().listMyCollections(CollectionKind.PRIVATE);
    }
    return myPrivate;
  }

  /** Deletes the remaining collections of datasets deleted while the transport failed. */
  void retryDeletes() throws IOException {
    ClientContext.KeyValue st = ctx.state(OwnerOps.STATE);
    for (String k : st.all().keySet()) {
      if (!k.startsWith(OwnerOps.GONE)) {
        continue;
      }
      String name = k.substring(OwnerOps.GONE.length());
      List<SharedCollection> left = new ArrayList<>();
      myDatasets().stream().filter(c -> c.name().tag().equals(name)).forEach(left::add);
      myPrivate().stream().filter(c -> c.name().tag().equals(name)).forEach(left::add);
      for (SharedCollection c : left) {
        ctx.storage().delete(c.folder());
      }
      st.remove(k);
      myDatasets = null;
      myPrivate = null;
      LOG.info("removed the remaining collections of the deleted dataset {}", name);
    }
  }

  /** Shares every "any" dataset with the approved peers, when they changed since the last time. */
  void reconcileAny() throws IOException {
    String now = String.join(",", new TreeSet<>(lower(ctx.acceptedPeers())));
    ClientContext.KeyValue st = ctx.state(OwnerOps.STATE);
    if (now.equals(st.get(ANY_PEERS).orElse(""))) {
      return;
    }
    for (SharedCollection c : myDatasets()) {
      if (c.sharedWithAny()) {
        ctx.layout().shareCollection(c.folder(), ctx.acceptedPeers());
      }
    }
    st.put(ANY_PEERS, now);
  }

  /** The reference's post-approval step: every "any" dataset is shared with the new peer. */
  void peerApproved(String peer) throws IOException {
    String p = peer.toLowerCase(Locale.ROOT);
    for (SharedCollection c : myDatasets()) {
      if (c.sharedWithAny()) {
        ctx.layout().shareCollection(c.folder(), List.of(p));
      }
    }
    // the stored set may only grow by this peer; anything else is left to reconcileAny
    ClientContext.KeyValue st = ctx.state(OwnerOps.STATE);
    TreeSet<String> stored = new TreeSet<>();
    for (String s : st.get(ANY_PEERS).orElse("").split(",")) {
      if (!s.isEmpty()) {
        stored.add(s);
      }
    }
    stored.add(p);
    if (stored.equals(new TreeSet<>(lower(ctx.acceptedPeers())))) {
      st.put(ANY_PEERS, String.join(",", stored));
    }
  }

  /**
   * Restores own datasets from their collections when the local folders are missing (a new machine,
   * a wiped home): the mock folder from the dataset collection (with its permission file rebuilt
   * from the folder's grants), the private folder from the private collection.
   */
  int bootstrap() throws IOException {
    ClientContext.KeyValue st = ctx.state(OwnerOps.STATE);
    Path datasite = ctx.home().datasite();
    Map<String, SharedCollection> mock = newestByTag(myDatasets());
    Map<String, SharedCollection> priv = newestByTag(myPrivate());
    List<Fetcher.Target> targets = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    List<SharedCollection> sources = new ArrayList<>();
    for (Map.Entry<String, SharedCollection> e : mock.entrySet()) {
      Path dir = DatasetPaths.mockDir(datasite, e.getKey());
      if (usable(e.getKey(), st) && DatasiteFiles.missingOrEmpty(dir)) {
        targets.add(new Fetcher.Target("own dataset " + e.getKey(), e.getValue().folder(),
            e.getValue().name().contentHash(), false));
        dirs.add(dir);
        sources.add(e.getValue());
      }
    }
    for (Map.Entry<String, SharedCollection> e : priv.entrySet()) {
      Path dir = DatasetPaths.privateDir(datasite, e.getKey());
      if (usable(e.getKey(), st) && DatasiteFiles.missingOrEmpty(dir)) {
        targets.add(new Fetcher.Target("private data of " + e.getKey(), e.getValue().folder(), null, true));
        dirs.add(dir);
        sources.add(e.getValue());
      }
    }
    if (targets.isEmpty()) {
      return 0;
    }
    int restored = 0;
    List<String> failures = new ArrayList<>();
    try (Fetcher fetcher = new Fetcher(ctx)) {
      List<Fetcher.Fetched> fetched = fetcher.fetch(targets);
      for (int i = 0; i < fetched.size(); i++) {
        Fetcher.Fetched f = fetched.get(i);
        if (f.error() != null) {
          failures.add(f.target().label() + ": " + f.error());
          continue;
        }
        if (!f.verified()) {
          LOG.warn("{} does not match its content hash; restoring it anyway", f.target().label());
        }
        SharedCollection src = sources.get(i);
        Path dir = dirs.get(i);
        String tag = src.name().tag();
        fetcher.install(f, dir);
        if (src.name().kind() == CollectionKind.DATASET) {
          List<String> readers = new ArrayList<>();
          if (src.sharedWithAny()) {
            readers.add(LocalAcl.EVERYONE);
          }
          for (String u : ctx.storage().sharedWith(src.folder()).keySet()) {
            if (!u.equals(me) && !readers.contains(u)) {
              readers.add(u);
            }
          }
          if (!readers.isEmpty()) {
            LocalAcl.write(datasite, ctx.permissions(), DatasetPaths.mockRel(tag), readers);
          }
        } else {
          restorePrivateMetadata(dir);
          if (!Files.exists(dir.resolve(DatasetPaths.ACL_FILE))) {
            LocalAcl.write(datasite, ctx.permissions(), DatasetPaths.privateRel(tag), List.of(me));
          } else {
            ctx.permissions().fileChanged(DatasetPaths.privateRel(tag) + "/" + DatasetPaths.ACL_FILE);
          }
        }
        restored++;
        LOG.info("restored {} from the transport", f.target().label());
      }
    }
    if (!failures.isEmpty()) {
      throw new IOException("could not restore " + String.join("; ", failures));
    }
    return restored;
  }

  private static boolean usable(String tag, ClientContext.KeyValue st) {
    return DatasetNames.isSafeReceivedName(tag) && FlatNames.isPlainFileName(tag)
        && st.get(OwnerOps.GONE + tag).isEmpty();
  }

  /** Points {@code data_dir} at the folder it was restored to (the uploaded copy says {@code .}). */
  private static void restorePrivateMetadata(Path dir) throws IOException {
    Path file = dir.resolve(DatasetPaths.PRIVATE_METADATA_FILE);
    String uid = null;
    if (Files.isRegularFile(file)) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (line.startsWith("uid:")) {
          uid = line.substring(4).strip();
          if (uid.length() >= 2 && (uid.startsWith("'") || uid.startsWith("\""))) {
            uid = uid.substring(1, uid.length() - 1);
          }
        }
      }
    }
    if (uid != null) {
      DatasiteFiles.writeAtomic(file, DatasetMeta.renderPrivate(uid, dir.toString()).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Map<String, SharedCollection> newestByTag(List<SharedCollection> cols) {
    Comparator<SharedCollection> order = Comparator
        .comparing((SharedCollection c) -> c.folder().modified(), Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(c -> c.folder().name());
    Map<String, SharedCollection> out = new LinkedHashMap<>();
    for (SharedCollection c : cols) {
      out.merge(c.name().tag(), c, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    return out;
  }

  private static List<String> lower(List<String> emails) {
    return emails.stream().map(e -> e.toLowerCase(Locale.ROOT)).toList();
  }
}
