package dev.syft.datasets.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.core.ClientContext;
import dev.syft.datasets.DatasetNames;
import dev.syft.datasets.DatasetPaths;
import dev.syft.transport.layout.SharedCollection;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data scientist's side of the dataset channel (PROTOCOL.md 17, "DS replication"): every round,
 * one query for collections shared with this client; for each approved peer, local copies of
 * collections no longer listed are removed and changed ones are downloaded into
 * {@code <home>/<owner>/public/syft_datasets/<tag>/}. Unchanged collections (same hash as the one
 * installed, remembered in the state database) cost nothing. A failed listing changes nothing.
 */
final class Replicator {
  private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
  /** State key prefix: installed collection hash per {@code <owner>|<tag>}. */
  static final String INSTALLED = "r:";
  /** State key prefix: content-hash mismatches seen per {@code <owner>|<tag>} ({@code <hash> <count>}). */
  static final String MISMATCH = "m:";
  /** After this many mismatching downloads of one collection it is installed anyway (with a warning). */
  static final int MISMATCH_ATTEMPTS = 3;

  /** State key: the accepted peers (sorted, comma-joined) of the last pass that left nothing to retry. */
  static final String COMPLETE_FOR = "pass-complete-for";

  private final ClientContext ctx;
  private boolean retry; // a collection did not verify yet: the next round must look again

