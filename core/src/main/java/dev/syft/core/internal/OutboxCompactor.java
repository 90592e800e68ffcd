package dev.syft.core.internal;

import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileChangeEventsMessage;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.archive.SpooledEvents;
import dev.syft.protocol.names.EventsName;
import dev.syft.protocol.names.FileNames;
import dev.syft.transport.Entry;
import dev.syft.transport.WriteMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps peers' outboxes small. Once an outbox holds 20 or more of our events messages, they are merged
 * into one that keeps the latest event per path (deletions included) and is written under the name of
 * the newest original, replacing it in place; the other originals are then deleted.
 *
 * <p>A reader that already applied the newest original skips the merged message (same name); a reader
 * that missed something notices the replaced content (the size changed) and reads it; a new reader gets
 * a compact history instead of every message. A crash between the write and the deletes leaves only
 * redundant messages, which are harmless because events carry full content. Costs no storage call
 * while fewer than 20 messages were uploaded to the outbox since the last check.
 */
final class OutboxCompactor {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxCompactor.class);

  private final SyncContext ctx;
  private final int threshold;

  OutboxCompactor(SyncContext ctx) {
    this(ctx, ctx.home().config().outboxCompactThreshold());
  }

  OutboxCompactor(SyncContext ctx, int threshold) {
    this.ctx = ctx;
    this.threshold = threshold;
  }

  /** Counts an upload to {@code peer}'s outbox (called by the journal after the store acknowledged). */
  static void countUpload(StateDb db, String peer) {
    int n = db.meta("outbox_uploads:" + peer).map(Integer::parseInt).orElse(0);
    db.setMeta("outbox_uploads:" + peer, Integer.toString(n + 1));
  }

  void compactIfNeeded(List<String> peers) throws IOException {
    for (String peer : peers) {
      int uploads = ctx.db().meta("outbox_uploads:" + peer).map(Integer::parseInt).orElse(0);
      if (uploads >= threshold) {
        compact(peer);
      }
    }
  }

  /** Merges the outbox of {@code peer} if it holds enough messages; returns how many were merged. */
  int compact(String peer) throws IOException {
    Optional<Entry> outbox = ctx.folders().peerOwnedOutbox(peer);
    if (outbox.isEmpty()) {
      return 0;
    }
    List<Entry> mine = new ArrayList<>();
    for (Entry e : ctx.storage().listAll(outbox.get())) {
      if (!e.folder() && ctx.me().equals(e.owner()) && FileNames.isUsableEventsName(e.name())) {
        mine.add(e);
      }
    }
    ctx.db().setMeta("outbox_uploads:" + peer, "0");
    if (mine.size() < threshold) {
      return 0;
    }
    mine.sort(Comparator.comparingDouble((Entry e) -> FileNames.parseEvents(e.name()).timestamp()).thenComparing(Entry::name));
    // streamed: a message's large contents wait in the home's blob folder, whatever their size
    Map<String, SpooledEvents.Event> latest = new LinkedHashMap<>();
    List<SpooledEvents> open = new ArrayList<>();
    try (Blobs blobs = new Blobs(ctx)) {
      for (Entry e : mine) {
        try (java.io.InputStream in = ctx.e2e().openerFor(ctx.me(), true).open(ctx.storage().read(e))) {
          open.add(Wire.readEvents(PayloadKind.EVENTS, in, ctx.limits(), ctx.clock(), ctx.blobDir()));
        }
        List<SpooledEvents.Event> events = new ArrayList<>(open.get(open.size() - 1).events());
        events.sort(Comparator.comparingDouble(SpooledEvents.Event::timestamp));
        for (SpooledEvents.Event ev : events) {
          latest.remove(ev.pathInDatasite());
          latest.put(ev.pathInDatasite(), ev);
        }
      }
      List<FileChangeEvent> merged = new ArrayList<>();
      for (SpooledEvents.Event ev : latest.values()) {
        merged.add(new FileChangeEvent(ev.id(), ev.pathInDatasite(), ev.datasiteEmail(),
            ev.content() == null ? null : blobs.of(ev.content()), ev.oldHash(), ev.newHash(), ev.deleted(),
            ev.submittedTimestamp(), ev.timestamp()));
      }
      Entry newest = mine.get(mine.size() - 1);
      EventsName name = FileNames.parseEvents(newest.name());
      Blobs.Encoded encoded = blobs.encode(new FileChangeEventsMessage(merged, name.id(), name.timestamp()));
      try {
        if (encoded.bytes() != null) {
          ctx.storage().write(outbox.get(), newest.name(), ctx.e2e().seal(peer, encoded.bytes()), WriteMode.REPLACE);
        } else {
          java.nio.file.Path upload = ctx.e2e().seal(peer, encoded.file());
          try (java.io.InputStream in = java.nio.file.Files.newInputStream(upload)) {
            ctx.storage().write(outbox.get(), newest.name(), in, WriteMode.REPLACE);
          } finally {
            if (!upload.equals(encoded.file())) {
              java.nio.file.Files.deleteIfExists(upload);
            }
          }
        }
      } finally {
        encoded.discard();
      }
    } finally {
      open.forEach(SpooledEvents::close);
    }
    for (Entry e : mine.subList(0, mine.size() - 1)) {
      ctx.storage().delete(e);
    }
    LOG.info("compacted {} messages in the outbox of {} into one with {} event(s)", mine.size(), peer, latest.size());
    return mine.size();
  }
}
