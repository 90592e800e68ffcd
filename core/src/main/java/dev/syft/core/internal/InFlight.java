package dev.syft.core.internal;

import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.ProposedFileChange;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The DS's proposals that the data owner has not echoed back yet, per replica path, kept in the
 * state database's meta table. They decide whether an incoming event may overwrite the replica:
 * the echo of an older proposal (or the owner re-sending the state a newer proposal was based on)
 * must not overwrite a newer local edit that is still on its way to the owner. Without this, a
 * sync that proposed edit v2 and then pulled the echo of v1 put v1 back on disk (found by
 * FaultConvergenceTest; a user edit made during that sync was lost for good).
 *
 * <p>An echo carries the id of the proposed change (PROTOCOL.md: the accepted change's id becomes
 * the event's id), which is how ours are recognised.
 */
final class InFlight {
  /** {@code <peer>|<path>} to {@code <change id>|<old hash or empty>} of our newest proposal. */
  private static final String LATEST = "inflight:latest:";
  /** {@code <peer>|<change id>} to the path, for every proposal not yet echoed. */
  private static final String ID = "inflight:id:";

  private InFlight() {}

  /** Records a change we are proposing; call in the transaction that journals the proposal. */
  static void record(StateDb db, String peer, ProposedFileChange c) {
    String path = c.pathInDatasite();
    db.setMeta(LATEST + peer + "|" + path, c.id() + "|" + (c.oldHash() == null ? "" : c.oldHash()));
    db.setMeta(ID + peer + "|" + c.id(), path);
  }

  /**
   * Whether {@code ev} from {@code peer} may change the replica file at {@code path}; queues the
   * bookkeeping it implies on {@code dbWork} (run in the apply transaction).
   */
  static boolean mayApply(StateDb db, String peer, String path, FileChangeEvent ev, List<Runnable> dbWork) {
    Optional<String> latest = db.meta(LATEST + peer + "|" + path);
    String evId = ev.id().toString();
    if (latest.isPresent()) {
      String[] parts = latest.get().split("\\|", 2);
      String newestId = parts[0];
      String base = parts.length < 2 || parts[1].isEmpty() ? null : parts[1];
      if (evId.equals(newestId)) {
        dbWork.add(() -> settle(db, peer, path, evId));
        return !alreadyHeld(db, peer, path, ev); // our own newest state: normally nothing to write
      }
      if (db.meta(ID + peer + "|" + evId).isPresent()) {
        dbWork.add(() -> db.removeMeta(ID + peer + "|" + evId));
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
    db.removeMeta(LATEST + peer + "|" + path);
    db.removeMeta(ID + peer + "|" + id);
  }
}
