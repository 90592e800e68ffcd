package dev.syft.core.internal;

import dev.syft.core.internal.Outgoing.Target;
import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.ProposedFileChange;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.protocol.archive.SpooledEvents;
import dev.syft.transport.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-scientist side of a sync round, per peer: propose local edits of the peer's replica, then
 * pull and apply the peer's events.
 *
 * <p>The pull cursor is a watermark plus the set of message names seen within a lookback window below
 * it, so a message that becomes visible late (listing lag, clock skew) is still applied, and a message
 * seen twice is applied once.
 */
final class ScientistEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ScientistEngine.class);
  /** Messages older than the newest seen minus this are assumed to have been listed already. */
  static final double LOOKBACK_SECONDS = 3600;

  private final SyncContext ctx;
  private final Outgoing outgoing;

  ScientistEngine(SyncContext ctx, Outgoing outgoing) {
    this.ctx = ctx;
    this.outgoing = outgoing;
  }

  LocalTree replica(String peer) {
    return new LocalTree(ctx.home().replica(peer));
  }

  Path revokedDir(String peer) {
    return ctx.home().stateDir().resolve("revoked").resolve(peer);
  }

  // ------------------------------------------------------------------ proposals

  /**
   * Turns edits the user made in {@code peer}'s replica into one proposal message, journalled for
   * upload. Returns the number of proposed changes.
   */
  int propose(String peer) {
    try (Blobs blobs = new Blobs(ctx)) {
      return propose(peer, blobs);
    }
  }

  private int propose(String peer, Blobs blobs) {
    LocalTree tree = replica(peer);
    recoverInterruptedApply(peer, tree);
    Map<String, LocalTree.Seen> seen;
    try {
      seen = tree.scan(p -> OwnerEngine.syncable(p) && !Notices.isNoticeFile(p, ctx.me()));
    } catch (IOException e) {
      throw new SyftException(ErrorCode.SCAN_FAILED, "cannot scan the replica " + tree.root() + ": " + e.getMessage(), e);
    }
    Map<String, StateDb.IndexedFile> index = ctx.db().replicaFiles(peer);
    Map<String, String> held = InFlight.held(ctx.db(), peer);
    Map<String, Boolean> retry = InFlight.retries(ctx.db(), peer);
    double now = ctx.now();
    List<ProposedFileChange> deletions = new ArrayList<>();
    List<ProposedFileChange> changes = new ArrayList<>();
    List<ProposedFileChange> again = new ArrayList<>();
    List<ProposedFileChange> alone = new ArrayList<>();
    List<StateDb.IndexedFile> updates = new ArrayList<>();
    List<String> removals = new ArrayList<>();
    List<String> released = new ArrayList<>();
    for (LocalTree.Seen s : seen.values()) {
      StateDb.IndexedFile known = index.get(s.path());
      if (known != null && known.size() == s.size() && known.mtime() == s.mtime()) {
        continue;
      }
      Blobs.Read content;
      try {
        content = blobs.read(tree, s.path()); // a large file: hashed and snapshot in one streamed pass
      } catch (IOException e) {
        if (DiskErrors.isDiskFull(e)) {
          throw DiskErrors.diskFull(ctx.blobDir(), e);
        }
        continue;
      }
      String hash = content.sha256();
      String refused = held.get(s.path());
      if (refused != null) {
        if (refused.equals(hash)) {
          // refused for good: not proposed again; the index keeps the owner's hash as the base
          if (known != null) {
            updates.add(new StateDb.IndexedFile(s.path(), s.size(), LocalTree.indexMtime(s.mtime()), known.sha256()));
          }
          continue;
        }
        released.add(s.path()); // edited since: a new proposal
      }
      updates.add(new StateDb.IndexedFile(s.path(), s.size(), LocalTree.indexMtime(s.mtime()), hash));
      if (known != null && known.sha256().equals(hash)) {
        continue;
      }
      ProposedFileChange ch = Wire.proposedChange(UUID.randomUUID(), known == null ? null : known.sha256(), hash, now,
          s.path(), content.content(), peer);
      Boolean retried = retry.get(s.path());
      (retried == null ? changes : retried ? alone : again).add(ch);
    }
    List<String> gone = new ArrayList<>();
    for (StateDb.IndexedFile known : index.values()) {
      if (!seen.containsKey(known.path()) && !Notices.isNoticeFile(known.path(), ctx.me())
          && !"-".equals(held.get(known.path()))) {
        gone.add(known.path());
      }
    }
    // too many at once (a replica renamed away, a bad rm) waits for sync --allow-mass-delete
    for (String path : ctx.deletions().admit(peer, gone, index.size())) {
      removals.add(path);
      ProposedFileChange ch = Wire.proposedDeletion(UUID.randomUUID(), index.get(path).sha256(), now, path, peer);
      Boolean retried = retry.get(path);
      (retried == null ? deletions : retried ? alone : again).add(ch);
    }
    if (changes.isEmpty() && again.isEmpty() && alone.isEmpty() && deletions.isEmpty() && updates.isEmpty()
        && released.isEmpty() && retry.isEmpty()) {
      return 0;
    }
    // Changes rolled back from a refused message go first, apart from new work, so a refusable one
    // cannot sink new work with it; each alone when the refusal named no culprit. In every message
    // deletions go first: when folder d/ became file d, the owner must remove d/'s files before it
    // can write d (issue #14).
    List<List<ProposedFileChange>> messages = new ArrayList<>();
    again.sort(Comparator.comparing((ProposedFileChange ch) -> !ch.deleted()));
    if (!again.isEmpty()) {
      messages.add(again);
    }
    alone.sort(Comparator.comparing((ProposedFileChange ch) -> !ch.deleted()));
    alone.forEach(ch -> messages.add(List.of(ch)));
    List<ProposedFileChange> main = new ArrayList<>(deletions);
    main.addAll(changes);
    if (!main.isEmpty()) {
      messages.add(main);
    }
    ctx.db().inTransaction(() -> {
      // optimistic, like the reference: the DO's echo or rejection notice settles it
      updates.forEach(u -> ctx.db().putReplicaFile(peer, u));
      removals.forEach(r -> ctx.db().removeReplicaFile(peer, r));
      released.forEach(r -> InFlight.release(ctx.db(), peer, r));
      InFlight.clearRetries(ctx.db(), peer, retry.keySet());
      for (int i = 0; i < messages.size(); i++) {
        List<ProposedFileChange> batch = messages.get(i);
        // later messages get later timestamps: the owner applies them in that order
        ProposedFileChangesMessage m = Wire.proposalMessage(ctx.me(), batch, i == 0 ? now : ctx.now());
        Blobs.Encoded encoded;
        try {
          encoded = blobs.encode(m);
        } catch (IOException e) {
          throw DiskErrors.classify(e, ctx.blobDir(), x -> new SyftException("encode-failed",
              "cannot write message " + m.fileName() + ": " + x.getMessage(), x));
        }
        outgoing.enqueue(Target.PEER_INBOX, peer, m.fileName(), encoded);
        batch.forEach(ch -> InFlight.record(ctx.db(), peer, ch, m.fileName(), batch.size()));
      }
    });
    int proposed = deletions.size() + changes.size() + again.size() + alone.size();
    if (proposed > 0) {
      LOG.info("proposed {} change(s) to {} in {} message(s)", proposed, peer, messages.size());
    }
    return proposed;
  }

  // ------------------------------------------------------------------ pull

  /** Downloads and applies every new events message from {@code peer}. Returns the number of events applied. */
  int pull(String peer, ChangeHints hints) throws IOException {
    heldReason = null;
    ctx.e2e().clearHeld(peer, "outbox"); // withdrawn or applied since; the batch below counts what still waits
    Entry outbox = ctx.folders().myOutboxFrom(peer);
    if (!hints.mayHaveChanged(outbox)) {
      return 0;
    }
    double watermark = ctx.db().watermark(peer);
    Map<String, Long> seen = ctx.db().seenNames(peer);
    List<Entry> fresh = new ArrayList<>();
    List<Entry> listed = hints.list(outbox);
    Writers.check(ctx, peer, "outbox", listed);
    for (Entry e : listed) {
      Long size = seen.get(e.name());
      // a known name is skipped unless its content was replaced (outbox compaction merges into the
      // newest message's name; a reader that missed an older message must read the merged one)
      if (e.folder() || (size != null && (size < 0 || size == e.size()))) {
        continue;
      }
      var ts = Wire.eventsTimestamp(e.name());
      if (ts.isEmpty() || ts.get() < watermark) {
        continue;
      }
      fresh.add(e);
    }
    if (fresh.isEmpty()) {
      return 0;
    }
    fresh.sort(Comparator.comparingDouble((Entry e) -> Wire.eventsTimestamp(e.name()).orElseThrow())
        .thenComparing(Entry::name));
    boolean report = fresh.size() >= 20;
    if (report) {
      ctx.progress().begin("downloading " + fresh.size() + " message(s) from " + peer, fresh.size());
    }
    int applied = 0;
    double newest = watermark;
    try {
      // message by message, in order: a message's spooled contents are deleted once it is applied,
      // before the next one is read, so the disk holds one message's contents at a time (issue #14).
      // Small messages of a window are downloaded ahead in parallel, as compressed bytes in memory.
      E2e.Opener opener = ctx.e2e().openerFor(peer, false);
      int next = 0;
      int done = 0;
      window:
      while (next < fresh.size()) {
        List<Entry> window = window(fresh, next);
        next += window.size();
        Map<Entry, Ahead> ahead = prefetch(window);
        for (Entry e : window) {
          double ts = Wire.eventsTimestamp(e.name()).orElseThrow();
          Fetched r = fetch(e, ahead.get(e), opener);
          if (r instanceof Failed f && f.retry()) {
            LOG.warn("could not download {} from {}, will retry: {}", e.name(), peer, f.reason());
            if (opener.held().get() > 0) {
              // waiting for their key: this message and every later one; the round reports it, so
              // the outbox is listed again next round
              opener.held().set(fresh.size() - done);
              heldReason = f.reason();
            }
            break window; // keep order: later messages wait for this one (and are downloaded again)
          }
          done++;
          if (r instanceof Failed f) {
            quarantine(peer, e, null, "unreadable events message: " + f.reason(), ts);
            continue;
          }
          Got got = (Got) r;
          try {
            applied += apply(peer, e.name(), got.message(), got.raw(), ts, e.size());
          } catch (Error err) {
            // e.g. out of memory: that message is set aside, the next ones still apply
            quarantine(peer, e, got.raw(), "events message could not be applied: " + describe(err), ts);
            continue;
          } finally {
            got.message().close(); // deletes its spooled contents
          }
          newest = Math.max(newest, ts);
        }
      }
      ctx.e2e().afterBatch(opener, "outbox");
    } finally {
      if (report) {
        ctx.progress().end();
      }
    }
    double floor = Math.max(watermark, newest - LOOKBACK_SECONDS);
    if (floor > watermark) {
      ctx.db().inTransaction(() -> {
        ctx.db().setWatermark(peer, floor);
        ctx.db().pruneSeen(peer, floor);
      });
    }
    return applied;
  }

  private String heldReason;

  /** Why the last {@link #pull} left messages for a later round waiting for the sender's key, or null. */
  String heldReason() {
    return heldReason;
  }

  /** What downloading one message gave: the message, or why not (and whether a later round may succeed). */
  private sealed interface Fetched permits Got, Failed {}

  /** A message read streamed (large contents spooled in the home; close it) and what quarantine keeps of it. */
  private record Got(SpooledEvents message, StateDb.Kept raw) implements Fetched {}

  private record Failed(String reason, boolean retry) implements Fetched, Ahead {}

  /** What downloading a message ahead gave: its compressed bytes, or why not. */
  private sealed interface Ahead permits Downloaded, Failed {}

  private record Downloaded(byte[] bytes) implements Ahead {}

  private static String describe(Throwable t) {
    return t instanceof Exception && t.getMessage() != null ? t.getMessage()
        : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  /** Largest message downloaded ahead of its turn (compressed, in memory); larger ones stream at their turn. */
  static final int PREFETCH_MAX_MESSAGE = 256 << 10;
  /** Most compressed bytes held in memory by one window of messages downloaded ahead. */
  static final int PREFETCH_BUDGET = 4 << 20;

  /**
   * The next messages from {@code from}: consecutive small ones within {@link #PREFETCH_BUDGET}, or a
   * single message too large to download ahead.
   */
  private List<Entry> window(List<Entry> fresh, int from) {
    long ahead = Math.min(PREFETCH_MAX_MESSAGE, ctx.limits().maxMessageBytes());
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (int i = from; i < fresh.size(); i++) {
      Entry e = fresh.get(i);
      boolean small = e.size() >= 0 && e.size() <= ahead;
      if (!out.isEmpty() && (!small || bytes + e.size() > PREFETCH_BUDGET)) {
        break;
      }
      out.add(e);
      bytes += Math.max(0, e.size());
      if (!small) {
        break;
      }
    }
    return out;
  }

  /**
   * Downloads the small messages of a window in parallel, as compressed bytes (nothing spooled yet):
   * per entry the bytes, a {@link Failed}, or nothing (read it at its turn).
   */
  private Map<Entry, Ahead> prefetch(List<Entry> window) {
    Map<Entry, Ahead> out = new LinkedHashMap<>();
    if (window.size() < 2) {
      return out; // nothing to overlap
    }
    Semaphore bound = new Semaphore(ctx.ioParallelism());
    Map<Entry, Future<Ahead>> futures = new LinkedHashMap<>();
    for (Entry e : window) {
      futures.put(e, ctx.io().submit(() -> {
        bound.acquire();
        try (java.io.InputStream in = ctx.storage().read(e)) {
          byte[] bytes = in.readNBytes(PREFETCH_MAX_MESSAGE + 1);
          return bytes.length > PREFETCH_MAX_MESSAGE ? null : new Downloaded(bytes); // listed smaller than it is
        } catch (dev.syft.transport.StorageException se) {
          return new Failed(describe(se), se.isTransient());
        } catch (IOException io) {
          return new Failed(describe(io), true);
        } catch (RuntimeException | Error other) {
          return null; // read again at its turn, where such failures are classified (e.g. out of memory)
        } finally {
          bound.release();
        }
      }));
    }
    for (var f : futures.entrySet()) {
      try {
        Ahead r = f.getValue().get();
        if (r != null) {
          out.put(f.getKey(), r);
        }
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new SyftException(ErrorCode.INTERRUPTED, "sync interrupted");
      } catch (java.util.concurrent.ExecutionException ex) {
        out.put(f.getKey(), new Failed(describe(ex.getCause()), true));
      }
    }
    return out;
  }

  /**
   * Reads one message at its turn, from the bytes downloaded ahead or streamed from the store; contents
   * above 64 KiB are spooled in the home's blob folder until the message is closed.
   */
  private Fetched fetch(Entry e, Ahead ahead, E2e.Opener opener) {
    if (ahead instanceof Failed f) {
      return f;
    }
    if (e.size() > ctx.limits().maxMessageBytes()) {
      return new Failed("it is " + e.size() + " bytes, above the limit of " + ctx.limits().maxMessageBytes()
          + " bytes", false);
    }
    try (java.io.InputStream in = ahead instanceof Downloaded d ? new java.io.ByteArrayInputStream(d.bytes())
        : ctx.storage().read(e)) {
      Capture raw = new Capture(in, ctx.limits().maxMessageBytes());
      SpooledEvents m;
      // an SYC2 envelope is verified against the owner's pinned key and opened; plaintext passes
      try (java.io.InputStream plain = opener.open(raw)) {
        m = Wire.readEvents(PayloadKind.EVENTS, plain, ctx.limits(), ctx.clock(), ctx.blobDir());
      }
      ctx.progress().advance(1);
      return new Got(m, raw.kept());
    } catch (dev.syft.transport.StorageException se) {
      return new Failed(describe(se), se.isTransient());
    } catch (IOException io) {
      return new Failed(describe(io), true);
    } catch (RuntimeException | Error bad) {
      // bad content, or an Error such as OutOfMemoryError on a huge message: that message only
      return new Failed(describe(bad), false);
    }
  }

  /**
   * Applies one message; events that name another datasite or an unsafe path make it quarantined
   * whole. An event that cannot be applied (a file under a file, a name too long for the disk, no
   * content) is quarantined alone and the others apply: it must not block every later event.
   */
  private int apply(String peer, String name, SpooledEvents m, StateDb.Kept raw, double ts, long size) {
    for (SpooledEvents.Event ev : m.events()) {
      if (!peer.equalsIgnoreCase(ev.datasiteEmail())) {
        quarantine(peer, name, raw, "event for datasite " + ev.datasiteEmail() + " arrived from " + peer, ts);
        return 0;
      }
      if (!DatasitePaths.isSafe(ev.pathInDatasite())) {
        quarantine(peer, name, raw, "unsafe path " + DatasitePaths.printable(ev.pathInDatasite()), ts);
        return 0;
      }
    }
    // the same message under a new name would roll the replica back to old content (found by
    // HostilePeerTest); a replaced file of the same name (outbox compaction) is not a replay
    if (ctx.db().receivedMessageIdElsewhere(peer, m.id().toString(), name)) {
      quarantine(peer, name, raw, "replay of events message " + m.id() + ", which was already applied", ts);
      return 0;
    }
    LocalTree tree = replica(peer);
    List<SpooledEvents.Event> ordered = new ArrayList<>(m.events());
    // notices first, so a revocation moves the file aside before its deletion event arrives; at equal
    // times deletions before writes, so a folder that became a file is emptied first
    ordered.sort(Comparator.comparing((SpooledEvents.Event ev) -> !Notices.isNoticeFile(
        DatasitePaths.normalize(ev.pathInDatasite()), ctx.me())).thenComparingDouble(SpooledEvents.Event::timestamp)
        .thenComparing(ev -> !ev.deleted()));
    List<Runnable> dbWork = new ArrayList<>();
    List<Unapplied> refused = new ArrayList<>();
    ctx.db().setMeta(APPLYING + peer, intent(ordered)); // see recoverInterruptedApply
    int applied = 0;
    for (SpooledEvents.Event ev : ordered) {
      String path = DatasitePaths.normalize(ev.pathInDatasite());
      List<Runnable> work = new ArrayList<>();
      try {
        if (!Notices.isNoticeFile(path, ctx.me()) && !InFlight.mayApply(ctx.db(), peer, path, withoutContent(ev), work)) {
          dbWork.addAll(work);
          applied++;
          continue; // older than our own edit still in flight, or already held: keep the disk as it is
        }
        if (ev.deleted()) {
          tree.delete(path);
          work.add(() -> ctx.db().removeReplicaFile(peer, path));
        } else {
          if (ev.content() == null && ev.newHash() != null && !ev.newHash().equals(EMPTY_SHA256)) {
            throw new SyftException(ErrorCode.BAD_EVENT, "the event has no content but announces hash " + ev.newHash());
          }
          // streamed from the spool: any size in bounded memory
          LocalTree.Seen s;
          try (java.io.InputStream in = ev.content() == null ? java.io.InputStream.nullInputStream()
              : ev.content().open()) {
            s = tree.write(path, in, true);
          }
          String hash = ev.content() == null ? EMPTY_SHA256 : ev.content().sha256();
          work.add(() -> {
            ctx.db().putReplicaFile(peer, new StateDb.IndexedFile(path, s.size(), LocalTree.indexMtime(s.mtime()), hash));
            ctx.db().clearRevoked(peer, path);
          });
          if (Notices.isNoticeFile(path, ctx.me())) {
            handleNotices(peer, tree, ev.content() == null ? new byte[0] : ev.content().readAllBytes(), work);
          }
        }
        work.add(() -> InFlight.release(ctx.db(), peer, path)); // the owner's state replaced a refused edit
        dbWork.addAll(work);
        applied++;
      } catch (IOException | RuntimeException | Error e) {
        if (e instanceof SyftException se && se.errorCode() == ErrorCode.STATE_DB || linkOnTheWay(tree, path)) {
          // our own database or a link the user put in the replica, not the event: stop here and
          // retry the message next round (recoverInterruptedApply indexes what was written)
          throw new SyftException(ErrorCode.APPLY_FAILED, "could not apply " + name + " from " + peer + ": " + describe(e), e);
        }
        refused.add(new Unapplied(ev, path, describe(e)));
      }
    }
    double now = ctx.now();
    ctx.db().inTransaction(() -> {
      dbWork.forEach(Runnable::run);
      for (Unapplied r : refused) {
        String reason = "event for " + DatasitePaths.printable(r.path()) + " not applied: " + r.why();
        LOG.warn("quarantined an event of {} from {}: {}", name, peer, reason);
        ctx.db().quarantine(peer, name, reason, r.payload(m), now);
      }
      ctx.db().markSeen(peer, name, ts, size);
      ctx.db().recordReceived(peer, name, m.id().toString(), "applied", ctx.now());
      ctx.db().removeMeta(APPLYING + peer);
    });
    return applied;
  }

  /** True when a folder on the way to {@code path} in the replica is a symbolic link (ours never are). */
  private static boolean linkOnTheWay(LocalTree tree, String path) {
    Path cur = tree.root();
    for (String part : path.split("/")) {
      cur = cur.resolve(part);
      if (java.nio.file.Files.isSymbolicLink(cur)) {
        return true;
      }
    }
    return false;
  }

  /** The event as the model, without its content (for checks that need none). */
  private static FileChangeEvent withoutContent(SpooledEvents.Event ev) {
    return new FileChangeEvent(ev.id(), ev.pathInDatasite(), ev.datasiteEmail(), null, ev.oldHash(), ev.newHash(),
        ev.deleted(), ev.submittedTimestamp(), ev.timestamp());
  }

  /** An event that could not be applied, kept in quarantine as a one-event message (its content if small). */
  private record Unapplied(SpooledEvents.Event event, String path, String why) {
    byte[] payload(SpooledEvents m) {
      try {
        dev.syft.protocol.model.FileContent content = event.content() == null
            || event.content().size() > StateDb.MAX_QUARANTINE_PAYLOAD ? null : event.content().toFileContent();
        FileChangeEvent e = new FileChangeEvent(event.id(), event.pathInDatasite(), event.datasiteEmail(), content,
            event.oldHash(), event.newHash(), event.deleted(), event.submittedTimestamp(), event.timestamp());
        return Wire.encode(new FileChangeEventsMessage(List.of(e), m.id(), m.timestamp()));
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        return null; // the reason is what matters; the owner's outbox still has the message
      }
    }
  }

  private static final String EMPTY_SHA256 = LocalTree.sha256Hex(new byte[0]);

  /** Meta key of the message being applied to a replica: one {@code <new hash or ->\t<path>} line per event. */
  private static final String APPLYING = "applying:";

  private static String intent(List<SpooledEvents.Event> events) {
    StringBuilder sb = new StringBuilder();
    for (SpooledEvents.Event ev : events) {
      sb.append(ev.deleted() || ev.newHash() == null ? "-" : ev.newHash()).append('\t')
          .append(DatasitePaths.normalize(ev.pathInDatasite())).append('\n');
    }
    return sb.toString();
  }

  /**
   * A process that died while applying a message left its files written but not indexed; the next
   * scan would propose them back to the owner as our own edits (refused for read-only files, with a
   * rejection notice; found by InterruptedApplyTest). Files that already hold the message's outcome
   * are indexed now; the message itself was not marked seen, so the pull applies it again.
   */
  private void recoverInterruptedApply(String peer, LocalTree tree) {
    java.util.Optional<String> pending = ctx.db().meta(APPLYING + peer);
    if (pending.isEmpty()) {
      return;
    }
    ctx.db().inTransaction(() -> {
      for (String line : pending.get().split("\n")) {
        int tab = line.indexOf('\t');
        if (tab < 0) {
          continue;
        }
        String hash = line.substring(0, tab);
        String path = line.substring(tab + 1);
        try {
          java.nio.file.Path file = tree.resolve(path);
          if (hash.equals("-")) {
            if (!java.nio.file.Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
              ctx.db().removeReplicaFile(peer, path);
            }
          } else if (java.nio.file.Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
              && tree.hash(path).equals(hash)) {
            var a = java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
            ctx.db().putReplicaFile(peer, new StateDb.IndexedFile(path, a.size(),
                LocalTree.indexMtime(a.lastModifiedTime().toMillis()), hash));
          }
        } catch (IOException | SyftException e) {
          LOG.debug("not recovering {}: {}", path, e.getMessage()); // left to the normal scan
        }
      }
      ctx.db().removeMeta(APPLYING + peer);
    });
  }

  private void handleNotices(String peer, LocalTree tree, byte[] content, List<Runnable> dbWork) {
    // the file is cumulative: act only on notices newer than the last ones handled
    String key = "notices_seen_at:" + peer;
    double handled = ctx.db().meta(key).map(Double::parseDouble).orElse(0.0);
    double newest = handled;
    for (Notices.Notice n : Notices.parse(content)) {
      if (n.at() <= handled) {
        continue;
      }
      newest = Math.max(newest, n.at());
      if (n.kind().equals("rejected") && n.message() != null) {
        rollBack(peer, tree, n.message(), String.valueOf(n.reason()), n.at());
      } else if (n.kind().equals("revoked") && n.path() != null && DatasitePaths.isSafe(n.path())) {
        String p = DatasitePaths.normalize(n.path());
        Path dest = revokedDir(peer).resolve(p);
        try {
          if (java.nio.file.Files.exists(tree.resolve(p))) {
            tree.moveOut(p, dest);
            dbWork.add(() -> {
              ctx.db().removeReplicaFile(peer, p);
              ctx.db().markRevoked(peer, p, dest.toString(), n.at());
            });
          }
        } catch (IOException | SyftException e) {
          LOG.warn("could not move revoked {} of {} aside: {}", p, peer, e.getMessage());
        }
      }
    }
    double mark = newest;
    dbWork.add(() -> ctx.db().setMeta(key, Double.toString(mark)));
  }

  // ------------------------------------------------------------------ refusals

  Path rejectedDir(String peer) {
    return ctx.home().stateDir().resolve("rejected").resolve(peer);
  }

  /**
   * The owner refused our message {@code message}: every change of it still in its path's live chain
   * goes back to the owner's last known state in the index, so later edits are proposed against what
   * the owner really has. What happens to the file on disk depends on whether the
   * refusal is final for it: it is when the message held only this change or the reason names its
   * path. A finally refused new file is moved to {@code .syft/rejected/<peer>/} (the replica then
   * matches the owner); a finally refused edit or deletion stays as it is and is not proposed again
   * until it changes (we have no copy of the owner's version; its next version replaces it). Other
   * changes are proposed again next round apart from new work, each alone when the reason named no
   * path. Runs in its own
   * transaction: later refusals in the same notice file must see this one's outcome.
   */
  private void rollBack(String peer, LocalTree tree, String message, String reason, double at) {
    List<InFlight.Refused> pending = InFlight.unsettled(ctx.db(), peer, message);
    List<StateDb.SqlVoid> work = new ArrayList<>();
    int changes = 0;
    int moved = 0;
    if (!pending.isEmpty()) {
      int size = pending.get(0).change().messageSize();
      Set<String> culprits = new java.util.TreeSet<>();
      for (InFlight.Refused r : pending) {
        if (reason.contains(DatasitePaths.printable(r.change().path()))) {
          culprits.add(r.change().path());
        }
      }
      boolean alone = size > 1 && culprits.isEmpty();
      for (InFlight.Refused r : pending) {
        work.add(() -> InFlight.forget(ctx.db(), peer, r));
        if (!r.current()) {
          continue; // a later proposal or the owner's own event already replaced it
        }
        changes++;
        String path = r.change().path();
        String proposed = r.change().newHash();
        boolean last = size == 1 || culprits.contains(path);
        boolean onDisk = Objects.equals(diskHash(tree, path), proposed);
        String owner = r.ownerHash();
        if (last && onDisk && proposed != null && owner == null && moveAside(peer, tree, path)) {
          moved++;
          work.add(() -> ctx.db().removeReplicaFile(peer, path));
          continue;
        }
        if (owner == null) {
          work.add(() -> ctx.db().removeReplicaFile(peer, path));
        } else {
          // unknown size and time: the next scan hashes the file and compares it with the owner's hash
          work.add(() -> ctx.db().putReplicaFile(peer, new StateDb.IndexedFile(path, -1, -1, owner)));
        }
        if (last && onDisk) {
          work.add(() -> InFlight.hold(ctx.db(), peer, path, proposed == null ? "-" : proposed));
        } else {
          work.add(() -> InFlight.markRetry(ctx.db(), peer, path, alone));
        }
      }
    }
    int rolled = changes;
    int aside = moved;
    if (rolled > 0) {
      LOG.warn("{} refused {} change(s) of {}, rolled back: {}", peer, rolled, message, reason);
    }
    ctx.db().inTransaction(() -> {
      for (StateDb.SqlVoid w : work) {
        w.run();
      }
      ctx.db().recordRejectedProposal(peer, message, reason, at);
      if (rolled > 0) {
        ctx.db().setMeta(ROLLED_BACK + peer + "|" + message,
            rolled + "\t" + aside + "\t" + at + "\t" + peer + "\t" + message + "\t" + reason);
      }
    });
  }

  /** Meta key prefix of the rollbacks shown in status: {@code <peer>|<message>}. */
  private static final String ROLLED_BACK = "rolledback:";

  /** Every refused proposal whose changes were rolled back, oldest first. */
  static List<dev.syft.core.Status.RolledBack> rolledBack(StateDb db) {
    List<dev.syft.core.Status.RolledBack> out = new ArrayList<>();
    for (String v : db.metaWithPrefix(ROLLED_BACK).values()) {
      String[] f = v.split("\t", 6);
      if (f.length == 6) {
        try {
          out.add(new dev.syft.core.Status.RolledBack(f[3], f[4], Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[5],
              Epoch.instant(Double.parseDouble(f[2]))));
        } catch (NumberFormatException e) {
          // not ours; ignored
        }
      }
    }
    out.sort(Comparator.comparing(dev.syft.core.Status.RolledBack::at));
    return out;
  }

  /** The hash of the replica file at {@code path}, or null when there is no regular file. */
  private static String diskHash(LocalTree tree, String path) {
    try {
      Path file = tree.resolve(path);
      if (!java.nio.file.Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      return tree.hash(path);
    } catch (IOException | SyftException e) {
      return null;
    }
  }

  private boolean moveAside(String peer, LocalTree tree, String path) {
    try {
      tree.moveOut(path, rejectedDir(peer).resolve(path));
      return true;
    } catch (IOException | SyftException e) {
      LOG.warn("could not move the refused {} aside: {}", DatasitePaths.printable(path), e.getMessage());
      return false;
    }
  }

  private void quarantine(String peer, Entry e, StateDb.Kept raw, String reason, double ts) {
    quarantine(peer, e.name(), raw, reason, ts);
  }

  private void quarantine(String peer, String name, StateDb.Kept raw, String reason, double ts) {
    LOG.warn("quarantined events message {} from {}: {}", name, peer, reason);
    double now = ctx.now();
    ctx.db().inTransaction(() -> {
      ctx.db().quarantine(peer, name, reason, raw, now);
      ctx.db().markSeen(peer, name, ts, -1);
    });
  }
}
