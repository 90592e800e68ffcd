package dev.syft.core.internal;

import dev.syft.core.internal.AccessPolicy.Level;
import dev.syft.core.internal.Outgoing.Target;
import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.archive.SpooledProposal;
import dev.syft.transport.Entry;
import dev.syft.transport.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-owner side of a sync round: detect local changes of the own datasite, drain each approved
 * peer's inbox, and route events to every peer allowed to read them.
 *
 * <p>Each step is idempotent and journalled: the index update, the events for the own log and the
 * per-peer outbox messages are written in one database transaction, uploads happen afterwards from
 * the journal, so a crash at any point followed by a restart converges without losing or doubling an
 * effect.
 */
final class OwnerEngine {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerEngine.class);

  private final SyncContext ctx;
  private final AccessPolicy policy;
  private final Outgoing outgoing;
  private final LocalTree tree;
  private final Notices notices;
  private boolean spoolSwept;

  OwnerEngine(SyncContext ctx, AccessPolicy policy, Outgoing outgoing) {
    this.ctx = ctx;
    this.policy = policy;
    this.outgoing = outgoing;
    this.tree = new LocalTree(ctx.home().datasite());
    this.notices = new Notices(tree, ctx.me());
  }

  /** What one round did, for status output and tests. */
  record Report(int localChanges, int accepted, int rejected, Map<String, String> peerErrors) {}

  Report sync(List<String> peers, Set<String> backfillPeers, ChangeHints hints) {
    policy.refresh();
    Map<String, String> errors = new LinkedHashMap<>();
    int local = scanAndRoute(peers, backfillPeers);
    int accepted = 0;
    int rejected = 0;
    for (String peer : peers) {
      try {
        int[] r = drainInbox(peer, peers, hints);
        accepted += r[0];
        rejected += r[1];
      } catch (IOException | RuntimeException e) {
        // one broken peer never blocks another
        LOG.warn("inbox of {} not processed this round: {}", peer, e.getMessage());
        errors.put(peer, String.valueOf(e.getMessage()));
      }
    }
    if (rejected > 0) {
      local += scanAndRoute(peers, Set.of()); // the rejection notices are ordinary files
    }
    return new Report(local, accepted, rejected, errors);
  }

  // ------------------------------------------------------------------ local changes

  /** Filter for files of the own datasite that travel in the event channel. */
  static boolean syncable(String path) {
    return dev.syft.protocol.paths.PathFilters.isNormalSyncable(path, "public/syft_datasets");
  }

  /**
   * Scans the own datasite (hashing only files whose size or mtime changed), turns differences into
   * events and routes them. Returns the number of changed paths.
   */
  int scanAndRoute(List<String> peers, Set<String> backfillPeers) {
    Map<String, LocalTree.Seen> seen;
    try {
      seen = tree.scan(OwnerEngine::syncable);
    } catch (IOException e) {
      throw new SyftException(ErrorCode.SCAN_FAILED, "cannot scan the datasite " + tree.root() + ": " + e.getMessage(), e);
    }
    Map<String, StateDb.IndexedFile> index = ctx.db().ownFiles();
    List<LocalTree.Seen> candidates = new ArrayList<>();
    for (LocalTree.Seen s : seen.values()) {
      StateDb.IndexedFile known = index.get(s.path());
      if (known == null || known.size() != s.size() || known.mtime() != s.mtime()) {
        candidates.add(s);
      }
    }
    List<String> gone = new ArrayList<>();
    for (StateDb.IndexedFile known : index.values()) {
      if (!seen.containsKey(known.path())) {
        gone.add(known.path());
      }
    }
    // too many at once (a folder renamed away, a bad rm) waits for sync --allow-mass-delete
    List<String> removed = ctx.deletions().admit(DeletionGuard.OWN, gone, index.size());
    if (candidates.isEmpty() && removed.isEmpty() && backfillPeers.isEmpty()) {
      return 0;
    }
    // permission files first, so later batches are routed under the new permissions
    candidates.sort(Comparator.comparing((LocalTree.Seen x) -> !AccessPolicy.isAclFile(x.path())).thenComparing(LocalTree.Seen::path));
    double now = ctx.now();
    Set<String> aclDirs = new TreeSet<>();
    int changes = 0;
    Batch batch = new Batch(new Blobs(ctx));
    for (String path : removed) {
      StateDb.IndexedFile known = index.get(path);
      batch.removed.add(path);
      batch.add(Wire.deletionEvent(UUID.randomUUID(), path, ctx.me(), known.sha256(), now, now), 0);
    }
    boolean report = candidates.size() >= SyncContext.PROGRESS_MIN_STEPS;
    if (report) {
      ctx.progress().begin(String.format("hashing %,d changed file(s)", candidates.size()), candidates.size());
    }
    try {
      changes += scanCandidates(candidates, index, now, batch, peers, aclDirs, backfillPeers, report);
    } finally {
      if (report) {
        ctx.progress().end();
      }
    }
    return changes;
  }

  /** Hashes the candidates in bounded batches; the last batch also reconciles ACL changes and back-fills. */
  private int scanCandidates(List<LocalTree.Seen> candidates, Map<String, StateDb.IndexedFile> index, double now,
      Batch first, List<String> peers, Set<String> aclDirs, Set<String> backfillPeers, boolean report) {
    int changes = 0;
    Batch batch = first;
    try {
      for (LocalTree.Seen s : candidates) {
        if (report) {
          ctx.progress().advance(1);
        }
        StateDb.IndexedFile known = index.get(s.path());
        Blobs.Read content;
        try {
          // a large file is hashed and snapshot in one streamed pass
          content = batch.blobs.read(tree, s.path());
        } catch (IOException e) {
          if (DiskErrors.isDiskFull(e)) {
            throw DiskErrors.diskFull(ctx.blobDir(), e);
          }
          LOG.debug("{} vanished during the scan", s.path());
          continue;
        }
        String hash = content.sha256();
        batch.updates.add(new StateDb.IndexedFile(s.path(), s.size(), LocalTree.indexMtime(s.mtime()), hash));
        if (known == null || !known.sha256().equals(hash)) {
          batch.add(Wire.changeEvent(UUID.randomUUID(), s.path(), ctx.me(), content.content(),
              known == null ? null : known.sha256(), hash, now, now), content.size());
        }
        if (batch.full()) {
          changes += flushBatch(batch, peers, Set.of(), Set.of(), aclDirs);
          batch.blobs.close();
          batch = new Batch(new Blobs(ctx));
        }
      }
      // the last batch also reconciles what the permission changes and approvals require
      changes += flushBatch(batch, peers, aclDirs, backfillPeers, aclDirs);
    } finally {
      batch.blobs.close();
    }
    return changes;
  }

  /** Changes gathered for one transaction and one events message; bounded in count and bytes. */
  private static final class Batch {
    static final int MAX_EVENTS = 500;
    static final long MAX_BYTES = 8L << 20;
    final List<FileChangeEvent> events = new ArrayList<>();
    final List<StateDb.IndexedFile> updates = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    final Blobs blobs;
    long bytes;

    Batch(Blobs blobs) {
      this.blobs = blobs;
    }

    void add(FileChangeEvent e, long size) {
      events.add(e);
      bytes += size;
    }

    boolean full() {
      return events.size() >= MAX_EVENTS || bytes >= MAX_BYTES;
    }
  }

  private int flushBatch(Batch b, List<String> peers, Set<String> reconcileAclDirs, Set<String> backfill,
      Set<String> aclDirsSeen) {
    if (b.events.isEmpty() && b.updates.isEmpty() && b.removed.isEmpty() && backfill.isEmpty() && reconcileAclDirs.isEmpty()) {
      return 0;
    }
    for (FileChangeEvent e : b.events) {
      if (AccessPolicy.isAclFile(e.pathInDatasite())) {
        String p = e.pathInDatasite();
        aclDirsSeen.add(p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "");
        policy.changed(p);
      }
    }
    ctx.db().inTransaction(() -> {
      b.updates.forEach(ctx.db()::putOwnFile);
      b.removed.forEach(ctx.db()::removeOwnFile);
      publish(b.events, peers, reconcileAclDirs, backfill, b.blobs);
    });
    return b.events.size();
  }

  /**
   * Journals {@code events} for the own event log and routes them, plus whatever the ACL changes in
   * {@code aclDirs} and the back-fill peers require, to each peer's outbox. Call inside a transaction,
   * after the index reflects the events.
   */
  private void publish(List<FileChangeEvent> events, List<String> peers, Set<String> aclDirs, Set<String> backfill,
      Blobs blobs) {
    double now = ctx.now();
    if (!events.isEmpty()) {
      FileChangeEventsMessage log = Wire.eventsMessage(events, now);
      outgoing.enqueue(Target.EVENT_LOG, null, log.fileName(), encode(blobs, log));
      ctx.db().recordEventLog(log.fileName(), log.timestamp(), events.size());
      Checkpoints.record(ctx.db(), events);
    }
    Map<String, FileChangeEvent> byPath = new LinkedHashMap<>();
    for (FileChangeEvent e : events) {
      byPath.put(e.pathInDatasite(), e);
    }
    Map<String, StateDb.IndexedFile> index = null;
    for (String peer : peers) {
      Collection<String> scope;
      if (backfill.contains(peer)) {
        if (index == null) {
          index = ctx.db().ownFiles();
        }
        Set<String> all = new TreeSet<>(index.keySet());
        all.addAll(ctx.db().delivered(peer).keySet());
        all.addAll(byPath.keySet());
        scope = all;
      } else if (!aclDirs.isEmpty()) {
        if (index == null) {
          index = ctx.db().ownFiles();
        }
        Set<String> sc = new TreeSet<>(byPath.keySet());
        Set<String> candidates = new TreeSet<>(index.keySet());
        candidates.addAll(ctx.db().delivered(peer).keySet());
        for (String path : candidates) {
          for (String dir : aclDirs) {
            if (dir.isEmpty() || path.startsWith(dir + "/")) {
              sc.add(path);
              break;
            }
          }
        }
        scope = sc;
      } else {
        scope = byPath.keySet();
      }
      reconcile(peer, scope, byPath, now, blobs);
    }
  }

  /** Encodes a message of this batch (streamed to a file of the home when it holds large files). */
  private Blobs.Encoded encode(Blobs blobs, FileChangeEventsMessage m) {
    try {
      return blobs.encode(m);
    } catch (IOException e) {
      throw DiskErrors.classify(e, ctx.blobDir(), x -> new SyftException("encode-failed",
          "cannot write message " + m.fileName() + ": " + x.getMessage(), x));
    }
  }

  /** What reconciliation does for one path. */
  private enum Action {
    SEND,
    DELETE,
    REVOKE
  }

  /**
   * Brings {@code peer}'s replica of the paths in {@code scope} to what it may read now: changed
   * content it may read, deletions of what it had, and revocations of what it may no longer read.
   * Journals the events in messages bounded in size (a revocation notice travels first, in the same
   * message as the first deletions) and updates the delivered-set.
   */
  private void reconcile(String peer, Collection<String> scope, Map<String, FileChangeEvent> changed, double now,
      Blobs blobs) {
    Map<String, String> delivered = ctx.db().delivered(peer);
    Map<String, Action> actions = new LinkedHashMap<>();
    List<String> revoked = new ArrayList<>();
    for (String path : scope) {
      Optional<String> current = ctx.db().ownHash(path);
      String sent = delivered.get(path);
      Level needed = AccessPolicy.isAclFile(path) ? Level.ADMIN : Level.READ;
      boolean may = current.isPresent() && policy.allowed(peer, path, needed);
      if (may && !current.get().equals(sent)) {
        actions.put(path, Action.SEND);
      } else if (!may && sent != null) {
        actions.put(path, current.isPresent() ? Action.REVOKE : Action.DELETE);
        if (current.isPresent()) {
          revoked.add(path);
        }
      }
    }
    if (actions.isEmpty()) {
      return;
    }
    Batch out = new Batch(blobs);
    if (!revoked.isEmpty()) {
      // the notice travels ahead of the deletions, so the peer can tell a revocation from a deletion
      // and move its copies aside
      String noticePath = Notices.pathFor(peer);
      byte[] content = notices.revoked(peer, revoked, now);
      String hash = LocalTree.sha256Hex(content);
      ctx.db().putOwnFile(new StateDb.IndexedFile(noticePath, content.length, -1, hash)); // -1: re-hash on next scan
      out.add(Wire.changeEvent(UUID.randomUUID(), noticePath, ctx.me(), content, delivered.get(noticePath), hash, now, now),
          content.length);
      ctx.db().setDelivered(peer, noticePath, hash);
    }
    for (var a : actions.entrySet()) {
      String path = a.getKey();
      if (a.getValue() == Action.SEND) {
        String current = ctx.db().ownHash(path).orElseThrow();
        FileChangeEvent e = changed.get(path);
        long size = 0;
        if (e == null || e.deleted() || !current.equals(e.newHash())) {
          Blobs.Read content;
          try {
            content = blobs.read(tree, path);
          } catch (IOException ex) {
            if (DiskErrors.isDiskFull(ex)) {
              throw DiskErrors.diskFull(ctx.blobDir(), ex);
            }
            continue; // gone since the scan; the next scan routes the deletion
          }
          e = Wire.changeEvent(UUID.randomUUID(), path, ctx.me(), content.content(), null, current, now, now);
          size = content.size();
        } else if (e.content() != null) {
          size = blobs.size(e.content());
        }
        out.add(e, size);
        ctx.db().setDelivered(peer, path, current);
      } else {
        FileChangeEvent e = changed.get(path);
        out.add(e != null && e.deleted() ? e
            : Wire.deletionEvent(UUID.randomUUID(), path, ctx.me(), delivered.get(path), now, now), 0);
        ctx.db().removeDelivered(peer, path);
      }
      if (out.full()) {
        enqueueFor(peer, out.events, now, blobs);
        out = new Batch(blobs);
      }
    }
    enqueueFor(peer, out.events, now, blobs);
  }

  private void enqueueFor(String peer, List<FileChangeEvent> events, double now, Blobs blobs) {
    if (!events.isEmpty()) {
      FileChangeEventsMessage m = Wire.eventsMessage(events, now);
      outgoing.enqueue(Target.PEER_OUTBOX, peer, m.fileName(), encode(blobs, m));
    }
  }

  // ------------------------------------------------------------------ inbox

  /** Processes every proposal waiting in {@code peer}'s inbox, oldest first. Returns {accepted, rejected}. */
  private int[] drainInbox(String peer, List<String> peers, ChangeHints hints) throws IOException {
    ctx.e2e().clearHeld(peer, "inbox"); // withdrawn or applied since; the batch below counts what still waits
    try {
      return drainInbox0(peer, peers, hints);
    } finally {
      E2e.Opener o = openers.remove(peer);
      if (o != null) {
        ctx.e2e().afterBatch(o, "inbox");
      }
    }
  }

  private int[] drainInbox0(String peer, List<String> peers, ChangeHints hints) throws IOException {
    Optional<Entry> inbox = ctx.folders().peerOwnedInbox(peer);
    if (inbox.isEmpty() || !hints.mayHaveChanged(inbox.get())) {
      return new int[] {0, 0};
    }
    List<Entry> done = new ArrayList<>(); // moved to the archive together at the end (one request on Drive)
    try {
      return drainListed(peer, peers, hints.list(inbox.get()), done);
    } finally {
      archive(peer, done);
    }
  }

  private int[] drainListed(String peer, List<String> peers, List<Entry> listed, List<Entry> done) {
    List<Entry> waiting = new ArrayList<>();
    int accepted = 0;
    int rejected = 0;
    Writers.check(ctx, peer, "inbox", listed);
    for (Entry e : listed) {
      if (e.folder()) {
        continue;
      }
      if (acceptableName(e.name())) {
        waiting.add(e);
      } else if (posesAsMessage(e.name())) {
        // a name the reference cannot round-trip (1e400, 0x10, nan) or one before the epoch (-1.0):
        // it would wait in the inbox forever, so it is refused like any other bad message
        if (!ctx.db().received(peer, e.name())) {
          reject(peer, e, null, null, "invalid message name " + DatasitePaths.printable(e.name())
              + " (expected msgv2_<timestamp>_<uid>.tar.gz with a timestamp the reference writes)");
          rejected++;
        }
        done.add(e);
      }
    }
    waiting.sort(Comparator.comparingDouble((Entry e) -> Wire.proposalTimestamp(e.name()).orElseThrow())
        .thenComparing(Entry::name));
    for (int i = 0; i < waiting.size(); i++) {
      Entry file = waiting.get(i);
      if (ctx.db().received(peer, file.name())) {
        done.add(file); // applied before a crash, not yet moved
        continue;
      }
      Outcome o;
      try {
        o = process(peer, file, peers);
      } catch (SyftException e) {
        E2e.Opener op = openers.get(peer);
        if (op != null && op.held().get() > 0) {
          op.held().set(waiting.size() - i); // this one and every later one wait for their key
        }
        throw e;
      } catch (Error e) {
        // out of memory, a stack overflow...: caused by this message, so it is this message that is
        // refused; the round goes on with the next one and the other peers
        LOG.error("message {} from {} could not be processed", file.name(), peer, e);
        o = reject(peer, file, null, null, "could not be processed: " + e);
      }
      if (o.accepted()) {
        accepted++;
      } else {
        rejected++;
      }
      done.add(file);
    }
    return new int[] {accepted, rejected};
  }

  /** A proposal name we process: usable by the reference, with a finite, non-negative timestamp. */
  static boolean acceptableName(String name) {
    Optional<Double> ts = Wire.proposalTimestamp(name);
    return ts.isPresent() && Double.isFinite(ts.get()) && ts.get() >= 0;
  }

  /** A file that looks like a proposal but whose name is not acceptable. Other files are left alone. */
  static boolean posesAsMessage(String name) {
    return !acceptableName(name) && (name.startsWith(dev.syft.protocol.names.FileNames.PROPOSAL_PREFIX)
        || name.endsWith(dev.syft.protocol.names.FileNames.ARCHIVE_EXTENSION));
  }

  private record Outcome(boolean accepted, String reason) {}

  /** How to open each sender's messages, resolved once per round. */
  private final Map<String, E2e.Opener> openers = new java.util.HashMap<>();

  private Outcome process(String peer, Entry file, List<String> peers) {
    if (file.size() > ctx.limits().maxMessageBytes()) {
      return reject(peer, file, null, null, "unreadable message: it is " + file.size()
          + " bytes, above the limit of " + ctx.limits().maxMessageBytes() + " bytes");
    }
    Capture raw = null;
    SpooledProposal msg;
    try (InputStream in = ctx.storage().read(file)) {
      raw = new Capture(in, ctx.limits().maxMessageBytes());
      try {
        // an SYC2 envelope is verified against the sender's pinned key and opened; plaintext passes
        // (raw is not closed with the plaintext, so a refusal can still drain it for the quarantine's size and hash)
        InputStream unclosed = new java.io.FilterInputStream(raw) {
          @Override
          public void close() {}
        };
        try (InputStream plain = openers.computeIfAbsent(peer, p -> ctx.e2e().openerFor(p, false)).open(unclosed)) {
          msg = Wire.readProposal(plain, ctx.limits(), ctx.clock(), spoolRoot());
        }
      } catch (SyftException e) {
        raw.drain(); // the whole message's size and hash go to quarantine
        throw e;
      }
    } catch (IOException | SyftException e) {
      if (e instanceof StorageException se && se.isTransient()) {
        throw new SyftException(ErrorCode.TRANSIENT, "could not download " + file.name() + ": " + e.getMessage(), e);
      }
      if (DiskErrors.isDiskFull(e)) {
        throw DiskErrors.diskFull(spoolRoot(), e);
      }
      return reject(peer, file, raw == null ? null : raw.kept(), null, "unreadable message: " + e.getMessage());
    }
    try (msg) {
      return process(peer, file, peers, msg, raw.kept());
    }
  }

  private Outcome process(String peer, Entry file, List<String> peers, SpooledProposal msg, StateDb.Kept raw) {
    if (!peer.equalsIgnoreCase(msg.senderEmail())) {
      return reject(peer, file, raw, msg, "the message claims to come from " + msg.senderEmail()
          + " but arrived in the inbox of " + peer);
    }
    if (ctx.db().receivedMessageId(msg.id().toString())) {
      return reject(peer, file, raw, msg, "replay of message " + msg.id() + ", which was already processed");
    }
    // Validate everything before touching anything: the message applies whole or not at all.
    List<Validated> ok = new ArrayList<>();
    for (SpooledProposal.Change c : msg.changes()) {
      String why = validate(peer, c);
      if (why != null) {
        return reject(peer, file, raw, msg, why);
      }
      ok.add(new Validated(DatasitePaths.normalize(c.pathInDatasite()), c));
    }
    double now = ctx.now();
    List<FileChangeEvent> events = new ArrayList<>();
    List<String> removals = new ArrayList<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    List<StagedApply.Written> written;
    try (StagedApply apply = new StagedApply(tree, stagingRoot()); Blobs blobs = new Blobs(ctx)) {
      // deletions first: a folder replaced by a file is listed as the creation, then the deletions
      for (Validated v : ok) {
        SpooledProposal.Change c = v.change();
        if (c.deleted()) {
          apply.delete(v.path());
          removals.add(v.path());
          events.add(Wire.deletionEvent(c.id(), v.path(), ctx.me(), ctx.db().ownHash(v.path()).orElse(null),
              c.submittedTimestamp(), now));
        }
      }
      for (Validated v : ok) {
        SpooledProposal.Change c = v.change();
        if (!c.deleted()) {
          apply.stage(v.path(), c.content() == null ? InputStream::nullInputStream : c.content()::open);
          String hash = c.content() == null ? LocalTree.sha256Hex(new byte[0]) : c.content().sha256();
          hashes.put(v.path(), hash);
          // events carry whole files (the wire format): a large one is streamed from the spool
          dev.syft.protocol.model.FileContent content;
          try {
            content = c.content() == null ? dev.syft.protocol.model.FileContent.of(new byte[0]) : blobs.of(c.content());
          } catch (IOException e) {
            throw new SyftException(ErrorCode.SPOOL_FAILED, "cannot read back " + DatasitePaths.printable(v.path())
                + " of " + file.name() + ": " + e.getMessage(), e);
          }
          events.add(Wire.changeEvent(c.id(), v.path(), ctx.me(), content, ctx.db().ownHash(v.path()).orElse(null), hash,
              c.submittedTimestamp(), now));
        }
      }
      try {
        apply.check();
      } catch (StagedApply.Refused e) {
        return reject(peer, file, raw, msg, e.getMessage());
      }
      Set<String> aclDirs = new TreeSet<>();
      List<String> aclPaths = new ArrayList<>();
      for (Validated v : ok) {
        if (AccessPolicy.isAclFile(v.path())) {
          aclPaths.add(v.path());
          aclDirs.add(v.path().contains("/") ? v.path().substring(0, v.path().lastIndexOf('/')) : "");
        }
      }
      try {
        written = apply.commit(done -> {
          // the permission cache reads the new permission files, now in place
          aclPaths.forEach(policy::changed);
          ctx.db().inTransaction(() -> {
            for (StagedApply.Written w : done) {
              ctx.db().putOwnFile(new StateDb.IndexedFile(w.path(), w.size(), LocalTree.indexMtime(w.mtime()),
                  hashes.get(w.path())));
            }
            removals.forEach(ctx.db()::removeOwnFile);
            publish(events, peers, aclDirs, Set.of(), blobs);
            ctx.db().recordReceived(peer, file.name(), msg.id().toString(), "applied", now);
          });
        });
      } catch (IOException | RuntimeException e) {
        aclPaths.forEach(policy::changed); // the old permission files are back
        if (DiskErrors.isDiskFull(e)) {
          throw DiskErrors.diskFull(e instanceof IOException ? tree.root() : ctx.home().stateDbFile(), e);
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        return reject(peer, file, raw, msg, "could not be applied (the datasite is unchanged): "
            + DiskErrors.describe((IOException) e));
      }
    }
    LOG.info("applied {} change(s) from {} ({}; {} file(s) written)", events.size(), peer, file.name(), written.size());
    return new Outcome(true, null);
  }

  private Path stagingRoot() {
    return ctx.home().stateDir().resolve("staging");
  }

  /** Where large contents of a message being read wait (swept with the staging folder's leftovers). */
  private Path spoolRoot() {
    Path dir = ctx.home().stateDir().resolve("spool");
    try {
      java.nio.file.Files.createDirectories(dir);
      if (!spoolSwept) {
        // the home lock keeps other processes out: anything here was left by one that died
        try (var s = java.nio.file.Files.list(dir)) {
          for (Path p : s.toList()) {
            java.nio.file.Files.deleteIfExists(p);
          }
        }
        spoolSwept = true;
      }
    } catch (IOException e) {
      throw DiskErrors.classify(e, dir, x -> new SyftException(ErrorCode.SPOOL_FAILED, "cannot create " + dir + ": " + x.getMessage(), x));
    }
    return dir;
  }

  private record Validated(String path, SpooledProposal.Change change) {}

  /** Returns why a change must be refused, or null when it may be applied. */
  private String validate(String peer, SpooledProposal.Change c) {
    String path;
    try {
      path = DatasitePaths.normalize(c.pathInDatasite());
    } catch (SyftException e) {
      return e.getMessage();
    }
    if (!ctx.me().equalsIgnoreCase(c.datasiteEmail())) {
      return "change for datasite " + c.datasiteEmail() + " sent to " + ctx.me();
    }
    if (!syncable(path)) {
      return "path " + DatasitePaths.printable(path) + " is not synced (private, dataset or excluded folder)";
    }
    Level needed = AccessPolicy.isAclFile(path) ? Level.ADMIN : Level.WRITE;
    if (!policy.allowed(peer, path, needed)) {
      return peer + " may not " + (needed == Level.ADMIN ? "change the permission file " : "write ")
          + DatasitePaths.printable(path) + " (" + policy.explain(peer, path, needed) + ")";
    }
    Optional<String> current = ctx.db().ownHash(path);
    if (c.deleted()) {
      if (current.isEmpty()) {
        return null; // already gone: a no-op
      }
      if (!current.get().equals(c.oldHash())) {
        return "proposed deletion of " + DatasitePaths.printable(path) + " is outdated (the file changed)";
      }
      return null;
    }
    if (c.content() != null && c.content().size() > ctx.limits().maxFileBytes()) {
      return "the file " + DatasitePaths.printable(path) + " is " + c.content().size() + " bytes, above this owner's limit of "
          + ctx.limits().maxFileBytes() + " bytes per file";
    }
    String newHash = c.content() == null ? null : c.content().sha256();
    if (current.isPresent() && current.get().equals(newHash)) {
      return null; // already in this state (e.g. re-processing after a crash): a no-op
    }
    if (current.isEmpty() && c.oldHash() != null) {
      return "proposed change of " + DatasitePaths.printable(path) + " expects an existing file, but there is none";
    }
    if (current.isPresent() && !current.get().equals(c.oldHash())) {
      return "proposed change of " + DatasitePaths.printable(path) + " is outdated: it was based on "
          + shortHash(c.oldHash()) + " but the file is now " + shortHash(current.get());
    }
    return null;
  }

  private static String shortHash(String h) {
    return h == null ? "no file" : h.substring(0, Math.min(12, h.length()));
  }

  private Outcome reject(String peer, Entry file, StateDb.Kept raw, SpooledProposal msg, String reason) {
    double now = ctx.now();
    LOG.warn("quarantined {} from {}: {}", file.name(), peer, reason);
    ctx.db().inTransaction(() -> {
      ctx.db().quarantine(peer, file.name(), reason, raw, now);
      ctx.db().recordReceived(peer, file.name(), msg == null ? null : msg.id().toString(), "rejected", now);
    });
    try {
      notices.rejected(peer, file.name(), reason, now);
    } catch (RuntimeException e) {
      LOG.warn("could not write the rejection notice for {}: {}", peer, e.getMessage());
    }
    return new Outcome(false, reason);
  }

  /** Moves processed messages to the archive, all at once. */
  private void archive(String peer, List<Entry> files) {
    if (files.isEmpty()) {
      return;
    }
    try {
      ctx.storage().moveAll(files, ctx.folders().archive(peer));
    } catch (IOException e) {
      // the ledger already protects against re-applying; moving is housekeeping
      LOG.warn("could not move {} message(s) from {} to the archive: {}", files.size(), peer, e.getMessage());
    }
  }
}
