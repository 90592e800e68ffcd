package dev.syft.core.internal;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.archive.ArchiveCodec;
import dev.syft.protocol.archive.ArchiveLimits;
import dev.syft.protocol.archive.CheckpointReader;
import dev.syft.protocol.archive.CheckpointWriter;
import dev.syft.protocol.archive.SpooledCheckpoint;
import dev.syft.protocol.archive.SpooledContent;
import dev.syft.protocol.archive.SpooledEvents;
import dev.syft.protocol.model.PayloadKind;
import dev.syft.protocol.model.CheckpointHeader;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.syft.protocol.model.FileChangeEvent;
import dev.syft.protocol.model.FileContent;
import dev.syft.protocol.model.IncrementalCheckpoint;
import dev.syft.protocol.model.RollingState;
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
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data owner's bootstrap material, in the reference's names and payloads: the rolling state (one
 * latest event per path since the last checkpoint), incremental checkpoints (at 50 distinct paths),
 * full checkpoints (compacted from the own datasite at 4 incrementals, or on demand) and the
 * bootstrap of an empty home from them.
 *
 * <p>Fixes of the reference: a full checkpoint records {@code last_event_timestamp}, and bootstrap
 * skips every incremental, rolling-state and event-log event at or before it, so an older incremental
 * can never overwrite newer content; a new full checkpoint is uploaded before anything it covers is
 * deleted, so a crash in between only leaves redundant material; everything is applied in ascending
 * timestamp order; binary content survives (base64 with {@code content_type}).
 */
