package dev.syft.core.internal;

import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.ProposedFileChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The DS's proposals that the data owner has not echoed back yet, per replica path, kept in the
 * state database's meta table. They decide whether an incoming event may overwrite the replica:
 * the echo of an older proposal (or the owner re-sending the state a newer proposal was based on)
 * must not overwrite a newer local edit that is still on its way to the owner. Without this, a
 * sync that proposed edit v2 and then pulled the echo of v1 put v1 back on disk (found by
 * FaultConvergenceTest; a user edit made during that sync was lost for good).
 *
 * <p>The replica index is optimistic: it records our proposed state as soon as we propose. So that a
 * refusal can undo that, each path with proposals in flight also remembers the owner's last known
 * state (the base of the first unconfirmed proposal of its chain, moved on when the owner echoes an
 * older proposal of the chain), and each proposed change remembers its message. Without it, one
 * refused message left the index claiming files the owner never received, and every later edit of
 * them was refused as "expects an existing file" (issue #14).
 *
 * <p>An echo carries the id of the proposed change (PROTOCOL.md: the accepted change's id becomes
 * the event's id), which is how ours are recognised.
 */
final class InFlight {
  /** {@code <peer>|<path>} to {@code <change id>|<old hash or empty>} of our newest proposal. */
  private static final String LATEST = "inflight:latest:";
  /**
   * {@code <peer>|<change id>} for every proposal not yet echoed, to {@code <chain id>\t<new hash or
   * ->\t<message name>\t<changes in the message>\t<path>} (older databases hold just the path).
   */
  private static final String ID = "inflight:id:";
  /** {@code <peer>|<path>} to {@code <chain id>|<owner's last known hash or empty>} while proposals are in flight. */
  private static final String KNOWN = "inflight:known:";
  /**
   * {@code <peer>|<path>} to {@code batch} or {@code alone}: rolled back from a refused message and
   * proposed again apart from new work (together, or each alone when the refusal named no path).
   */
  private static final String RETRY = "inflight:retry:";
  /** {@code <peer>|<path>} to the hash (or {@code -} for a deletion) the owner refused for good; not proposed again. */
  private static final String HELD = "inflight:held:";

  private InFlight() {}

  private static String key(String peer, String rest) {
    return peer + "|" + rest;
  }

  /**
   * Records a change we are proposing in message {@code message} of {@code size} changes; call in the
   * transaction that journals the proposal.
   */
  static void record(StateDb db, String peer, ProposedFileChange c, String message, int size) {
    String path = c.pathInDatasite();
    String chain = null;
    if (db.meta(LATEST + key(peer, path)).isPresent()) {
      chain = db.meta(KNOWN + key(peer, path)).map(v -> v.split("\\|", 2)[0]).orElse(null);
    }
    if (chain == null) {
      // a new chain: the index held the owner's state, which this change is based on
      chain = c.id().toString();
      db.setMeta(KNOWN + key(peer, path), chain + "|" + (c.oldHash() == null ? "" : c.oldHash()));
    }
    db.setMeta(LATEST + key(peer, path), c.id() + "|" + (c.oldHash() == null ? "" : c.oldHash()));
    db.setMeta(ID + key(peer, c.id().toString()), chain + "\t" + (c.deleted() ? "-" : c.newHash()) + "\t" + message
        + "\t" + size + "\t" + path);
  }

  /**
   * Whether {@code ev} from {@code peer} may change the replica file at {@code path}; queues the
   * bookkeeping it implies on {@code dbWork} (run in the apply transaction).
   */
  static boolean mayApply(StateDb db, String peer, String path, FileChangeEvent ev, List<Runnable> dbWork) {
    Optional<String> latest = db.meta(LATEST + key(peer, path));
    String evId = ev.id().toString();
    if (latest.isPresent()) {
      String[] parts = latest.get().split("\\|", 2);
      String newestId = parts[0];
      String base = parts.length < 2 || parts[1].isEmpty() ? null : parts[1];
      if (evId.equals(newestId)) {
        dbWork.add(() -> settle(db, peer, path, evId));
        return !alreadyHeld(db, peer, path, ev); // our own newest state: normally nothing to write
      }
      Optional<String> older = db.meta(ID + key(peer, evId));
      if (older.isPresent()) {
        dbWork.add(() -> {
          db.removeMeta(ID + key(peer, evId));
          // the owner now holds this older change: a refusal of the newer ones rolls back to it
          Optional<Change> ch = Change.parse(evId, older.get());
          Optional<String> known = db.meta(KNOWN + key(peer, path));
          if (ch.isPresent() && known.isPresent() && known.get().startsWith(ch.get().chain() + "|")) {
            db.setMeta(KNOWN + key(peer, path), ch.get().chain() + "|" + (ev.deleted() || ev.newHash() == null ? ""
                : ev.newHash()));
          }
        });
        return false; // the echo of an older proposal of ours; a newer one is in flight
      }
      if (Objects.equals(ev.deleted() ? null : ev.newHash(), base)) {
        return false; // the owner re-sent what our pending proposal was based on: nothing new
      }
      // the owner moved on: its state wins (our pending proposal will come back refused)
      dbWork.add(() -> settle(db, peer, path, newestId));
      return true;
    }
    return !alreadyHeld(db, peer, path, ev);
  }

  /** True when the replica index already records the event's outcome (then the disk is left alone). */
  private static boolean alreadyHeld(StateDb db, String peer, String path, FileChangeEvent ev) {
    Optional<String> have = db.replicaHash(peer, path);
    return ev.deleted() ? have.isEmpty() : have.isPresent() && have.get().equals(ev.newHash());
  }

  private static void settle(StateDb db, String peer, String path, String id) {
    db.removeMeta(LATEST + key(peer, path));
    db.removeMeta(KNOWN + key(peer, path));
    db.removeMeta(ID + key(peer, id));
  }

  // ------------------------------------------------------------------ refusals

  /** A proposed change not yet echoed: its chain, proposed hash (null for a deletion), message and message size. */
  record Change(String id, String chain, String newHash, String message, int messageSize, String path) {
    static Optional<Change> parse(String id, String value) {
      String[] f = value.split("\t", 5);
      if (f.length < 5) {
        return Optional.empty(); // recorded by an older version: no message known
      }
      try {
        return Optional.of(new Change(id, f[0], f[1].equals("-") ? null : f[1], f[2], Integer.parseInt(f[3]), f[4]));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  /** A change of a refused message and, when it is still the path's live chain, the owner's last known hash. */
  record Refused(Change change, boolean current, String ownerHash) {}

  /** The changes of our message {@code message} to {@code peer} that the owner has not echoed. */
  static List<Refused> unsettled(StateDb db, String peer, String message) {
    List<Refused> out = new ArrayList<>();
    for (var e : db.metaWithPrefix(ID + peer + "|").entrySet()) {
      Optional<Change> c = Change.parse(e.getKey(), e.getValue());
      if (c.isEmpty() || !c.get().message().equals(message)) {
        continue;
      }
      String path = c.get().path();
      Optional<String> known = db.meta(KNOWN + key(peer, path));
      boolean current = known.isPresent() && known.get().startsWith(c.get().chain() + "|")
          && db.meta(LATEST + key(peer, path)).isPresent();
      String owner = current ? known.get().substring(c.get().chain().length() + 1) : "";
      out.add(new Refused(c.get(), current, owner.isEmpty() ? null : owner));
    }
    out.sort(java.util.Comparator.comparing(r -> r.change().path()));
    return out;
  }

  /** Forgets a refused change; when it was the live chain, the path has nothing in flight any more. */
  static void forget(StateDb db, String peer, Refused r) {
    db.removeMeta(ID + key(peer, r.change().id()));
    if (r.current()) {
      db.removeMeta(LATEST + key(peer, r.change().path()));
      db.removeMeta(KNOWN + key(peer, r.change().path()));
    }
  }

  static void markRetry(StateDb db, String peer, String path, boolean alone) {
    db.setMeta(RETRY + key(peer, path), alone ? "alone" : "batch");
  }

  /** Rolled-back paths to propose again: path to true when it must travel alone. */
  static Map<String, Boolean> retries(StateDb db, String peer) {
    Map<String, Boolean> out = new java.util.TreeMap<>();
    db.metaWithPrefix(RETRY + peer + "|").forEach((path, how) -> out.put(path, how.equals("alone")));
    return out;
  }

  static void clearRetries(StateDb db, String peer, Set<String> paths) {
    paths.forEach(p -> db.removeMeta(RETRY + key(peer, p)));
  }

  /** Keeps {@code hash} (or {@code -}) at {@code path} from being proposed again. */
  static void hold(StateDb db, String peer, String path, String hash) {
    db.setMeta(HELD + key(peer, path), hash);
  }

  static Map<String, String> held(StateDb db, String peer) {
    return new HashMap<>(db.metaWithPrefix(HELD + peer + "|"));
  }

  static void release(StateDb db, String peer, String path) {
    db.removeMeta(HELD + key(peer, path));
  }
}
