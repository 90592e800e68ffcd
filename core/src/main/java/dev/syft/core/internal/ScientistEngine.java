package dev.syft.core.internal;

import dev.syft.core.internal.Outgoing.Target;
import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.ProposedFileChange;
import dev.syft.protocol.model.ProposedFileChangesMessage;
import dev.syft.transport.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    LocalTree tree = replica(peer);
    recoverInterruptedApply(peer, tree);
    Map<String, LocalTree.Seen> seen;
    try {
      seen = tree.scan(p -> OwnerEngine.syncable(p) && !Notices.isNoticeFile(p, ctx.me()));
    } catch (IOException e) {
      throw new SyftException("scan-failed", "cannot scan the replica " + tree.root() + ": " + e.getMessage(), e);
    }
    Map<String, StateDb.IndexedFile> index = ctx.db().replicaFiles(peer);
    double now = ctx.now();
    List<ProposedFileChange> changes = new ArrayList<>();
    List<StateDb.IndexedFile> updates = new ArrayList<>();
    List<String> removals = new ArrayList<>();
    for (LocalTree.Seen s : seen.values()) {
      StateDb.IndexedFile known = index.get(s.path());
      if (known != null && known.size() == s.size() && known.mtime() == s.mtime()) {
        continue;
      }
      byte[] content;
      try {
        content = tree.read(s.path());
      } catch (IOException e) {
        continue;
      }
      String hash = LocalTree.sha256Hex(content);
      updates.add(new StateDb.IndexedFile(s.path(), s.size(), LocalTree.indexMtime(s.mtime()), hash));
      if (known != null && known.sha256().equals(hash)) {
        continue;
      }
      changes.add(Wire.proposedChange(UUID.randomUUID(), known == null ? null : known.sha256(), hash, now,
          s.path(), content, peer));
    }
    List<String> gone = new ArrayList<>();
    for (StateDb.IndexedFile known : index.values()) {
      if (!seen.containsKey(known.path()) && !Notices.isNoticeFile(known.path(), ctx.me())) {
        gone.add(known.path());
      }
    }
    // too many at once (a replica renamed away, a bad rm) waits for sync --allow-mass-delete
    for (String path : ctx.deletions().admit(peer, gone, index.size())) {
      removals.add(path);
      changes.add(Wire.proposedDeletion(UUID.randomUUID(), index.get(path).sha256(), now, path, peer));
    }
    if (changes.isEmpty() && updates.isEmpty()) {
      return 0;
    }
    ctx.db().inTransaction(() -> {
      // optimistic, like the reference: the DO's echo or rejection notice settles it
      updates.forEach(u -> ctx.db().putReplicaFile(peer, u));
      removals.forEach(r -> ctx.db().removeReplicaFile(peer, r));
      if (!changes.isEmpty()) {
        ProposedFileChangesMessage m = Wire.proposalMessage(ctx.me(), changes, now);
        outgoing.enqueue(Target.PEER_INBOX, peer, m.fileName(), Wire.encode(m));
        changes.forEach(ch -> InFlight.record(ctx.db(), peer, ch));
      }
    });
    if (!changes.isEmpty()) {
      LOG.info("proposed {} change(s) to {}", changes.size(), peer);
    }
    return changes.size();
  }

  // ------------------------------------------------------------------ pull

  /** Downloads and applies every new events message from {@code peer}. Returns the number of events applied. */
  int pull(String peer, ChangeHints hints) throws IOException {
    Entry outbox = ctx.folders().myOutboxFrom(peer);
    if (!hints.mayHaveChanged(outbox)) {
      return 0;
    }
    double watermark = ctx.db().watermark(peer);
    Map<String, Long> seen = ctx.db().seenNames(peer);
    List<Entry> fresh = new ArrayList<>();
    for (Entry e : ctx.storage().listAll(outbox)) {
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
    Map<Entry, Object> downloaded;
    try {
      downloaded = download(fresh);
    } finally {
      if (report) {
        ctx.progress().end();
      }
    }
    int applied = 0;
    double newest = watermark;
    for (Entry e : fresh) {
      Object r = downloaded.get(e);
      double ts = Wire.eventsTimestamp(e.name()).orElseThrow();
      if (r instanceof IOException io && !(io instanceof dev.syft.transport.StorageException se && !se.isTransient())) {
        LOG.warn("could not download {} from {}, will retry: {}", e.name(), peer, io.getMessage());
        break; // keep order: later messages wait for this one
      }
      if (r instanceof Exception ex) {
        quarantine(peer, e, null, "unreadable events message: " + ex.getMessage(), ts);
        continue;
      }
      FileChangeEventsMessage m = (FileChangeEventsMessage) r;
      applied += apply(peer, e.name(), m, ts, e.size());
      newest = Math.max(newest, ts);
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

  private Map<Entry, Object> download(List<Entry> files) {
    Map<Entry, Object> out = new LinkedHashMap<>();
    Semaphore bound = new Semaphore(ctx.ioParallelism());
    Map<Entry, Future<Object>> futures = new LinkedHashMap<>();
    for (Entry e : files) {
      futures.put(e, ctx.io().submit(() -> {
        bound.acquire();
        try {
          byte[] raw = ctx.storage().readAll(e, ctx.limits().maxMessageBytes());
          ctx.progress().advance(1);
          return Wire.decodeEvents(raw, ctx.limits());
        } catch (IOException | SyftException ex) {
          return ex;
        } finally {
          bound.release();
        }
      }));
    }
    for (var f : futures.entrySet()) {
      try {
        out.put(f.getKey(), f.getValue().get());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new SyftException("interrupted", "sync interrupted");
      } catch (java.util.concurrent.ExecutionException ex) {
        out.put(f.getKey(), ex.getCause());
      }
    }
    return out;
  }

  /** Applies one message; events that name another datasite or an unsafe path make it quarantined whole. */
  private int apply(String peer, String name, FileChangeEventsMessage m, double ts, long size) {
    for (FileChangeEvent ev : m.events()) {
      if (!peer.equalsIgnoreCase(ev.datasiteEmail())) {
        quarantine(peer, name, m, "event for datasite " + ev.datasiteEmail() + " arrived from " + peer, ts);
        return 0;
      }
      if (!DatasitePaths.isSafe(ev.pathInDatasite())) {
        quarantine(peer, name, m, "unsafe path " + DatasitePaths.printable(ev.pathInDatasite()), ts);
        return 0;
      }
    }
    // the same message under a new name would roll the replica back to old content (found by
    // HostilePeerTest); a replaced file of the same name (outbox compaction) is not a replay
    if (ctx.db().receivedMessageIdElsewhere(peer, m.id().toString(), name)) {
      quarantine(peer, name, m, "replay of events message " + m.id() + ", which was already applied", ts);
      return 0;
    }
    LocalTree tree = replica(peer);
    List<FileChangeEvent> ordered = new ArrayList<>(m.events());
    // notices first, so a revocation moves the file aside before its deletion event arrives
    ordered.sort(Comparator.comparing((FileChangeEvent ev) -> !Notices.isNoticeFile(
        DatasitePaths.normalize(ev.pathInDatasite()), ctx.me())).thenComparingDouble(FileChangeEvent::timestamp));
    List<Runnable> dbWork = new ArrayList<>();
    ctx.db().setMeta(APPLYING + peer, intent(ordered)); // see recoverInterruptedApply
    try {
      for (FileChangeEvent ev : ordered) {
        String path = DatasitePaths.normalize(ev.pathInDatasite());
        if (!Notices.isNoticeFile(path, ctx.me()) && !InFlight.mayApply(ctx.db(), peer, path, ev, dbWork)) {
          continue; // older than our own edit still in flight, or already held: keep the disk as it is
        }
        if (ev.deleted()) {
          tree.delete(path);
          dbWork.add(() -> ctx.db().removeReplicaFile(peer, path));
        } else {
          byte[] content = ev.content() == null ? new byte[0] : ev.content().bytes();
          LocalTree.Seen s = tree.write(path, content);
          String hash = LocalTree.sha256Hex(content);
          dbWork.add(() -> {
            ctx.db().putReplicaFile(peer, new StateDb.IndexedFile(path, s.size(), LocalTree.indexMtime(s.mtime()), hash));
            ctx.db().clearRevoked(peer, path);
          });
          if (Notices.isNoticeFile(path, ctx.me())) {
            handleNotices(peer, tree, content, dbWork);
          }
        }
      }
    } catch (IOException | SyftException e) {
      throw new SyftException("apply-failed", "could not apply " + name + " from " + peer + ": " + e.getMessage(), e);
    }
    ctx.db().inTransaction(() -> {
      dbWork.forEach(Runnable::run);
      ctx.db().markSeen(peer, name, ts, size);
      ctx.db().recordReceived(peer, name, m.id().toString(), "applied", ctx.now());
      ctx.db().removeMeta(APPLYING + peer);
    });
    return m.events().size();
  }

  /** Meta key of the message being applied to a replica: one {@code <new hash or ->\t<path>} line per event. */
  private static final String APPLYING = "applying:";

  private static String intent(List<FileChangeEvent> events) {
    StringBuilder sb = new StringBuilder();
    for (FileChangeEvent ev : events) {
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

  private void handleNotices(String peer, LocalTree tree, byte[] content, List<Runnable> dbWork) throws IOException {
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
        dbWork.add(() -> ctx.db().recordRejectedProposal(peer, n.message(), String.valueOf(n.reason()), n.at()));
      } else if (n.kind().equals("revoked") && n.path() != null && DatasitePaths.isSafe(n.path())) {
        String p = DatasitePaths.normalize(n.path());
        Path dest = revokedDir(peer).resolve(p);
        if (java.nio.file.Files.exists(tree.resolve(p))) {
          tree.moveOut(p, dest);
          dbWork.add(() -> {
            ctx.db().removeReplicaFile(peer, p);
            ctx.db().markRevoked(peer, p, dest.toString(), n.at());
          });
        }
      }
    }
    double mark = newest;
    dbWork.add(() -> ctx.db().setMeta(key, Double.toString(mark)));
  }

  private void quarantine(String peer, Entry e, FileChangeEventsMessage m, String reason, double ts) {
    quarantine(peer, e.name(), m, reason, ts);
  }

  private void quarantine(String peer, String name, FileChangeEventsMessage m, String reason, double ts) {
    LOG.warn("quarantined events message {} from {}: {}", name, peer, reason);
    double now = ctx.now();
    ctx.db().inTransaction(() -> {
      ctx.db().quarantine(peer, name, reason, m == null ? null : Wire.encode(m), now);
      ctx.db().markSeen(peer, name, ts, -1);
    });
  }
}
