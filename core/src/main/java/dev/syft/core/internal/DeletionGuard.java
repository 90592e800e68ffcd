package dev.syft.core.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds back a round's deletions of one tree (the own datasite, or the replica of one peer) when
 * they are too many to be an ordinary edit: more than {@code minFiles} files and more than {@code
 * fraction} of the files tracked there. A folder renamed away, an unmounted disk or a bad {@code rm}
 * would otherwise propagate to every peer. Held deletions are neither published nor forgotten: the
 * files stay in the index, so restoring them costs nothing, and {@code sync --allow-mass-delete}
 * (never the daemon) confirms them. Each tree's held count is kept in the state database for
 * {@code status}.
 */
final class DeletionGuard {
  /** The scope of the own datasite; a replica's scope is its owner's e-mail. */
  static final String OWN = "";
  private static final String META = "held_deletions:";

  private final StateDb db;
  private final int minFiles;
  private final double fraction;
  private final boolean allow;
  private final Map<String, int[]> held = new LinkedHashMap<>();

  DeletionGuard(StateDb db, int minFiles, double fraction, boolean allow) {
    this.db = db;
    this.minFiles = minFiles;
    this.fraction = fraction;
    this.allow = allow;
  }

  /** A guard that lets everything through (tools that only read). */
  static DeletionGuard off(StateDb db) {
    return new DeletionGuard(db, Integer.MAX_VALUE, 1, true);
  }

  /**
   * The deletions of {@code scope} this round may publish: all of them, or none when they are too
   * many and not confirmed. {@code tracked} is the number of files the index holds for the tree.
   */
  List<String> admit(String scope, List<String> deletions, int tracked) {
    boolean mass = deletions.size() > minFiles && deletions.size() > fraction * tracked;
    if (mass && !allow) {
      held.put(scope, new int[] {deletions.size(), tracked});
      db.setMeta(META + scope, deletions.size() + "\t" + tracked);
      return List.of();
    }
    held.remove(scope);
    if (db.meta(META + scope).isPresent()) {
      db.removeMeta(META + scope);
    }
    return deletions;
  }

  /** Scopes whose deletions this round held back: scope to {count, tracked}. */
  Map<String, int[]> heldThisRound() {
    return Collections.unmodifiableMap(held);
  }

  /** Deletions held back by the last round that looked at each scope: scope to {count, tracked}. */
  static Map<String, int[]> heldInDb(StateDb db) {
    Map<String, int[]> out = new LinkedHashMap<>();
    db.metaWithPrefix(META).forEach((scope, v) -> {
      String[] p = v.split("\t");
      try {
        out.put(scope, new int[] {Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0});
      } catch (NumberFormatException e) {
        // unreadable entry: ignored, rewritten by the next round
      }
    });
    return out;
  }

  /** The one-line explanation shown by sync and status. */
  static String message(String scope, int count, int tracked) {
    String where = scope.equals(OWN) ? "your datasite" : "your replica of " + scope;
    return count + " deletions held back in " + where + " (of " + tracked
        + " tracked files); run syft sync --allow-mass-delete to confirm";
  }
}
