package dev.syft.core.internal;

import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outgoing queue. A message is journalled in the state database in the same transaction
 * as the change that produced it, and removed only after the store acknowledged the upload, so a
 * crash between the two re-sends it (message names are unique, so a re-send is idempotent).
 */
final class Outgoing {
  private static final Logger LOG = LoggerFactory.getLogger(Outgoing.class);

  /** Where a journalled message goes. */
  enum Target {
    /** Our own event log folder. */
    EVENT_LOG,
    /** The outbox of a peer (events from our datasite to them). */
    PEER_OUTBOX,
    /** Our inbox folder at a peer (proposals from us to their datasite). */
    PEER_INBOX
  }

  private final SyncContext ctx;

  Outgoing(SyncContext ctx) {
    this.ctx = ctx;
  }

  void enqueue(Target target, String peer, String name, byte[] payload) {
    ctx.db().enqueueOutgoing(target.name(), peer, name, payload, ctx.now());
  }

  /**
   * Uploads every journalled message, oldest first. A failure for one peer leaves its messages queued
   * and moves on; returns the number uploaded.
   */
  int flush() {
    int sent = 0;
    java.util.Set<String> failedPeers = new java.util.HashSet<>();
    for (StateDb.Outgoing o : ctx.db().pendingOutgoing()) {
      String key = o.target() + "|" + o.peer();
      if (failedPeers.contains(key)) {
        continue; // keep per-destination order: nothing overtakes a failed message
      }
      try {
        Entry folder = folderFor(Target.valueOf(o.target()), o.peer());
        try {
          ctx.storage().write(folder, o.name(), o.payload(), WriteMode.CREATE);
        } catch (StorageException e) {
          if (e.kind() != StorageException.Kind.ALREADY_EXISTS) {
            throw e;
          }
          // an earlier attempt landed before we could record it
        }
        ctx.db().inTransaction(() -> {
          ctx.db().ackOutgoing(o.seq());
          if (Target.valueOf(o.target()) == Target.PEER_OUTBOX) {
            OutboxCompactor.countUpload(ctx.db(), o.peer());
          }
        });
        sent++;
      } catch (IOException | RuntimeException e) {
        failedPeers.add(key);
        ctx.db().failOutgoing(o.seq(), String.valueOf(e.getMessage()));
        LOG.warn("upload of {} to {} {} failed, will retry: {}", o.name(), o.target(), o.peer(), e.getMessage());
      }
    }
    return sent;
  }

  private Entry folderFor(Target target, String peer) throws IOException {
    Optional<Entry> f = switch (target) {
      case EVENT_LOG -> Optional.of(ctx.folders().eventLog());
      case PEER_OUTBOX -> ctx.folders().peerOwnedOutbox(peer);
      case PEER_INBOX -> Optional.of(ctx.folders().myInboxAt(peer));
    };
    return f.orElseThrow(() -> new StorageException(StorageException.Kind.NOT_FOUND,
        "no " + target.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " folder for " + peer + " yet"));
  }
}
