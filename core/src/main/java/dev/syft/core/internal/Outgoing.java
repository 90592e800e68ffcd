package dev.syft.core.internal;

import dev.syft.transport.Entry;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
   * Journals an encoded message. One encoded to a file is moved (durably) into the home's outgoing
   * folder first and the journal names it; if the transaction then rolls back, the file is an orphan
   * that {@link #flush} sweeps.
   */
  void enqueue(Target target, String peer, String name, Blobs.Encoded payload) {
    if (payload.bytes() != null) {
      enqueue(target, peer, name, payload.bytes());
      return;
    }
    Path dir = dir();
    String file = java.util.UUID.randomUUID() + ".tar.gz";
    try {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(payload.file(),
          java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(payload.file(), dir.resolve(file), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      payload.discard();
      throw DiskErrors.classify(e, dir, x -> new SyftException("journal-failed",
          "cannot journal " + name + " in " + dir + ": " + x.getMessage(), x));
    }
    ctx.db().enqueueOutgoing(target.name(), peer, name, null, file, ctx.now());
  }

  private Path dir() {
    Path dir = ctx.home().stateDir().resolve("outgoing");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw DiskErrors.classify(e, dir, x -> new SyftException("journal-failed", "cannot create " + dir + ": "
          + x.getMessage(), x));
    }
    return dir;
  }

  /** Deletes files of the outgoing folder no pending message names (left by a rolled-back transaction or a crash). */
  private void sweep(java.util.List<StateDb.Outgoing> pending) {
    Path dir = ctx.home().stateDir().resolve("outgoing");
    if (!Files.isDirectory(dir)) {
      return;
    }
    java.util.Set<String> named = new java.util.HashSet<>();
    pending.forEach(o -> named.add(o.payloadFile()));
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (!named.contains(p.getFileName().toString())) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("could not sweep {}: {}", dir, e.getMessage());
    }
  }

  /**
   * Uploads every journalled message, oldest first. A failure for one peer leaves its messages queued
   * and moves on; returns the number uploaded.
   */
  int flush() {
    int sent = 0;
    java.util.Set<String> failedPeers = new java.util.HashSet<>();
    java.util.List<StateDb.Outgoing> pending = ctx.db().pendingOutgoing();
    sweep(pending);
    for (StateDb.Outgoing o : pending) {
      String key = o.target() + "|" + o.peer();
      if (failedPeers.contains(key)) {
        continue; // keep per-destination order: nothing overtakes a failed message
      }
      try {
        Entry folder = folderFor(Target.valueOf(o.target()), o.peer());
        try {
          // the one place outgoing bytes are sealed: to a peer that publishes a trusted key, as SYC2
          Target t = Target.valueOf(o.target());
          boolean toPeer = t == Target.PEER_INBOX || t == Target.PEER_OUTBOX;
          if (o.payloadFile() == null) {
            byte[] payload = ctx.db().outgoingPayload(o.seq());
            ctx.storage().write(folder, o.name(), toPeer ? ctx.e2e().seal(o.peer(), payload) : payload, WriteMode.CREATE);
          } else {
            Path plain = dir().resolve(o.payloadFile());
            Path upload = toPeer ? ctx.e2e().seal(o.peer(), plain) : plain;
            try (java.io.InputStream in = Files.newInputStream(upload)) {
              ctx.storage().write(folder, o.name(), in, WriteMode.CREATE);
            } finally {
              if (!upload.equals(plain)) {
                Files.deleteIfExists(upload);
              }
            }
          }
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
        if (o.payloadFile() != null) {
          Files.deleteIfExists(dir().resolve(o.payloadFile()));
        }
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
