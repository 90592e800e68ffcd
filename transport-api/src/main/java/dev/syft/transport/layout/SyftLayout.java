package dev.syft.transport.layout;

import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference's folder layout (PROTOCOL.md 2.3, 3) over any {@link Storage}: where proposals,
 * events, checkpoints, archives, collections and control files live, and how they are found.
 *
 * <p>Discovery follows PROTOCOL.md 3.3: candidates from a loose name query are re-parsed exactly and
 * kept only when owned by the right user (folders this client creates: by {@link #me()}; folders a
 * peer created for this client: by that peer). This client's own folders are kept only when their
 * embedded version shares major.minor with {@link #clientVersion()}, as in 0.1.117; differently
 * named survivors raise {@link AmbiguousFolderException}. A peer's folders are kept whatever the
 * version in their name (x.y.z, compared numerically), and the highest wins, as PySyft 0.10 looks
 * (PYSYFT-0.10.md): a 0.10 peer may name its folders with its own version. A peer's folders are never
 * renamed. Zero survivors means "not found" (the {@code ensure*} methods then create the folder with
 * the full client version in its name). Same-named duplicates (a retried create) resolve to the oldest.
 *
 * <p>Found folders are cached per instance (never "not found"); {@link #forgetCachedFolders()} drops
 * the cache after a folder was deleted. Thread-safe.
 */
public final class SyftLayout {
  /** The reference client version this implementation is compatible with. */
  public static final String CLIENT_VERSION = "0.1.117";

  private static final Logger log = LoggerFactory.getLogger(SyftLayout.class);

  private final Storage storage;
  private final String me;
  private final String clientVersion;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  /** A layout for client version {@link #CLIENT_VERSION}. */
  public SyftLayout(Storage storage) {
    this(storage, CLIENT_VERSION);
  }

  /**
   * @param clientVersion the running client's version {@code x.y.z}, written into new folder names
   *     and used for the major.minor match
   */
  public SyftLayout(Storage storage, String clientVersion) {
    this.storage = storage;
    this.me = normalizeEmail(storage.identity());
    if (!FolderNames.isVersionShaped(clientVersion)) {
      throw new IllegalArgumentException("client version must look like x.y.z: " + clientVersion);
    }
    FolderNames.isCompatible(clientVersion, clientVersion); // fails on a non-numeric version
    this.clientVersion = clientVersion;
  }

  public Storage storage() {
    return storage;
  }

  /** The identity of the storage, lower case. */
  public String me() {
    return me;
  }

  public String clientVersion() {
    return clientVersion;
  }

  /** The caller's top folder. */
  public Entry root() throws IOException {
    Entry r = cache.get("root");
    if (r == null) {
      r = storage.root();
      cache.put("root", r);
    }
    return r;
  }

  /** Drops every cached folder (call after deleting folders, e.g. when resetting a SyftBox). */
  public void forgetCachedFolders() {
    cache.clear();
  }

  // ------------------------------------------------------------------ P2P folders

  /**
   * Creates (or reuses) this client's two folders for {@code peer}'s datasite, {@code
   * syft_datasite#<v>#<peer>#inbox#<me>} and {@code ...#outbox#<me>}, in its own storage, and grants
   * {@code peer} writer on both. The DS does this when asking for a peer; the DO does it at approval
   * (the "reverse" folders, which tell the DS it was accepted).
   */
  public P2pFolders ensurePeerDatasiteFolders(String peer) throws IOException {
    String p = normalizeEmail(peer);
    requireOther(p);
    Entry inbox = ensurePeerDatasiteFolder(p, BoxType.INBOX);
    Entry outbox = ensurePeerDatasiteFolder(p, BoxType.OUTBOX);
    storage.share(inbox, p, Role.WRITER);
    storage.share(outbox, p, Role.WRITER);
    return new P2pFolders(inbox, outbox);
  }

  private Entry ensurePeerDatasiteFolder(String peer, BoxType type) throws IOException {
    Optional<Entry> found = findPeerDatasiteFolder(peer, type);
    if (found.isPresent()) {
      return found.get();
    }
    Entry created = storage.ensureFolder(root(), FolderNames.p2p(clientVersion, peer, type, me));
    cache.put(peerDatasiteKey(peer, type), created);
    return created;
  }

  /**
   * This client's folder {@code syft_datasite#<v>#<peer>#<type>#<me>} for {@code peer}'s datasite, in
   * its own storage and owned by it. As DS: the inbox is where proposals go, the outbox where the
   * peer's events arrive.
   */
  public Optional<Entry> findPeerDatasiteFolder(String peer, BoxType type) throws IOException {
    String p = normalizeEmail(peer);
    String key = peerDatasiteKey(p, type);
    Entry cached = cache.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    List<Entry> candidates = storage.findFoldersContaining(root(), "#" + p + "#" + type.wire() + "#" + me);
    Optional<Entry> found = pick("P2P " + type.wire() + " for " + p + "'s datasite",
        survivors(candidates, e -> matchesP2p(e, p, type, me, true) && me.equals(e.owner())));
    found.ifPresent(e -> cache.put(key, e));
    return found;
  }

  /** {@link #findPeerDatasiteFolder} when an earlier call found it (no storage call), else empty. */
  public Optional<Entry> knownPeerDatasiteFolder(String peer, BoxType type) {
    return Optional.ofNullable(cache.get(peerDatasiteKey(normalizeEmail(peer), type)));
  }

  /** Both of this client's folders for {@code peer}'s datasite, when both exist. */
  public Optional<P2pFolders> findPeerDatasiteFolders(String peer) throws IOException {
    Optional<Entry> in = findPeerDatasiteFolder(peer, BoxType.INBOX);
    Optional<Entry> out = findPeerDatasiteFolder(peer, BoxType.OUTBOX);
    return in.isPresent() && out.isPresent() ? Optional.of(new P2pFolders(in.get(), out.get())) : Optional.empty();
  }

  /**
   * The folder {@code syft_datasite#<v>#<me>#<type>#<peer>} that {@code peer} created in its own
   * storage for this client's datasite and shared with it; it must be owned by {@code peer}. As DO:
   * the inbox holds the peer's proposals, the outbox is where this client publishes events for it.
   * Any version {@code <v>} is accepted; among several, the highest (then the store's order).
   */
  public Optional<Entry> findOwnDatasiteFolder(String peer, BoxType type) throws IOException {
    String p = normalizeEmail(peer);
    String key = "own|" + p + "|" + type;
    Entry cached = cache.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    List<Entry> candidates = storage.findSharedWithMe("#" + me + "#" + type.wire() + "#" + p);
    Optional<Entry> found = highest(type.wire() + " of " + p + " for this datasite",
        survivors(candidates, e -> matchesP2p(e, me, type, p, false) && p.equals(e.owner())));
    found.ifPresent(e -> cache.put(key, e));
    return found;
  }

  /** Both folders {@code peer} created for this client's datasite, when both are visible. */
  public Optional<P2pFolders> findOwnDatasiteFolders(String peer) throws IOException {
    Optional<Entry> in = findOwnDatasiteFolder(peer, BoxType.INBOX);
    Optional<Entry> out = findOwnDatasiteFolder(peer, BoxType.OUTBOX);
    return in.isPresent() && out.isPresent() ? Optional.of(new P2pFolders(in.get(), out.get())) : Optional.empty();
  }

  /**
   * Every P2P folder other users created for this client's datasite ({@code #<me>#} in the name,
   * shared with it, not owned by it), ordered by creator and box type, then highest version first
   * (numerically), then in the store's order (by name, then oldest). A folder whose owner differs
   * from the creator named in it is dropped with a warning (it cannot be a genuine request from that
   * user). Any x.y.z version counts (as PySyft 0.10 looks); a folder whose version field is no x.y.z
   * is returned with {@code compatible == false}.
   */
  public List<PeerFolder> listPeerRequestFolders() throws IOException {
    List<PeerFolder> out = new ArrayList<>();
    for (Entry e : storage.findSharedWithMe("#" + me + "#")) {
      if (!e.folder() || me.equals(e.owner())) {
        continue;
      }
      Optional<P2pFolderName> parsed = FolderNames.tryParseP2p(e.name());
      if (parsed.isEmpty() || !me.equals(normalizeEmail(parsed.get().datasiteEmail()))) {
        continue;
      }
      String creator = normalizeEmail(parsed.get().peerEmail());
      if (!creator.equals(e.owner())) {
        log.warn("ignoring folder '{}': it names {} as creator but is owned by {}", e.name(), creator, e.owner());
        continue;
      }
      out.add(new PeerFolder(creator, parsed.get(), FolderNames.versionOf(parsed.get().version()).isPresent(), e));
    }
    // stable: same-named duplicates stay oldest first, as the store lists them
    out.sort(Comparator.comparing(PeerFolder::peer).thenComparing((PeerFolder f) -> f.name().type())
        .thenComparing((PeerFolder f) -> f.name().version(), HIGHEST_FIRST));
    return out;
  }

  /** The users with a version-compatible P2P folder for this client's datasite (peer requests). */
  public Set<String> requestingPeers() throws IOException {
    Set<String> peers = new LinkedHashSet<>();
    for (PeerFolder f : listPeerRequestFolders()) {
      if (f.compatible()) {
        peers.add(f.peer());
      }
    }
    return peers;
  }

  /**
   * Exact re-parse of a P2P name plus the version check: major.minor of ours for our own folders, any
   * x.y.z for a peer's.
   */
  private boolean matchesP2p(Entry e, String datasite, BoxType type, String peer, boolean ours) {
    Optional<P2pFolderName> n = FolderNames.tryParseP2p(e.name());
    return n.isPresent()
        && (ours ? FolderNames.isCompatible(n.get().version(), clientVersion)
            : FolderNames.versionOf(n.get().version()).isPresent())
        && n.get().type() == type
        && datasite.equals(normalizeEmail(n.get().datasiteEmail()))
        && peer.equals(normalizeEmail(n.get().peerEmail()));
  }

  private String peerDatasiteKey(String peer, BoxType type) {
    return "peer|" + peer + "|" + type;
  }

  // ------------------------------------------------------------------ owner-private folders

  /** The personal event log {@code <version>#<me>} (DO role), created when absent. */
  public Entry ensureEventLog() throws IOException {
    return ensureVersioned("eventlog", this::findEventLog, FolderNames.personal(clientVersion, me));
  }

  /** The personal event log, if present. */
  public Optional<Entry> findEventLog() throws IOException {
    return findVersioned("eventlog", "event log", "#" + me,
        e -> FolderNames.tryParsePersonal(e.name())
            .filter(n -> me.equals(normalizeEmail(n.email())))
            .map(VersionedName::version));
  }

  /** {@code <me>-<version>-checkpoints}, created when absent. */
  public Entry ensureCheckpointsFolder() throws IOException {
    return ensureVersioned("checkpoints", this::findCheckpointsFolder, FolderNames.checkpoints(me, clientVersion));
  }

  /** The checkpoints folder, if present. */
  public Optional<Entry> findCheckpointsFolder() throws IOException {
    return findVersioned("checkpoints", "checkpoints folder", me + "-",
        e -> FolderNames.tryParseCheckpoints(e.name())
            .filter(n -> me.equals(normalizeEmail(n.email())))
            .map(VersionedName::version));
  }

  /** {@code <me>-<version>-rolling-state}, created when absent. */
  public Entry ensureRollingStateFolder() throws IOException {
    return ensureVersioned("rolling", this::findRollingStateFolder, FolderNames.rollingState(me, clientVersion));
  }

  /** The rolling-state folder, if present. */
  public Optional<Entry> findRollingStateFolder() throws IOException {
    return findVersioned("rolling", "rolling-state folder", me + "-",
        e -> FolderNames.tryParseRollingState(e.name())
            .filter(n -> me.equals(normalizeEmail(n.email())))
            .map(VersionedName::version));
  }

  /** {@code syft_<sender>_to_<me>_archive}: where processed proposals from {@code sender} are moved. */
  public Entry ensureArchive(String sender) throws IOException {
    String name = FolderNames.archive(normalizeEmail(sender), me);
    return ensureExact("archive|" + name, name);
  }

  /** The archive for proposals from {@code sender}, if present. */
  public Optional<Entry> findArchive(String sender) throws IOException {
    String name = FolderNames.archive(normalizeEmail(sender), me);
    return findExact("archive|" + name, name, "archive of " + sender);
  }

  /** {@code syft_encryption_bundles#<me>}, created when absent (only with encryption on). */
  public Entry ensureEncryptionBundlesFolder() throws IOException {
    String name = FolderNames.encryptionBundlesFolder(me);
    return ensureExact("bundles|" + me, name);
  }

  /** {@code syft_encryption_bundles#<peer>} shared with this client by {@code peer}. */
  public Optional<Entry> findPeerEncryptionBundlesFolder(String peer) throws IOException {
    String p = normalizeEmail(peer);
    String name = FolderNames.encryptionBundlesFolder(p);
    return pick("encryption bundles of " + p,
        survivors(storage.findSharedWithMe(name), e -> e.name().equals(name) && p.equals(e.owner())));
  }

  private Entry ensureVersioned(String key, FolderLookup find, String name) throws IOException {
    Optional<Entry> found = find.find();
    if (found.isPresent()) {
      return found.get();
    }
    Entry created = storage.ensureFolder(root(), name);
    cache.put(key, created);
    return created;
  }

  private Optional<Entry> findVersioned(String key, String role, String fragment,
      java.util.function.Function<Entry, Optional<String>> versionOf) throws IOException {
    Entry cached = cache.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    List<Entry> candidates = storage.findFoldersContaining(root(), fragment);
    Optional<Entry> found = pick(role, survivors(candidates, e -> me.equals(e.owner())
        && versionOf.apply(e).map(v -> FolderNames.isCompatible(v, clientVersion)).orElse(false)));
    found.ifPresent(e -> cache.put(key, e));
    return found;
  }

  private Entry ensureExact(String key, String name) throws IOException {
    Entry cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    // ensureFolder looks for the oldest caller-owned one itself: a search of our own first would
    // only repeat it (one Drive request per new folder)
    Entry created = storage.ensureFolder(root(), name);
    cache.put(key, created);
    return created;
  }

  private Optional<Entry> findExact(String key, String name, String role) throws IOException {
    Entry cached = cache.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Entry> found = pick(role, survivors(storage.findFolders(root(), name),
        e -> e.name().equals(name) && me.equals(e.owner())));
    found.ifPresent(e -> cache.put(key, e));
    return found;
  }

  // ------------------------------------------------------------------ collections

  /** Creates (or reuses) this client's collection folder {@code <prefix>_<tag>_<hash>} under its root. */
  public Entry ensureCollection(CollectionKind kind, String tag, String contentHash) throws IOException {
    String name = FolderNames.collection(kind, tag, contentHash);
    Optional<Entry> found = findMyCollection(kind, tag, contentHash);
    return found.isPresent() ? found.get() : storage.ensureFolder(root(), name);
  }

  /** This client's collection folder with exactly that name (owner side lookup: exact name + root). */
  public Optional<Entry> findMyCollection(CollectionKind kind, String tag, String contentHash) throws IOException {
    String name = FolderNames.collection(kind, tag, contentHash);
    return pick(kind.label() + " " + tag, survivors(storage.findFolders(root(), name),
        e -> e.name().equals(name) && me.equals(e.owner())));
  }

  /**
   * Every collection folder of that kind under this client's root (owned by it), name-ordered;
   * protocol-0 names only (a PySyft 0.10 client sharing the account manages its variant folders).
   */
  public List<SharedCollection> listMyCollections(CollectionKind kind) throws IOException {
    List<SharedCollection> out = new ArrayList<>();
    for (Entry e : storage.findFoldersContaining(root(), kind.prefix() + "_")) {
      if (e.folder() && me.equals(e.owner())) {
        FolderNames.tryParseCollection(kind, e.name()).filter(SyftLayout::usable).filter(CollectionName::isProtocol0)
            .ifPresent(n -> out.add(new SharedCollection(n, e)));
      }
    }
    out.sort(Comparator.comparing((SharedCollection c) -> c.folder().name()));
    return out;
  }

  /**
   * Dataset collections other users shared with this client (one query, DS side), name-ordered;
   * PySyft 0.10 variant names ({@code syft_datasetcollectionv<n>_...}) included.
   */
  public List<SharedCollection> listCollectionsSharedWithMe() throws IOException {
    List<SharedCollection> out = new ArrayList<>();
    for (Entry e : storage.findSharedWithMe(CollectionKind.DATASET.prefix())) {
      if (e.folder() && !me.equals(e.owner())) {
        FolderNames.tryParseCollection(CollectionKind.DATASET, e.name()).filter(SyftLayout::usable)
            .ifPresent(n -> out.add(new SharedCollection(n, e)));
      }
    }
    out.sort(Comparator.comparing((SharedCollection c) -> c.folder().name()));
    return out;
  }

  /** Dataset collections {@code owner} shared with this client. */
  public List<SharedCollection> listCollectionsSharedWithMe(String owner) throws IOException {
    String o = normalizeEmail(owner);
    return listCollectionsSharedWithMe().stream().filter(c -> o.equals(c.owner())).toList();
  }

  /** The dataset collection {@code owner} shared with this client under exactly that name. */
  public Optional<Entry> findSharedCollection(String owner, String tag, String contentHash) throws IOException {
    String o = normalizeEmail(owner);
    String name = FolderNames.datasetCollection(tag, contentHash);
    return pick("dataset collection " + tag + " of " + o,
        survivors(storage.findSharedWithMe(name), e -> e.name().equals(name) && o.equals(e.owner())));
  }

  /** Grants each user reader on a collection folder (re-granting is a no-op). */
  public void shareCollection(Entry folder, Collection<String> users) throws IOException {
    for (String u : users) {
      String user = normalizeEmail(u);
      if (!user.equals(me)) {
        storage.share(folder, user, Role.READER);
      }
    }
  }

  /** Flags a dataset collection as shared with every approved peer ({@code syft_shared_with_any}). */
  public Entry markSharedWithAny(Entry folder) throws IOException {
    return storage.setAppProperty(folder, FolderNames.SHARED_WITH_ANY_PROPERTY, "true");
  }

  private static boolean usable(CollectionName n) {
    return !n.tag().isEmpty() && !n.contentHash().isEmpty();
  }

  // ------------------------------------------------------------------ control files

  /**
   * A control file ({@link FolderNames#PEERS_FILE}, {@link FolderNames#VERSION_FILE}, ...) directly
   * under this client's root; among duplicates the most recently modified.
   */
  public Optional<Entry> findControlFile(String name) throws IOException {
    return latest(storage.findFiles(root(), name).stream().filter(e -> me.equals(e.owner())).toList());
  }

  /** The content of a control file, refused beyond {@code maxBytes}. */
  public Optional<byte[]> readControlFile(String name, long maxBytes) throws IOException {
    Optional<Entry> f = findControlFile(name);
    return f.isPresent() ? Optional.of(storage.readAll(f.get(), maxBytes)) : Optional.empty();
  }

  /** Writes (replaces) a control file under this client's root. */
  public Entry writeControlFile(String name, byte[] content) throws IOException {
    return storage.write(root(), name, content, dev.syft.transport.WriteMode.REPLACE);
  }

  /**
   * Grants {@code peer} reader on this client's {@code SYFT_version.json}, first writing it from
   * {@code contentIfMissing} when there is none.
   */
  public Entry shareVersionFile(String peer, Supplier<byte[]> contentIfMissing) throws IOException {
    String p = normalizeEmail(peer);
    requireOther(p);
    Optional<Entry> f = findControlFile(FolderNames.VERSION_FILE);
    Entry file = f.isPresent() ? f.get() : writeControlFile(FolderNames.VERSION_FILE, contentIfMissing.get());
    storage.share(file, p, Role.READER);
    return file;
  }

  /** {@code peer}'s {@code SYFT_version.json} (exact name, owned by the peer, anywhere visible). */
  public Optional<Entry> findPeerVersionFile(String peer) throws IOException {
    String p = normalizeEmail(peer);
    return latest(storage.findFilesOwnedBy(p, FolderNames.VERSION_FILE).stream()
        .filter(e -> !e.folder() && p.equals(e.owner()) && e.name().equals(FolderNames.VERSION_FILE))
        .toList());
  }

  /** The content of {@code peer}'s version file, refused beyond {@code maxBytes}. */
  public Optional<byte[]> readPeerVersionFile(String peer, long maxBytes) throws IOException {
    Optional<Entry> f = findPeerVersionFile(peer);
    if (f.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(storage.readAll(f.get(), maxBytes));
    } catch (StorageException e) {
      if (e.kind() == StorageException.Kind.NOT_FOUND) {
        return Optional.empty(); // unshared or deleted between the query and the download
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ selection

  private static List<Entry> survivors(List<Entry> candidates, Predicate<Entry> keep) {
    return candidates.stream().filter(Entry::folder).filter(keep).toList();
  }

  /**
   * The first (oldest, by the store's ordering contract) of same-named duplicates; an error for two
   * different names.
   */
  private Optional<Entry> pick(String role, List<Entry> survivors) {
    if (survivors.isEmpty()) {
      return Optional.empty();
    }
    Set<String> names = new LinkedHashSet<>();
    survivors.forEach(e -> names.add(e.name()));
    if (names.size() > 1) {
      Entry keep = survivors.stream()
          .filter(e -> FolderNames.extractVersion(e.name()).map(clientVersion::equals).orElse(false))
          .findFirst().orElse(survivors.get(0));
      throw new AmbiguousFolderException(role, survivors, keep);
    }
    Entry oldest = survivors.get(0);
    if (survivors.size() > 1) {
      log.warn("{} folders named '{}' exist; using the oldest ({})", survivors.size(), oldest.name(), oldest.id());
    }
    return Optional.of(oldest);
  }

  /** Versions highest first (numerically: 0.10.0 above 0.9.0); no x.y.z version last. */
  private static final Comparator<String> HIGHEST_FIRST = (a, b) -> {
    Optional<List<java.math.BigInteger>> va = FolderNames.versionOf(a);
    Optional<List<java.math.BigInteger>> vb = FolderNames.versionOf(b);
    if (va.isEmpty() || vb.isEmpty()) {
      return Boolean.compare(va.isEmpty(), vb.isEmpty());
    }
    for (int i = 0; i < 3; i++) {
      int c = vb.get().get(i).compareTo(va.get().get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  };

  /**
   * A peer's folder among survivors of any version: the highest version, and among equal versions
   * the first in the store's order (by name, then oldest). The others are left alone (never renamed
   * or deleted).
   */
  private static Optional<Entry> highest(String role, List<Entry> survivors) {
    if (survivors.isEmpty()) {
      return Optional.empty();
    }
    Entry best = survivors.stream()
        .sorted(Comparator.comparing((Entry e) -> FolderNames.tryParseP2p(e.name()).map(P2pFolderName::version)
            .orElse(""), HIGHEST_FIRST))
        .findFirst().orElseThrow();
    if (survivors.size() > 1) {
      log.warn("{} folders for the {} exist; using '{}' ({}), the highest version", survivors.size(), role,
          best.name(), best.id());
    }
    return Optional.of(best);
  }

  private static Optional<Entry> latest(List<Entry> files) {
    return files.stream().max(Comparator.comparing(Entry::modified).thenComparing(Entry::id));
  }

  private void requireOther(String peer) {
    if (peer.isEmpty() || peer.equals(me)) {
      throw new FolderNameException("a peer must be another user, not '" + peer + "'");
    }
  }

  static String normalizeEmail(String email) {
    return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
  }

  @FunctionalInterface
  private interface FolderLookup {
    Optional<Entry> find() throws IOException;
  }
}
