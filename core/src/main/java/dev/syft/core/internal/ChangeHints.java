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
 * modification times where they track children (one listing of our root); otherwise, and at least
 * every {@link #FULL_LISTING_SECONDS}, every folder is listed. Hints only ever add work: a folder is
 * skipped only when the store says it did not change.
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

  private final SyncContext ctx;
  private Set<String> changed; // null = unknown: list everything
  private String nextCursor;
  private final Map<String, String> seenTimes = new HashMap<>();
  private Set<String> reported = Set.of(); // what the store itself reported changed this round

  ChangeHints(SyncContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Computes the hints for this round.
   *
   * @param peerInboxes the peer-owned folders from this round's discovery (fresh metadata)
   */
  void prepare(List<Entry> peerInboxes) {
    changed = null;
    double now = ctx.now();
    double lastFull = ctx.db().meta("hints:last_full").map(Double::parseDouble).orElse(0.0);
    Capabilities caps = ctx.storage().capabilities();
    try {
      if (caps.changeFeed().isPresent()) {
        ChangeFeed feed = caps.changeFeed().get();
        String cursor = ctx.db().meta("hints:cursor").orElse(null);
        if (cursor == null) {
          nextCursor = feed.currentCursor();
        } else {
          ChangeFeed.Changes ch = feed.changesSince(cursor);
          nextCursor = ch.nextCursor();
          if (now - lastFull < FULL_LISTING_SECONDS) {
            changed = new HashSet<>(ch.changedParentIds());
          }
        }
      } else if (caps.folderTimesTrackChildren() && now - lastFull < FULL_LISTING_SECONDS) {
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
      } else if (caps.folderTimesTrackChildren()) {
        for (Entry e : peerInboxes) {
          seenTimes.put(e.id(), String.valueOf(e.modified()));
        }
        for (Entry e : ctx.storage().listAll(ctx.folders().layout().root())) {
          if (e.folder()) {
            seenTimes.put(e.id(), String.valueOf(e.modified()));
          }
        }
      }
      if (changed != null) {
        reported = Set.copyOf(changed);
        for (Map.Entry<String, String> r : ctx.db().metaWithPrefix(RECENT).entrySet()) {
          if (now - Double.parseDouble(r.getValue()) < SETTLE_SECONDS) {
            changed.add(r.getKey()); // reported a moment ago: its listing may still have been behind
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no change hints this round: {}", e.getMessage());
      changed = null;
      reported = Set.of();
    }
  }

  private void note(Entry e, Set<String> out) {
    String t = String.valueOf(e.modified());
    seenTimes.put(e.id(), t);
    if (!t.equals(ctx.db().meta("hints:t:" + e.id()).orElse(null))) {
      out.add(e.id());
    }
  }

  /** True when {@code folder} must be listed this round. */
  boolean mayHaveChanged(Entry folder) {
    return changed == null || changed.contains(folder.id());
  }

  /** Records that the round processed everything up to the hints' point. Call after a successful round. */
  void commit() {
    ctx.db().inTransaction(() -> {
      if (nextCursor != null) {
        ctx.db().setMeta("hints:cursor", nextCursor);
      }
      seenTimes.forEach((id, t) -> ctx.db().setMeta("hints:t:" + id, t));
      double now = ctx.now();
      if (changed == null) {
        ctx.db().setMeta("hints:last_full", Double.toString(now));
      }
      for (Map.Entry<String, String> r : ctx.db().metaWithPrefix(RECENT).entrySet()) {
        if (now - Double.parseDouble(r.getValue()) >= SETTLE_SECONDS) {
          ctx.db().removeMeta(RECENT + r.getKey());
        }
      }
      for (String id : reported) {
        ctx.db().setMeta(RECENT + id, Double.toString(now));
      }
    });
  }
}