  Replicator(ClientContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Whether this round needs a pass: something may have been shared (the change feed says so, or
   * the store cannot tell), the peers changed, the last pass left work, or an installed copy went
   * missing locally. Otherwise the pass would only repeat the last one's query.
   */
  boolean due() {
    ClientContext.KeyValue st = ctx.state(OwnerOps.STATE);
    if (ctx.sharesMayHaveChanged() || !peersKey().equals(st.get(COMPLETE_FOR).orElse(null))) {
      return true;
    }
    for (String k : st.all().keySet()) {
      if (k.startsWith(MISMATCH)) {
        return true;
      }
      if (k.startsWith(INSTALLED)) {
        String[] ot = k.substring(INSTALLED.length()).split("\\|", 2);
        if (ot.length < 2 || !Files.isRegularFile(ctx.home().replica(ot[0]).resolve(DatasetPaths.PUBLIC_ROOT)
            .resolve(ot[1]).resolve(DatasetPaths.METADATA_FILE), LinkOption.NOFOLLOW_LINKS)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Runs a pass if {@link #due}; remembers a pass that completed so idle rounds can skip it. */
  int runIfDue() throws IOException {
    if (!due()) {
      return 0;
    }
    ClientContext.KeyValue st = ctx.state(OwnerOps.STATE);
    st.remove(COMPLETE_FOR);
    int n = run();
    if (!retry) {
      st.put(COMPLETE_FOR, peersKey());
    }
    return n;
  }

  private String peersKey() {
    Set<String> sorted = new java.util.TreeSet<>();
    ctx.acceptedPeers().forEach(p -> sorted.add(p.toLowerCase(Locale.ROOT)));
    return String.join(",", sorted);
  }

  /** Runs one replication pass; returns the number of collections installed. */
  int run() throws IOException {
    List<SharedCollection> listed = ctx.layout().listCollectionsSharedWithMe();
    Set<String> peers = new LinkedHashSet<>();
    ctx.acceptedPeers().forEach(p -> peers.add(p.toLowerCase(Locale.ROOT)));
    Map<String, Map<String, SharedCollection>> chosen = choose(listed, peers);
    ClientContext.KeyValue st = ctx.state(OwnerOps.STATE);
    Map<String, String> state = st.all();
    List<Fetcher.Target> targets = new ArrayList<>();
    List<String[]> where = new ArrayList<>(); // owner, tag
    for (String owner : peers) {
      Map<String, SharedCollection> tags = chosen.getOrDefault(owner, Map.of());
      Path base = ctx.home().replica(owner).resolve(DatasetPaths.PUBLIC_ROOT);
      removeUnlisted(owner, base, tags.keySet(), state, st);
      for (Map.Entry<String, SharedCollection> e : tags.entrySet()) {
        String hash = e.getValue().name().contentHash();
        Path dir = base.resolve(e.getKey());
        if (hash.equals(state.get(INSTALLED + key(owner, e.getKey())))
            && Files.isRegularFile(dir.resolve(DatasetPaths.METADATA_FILE), LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        // a PySyft 0.10 layout variant: its hash rule is not ours to check, its flat names escape '/'
        boolean variant = !e.getValue().name().isProtocol0();
        targets.add(new Fetcher.Target(e.getKey() + " of " + owner, e.getValue().folder(), variant ? null : hash, false,
            variant));
        where.add(new String[] {owner, e.getKey(), hash});
      }
    }
    if (targets.isEmpty()) {
      return 0;
    }
    int installed = 0;
    List<String> failures = new ArrayList<>();
    try (Fetcher fetcher = new Fetcher(ctx)) {
      List<Fetcher.Fetched> fetched = fetcher.fetch(targets);
      for (int i = 0; i < fetched.size(); i++) {
        Fetcher.Fetched f = fetched.get(i);
        String owner = where.get(i)[0];
        String tag = where.get(i)[1];
        String k = key(owner, tag);
        if (f.error() != null) {
          failures.add(f.target().label() + ": " + f.error());
          continue;
        }
        if (!f.verified() && !giveUpVerifying(st, k, f.target().expectedHash())) {
          LOG.info("{} does not match its hash yet (still being uploaded?); retrying next round", f.target().label());
          retry = true;
          continue;
        }
        try {
          fetcher.install(f, ctx.home().replica(owner).resolve(DatasetPaths.PUBLIC_ROOT).resolve(tag));
          st.put(INSTALLED + k, where.get(i)[2]);
          st.remove(MISMATCH + k);
          installed++;
          LOG.info("received dataset {}", f.target().label());
        } catch (IOException e) {
          failures.add(f.target().label() + ": " + OwnerOps.describe(e));
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new IOException(failures.size() + " dataset collection(s) could not be received: " + String.join("; ", failures));
    }
    return installed;
  }

  /**
   * Per peer and tag the collection to use: a protocol-0 name before a PySyft 0.10 variant (the
   * exact 0.1.117 format), else the highest variant; then the most recently modified folder (then
   * the last name).
   */
  static Map<String, Map<String, SharedCollection>> choose(List<SharedCollection> listed, Set<String> peers) {
    Map<String, Map<String, SharedCollection>> out = new TreeMap<>();
    Comparator<SharedCollection> order = Comparator
        .comparing((SharedCollection c) -> c.name().isProtocol0())
        .thenComparing(c -> c.name().layoutVersion())
        .thenComparing((SharedCollection c) -> c.folder().modified(), Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(c -> c.folder().name());
    for (SharedCollection c : listed) {
      String owner = c.owner() == null ? "" : c.owner().toLowerCase(Locale.ROOT);
      if (!peers.contains(owner)) {
        continue;
      }
      String tag = c.name().tag();
      if (!DatasetNames.isSafeReceivedName(tag) || !FlatNames.isPlainFileName(tag)) {
        LOG.warn("ignoring the collection {} of {}: its name cannot be a folder name", c.folder().name(), owner);
        continue;
      }
      out.computeIfAbsent(owner, o -> new TreeMap<>()).merge(tag, c, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    return out;
  }

  /** Removes local copies (and state) of this owner's collections that are no longer listed. */
  private void removeUnlisted(String owner, Path base, Set<String> listedTags, Map<String, String> state,
      ClientContext.KeyValue st) throws IOException {
    if (Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      List<Path> stale = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(base)) {
        for (Path p : s) {
          if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !listedTags.contains(p.getFileName().toString())) {
            stale.add(p);
          }
        }
      }
      for (Path p : stale) {
        DatasiteFiles.deleteTree(p);
        LOG.info("dataset {} of {} was deleted or unshared; removed the local copy", p.getFileName(), owner);
      }
    }
    String prefix = owner + "|";
    for (String k : state.keySet()) {
      for (String kind : List.of(INSTALLED, MISMATCH)) {
        if (k.startsWith(kind + prefix) && !listedTags.contains(k.substring(kind.length() + prefix.length()))) {
          st.remove(k);
        }
      }
    }
  }

  /** Counts mismatching downloads of one hash; true once {@value #MISMATCH_ATTEMPTS} were seen. */
  private static boolean giveUpVerifying(ClientContext.KeyValue st, String k, String hash) {
    String prev = st.get(MISMATCH + k).orElse("");
    int count = 0;
    if (prev.startsWith(hash + " ")) {
      try {
        count = Integer.parseInt(prev.substring(hash.length() + 1));
      } catch (NumberFormatException e) {
        count = 0;
      }
    }
    count++;
    st.put(MISMATCH + k, hash + " " + count);
    if (count >= MISMATCH_ATTEMPTS) {
      LOG.warn("dataset collection {} does not match its content hash after {} downloads; installing it anyway", k,
          count);
      return true;
    }
    return false;
  }

  static String key(String owner, String tag) {
    return owner + "|" + tag;
  }
}
