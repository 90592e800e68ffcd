package dev.syft.datasets.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.core.ClientContext;
import dev.syft.datasets.Audience;
import dev.syft.datasets.Dataset;
import dev.syft.datasets.DatasetNames;
import dev.syft.datasets.DatasetPaths;
import dev.syft.datasets.DeleteResult;
import dev.syft.datasets.NewDataset;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.StorageException;
import dev.syft.transport.layout.CollectionKind;
import dev.syft.transport.layout.FolderNames;
import dev.syft.transport.layout.SharedCollection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data owner's dataset operations (JOBS-DATASETS.md 3.4-3.5, PROTOCOL.md 17): create (all or
 * nothing), share, unshare, delete. Runs with the client context, i.e. under the home lock.
 */
public final class OwnerOps {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerOps.class);
  /** State namespace of this module. */
  public static final String STATE = "datasets";
  /** State key prefix: a deleted dataset whose collections could not all be removed yet. */
  static final String GONE = "gone:";

  private final ClientContext ctx;
  private final String me;
  private final Path datasite;

  public OwnerOps(ClientContext ctx) {
    this.ctx = ctx;
    this.me = ctx.email().toLowerCase(Locale.ROOT);
    this.datasite = ctx.home().datasite();
  }

  private Catalog catalog() {
    return new Catalog(ctx.home().dir(), me);
  }

  // ------------------------------------------------------------------ create

  /** Creates a dataset; on any failure removes what it created and reports the original cause. */
  public Dataset create(NewDataset spec) {
    String name = DatasetNames.validate(spec.name());
    Path mockSrc = spec.mock().toAbsolutePath().normalize();
    Path privSrc = spec.privateData().toAbsolutePath().normalize();
    Path mockDir = DatasetPaths.mockDir(datasite, name);
    Path privDir = DatasetPaths.privateDir(datasite, name);
    List<SourceFiles.SourceFile> mock = new ArrayList<>(SourceFiles.scan(mockSrc, "mock data"));
    List<SourceFiles.SourceFile> priv = SourceFiles.scan(privSrc, "private data");
    for (SourceFiles.SourceFile f : mock) {
      if (f.rel().equals(DatasetPaths.METADATA_FILE) || f.rel().equals(DatasetPaths.MANIFEST_FILE)) {
        throw refused("mock data at " + mockSrc + " contains the reserved file " + f.rel() + "; rename it and try again");
      }
      refuseAclFile(f, "mock data");
    }
    for (SourceFiles.SourceFile f : priv) {
      if (f.rel().equals(DatasetPaths.PRIVATE_METADATA_FILE)) {
        throw refused("private data at " + privSrc + " contains the reserved file " + f.rel() + "; rename it");
      }
      refuseAclFile(f, "private data");
    }
    Path readme = null;
    String readmeName = null;
    if (spec.readme() != null) {
      readme = spec.readme().toAbsolutePath().normalize();
      if (!Files.isRegularFile(readme, LinkOption.NOFOLLOW_LINKS)) {
        throw refused("could not find the README at " + readme);
      }
      readmeName = readme.getFileName().toString();
      if (!readmeName.toLowerCase(Locale.ROOT).endsWith(".md") || !FlatNames.isPlainFileName(readmeName)) {
        throw refused("the README must be a Markdown (.md) file: " + readme);
      }
      dropReadmeFromMock(mock, readme, readmeName);
    }
    checkTarget(mockDir, name, mockSrc, privSrc);
    checkTarget(privDir, name, mockSrc, privSrc);
    Audience audience = spec.audience();
    if (!audience.any()) {
      audience = new Audience(false, audience.users().stream().filter(u -> !u.equals(me)).toList());
    }

    Undo undo = new Undo(ctx);
    String hash;
    try {
      undo.localDir(mockDir);
      SourceFiles.copyAll(mock, mockDir);
      if (readme != null) {
        Files.copy(readme, mockDir.resolve(readmeName), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      undo.localDir(privDir);
      SourceFiles.copyAll(priv, privDir);
      String uid = UUID.randomUUID().toString();
      String ts = DatasetMeta.timestamp(Instant.now(ctx.clock()));
      DatasiteFiles.writeAtomic(privDir.resolve(DatasetPaths.PRIVATE_METADATA_FILE),
          DatasetMeta.renderPrivate(uid, privDir.toString()).getBytes(StandardCharsets.UTF_8));
      List<String> rels = mock.stream().map(SourceFiles.SourceFile::rel).toList();
      String mockRel = DatasetPaths.mockRel(name);
      DatasetMeta meta = new DatasetMeta(uid, ts, ts, name, spec.summary(), spec.tags(), spec.location(),
          SyftUrl.of(me, mockRel), SyftUrl.of(me, DatasetPaths.privateRel(name)),
          readmeName == null ? null : SyftUrl.of(me, mockRel + "/" + readmeName),
          rels.stream().map(r -> SyftUrl.of(me, mockRel + "/" + r)).toList());
      DatasiteFiles.writeAtomic(mockDir.resolve(DatasetPaths.METADATA_FILE), meta.render().getBytes(StandardCharsets.UTF_8));
      if (!audience.isNobody()) {
        LocalAcl.write(datasite, ctx.permissions(), mockRel, audience.any() ? List.of(LocalAcl.EVERYONE) : audience.users());
      }
      LocalAcl.write(datasite, ctx.permissions(), DatasetPaths.privateRel(name), List.of(me));

      List<Blob> files = Plans.mock(mockDir, rels, readmeName);
      warnIfFlattenedNamesDiffer(name, files);
      hash = CollectionHash.of(files);
      Entry folder = undo.remoteFolder(CollectionKind.DATASET, name, hash);
      Transport.upload(ctx, "dataset " + name + " (mock)", folder, files, undo.reused(folder));
      Transport.applyAudience(ctx, folder, audience);
      if (spec.uploadPrivate()) {
        Entry pf = undo.remoteFolder(CollectionKind.PRIVATE, name, hash);
        Transport.upload(ctx, "dataset " + name + " (private)", pf, Plans.privateFiles(privDir, uid), undo.reused(pf));
      }
    } catch (IOException | RuntimeException e) {
      List<String> problems = undo.rollback();
      String cause = describe(e);
      String tail = problems.isEmpty() ? "; everything it created was removed"
          : "; clean-up was incomplete (" + String.join("; ", problems) + ")";
      throw new SyftException(ErrorCode.DATASET_CREATE_FAILED, "could not create dataset '" + name + "': " + cause + tail, e);
    }
    ctx.state(STATE).remove(GONE + name);
    removeStale(name, hash);
    LOG.info("created dataset {} ({})", name, audience.any() ? "any approved peer"
        : audience.users().isEmpty() ? "not shared" : "shared with " + String.join(", ", audience.users()));
    return catalog().find(me, name).orElseThrow();
  }

  /** Python peers read the flat names; say so when nested files had to be renamed to stay unique. */
  private static void warnIfFlattenedNamesDiffer(String name, List<Blob> files) {
    List<String> renamed = new ArrayList<>();
    for (Blob b : files) {
      if (b.file() != null && !b.file().getFileName().toString().equals(b.name())) {
        renamed.add(b.file().getFileName() + " -> " + b.name());
      }
    }
    if (!renamed.isEmpty()) {
      LOG.warn("dataset {}: several mock files share a base name; syft-java peers get the folder tree, Python peers"
          + " see flat names ({})", name, String.join(", ", renamed));
    }
  }

  private static void refuseAclFile(SourceFiles.SourceFile f, String what) {
    if (f.rel().equals(DatasetPaths.ACL_FILE) || f.rel().endsWith("/" + DatasetPaths.ACL_FILE)) {
      throw refused(what + " contains a permission file (" + f.path() + "); remove it, dataset permissions are set by"
          + " sharing");
    }
  }

  /** The reference copies the readme over a same-named top-level mock file; we allow it only when identical. */
  private static void dropReadmeFromMock(List<SourceFiles.SourceFile> mock, Path readme, String readmeName) {
    for (int i = 0; i < mock.size(); i++) {
      SourceFiles.SourceFile f = mock.get(i);
      if (f.rel().equalsIgnoreCase(readmeName)) {
        if (!sameContent(f.path(), readme)) {
          throw refused("the mock data has a different file named " + f.rel() + " than the README " + readme);
        }
        mock.remove(i);
        return;
      }
    }
  }

  private static boolean sameContent(Path a, Path b) {
    try {
      return a.equals(b) || Files.mismatch(a, b) == -1;
    } catch (IOException e) {
      return false;
    }
  }

  private void checkTarget(Path dir, String name, Path mockSrc, Path privSrc) {
    try {
      if (!DatasiteFiles.missingOrEmpty(dir)) {
        throw refused("dataset '" + name + "' already exists (" + dir + " is not empty); delete it first with"
            + " 'syft datasets delete " + name + "'");
      }
    } catch (IOException e) {
      throw refused("cannot inspect " + dir + ": " + e.getMessage());
    }
    if (dir.startsWith(mockSrc) || dir.startsWith(privSrc)) {
      throw refused("the data to copy contains the dataset folder " + dir + "; pass a folder outside the client home");
    }
  }

  /** Older collections of the same name (other content) left behind: replaced by this one. */
  private void removeStale(String name, String hash) {
    try {
      List<SharedCollection> all = new ArrayList<>(Transport.mine(ctx, CollectionKind.DATASET, name));
      all.addAll(Transport.mine(ctx, CollectionKind.PRIVATE, name));
      for (SharedCollection c : all) {
        if (!c.name().contentHash().equals(hash)) {
          ctx.storage().delete(c.folder());
          LOG.info("removed the older collection {}", c.folder().name());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove older collections of {}: {}", name, e.getMessage());
    }
  }

  // ------------------------------------------------------------------ share / unshare

  /** Shares an own dataset (mock side) with more users, or with every approved peer. */
  public Dataset share(String name, Audience audience) {
    Dataset d = own(name);
    if (audience.isNobody()) {
      throw refused("nobody to share '" + name + "' with: give e-mail addresses or 'any'");
    }
    List<String> users = audience.users().stream().filter(u -> !u.equals(me)).toList();
    try {
      Entry folder = currentCollection(name);
      Transport.applyAudience(ctx, folder, audience.any() ? audience : new Audience(false, users));
      List<String> readers = LocalAcl.plus(d.sharedWith(), audience.any() ? List.of(LocalAcl.EVERYONE) : users);
      LocalAcl.write(datasite, ctx.permissions(), DatasetPaths.mockRel(name), readers);
    } catch (IOException e) {
      throw new SyftException(ErrorCode.DATASET_SHARE_FAILED, "could not share '" + name + "': " + describe(e), e);
    }
    return own(name);
  }

  /** Takes users (or the "any" flag) off an own dataset. */
  public Dataset unshare(String name, Audience audience) {
    Dataset d = own(name);
    try {
      List<SharedCollection> cols = Transport.mine(ctx, CollectionKind.DATASET, name);
      if (audience.any()) {
        List<String> explicit = LocalAcl.minus(d.sharedWith(), List.of(LocalAcl.EVERYONE));
        for (SharedCollection c : cols) {
          if (c.sharedWithAny()) {
            ctx.storage().setAppProperty(c.folder(), FolderNames.SHARED_WITH_ANY_PROPERTY, null);
          }
          for (String u : ctx.storage().sharedWith(c.folder()).keySet()) {
            if (!explicit.contains(u) && !u.equals(me)) {
              ctx.storage().unshare(c.folder(), u);
            }
          }
        }
        LocalAcl.write(datasite, ctx.permissions(), DatasetPaths.mockRel(name), explicit);
      } else {
        if (cols.stream().anyMatch(SharedCollection::sharedWithAny) || d.sharedWithAnyPeer()) {
          throw refused("'" + name + "' is shared with every approved peer; stop that first ('unshare --any')");
        }
        for (SharedCollection c : cols) {
          Map<String, Role> current = ctx.storage().sharedWith(c.folder());
          for (String u : audience.users()) {
            if (current.containsKey(u)) {
              ctx.storage().unshare(c.folder(), u);
            }
          }
        }
        LocalAcl.write(datasite, ctx.permissions(), DatasetPaths.mockRel(name),
            LocalAcl.minus(d.sharedWith(), audience.users()));
      }
    } catch (IOException e) {
      throw new SyftException(ErrorCode.DATASET_SHARE_FAILED, "could not unshare '" + name + "': " + describe(e), e);
    }
    return own(name);
  }

  /**
   * The collection holding the current local mock files. When the files changed since publishing
   * (or the folder is gone) a new collection is uploaded, inherits the grants of the older ones,
   * and replaces them.
   */
  private Entry currentCollection(String name) throws IOException {
    DatasetMeta meta = ownMeta(name);
    Path mockDir = DatasetPaths.mockDir(datasite, name);
    String readmeName = Plans.readmeName(meta);
    List<Blob> files = Plans.mock(mockDir, Plans.mockRels(meta, me, name), readmeName);
    String hash = CollectionHash.of(files);
    Optional<Entry> found = ctx.layout().findMyCollection(CollectionKind.DATASET, name, hash);
    if (found.isPresent()) {
      return found.get();
    }
    // the mock folder changed since it was published: describe what is there now, then publish that
    String mockRel = DatasetPaths.mockRel(name);
    List<String> rels = new ArrayList<>();
    for (String rel : DatasiteFiles.listFiles(mockDir, FlatNames.CODE_POINT_ORDER)) {
      boolean reserved = rel.equals(DatasetPaths.METADATA_FILE) || rel.equals(DatasetPaths.MANIFEST_FILE)
          || rel.equals(readmeName) || rel.equals(DatasetPaths.ACL_FILE) || rel.endsWith("/" + DatasetPaths.ACL_FILE)
          || rel.contains(DatasiteFiles.TEMP_PREFIX);
      if (!reserved && FlatNames.safeRel(rel) != null) {
        rels.add(rel);
      }
    }
    DatasetMeta updated = new DatasetMeta(meta.uid(), meta.createdAt(), DatasetMeta.timestamp(Instant.now(ctx.clock())),
        meta.name(), meta.summary(), meta.tags(), meta.location(), meta.mockUrl(), meta.privateUrl(), meta.readmeUrl(),
        rels.stream().map(r -> SyftUrl.of(me, mockRel + "/" + r)).toList());
    DatasiteFiles.writeAtomic(mockDir.resolve(DatasetPaths.METADATA_FILE), updated.render().getBytes(StandardCharsets.UTF_8));
    files = Plans.mock(mockDir, rels, readmeName);
    hash = CollectionHash.of(files);
    List<SharedCollection> old = Transport.mine(ctx, CollectionKind.DATASET, name);
    Entry folder = ctx.storage().ensureFolder(ctx.layout().root(), FolderNames.datasetCollection(name, hash));
    Transport.upload(ctx, "dataset " + name + " (mock)", folder, files, true);
    for (SharedCollection o : old) {
      for (String u : ctx.storage().sharedWith(o.folder()).keySet()) {
        if (!u.equals(me)) {
          ctx.storage().share(folder, u, Role.READER);
        }
      }
      if (o.sharedWithAny()) {
        ctx.layout().markSharedWithAny(folder);
      }
    }
    for (SharedCollection o : old) {
      if (!o.folder().id().equals(folder.id())) {
        ctx.storage().delete(o.folder());
      }
    }
    LOG.info("published the changed dataset {} as {}", name, folder.name());
    return folder;
  }

  private DatasetMeta ownMeta(String name) throws IOException {
    Path yaml = DatasetPaths.mockDir(datasite, name).resolve(DatasetPaths.METADATA_FILE);
    return DatasetMeta.parse(Files.readString(yaml, StandardCharsets.UTF_8));
  }

  private Dataset own(String name) {
    if (!FlatNames.isPlainFileName(name)) {
      throw notFound(name);
    }
    return catalog().find(me, name).orElseThrow(() -> notFound(name));
  }

  private SyftException notFound(String name) {
    List<String> mine = catalog().of(me).stream().map(Dataset::name).toList();
    return new SyftException(ErrorCode.DATASET_NOT_FOUND, "you have no dataset named " + dev.syft.protocol.DatasitePaths.printable(name)
        + (mine.isEmpty() ? " (you have none yet)" : " (yours: " + String.join(", ", mine) + ")"));
  }

  // ------------------------------------------------------------------ delete

  /** Deletes an own dataset: both local folders and every collection folder of that name. */
  public DeleteResult delete(String name) {
    if (!FlatNames.isPlainFileName(name) || !DatasetNames.isSafeReceivedName(name)) {
      throw notFound(name);
    }
    Path mockDir = DatasetPaths.mockDir(datasite, name);
    Path privDir = DatasetPaths.privateDir(datasite, name);
    List<String> warnings = new ArrayList<>();
    List<SharedCollection> remote = new ArrayList<>();
    boolean listed = true;
    try {
      remote.addAll(Transport.mine(ctx, CollectionKind.DATASET, name));
      remote.addAll(Transport.mine(ctx, CollectionKind.PRIVATE, name));
    } catch (IOException | RuntimeException e) {
      listed = false;
      warnings.add("could not list the transport's collections (" + describe(e) + "); retried on the next sync");
    }
    boolean local = Files.exists(mockDir, LinkOption.NOFOLLOW_LINKS) || Files.exists(privDir, LinkOption.NOFOLLOW_LINKS);
    if (!local && remote.isEmpty()) {
      throw notFound(name);
    }
    List<Path> removedLocal = new ArrayList<>();
    for (Path dir : List.of(mockDir, privDir)) {
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        try {
          DatasiteFiles.deleteTree(dir);
          removedLocal.add(dir);
        } catch (IOException e) {
          throw new SyftException(ErrorCode.DATASET_DELETE_FAILED, "could not delete " + dir + ": " + e.getMessage(), e);
        }
      }
    }
    ctx.permissions().fileChanged(DatasetPaths.mockRel(name));
    ctx.permissions().fileChanged(DatasetPaths.privateRel(name));
    List<String> removedRemote = new ArrayList<>();
    for (SharedCollection c : remote) {
      try {
        ctx.storage().delete(c.folder());
        removedRemote.add(c.folder().name());
      } catch (IOException | RuntimeException e) {
        warnings.add("could not delete " + c.folder().name() + " (" + describe(e) + "); retried on the next sync");
      }
    }
    if (!listed || removedRemote.size() < remote.size()) {
      ctx.state(STATE).put(GONE + name, "1");
    }
    warnings.forEach(w -> LOG.warn("deleting dataset {}: {}", name, w));
    return new DeleteResult(name, removedLocal, removedRemote, warnings);
  }

  // ------------------------------------------------------------------ helpers

  static SyftException refused(String message) {
    return new SyftException(ErrorCode.INVALID_DATASET_INPUT, message);
  }

  /** A one-line description of a failure for the user. */
  static String describe(Throwable e) {
    if (e instanceof SyftException) {
      return e.getMessage();
    }
    if (e instanceof StorageException se) {
      return "transport error (" + se.kind().name().toLowerCase(Locale.ROOT) + "): " + se.getMessage();
    }
    if (e instanceof java.nio.file.NoSuchFileException nsf) {
      return "no such file: " + nsf.getFile();
    }
    if (e instanceof java.nio.file.AccessDeniedException ade) {
      return "permission denied: " + ade.getFile();
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** What a create made so far, to undo it in reverse order. */
  private static final class Undo {
    private record Local(Path dir, boolean existed) {}

    private record Remote(CollectionKind kind, String tag, String hash, boolean existed) {}

    private final ClientContext ctx;
    private final List<Object> steps = new ArrayList<>();
    private final List<String> reusedIds = new ArrayList<>();

    Undo(ClientContext ctx) {
      this.ctx = ctx;
    }

    /** Creates {@code dir}; undo removes it, or the highest parent inside the datasite created with it. */
    void localDir(Path dir) throws IOException {
      boolean existed = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
      Path top = dir;
      Path datasite = ctx.home().datasite();
      while (!existed && top.getParent() != null && !top.getParent().equals(datasite) && top.getParent().startsWith(datasite)
          && !Files.exists(top.getParent(), LinkOption.NOFOLLOW_LINKS)) {
        top = top.getParent();
      }
      steps.add(new Local(existed ? dir : top, existed));
      Files.createDirectories(dir);
    }

    /** Finds or creates a collection folder, recorded before creating so a create reported failed is cleaned too. */
    Entry remoteFolder(CollectionKind kind, String tag, String hash) throws IOException {
      Optional<Entry> found = ctx.layout().findMyCollection(kind, tag, hash);
      steps.add(new Remote(kind, tag, hash, found.isPresent()));
      if (found.isPresent()) {
        reusedIds.add(found.get().id());
        return found.get();
      }
      return ctx.storage().ensureFolder(ctx.layout().root(), FolderNames.collection(kind, tag, hash));
    }

    boolean reused(Entry folder) {
      return reusedIds.contains(folder.id());
    }

    /** Undoes every step, newest first; returns the problems (each also logged as a warning). */
    List<String> rollback() {
      List<String> problems = new ArrayList<>();
      List<Object> reversed = new ArrayList<>(steps);
      java.util.Collections.reverse(reversed);
      for (Object s : reversed) {
        try {
          if (s instanceof Remote r && !r.existed()) {
            Optional<Entry> f = ctx.layout().findMyCollection(r.kind(), r.tag(), r.hash());
            if (f.isPresent()) {
              ctx.storage().delete(f.get());
            }
          } else if (s instanceof Local l) {
            if (l.existed()) {
              DatasiteFiles.deleteContents(l.dir());
            } else {
              DatasiteFiles.deleteTree(l.dir());
            }
          }
        } catch (IOException | RuntimeException e) {
          String what = s instanceof Remote r ? FolderNames.collection(r.kind(), r.tag(), r.hash())
              : ((Local) s).dir().toString();
          String p = "could not remove " + what + ": " + describe(e);
          LOG.warn("dataset clean-up: {}", p);
          problems.add(p);
        }
      }
      for (Object s : steps) {
        if (s instanceof Local l) {
          ctx.permissions().fileChanged(SourceFiles.relative(ctx.home().datasite(), l.dir()));
        }
      }
      return problems;
    }
  }
}