final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  static final int INCREMENTAL_THRESHOLD = 50;
  static final int COMPACT_THRESHOLD = 4;
  static final int OUTBOX_COMPACT_THRESHOLD = 20;
  /**
   * The rolling state is uploaded at most this often (seconds, on the client's clock), not after every
   * round with events: those events are in the event log already, which bootstrap reads after the
   * rolling state, so a rolling state that lags loses nothing. The first one after a checkpoint goes
   * at once; a dirty one is uploaded once due even in an idle round.
   */
  static final double ROLLING_UPLOAD_SECONDS = 300;

  private final SyncContext ctx;
  private final LocalTree tree;
  private final ArchiveCodec codec;
  private final int incrementalThreshold;
  private final int compactThreshold;

  Checkpoints(SyncContext ctx) {
    this(ctx, ctx.home().config().checkpointThreshold(), ctx.home().config().compactThreshold());
  }

  Checkpoints(SyncContext ctx, int incrementalThreshold, int compactThreshold) {
    this.ctx = ctx;
    this.tree = new LocalTree(ctx.home().datasite());
    this.codec = new ArchiveCodec(new ArchiveLimits(ctx.limits().maxMessageBytes(), ctx.limits().maxArchiveUncompressedBytes()),
        ctx.clock());
    this.incrementalThreshold = incrementalThreshold;
    this.compactThreshold = compactThreshold;
  }

  // ------------------------------------------------------------------ rolling state

  /** Records events in the rolling state. Call inside the transaction that journals them. */
  static void record(StateDb db, List<FileChangeEvent> events) {
    for (FileChangeEvent e : events) {
      db.putRolling(new StateDb.RollingEntry(e.pathInDatasite(), e.id().toString(), e.oldHash(), e.newHash(),
          e.deleted(), e.submittedTimestamp(), e.timestamp()));
    }
    if (!events.isEmpty()) {
      db.setMeta("rolling:dirty", "1");
    }
  }

  /** After a round: upload the rolling state if it changed, cut an incremental, compact. */
  void afterRound() throws IOException {
    int paths = ctx.db().rollingCount();
    if (paths >= incrementalThreshold * compactThreshold) {
      // as much change as a compaction would fold anyway (an initial scan, a bulk import): write the
      // full checkpoint directly, streamed, instead of an incremental held in memory
      createFull();
    } else if (paths >= incrementalThreshold) {
      createIncremental();
    } else if (ctx.db().meta("rolling:dirty").filter("1"::equals).isPresent() && rollingUploadDue()) {
      uploadRollingState();
    }
  }

  private List<FileChangeEvent> rollingEvents(Blobs blobs) {
    List<FileChangeEvent> out = new ArrayList<>();
    for (StateDb.RollingEntry r : ctx.db().rolling()) {
      if (r.deleted()) {
        out.add(Wire.deletionEvent(UUID.fromString(r.eventId()), r.path(), ctx.me(), r.oldHash(), r.submitted(), r.ts()));
        continue;
      }
      FileContent content = blobs.readIf(tree, r.path(), r.newHash());
      if (content == null) {
        continue; // changed or gone since: a newer event will describe it
      }
      out.add(Wire.changeEvent(UUID.fromString(r.eventId()), r.path(), ctx.me(), content, r.oldHash(), r.newHash(),
          r.submitted(), r.ts()));
    }
    return out;
  }

  /** Encodes with this class's codec (and clock), streamed to a file when the payload holds large files. */
  private Blobs.Encoded encode(Blobs blobs, dev.syft.protocol.model.WirePayload payload) throws IOException {
    return blobs.streamed() ? blobs.encode(payload) : new Blobs.Encoded(codec.encode(payload), null);
  }

  private void write(Entry folder, String name, Blobs.Encoded encoded, WriteMode mode) throws IOException {
    try (InputStream in = encoded.open()) {
      ctx.storage().write(folder, name, in, mode);
    } finally {
      encoded.discard();
    }
  }

  private boolean rollingUploadDue() {
    if (ctx.db().meta("rolling:name").isEmpty()) {
      return true; // no rolling state since the last checkpoint
    }
    double last = ctx.db().meta("rolling:uploaded_at").map(Double::parseDouble).orElse(Double.NEGATIVE_INFINITY);
    return ctx.now() - last >= ROLLING_UPLOAD_SECONDS;
  }

  private double baseTimestamp() {
    return ctx.db().meta("rolling:base").map(Double::parseDouble).orElse(0.0);
  }

  void uploadRollingState() throws IOException {
    try (Blobs blobs = new Blobs(ctx)) {
      uploadRollingState(blobs);
    }
  }

  private void uploadRollingState(Blobs blobs) throws IOException {
    List<FileChangeEvent> events = rollingEvents(blobs);
    double now = ctx.now();
    Double last = events.stream().map(FileChangeEvent::timestamp).max(Double::compare).orElse(null);
    RollingState rs = new RollingState(1, now, ctx.me(), baseTimestamp(), last, events);
    Entry folder = ctx.folders().layout().ensureRollingStateFolder();
    String name = ctx.db().meta("rolling:name").orElse(null);
    if (name == null) {
      for (Entry e : ctx.storage().listAll(folder)) {
        if (FileNames.rollingStateTimestamp(e.name()).isPresent()) {
          name = e.name();
        }
      }
    }
    // replaced in place like the reference, so there is one rolling-state file
    write(folder, name != null ? name : rs.fileName(), encode(blobs, rs), WriteMode.REPLACE);
    String written = name != null ? name : rs.fileName();
    ctx.db().inTransaction(() -> {
      ctx.db().setMeta("rolling:name", written);
      ctx.db().setMeta("rolling:dirty", "0");
      ctx.db().setMeta("rolling:uploaded_at", Double.toString(now));
    });
  }

  private void deleteRollingStateFiles() throws IOException {
    Optional<Entry> folder = ctx.folders().layout().findRollingStateFolder();
    if (folder.isPresent()) {
      deleteQuietly(ctx.storage().listAll(folder.get()).stream().filter(e -> !e.folder()).toList());
    }
    ctx.db().removeMeta("rolling:name");
  }

  /** Deletes retired material; a failure only leaves redundant files behind, so it is logged, not thrown. */
  private void deleteQuietly(List<Entry> entries) {
    for (Entry e : entries) {
      try {
        ctx.storage().delete(e);
      } catch (IOException | RuntimeException ex) {
        LOG.warn("could not delete retired {} ({}); the next checkpoint retries", e.name(), ex.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------ checkpoints

  /** What the checkpoints folder holds. */
  record Remote(Entry folder, List<Entry> fulls, List<Entry> incrementals) {
    Optional<Entry> latestFull() {
      return fulls.stream().max(Comparator.comparingDouble(e -> FileNames.checkpointTimestamp(e.name()).orElse(0)));
    }

    int nextSequence() {
      return incrementals.stream().mapToInt(e -> FileNames.incrementalSequence(e.name()).orElse(0)).max().orElse(0) + 1;
    }
  }

  Remote remote() throws IOException {
    Entry folder = ctx.folders().layout().ensureCheckpointsFolder();
    List<Entry> fulls = new ArrayList<>();
    List<Entry> incs = new ArrayList<>();
    for (Entry e : ctx.storage().listAll(folder)) {
      if (e.folder()) {
        continue;
      }
      OptionalInt seq = FileNames.incrementalSequence(e.name());
      if (seq.isPresent()) {
        incs.add(e);
      } else if (e.name().startsWith(FileNames.CHECKPOINT_PREFIX + "_") && FileNames.checkpointTimestamp(e.name()).isPresent()) {
        fulls.add(e);
      }
    }
    incs.sort(Comparator.comparingInt(e -> FileNames.incrementalSequence(e.name()).orElse(0)));
    return new Remote(folder, fulls, incs);
  }

  /** Cuts an incremental checkpoint from the rolling state; compacts when enough have piled up. */
  void createIncremental() throws IOException {
    Remote remote = remote();
    List<FileChangeEvent> events;
    IncrementalCheckpoint inc;
    try (Blobs blobs = new Blobs(ctx)) {
      events = rollingEvents(blobs);
      double now = ctx.now();
      inc = IncrementalCheckpoint.of(ctx.me(), remote.nextSequence(), now, events);
      write(remote.folder(), inc.fileName(), encode(blobs, inc), WriteMode.CREATE);
    }
    double last = events.stream().mapToDouble(FileChangeEvent::timestamp).max().orElse(baseTimestamp());
    resetRolling(last);
    LOG.info("incremental checkpoint {} with {} path(s)", inc.sequenceNumber(), events.size());
    if (remote.incrementals().size() + 1 >= compactThreshold) {
      createFull();
    }
  }

  private void resetRolling(double base) throws IOException {
    deleteRollingStateFiles();
    ctx.db().inTransaction(() -> {
      ctx.db().clearRolling();
      ctx.db().setMeta("rolling:base", Double.toString(base));
      ctx.db().setMeta("rolling:dirty", "0");
    });
  }

  /**
   * Writes a full checkpoint of the own datasite as it is now (the reference's compaction result),
   * then retires every incremental, older full checkpoint and the rolling state it covers.
   */
  dev.syft.core.CheckpointInfo createFull() throws IOException {
    Remote remote = remote();
    double now = ctx.now();
    double lastEvent = Math.max(ctx.db().lastEventLogTimestamp(),
        ctx.db().rolling().stream().mapToDouble(StateDb.RollingEntry::ts).max().orElse(0));
    Path spool = spoolDir();
    Path archive = Files.createTempFile(spool, "checkpoint-", ".tar.gz");
    String name;
    int count;
    // streamed: memory stays O(one file) whatever the size of the datasite
    try (CheckpointWriter w = CheckpointWriter.open(spool, ctx.clock(), ctx.me(), now, lastEvent > 0 ? lastEvent : null)) {
      for (StateDb.IndexedFile f : new java.util.TreeMap<>(ctx.db().ownFiles()).values()) {
        if (!OwnerEngine.syncable(f.path())) {
          continue;
        }
        // a large file is snapshot (hashed on the way) and streamed into the checkpoint
        try (Blobs blobs = new Blobs(ctx)) {
          FileContent content = blobs.readIf(tree, f.path(), f.sha256());
          if (content != null && blobs.source(content) != null) {
            w.addFile(f.path(), f.sha256(), blobs.source(content));
          } else if (content != null) {
            w.addFile(f.path(), f.sha256(), content);
          }
        }
      }
      try (OutputStream out = Files.newOutputStream(archive)) {
        w.finish(out);
      }
      name = w.fileName();
      count = w.fileCount();
      try (InputStream in = Files.newInputStream(archive)) {
        ctx.storage().write(remote.folder(), name, in, WriteMode.CREATE);
      }
    } finally {
      Files.deleteIfExists(archive);
    }
    // only now is it safe to retire what the new checkpoint covers; leftovers are harmless (bootstrap
    // skips what the newest full checkpoint covers) and the next checkpoint retries
    List<Entry> covered = new ArrayList<>(remote.fulls());
    covered.addAll(remote.incrementals());
    deleteQuietly(covered);
    resetRolling(lastEvent);
    pruneCovered(lastEvent);
    LOG.info("full checkpoint with {} file(s)", count);
    return new dev.syft.core.CheckpointInfo(name, count, now, lastEvent > 0 ? lastEvent : null);
  }

  private Path spoolDir() throws IOException {
    Path dir = ctx.home().stateDir().resolve("tmp");
    Files.createDirectories(dir);
    return dir;
  }

  /** Our own checkpoints may be far larger than a peer's message; they come from our own folder. */
  private CheckpointReader ownCheckpointReader() {
    return new CheckpointReader(new ArchiveLimits(64L << 30, 64L << 30), ctx.clock());
  }

  /** Bounded local state: ledgers a checkpoint covers are no longer needed. */
  private void pruneCovered(double upTo) {
    double weekAgo = ctx.now() - 7 * 24 * 3600;
    ctx.db().inTransaction(() -> {
      ctx.db().pruneEventLog(upTo);
      ctx.db().pruneReceived(Math.min(upTo, weekAgo));
      ctx.db().pruneQuarantine(1000);
    });
  }

  // ------------------------------------------------------------------ bootstrap

  /**
   * Restores the own datasite of an empty home from the transport: full checkpoint, then
   * incrementals by sequence, then the rolling state, then the event-log tail, each event applied in
   * ascending timestamp order and only when newer than what the full checkpoint covers. Existing local
   * files are never overwritten. Returns the number of files restored.
   */
  int bootstrapIfNeeded() throws IOException {
    if (ctx.db().meta("bootstrapped").isPresent()) {
      return 0;
    }
    long started = System.nanoTime();
    if (!ctx.db().ownFiles().isEmpty()) {
      ctx.db().setMeta("bootstrapped", "local-state");
      return 0;
    }
    Map<String, SpooledEvents.Event> state = new LinkedHashMap<>();
    List<SpooledEvents> read = new ArrayList<>(); // contents stay spooled until restored
    SpooledCheckpoint base = null;
    double since = 0;
    var layout = ctx.folders().layout();
    try {
      Optional<Entry> cpFolder = layout.findCheckpointsFolder();
      if (cpFolder.isPresent()) {
        Remote remote = remote();
        Optional<Entry> full = remote.latestFull();
        if (full.isPresent()) {
          try (InputStream in = ctx.storage().read(full.get())) {
            base = ownCheckpointReader().spool(in, spoolDir());
          }
          CheckpointHeader h = base.header();
          since = h.lastEventTimestamp() == null ? h.timestamp() : h.lastEventTimestamp();
        }
        for (Entry e : remote.incrementals()) {
          SpooledEvents inc = readEvents(PayloadKind.INCREMENTAL_CHECKPOINT, e, read);
          overlay(state, inc.events(), since);
        }
      }
      Optional<Entry> rollingFolder = layout.findRollingStateFolder();
      if (rollingFolder.isPresent()) {
        for (Entry e : ctx.storage().listAll(rollingFolder.get())) {
          if (FileNames.rollingStateTimestamp(e.name()).isPresent()) {
            overlay(state, readEvents(PayloadKind.ROLLING_STATE, e, read).events(), since);
          }
        }
      }
      double tailFrom = since;
      for (SpooledEvents.Event e : state.values()) {
        tailFrom = Math.max(tailFrom, e.timestamp());
      }
      Optional<Entry> log = layout.findEventLog();
      if (log.isPresent()) {
        List<Entry> tail = new ArrayList<>();
        for (Entry e : ctx.storage().listAll(log.get())) {
          OptionalDouble ts = FileNames.listingTimestamp(e.name());
          if (FileNames.isUsableEventsName(e.name()) && ts.isPresent() && ts.getAsDouble() > since) {
            tail.add(e);
          }
        }
        tail.sort(Comparator.comparingDouble((Entry e) -> FileNames.listingTimestamp(e.name()).orElse(0)).thenComparing(Entry::name));
        for (Entry e : tail) {
          SpooledEvents m = readEvents(PayloadKind.EVENTS, e, read);
          overlay(state, m.events(), since);
          ctx.db().recordEventLog(e.name(), m.timestamp(), m.events().size());
        }
      }
      Map<String, SpooledContent> fromEvents = new LinkedHashMap<>();
      for (SpooledEvents.Event e : state.values()) {
        if (!e.deleted() && e.content() != null) {
          fromEvents.put(e.pathInDatasite(), e.content());
        }
      }
      long total = fromEvents.size() + (base == null ? 0 : base.fileCount());
      boolean report = total >= SyncContext.PROGRESS_MIN_STEPS;
      if (report) {
        ctx.progress().begin(String.format("restoring %,d file(s) from checkpoints", total), total);
      }
      List<StateDb.IndexedFile> written = new ArrayList<>();
      try {
        if (base != null) {
          // the checkpoint's files stream from the spool; paths changed since are taken from the events
          base.forEachStreamedFile((path, hash, content) -> {
            if (!state.containsKey(path)) {
              StateDb.IndexedFile r = restoreOne(path, content);
              if (r != null) {
                written.add(r);
              }
            }
            ctx.progress().advance(1);
          });
        }
        written.addAll(restoreAll(fromEvents));
      } finally {
        if (report) {
          ctx.progress().end();
        }
      }
      double base0 = tailFrom;
      // one transaction; the files were written without per-file fsync: until "bootstrapped" commits,
      // a crash simply restarts the restore
      ctx.db().inTransaction(() -> {
        written.forEach(ctx.db()::putOwnFile);
        ctx.db().setMeta("bootstrapped", "checkpoint");
        ctx.db().setMeta("rolling:base", Double.toString(base0));
      });
      int restored = written.size();
      if (restored > 0) {
        LOG.info("restored {} file(s) of the own datasite from checkpoints and the event log in {} ms", restored,
            (System.nanoTime() - started) / 1_000_000);
      }
      return restored;
    } finally {
      if (base != null) {
        base.close();
      }
      read.forEach(SpooledEvents::close);
    }
  }

  /** Reads an events-bearing archive of our own, streamed; the result is added to {@code open} (closed by the caller). */
  private SpooledEvents readEvents(PayloadKind kind, Entry e, List<SpooledEvents> open) throws IOException {
    try (InputStream in = ctx.storage().read(e)) {
      SpooledEvents m = Wire.readEvents(kind, in, ctx.limits(), ctx.clock(), ctx.blobDir());
      open.add(m);
      return m;
    }
  }

  /** Writes one restored file unless a local file is in the way; returns its index entry or null. */
  private StateDb.IndexedFile restoreOne(String path, SpooledContent content) throws IOException {
    if (!OwnerEngine.syncable(path) || Files.exists(tree.resolve(path))) {
      return null;
    }
    LocalTree.Seen s;
    try (InputStream in = content.open()) {
      s = tree.write(path, in, false);
    }
    return new StateDb.IndexedFile(path, s.size(), LocalTree.indexMtime(s.mtime()), content.sha256());
  }

  /** Latest event per path, applied in ascending timestamp order, ignoring what {@code since} covers. */
  private static void overlay(Map<String, SpooledEvents.Event> state, List<SpooledEvents.Event> events, double since) {
    List<SpooledEvents.Event> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingDouble(SpooledEvents.Event::timestamp));
    for (SpooledEvents.Event e : sorted) {
      if (e.timestamp() <= since) {
        continue;
      }
      SpooledEvents.Event old = state.get(e.pathInDatasite());
      if (old == null || old.timestamp() <= e.timestamp()) {
        state.remove(e.pathInDatasite()); // keep insertion order = application order
        state.put(e.pathInDatasite(), e);
      }
    }
  }

  /**
   * Writes the restored files in parallel (file creation dominates on many file systems), never
   * overwriting an existing local file. Returns the index entries of what was written.
   */
  private List<StateDb.IndexedFile> restoreAll(Map<String, SpooledContent> files) throws IOException {
    java.util.concurrent.Semaphore bound = new java.util.concurrent.Semaphore(ctx.ioParallelism());
    List<java.util.concurrent.Future<StateDb.IndexedFile>> futures = new ArrayList<>();
    for (var f : files.entrySet()) {
      futures.add(ctx.io().submit(() -> {
        bound.acquire();
        try {
          StateDb.IndexedFile r = restoreOne(f.getKey(), f.getValue());
          ctx.progress().advance(1);
          return r;
        } finally {
          bound.release();
        }
      }));
    }
    List<StateDb.IndexedFile> out = new ArrayList<>();
    for (var fu : futures) {
      try {
        StateDb.IndexedFile r = fu.get();
        if (r != null) {
          out.add(r);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SyftException(ErrorCode.INTERRUPTED, "bootstrap interrupted");
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IOException io) {
          throw io;
        }
        throw new SyftException(ErrorCode.BOOTSTRAP_FAILED, "cannot restore the datasite: " + c.getMessage(), c);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ status

  /** Counts and sizes for {@code syft checkpoint status}. */
  record Summary(int fullCheckpoints, long fullBytes, Double fullTimestamp, int incrementals, long incrementalBytes,
      int rollingPaths, double lastEventTimestamp, int eventLogMessages) {}

  Summary summary() throws IOException {
    Remote r = remote();
    Optional<Entry> full = r.latestFull();
    return new Summary(r.fulls().size(), r.fulls().stream().mapToLong(Entry::size).sum(),
        full.map(e -> FileNames.checkpointTimestamp(e.name()).orElse(0)).orElse(null), r.incrementals().size(),
        r.incrementals().stream().mapToLong(Entry::size).sum(), ctx.db().rollingCount(),
        ctx.db().lastEventLogTimestamp(), ctx.db().eventLogCount());
  }
}
