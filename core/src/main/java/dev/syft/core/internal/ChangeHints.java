package dev.syft.core.internal;

import dev.syft.transport.Capabilities;
import dev.syft.transport.ChangeFeed;
import dev.syft.transport.Entry;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a round which watched folders (peer inboxes, our outboxes) may have changed, so an idle sync
 * does not list every folder. Uses the store's change feed when it has one (one call), else folder
 * modification times where they track children (one listing of our root); otherwise every folder is
 * listed. Hints only ever add work: a folder is skipped only when the store says it did not change,
 * and as a safety net every folder is listed again once it was last listed
 * {@link #FULL_LISTING_SECONDS} ago.
 *
 * <p>Those re-listings draw on the round's periodic budget ({@link SyncContext#spendPeriodic}, one
 * call per peer, shared with the version re-checks), so an idle round costs at most P + 2 calls:
 * due folders beyond the budget wait for the next round instead of all being listed at once.
 * (Before, the full listing listed all 2P folders in one round: 2P + 2 calls, 4P + 2 when the
 * hourly version checks fell in the same round; found by CallBudgetTest.)
 */
final class ChangeHints {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeHints.class);
  static final double FULL_LISTING_SECONDS = 300;
  /**
   * A folder the store reported changed is listed again on every round for this long. A listing may
   * lag the change feed or the folder time (Drive's index shows new files seconds to minutes late);
   * without this, a message hidden from the one listing that followed the report waited for the next
   * full listing (found by FaultConvergenceTest with a listing lag).
   */
  static final double SETTLE_SECONDS = 60;
  private static final String RECENT = "hints:recent:";
  private static final String LISTED = "hints:listed:";

  private final SyncContext ctx;
  private Set<String> changed; // null = unknown: list everything
  private String nextCursor;
  private boolean feedRead;
  private List<String> others; // where others' changes lie (null = unknown)
  private final Map<String, String> seenTimes = new HashMap<>();
  private Set<String> reported = Set.of(); // what the store itself reported changed this round
  private final Set<String> listed = new HashSet<>(); // folders this round lists
  private final Set<String> safetyNet = new HashSet<>(); // of those, the ones listed for real as the safety net
  private final Map<String, List<Entry>> prefetched = new HashMap<>(); // safety-net listings done in one request
  private double now;

  ChangeHints(SyncContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Computes the hints for this round.
   *
   * @param peerInboxes the peer-owned folders from this round's discovery (fresh metadata)
   */
  void prepare(List<Entry> peerInboxes) {
    prepare0(peerInboxes);
  }

  /**
   * The safety net where the store lists several folders in one request ({@link
   * dev.syft.transport.Storage#listsSeveralAtOnce}, Drive): after {@link #readFeed}, lists in one
   * request every folder of {@code watchedFolders} that is due (all of them when {@code sharesDue},
   * so both safety nets keep one rhythm), instead of one listing each over several rounds; a folder
   * the store leaves out is listed alone later, on the periodic budget. Returns whether it listed.
   */
  boolean safetyNet(List<Entry> watchedFolders, boolean sharesDue) {
    if (!feedRead || changed == null || watchedFolders.isEmpty() || !ctx.storage().listsSeveralAtOnce()) {
      return false;
    }
    List<Entry> due = new java.util.ArrayList<>();
    Set<String> ids = new HashSet<>();
    boolean anyDue = false;
    for (Entry f : watchedFolders) {
      if (ids.add(f.id())) {
        due.add(f);
        anyDue |= now - listedAt(f.id()) >= FULL_LISTING_SECONDS;
      }
    }
    if (!anyDue && !sharesDue) {
      return false;
    }
    try {
      prefetched.putAll(ctx.storage().listSeveral(due));
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.debug("safety-net listing failed, folders are listed one by one: {}", e.getMessage());
      return false;
    }
  }

  private void prepare0(List<Entry> peerInboxes) {
    now = ctx.now();
    Capabilities caps = ctx.storage().capabilities();
    if (caps.changeFeed().isPresent() && !feedRead) {
      readFeed();
    }
    if (caps.changeFeed().isPresent() && changed == null) {
      reported = Set.of();
      return; // the feed failed: list everything
    }
    try {
      if (caps.changeFeed().isPresent()) {
        changed = new HashSet<>(changed);
      } else if (caps.folderTimesTrackChildren()) {
        changed = null;
        Set<String> s = new HashSet<>();
        for (Entry e : peerInboxes) {
          note(e, s);
        }
        for (Entry e : ctx.storage().listAll(ctx.folders().layout().root())) {
          if (e.folder()) {
            note(e, s);
          }
        }
        changed = s;
      }
      if (changed != null) {
        reported = Set.copyOf(changed);
        for (Map.Entry<String, String> r : ctx.db().metaWithPrefix(RECENT).entrySet()) {
          double reportedAt = Double.parseDouble(r.getValue());
          // reported a moment ago (its listing may still have been behind), or not listed since
          // (e.g. the peer was skipped for its version then: its queued messages must not wait)
          if (now - reportedAt < SETTLE_SECONDS || listedAt(r.getKey()) < reportedAt) {
            changed.add(r.getKey());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no change hints this round: {}", e.getMessage());
      changed = null;
      reported = Set.of();
    }
  }

  /**
   * Reads the change feed, if the store has one (one call), so the round can decide early whether
   * it must search for newly shared folders. {@link #prepare} reads it itself when this was not called.
   */
  void readFeed() {
    feedRead = true;
    changed = null;
    others = null;
    now = ctx.now();
    try {
      var feed = ctx.storage().capabilities().changeFeed();
      if (feed.isEmpty()) {
        return;
      }
      String cursor = ctx.db().meta("hints:cursor").orElse(null);
      if (cursor == null) {
        nextCursor = feed.get().currentCursor();
      } else {
        ChangeFeed.Changes ch = feed.get().changesSince(cursor);
        nextCursor = ch.nextCursor();
        changed = new HashSet<>(ch.changedParentIds());
        others = ch.othersParentIds();
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no change feed this round: {}", e.getMessage());
      changed = null;
      others = null;
    }
  }

  /**
   * Whether someone else may have shared something new with us since the last round: false only
   * when the feed was read, tells owners apart, and every change someone else made lies inside a
   * folder in {@code watched} (a message in a peer folder). Searches for shared folders (peer
   * requests, dataset collections) are skipped when false.
   */
  boolean othersMayHaveSharedSomething(Set<String> watched) {
    if (!feedRead || changed == null || others == null) {
      return true;
    }
    for (String id : others) {
      if (!watched.contains(id)) {
        return true;
      }
    }
    return false;
  }

  /** The folders listed in an earlier round (the ones the round watches through these hints). */
  Set<String> listedBefore() {
    Set<String> out = new HashSet<>();
    for (String k : ctx.db().metaWithPrefix(LISTED).keySet()) {
      out.add(k);
    }
    return out;
  }

  private void note(Entry e, Set<String> out) {
    String t = String.valueOf(e.modified());
    seenTimes.put(e.id(), t);
    if (!t.equals(ctx.db().meta("hints:t:" + e.id()).orElse(null))) {
      out.add(e.id());
    }
  }

  /** True when {@code folder} must be listed this round (the caller then lists it). */
  boolean mayHaveChanged(Entry folder) {
    String id = folder.id();
    boolean list = changed == null || changed.contains(id) || listed.contains(id) || prefetched.containsKey(id);
    if (!list) {
      // the safety-net re-listing, when this round's budget allows it
      list = now - listedAt(id) >= FULL_LISTING_SECONDS && ctx.spendPeriodic(1);
      if (list) {
        safetyNet.add(id);
      }
    }
    if (list) {
      listed.add(id);
    }
    return list;
  }

  /**
   * The children of a folder {@link #mayHaveChanged} chose: from the change feed when it follows the
   * folder (no call; its reports carry every field a listing has), else listed. The safety-net
   * re-listing and rounds without a readable feed always list.
   */
  List<Entry> list(Entry folder) throws IOException {
    List<Entry> pre = prefetched.remove(folder.id());
    if (pre != null) {
      return pre;
    }
    var feed = ctx.storage().capabilities().changeFeed();
    if (feed.isPresent() && feedRead && changed != null && !safetyNet.contains(folder.id())) {
      var known = feed.get().knownChildren(folder);
      if (known.isPresent()) {
        return known.get();
      }
    }
    return ctx.storage().listAll(folder);
  }

  private double listedAt(String id) {
    return ctx.db().meta(LISTED + id).map(Double::parseDouble).orElse(Double.NEGATIVE_INFINITY);
  }

  /** Records that the round processed everything up to the hints' point. Call after a successful round. */
  void commit() {
    ctx.db().inTransaction(() -> {
      if (nextCursor != null) {
        ctx.db().setMeta("hints:cursor", nextCursor);
      }
      seenTimes.forEach((id, t) -> ctx.db().setMeta("hints:t:" + id, t));
      double at = ctx.now();
      for (String id : listed) {
        ctx.db().setMeta(LISTED + id, Double.toString(at));
      }
      for (Map.Entry<String, String> r : ctx.db().metaWithPrefix(RECENT).entrySet()) {
        double reportedAt = Double.parseDouble(r.getValue());
        if (at - reportedAt >= SETTLE_SECONDS && listedAt(r.getKey()) >= reportedAt) {
          ctx.db().removeMeta(RECENT + r.getKey());
        }
      }
      for (String id : reported) {
        ctx.db().setMeta(RECENT + id, Double.toString(at));
      }
    });
  }
}
