package dev.syft.core.internal;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;

/**
 * The client's local state in one SQLite database ({@code .syft/state.db}, WAL mode): the file
 * indexes, peers, per-peer pull cursors, the outgoing message journal, the received-message ledger
 * and quarantine. Datasite files stay plain files; this database is the index and the journal.
 *
 * <p>Not thread-safe: one sync runs at a time per home (the home lock guarantees it across processes).
 * Multi-statement changes go through {@link #inTransaction} so a crash leaves either all or none.
 */
public final class StateDb implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StateDb.class);
  private static final int SCHEMA_VERSION = 4;
  /** Quarantine keeps at most this much of a refused message (plus its full size and SHA-256). */
  public static final int MAX_QUARANTINE_PAYLOAD = 1 << 20;

  private final Connection conn;
  private final Path file;

  private StateDb(Connection conn, Path file) {
    this.conn = conn;
    this.file = file;
  }

  /** Meta key set when the database starts empty: peers are to be rebuilt from the transport. */
  public static final String REBUILD = "rebuild_from_transport";
  /** Meta key set when the database starts empty: replicas on disk become their index baseline. */
  public static final String ADOPT_REPLICAS = "adopt_replicas";
  /** Meta key recording that a damaged database was moved aside: {@code <epoch seconds>\t<path>}. */
  public static final String RECOVERED = "state_db_recovered";

  /**
   * Opens (or creates) the database. A damaged one (not a database, or failing SQLite's quick
   * check, e.g. after truncation) is moved aside to {@code state.db.damaged-<time>}, never deleted,
   * and a new one is started; like a deleted one, the new database is marked {@link #REBUILD} so
   * peers are restored from the transport instead of being forgotten.
   */
  public static StateDb open(Path file) {
    try {
      return openOnce(file);
    } catch (Damaged d) {
      Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
      try {
        Files.move(file, aside);
        for (String suffix : new String[] {"-wal", "-shm"}) {
          Path side = file.resolveSibling(file.getFileName() + suffix);
          if (Files.exists(side)) {
            Files.move(side, aside.resolveSibling(aside.getFileName() + suffix));
          }
        }
      } catch (java.io.IOException e) {
        throw new SyftException(ErrorCode.STATE_DB, "the state database " + file + " is damaged (" + d.getMessage()
            + ") and cannot be moved aside: " + e.getMessage(), e);
      }
      LOG.warn("the state database {} was damaged ({}); moved it to {} and started a new one; peers are"
          + " restored from the transport", file, d.getMessage(), aside);
      StateDb db = openOnce(file);
      db.setMeta(RECOVERED, System.currentTimeMillis() / 1000 + "\t" + aside);
      return db;
    }
  }

  /** The database file is not a usable SQLite database. */
  private static final class Damaged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Damaged(String message) {
      super(message, null, false, false);
    }
  }

  private static StateDb openOnce(Path file) {
    Connection c = null;
    try {
      Files.createDirectories(file.getParent());
      c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("PRAGMA foreign_keys=ON");
        // truncation often leaves a valid header over missing pages: only a check finds it
        try (ResultSet rs = s.executeQuery("PRAGMA quick_check(1)")) {
          String result = rs.next() ? rs.getString(1) : "no answer";
          if (!"ok".equalsIgnoreCase(result)) {
            throw new Damaged(result);
          }
        }
      }
      StateDb db = new StateDb(c, file.toAbsolutePath());
      db.migrate();
      return db;
    } catch (SQLException e) {
      closeQuietly(c);
      if (damaged(e)) {
        throw new Damaged(e.getMessage());
      }
      throw new SyftException(ErrorCode.STATE_DB, "cannot open the state database " + file + ": " + e.getMessage(), e);
    } catch (java.io.IOException e) {
      throw new SyftException(ErrorCode.STATE_DB, "cannot open the state database " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** SQLITE_CORRUPT (11) and SQLITE_NOTADB (26); never "busy", "locked" or "cannot open". */
  private static boolean damaged(SQLException e) {
    int code = e.getErrorCode() & 0xff;
    if (e instanceof org.sqlite.SQLiteException se) {
      code = se.getResultCode().code & 0xff;
    }
    return code == 11 || code == 26;
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing
      }
    }
  }

  /**
   * 4: peers' encryption keys pinned on first use (DID document and fingerprint), and a different key
   * they published since, waiting for the user to trust it.
   */
  private static void createPeerKeys(Statement s) throws SQLException {
    s.execute("CREATE TABLE IF NOT EXISTS peer_keys (peer TEXT PRIMARY KEY, bundle TEXT NOT NULL, fingerprint TEXT NOT NULL,"
        + " pinned_at REAL NOT NULL, offered_bundle TEXT, offered_fingerprint TEXT)");
  }

  /** A peer's pinned key and, when it published another one since, that one (else nulls). */
  public record PeerKey(String peer, String bundle, String fingerprint, double pinnedAt, String offeredBundle,
      String offeredFingerprint) {}

  public Optional<PeerKey> peerKey(String peer) {
    return queryOne("SELECT peer,bundle,fingerprint,pinned_at,offered_bundle,offered_fingerprint FROM peer_keys WHERE peer=?",
        rs -> new PeerKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getString(5),
            rs.getString(6)), peer);
  }

  /** Pins {@code bundle} for {@code peer}, clearing any offered key. */
  public void pinPeerKey(String peer, String bundle, String fingerprint, double at) {
    update("INSERT INTO peer_keys(peer,bundle,fingerprint,pinned_at) VALUES(?,?,?,?) ON CONFLICT(peer) DO UPDATE SET"
        + " bundle=excluded.bundle, fingerprint=excluded.fingerprint, pinned_at=excluded.pinned_at,"
        + " offered_bundle=NULL, offered_fingerprint=NULL", peer, bundle, fingerprint, at);
  }

  /** Records a key {@code peer} published that differs from the pinned one (nulls: none). */
  public void offerPeerKey(String peer, String bundle, String fingerprint) {
    update("UPDATE peer_keys SET offered_bundle=?, offered_fingerprint=? WHERE peer=?", bundle, fingerprint, peer);
  }

  private void migrate() throws SQLException {
    try (Statement s = conn.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      int version = metaInt("schema_version").orElse(0);
      if (version > SCHEMA_VERSION) {
        throw new SyftException(ErrorCode.STATE_DB, "the state database was written by a newer syft-java (schema "
            + version + "); upgrade syft-java");
      }
      if (version == SCHEMA_VERSION) {
        return;
      }
      conn.setAutoCommit(false);
      if (version >= 1 && version <= 3) {
        if (version == 1) {
          // 2: quarantine keeps a capped payload with the whole message's size and hash
          s.execute("ALTER TABLE quarantine ADD COLUMN size INTEGER");
          s.execute("ALTER TABLE quarantine ADD COLUMN sha256 TEXT");
          s.execute("UPDATE quarantine SET size = length(payload), payload = substr(payload, 1, " + MAX_QUARANTINE_PAYLOAD
              + ") WHERE payload IS NOT NULL");
        }
        if (version <= 2) {
          // 3: a large outgoing message waits in a file of the home instead of the database
          s.execute("ALTER TABLE outgoing ADD COLUMN payload_file TEXT");
        }
        createPeerKeys(s);
        setMeta("schema_version", Integer.toString(SCHEMA_VERSION));
        conn.commit();
        conn.setAutoCommit(true);
        return;
      }
      if (version == 0) {
        // a new database: a new home, or one whose database was deleted or damaged; peers and
        // replica indexes are rebuilt from the transport and the folders on the next sync
        setMeta(REBUILD, "1");
        setMeta(ADOPT_REPLICAS, "1");
      }
      // Own datasite: what the last scan saw, so only changed files are hashed again.
      s.execute("CREATE TABLE IF NOT EXISTS own_files (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
          + " mtime INTEGER NOT NULL, sha256 TEXT NOT NULL)");
      // Replicas of peers' datasites: last applied hash per path (the old_hash of proposals).
      s.execute("CREATE TABLE IF NOT EXISTS replica_files (owner TEXT NOT NULL, path TEXT NOT NULL,"
          + " sha256 TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL, PRIMARY KEY (owner, path))");
      s.execute("CREATE TABLE IF NOT EXISTS revoked_files (owner TEXT NOT NULL, path TEXT NOT NULL,"
          + " moved_to TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (owner, path))");
      s.execute("CREATE TABLE IF NOT EXISTS peers (email TEXT PRIMARY KEY, state TEXT NOT NULL,"
          + " i_requested INTEGER NOT NULL DEFAULT 0, they_requested INTEGER NOT NULL DEFAULT 0,"
          + " version_json TEXT, version_checked_at REAL, skip_reason TEXT, last_sync REAL, position INTEGER NOT NULL)");
      // DS pull cursor: names seen within the lookback window plus a watermark below which nothing is listed.
      s.execute("CREATE TABLE IF NOT EXISTS seen_messages (peer TEXT NOT NULL, name TEXT NOT NULL,"
          + " ts REAL NOT NULL, size INTEGER NOT NULL DEFAULT -1, PRIMARY KEY (peer, name))");
      // DO rolling state: the latest event per path since the last checkpoint (content stays on disk).
      s.execute("CREATE TABLE IF NOT EXISTS rolling (path TEXT PRIMARY KEY, event_id TEXT NOT NULL, old_hash TEXT,"
          + " new_hash TEXT, deleted INTEGER NOT NULL, submitted REAL NOT NULL, ts REAL NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS cursors (peer TEXT PRIMARY KEY, watermark REAL NOT NULL)");
      // Outgoing journal: written before upload, deleted after the store acknowledged.
      s.execute("CREATE TABLE IF NOT EXISTS outgoing (seq INTEGER PRIMARY KEY AUTOINCREMENT, target TEXT NOT NULL,"
          + " peer TEXT, name TEXT NOT NULL, payload BLOB NOT NULL, created REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
          + " last_error TEXT, payload_file TEXT, UNIQUE (target, peer, name))");
      // DO ledger of inbox messages already applied (dedup by name and by message id).
      s.execute("CREATE TABLE IF NOT EXISTS received (peer TEXT NOT NULL, name TEXT NOT NULL, message_id TEXT,"
          + " outcome TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (peer, name))");
      s.execute("CREATE INDEX IF NOT EXISTS received_by_id ON received (message_id)");
      s.execute("CREATE TABLE IF NOT EXISTS quarantine (id INTEGER PRIMARY KEY AUTOINCREMENT, peer TEXT NOT NULL,"
          + " name TEXT NOT NULL, reason TEXT NOT NULL, at REAL NOT NULL, payload BLOB, size INTEGER, sha256 TEXT)");
      // Proposals of ours a DO refused (learned from its rejection notices).
      s.execute("CREATE TABLE IF NOT EXISTS rejected_proposals (peer TEXT NOT NULL, name TEXT NOT NULL,"
          + " reason TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (peer, name))");
      // DO routing memory: which peers already hold the current version of a path.
      s.execute("CREATE TABLE IF NOT EXISTS delivered (peer TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT,"
          + " PRIMARY KEY (peer, path))");
      // Every events message this DO wrote to its own event log (name, timestamp) for checkpoints.
      s.execute("CREATE TABLE IF NOT EXISTS event_log (name TEXT PRIMARY KEY, ts REAL NOT NULL, events INTEGER NOT NULL)");
      createPeerKeys(s);
      setMeta("schema_version", Integer.toString(SCHEMA_VERSION));
      conn.commit();
      conn.setAutoCommit(true);
    }
  }

  /** Runs {@code work} in one transaction; rolls back on any exception. Nested calls join the outer one. */
  public <T> T inTransaction(SqlWork<T> work) {
    try {
      boolean outer = conn.getAutoCommit();
      if (outer) {
        conn.setAutoCommit(false);
      }
      try {
        T result = work.run();
        if (outer) {
          conn.commit();
        }
        return result;
      } catch (RuntimeException | SQLException | Error e) {
        if (outer) {
          // an Error too: leaving autocommit below would otherwise commit the half-done work.
          // SQLite may already have rolled back by itself (a full disk does that); the first error is
          // the one to report, not "cannot rollback - no transaction is active"
          try {
            conn.rollback();
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
        }
        throw e;
      } finally {
        if (outer) {
          try {
            conn.setAutoCommit(true);
          } catch (SQLException r) {
            // the connection already left the transaction
          }
        }
      }
    } catch (SQLException e) {
      throw dbError(e);
    }
  }

  public void inTransaction(SqlVoid work) {
    inTransaction(() -> {
      work.run();
      return null;
    });
  }

  /** A unit of database work. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** A unit of database work without a result. */
  @FunctionalInterface
  public interface SqlVoid {
    void run() throws SQLException;
  }

  // ---- meta

  public Optional<String> meta(String key) {
    return queryOne("SELECT value FROM meta WHERE key=?", rs -> rs.getString(1), key);
  }

  private Optional<Integer> metaInt(String key) {
    return meta(key).map(Integer::parseInt);
  }

  public void setMeta(String key, String value) {
    update("INSERT INTO meta(key,value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", key, value);
  }

  /** Every meta key starting with {@code prefix}, prefix removed. */
  public Map<String, String> metaWithPrefix(String prefix) {
    Map<String, String> out = new java.util.TreeMap<>();
    forEach("SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?", rs -> out.put(rs.getString(1).substring(prefix.length()),
        rs.getString(2)), prefix.length(), prefix);
    return out;
  }

  public void removeMeta(String key) {
    update("DELETE FROM meta WHERE key=?", key);
  }

  // ---- own file index

  /** One row of a file index. */
  public record IndexedFile(String path, long size, long mtime, String sha256) {}

  public Map<String, IndexedFile> ownFiles() {
    Map<String, IndexedFile> out = new HashMap<>();
    forEach("SELECT path,size,mtime,sha256 FROM own_files", rs -> out.put(rs.getString(1),
        new IndexedFile(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4))));
    return out;
  }

  public Optional<String> ownHash(String path) {
    return queryOne("SELECT sha256 FROM own_files WHERE path=?", rs -> rs.getString(1), path);
  }

  public void putOwnFile(IndexedFile f) {
    update("INSERT INTO own_files(path,size,mtime,sha256) VALUES(?,?,?,?) ON CONFLICT(path) DO UPDATE SET"
        + " size=excluded.size, mtime=excluded.mtime, sha256=excluded.sha256", f.path(), f.size(), f.mtime(), f.sha256());
  }

  public void removeOwnFile(String path) {
    update("DELETE FROM own_files WHERE path=?", path);
  }

  // ---- replica index

  public Optional<String> replicaHash(String owner, String path) {
    return queryOne("SELECT sha256 FROM replica_files WHERE owner=? AND path=?", rs -> rs.getString(1), owner, path);
  }

  public Map<String, IndexedFile> replicaFiles(String owner) {
    Map<String, IndexedFile> out = new HashMap<>();
    forEach("SELECT path,size,mtime,sha256 FROM replica_files WHERE owner=?",
        rs -> out.put(rs.getString(1), new IndexedFile(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4))), owner);
    return out;
  }

  public void putReplicaFile(String owner, IndexedFile f) {
    update("INSERT INTO replica_files(owner,path,sha256,size,mtime) VALUES(?,?,?,?,?) ON CONFLICT(owner,path) DO UPDATE SET"
        + " sha256=excluded.sha256, size=excluded.size, mtime=excluded.mtime", owner, f.path(), f.sha256(), f.size(), f.mtime());
  }

  public void removeReplicaFile(String owner, String path) {
    update("DELETE FROM replica_files WHERE owner=? AND path=?", owner, path);
  }

  public void markRevoked(String owner, String path, String movedTo, double at) {
    update("INSERT OR REPLACE INTO revoked_files(owner,path,moved_to,at) VALUES(?,?,?,?)", owner, path, movedTo, at);
  }

  public void clearRevoked(String owner, String path) {
    update("DELETE FROM revoked_files WHERE owner=? AND path=?", owner, path);
  }

  /** A replica file moved out of the live tree because the owner no longer lets us read it. */
  public record RevokedFile(String owner, String path, String movedTo, double at) {}

  public List<RevokedFile> revokedFiles() {
    List<RevokedFile> out = new ArrayList<>();
    forEach("SELECT owner,path,moved_to,at FROM revoked_files ORDER BY owner,path",
        rs -> out.add(new RevokedFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4))));
    return out;
  }

  // ---- peers

  /** A contact and how far the relationship got. */
  public record PeerRow(String email, String state, boolean iRequested, boolean theyRequested, String versionJson,
      Double versionCheckedAt, String skipReason, Double lastSync) {}

  public List<PeerRow> peers() {
    List<PeerRow> out = new ArrayList<>();
    forEach("SELECT email,state,i_requested,they_requested,version_json,version_checked_at,skip_reason,last_sync"
        + " FROM peers ORDER BY position", rs -> out.add(peerRow(rs)));
    return out;
  }

  public Optional<PeerRow> peer(String email) {
    return queryOne("SELECT email,state,i_requested,they_requested,version_json,version_checked_at,skip_reason,last_sync"
        + " FROM peers WHERE email=?", StateDb::peerRow, email);
  }

  private static PeerRow peerRow(ResultSet rs) throws SQLException {
    double checked = rs.getDouble(6);
    Double checkedAt = rs.wasNull() ? null : checked;
    double last = rs.getDouble(8);
    Double lastSync = rs.wasNull() ? null : last;
    return new PeerRow(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, rs.getInt(4) != 0, rs.getString(5),
        checkedAt, rs.getString(7), lastSync);
  }

  public void upsertPeer(PeerRow p) {
    update("INSERT INTO peers(email,state,i_requested,they_requested,version_json,version_checked_at,skip_reason,last_sync,position)"
        + " VALUES(?,?,?,?,?,?,?,?,(SELECT COALESCE(MAX(position),0)+1 FROM peers)) ON CONFLICT(email) DO UPDATE SET"
        + " state=excluded.state, i_requested=excluded.i_requested, they_requested=excluded.they_requested,"
        + " version_json=excluded.version_json, version_checked_at=excluded.version_checked_at,"
        + " skip_reason=excluded.skip_reason, last_sync=excluded.last_sync",
        p.email(), p.state(), p.iRequested() ? 1 : 0, p.theyRequested() ? 1 : 0, p.versionJson(), p.versionCheckedAt(),
        p.skipReason(), p.lastSync());
  }

  public void deletePeer(String email) {
    update("DELETE FROM peers WHERE email=?", email);
  }

  // ---- DS pull cursor

  public double watermark(String peer) {
    return queryOne("SELECT watermark FROM cursors WHERE peer=?", rs -> rs.getDouble(1), peer).orElse(0.0);
  }

  public void setWatermark(String peer, double watermark) {
    update("INSERT INTO cursors(peer,watermark) VALUES(?,?) ON CONFLICT(peer) DO UPDATE SET watermark=excluded.watermark",
        peer, watermark);
  }

  /** Names seen from {@code peer}'s outbox with the size they had (-1 when unknown). */
  public Map<String, Long> seenNames(String peer) {
    Map<String, Long> out = new HashMap<>();
    forEach("SELECT name, size FROM seen_messages WHERE peer=?",
        rs -> out.put(rs.getString(1), rs.getLong(2)), peer);
    return out;
  }

  public void markSeen(String peer, String name, double ts, long size) {
    update("INSERT INTO seen_messages(peer,name,ts,size) VALUES(?,?,?,?) ON CONFLICT(peer,name) DO UPDATE SET"
        + " size=excluded.size", peer, name, ts, size);
  }

  /** Forgets seen names older than {@code before}; the watermark keeps them from being listed again. */
  public void pruneSeen(String peer, double before) {
    update("DELETE FROM seen_messages WHERE peer=? AND ts < ?", peer, before);
  }

  // ---- outgoing journal

  /**
   * A message waiting for upload: to our own event log ({@code peer} null) or to a peer's folder.
   * Its bytes are in the database ({@link #outgoingPayload}) or, for large messages, in {@code
   * payloadFile} (a file name in the home's outgoing folder).
   */
  public record Outgoing(long seq, String target, String peer, String name, int attempts, String lastError,
      String payloadFile) {}

  public long enqueueOutgoing(String target, String peer, String name, byte[] payload, double now) {
    return enqueueOutgoing(target, peer, name, payload, null, now);
  }

  /** Journals a message whose bytes are {@code payload}, or the file {@code payloadFile} when payload is null. */
  public long enqueueOutgoing(String target, String peer, String name, byte[] payload, String payloadFile, double now) {
    update("INSERT OR IGNORE INTO outgoing(target,peer,name,payload,payload_file,created) VALUES(?,?,?,?,?,?)", target, peer,
        name, payload == null ? new byte[0] : payload, payloadFile, now);
    return queryOne("SELECT seq FROM outgoing WHERE target=? AND peer IS ? AND name=?", rs -> rs.getLong(1), target, peer, name)
        .orElseThrow();
  }

  /** Pending messages, oldest first, without their bytes. */
  public List<Outgoing> pendingOutgoing() {
    List<Outgoing> out = new ArrayList<>();
    forEach("SELECT seq,target,peer,name,attempts,last_error,payload_file FROM outgoing ORDER BY seq",
        rs -> out.add(new Outgoing(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
            rs.getString(6), rs.getString(7))));
    return out;
  }

  /** The bytes of a pending message kept in the database. */
  public byte[] outgoingPayload(long seq) {
    return queryOne("SELECT payload FROM outgoing WHERE seq=?", rs -> rs.getBytes(1), seq).orElse(new byte[0]);
  }

  public int pendingOutgoingCount() {
    return queryOne("SELECT COUNT(*) FROM outgoing", rs -> rs.getInt(1)).orElse(0);
  }

  public void ackOutgoing(long seq) {
    update("DELETE FROM outgoing WHERE seq=?", seq);
  }

  public void failOutgoing(long seq, String error) {
    update("UPDATE outgoing SET attempts=attempts+1, last_error=? WHERE seq=?", error, seq);
  }

  // ---- DO ledger and quarantine

  public boolean received(String peer, String name) {
    return queryOne("SELECT 1 FROM received WHERE peer=? AND name=?", rs -> 1, peer, name).isPresent();
  }

  public boolean receivedMessageId(String messageId) {
    return queryOne("SELECT 1 FROM received WHERE message_id=?", rs -> 1, messageId).isPresent();
  }

  /** True when {@code peer} already sent a message with this id under another name (a replay). */
  public boolean receivedMessageIdElsewhere(String peer, String messageId, String name) {
    return queryOne("SELECT 1 FROM received WHERE peer=? AND message_id=? AND name<>?", rs -> 1, peer, messageId, name)
        .isPresent();
  }

  public void recordReceived(String peer, String name, String messageId, String outcome, double at) {
    update("INSERT OR REPLACE INTO received(peer,name,message_id,outcome,at) VALUES(?,?,?,?,?)", peer, name, messageId, outcome, at);
  }

  /** A message that was refused, kept with the reason so a person can look at it. */
  public record Quarantined(long id, String peer, String name, String reason, double at) {}

  /**
   * What quarantine keeps of a refused message: its first {@link #MAX_QUARANTINE_PAYLOAD} bytes, its
   * whole size and the SHA-256 of all of it (so a person can match it against the sender's copy).
   */
  public record Kept(byte[] head, long size, String sha256) {
    /** Keeps (a capped copy of) bytes held in memory; null stays null. */
    public static Kept of(byte[] payload) {
      if (payload == null) {
        return null;
      }
      byte[] head = payload.length <= MAX_QUARANTINE_PAYLOAD ? payload : java.util.Arrays.copyOf(payload, MAX_QUARANTINE_PAYLOAD);
      return new Kept(head, payload.length, LocalTree.sha256Hex(payload));
    }
  }

  public void quarantine(String peer, String name, String reason, byte[] payload, double at) {
    quarantine(peer, name, reason, Kept.of(payload), at);
  }

  public void quarantine(String peer, String name, String reason, Kept kept, double at) {
    update("INSERT INTO quarantine(peer,name,reason,at,payload,size,sha256) VALUES(?,?,?,?,?,?,?)", peer, name, reason, at,
        kept == null ? null : kept.head(), kept == null ? null : kept.size(), kept == null ? null : kept.sha256());
  }

  /** The stored part of a quarantined message with the whole message's size and hash, for inspection. */
  public Optional<Kept> quarantinedPayload(long id) {
    return queryOne("SELECT payload,size,sha256 FROM quarantine WHERE id=? AND payload IS NOT NULL",
        rs -> new Kept(rs.getBytes(1), rs.getLong(2), rs.getString(3)), id);
  }

  public List<Quarantined> quarantined() {
    List<Quarantined> out = new ArrayList<>();
    forEach("SELECT id,peer,name,reason,at FROM quarantine ORDER BY id",
        rs -> out.add(new Quarantined(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5))));
    return out;
  }

  public void recordRejectedProposal(String peer, String name, String reason, double at) {
    update("INSERT OR REPLACE INTO rejected_proposals(peer,name,reason,at) VALUES(?,?,?,?)", peer, name, reason, at);
  }

  public List<Quarantined> rejectedProposals() {
    List<Quarantined> out = new ArrayList<>();
    forEach("SELECT rowid,peer,name,reason,at FROM rejected_proposals ORDER BY at",
        rs -> out.add(new Quarantined(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getDouble(5))));
    return out;
  }

  // ---- DO routing memory

  public Optional<String> deliveredHash(String peer, String path) {
    return queryOne("SELECT COALESCE(sha256,'') FROM delivered WHERE peer=? AND path=?", rs -> rs.getString(1), peer, path);
  }

  public Map<String, String> delivered(String peer) {
    Map<String, String> out = new HashMap<>();
    forEach("SELECT path, COALESCE(sha256,'') FROM delivered WHERE peer=?",
        rs -> out.put(rs.getString(1), rs.getString(2)), peer);
    return out;
  }

  public void setDelivered(String peer, String path, String sha256) {
    update("INSERT INTO delivered(peer,path,sha256) VALUES(?,?,?) ON CONFLICT(peer,path) DO UPDATE SET sha256=excluded.sha256",
        peer, path, sha256);
  }

  public void removeDelivered(String peer, String path) {
    update("DELETE FROM delivered WHERE peer=? AND path=?", peer, path);
  }

  // ---- rolling state

  /** One path's latest event since the last checkpoint. */
  public record RollingEntry(String path, String eventId, String oldHash, String newHash, boolean deleted,
      double submitted, double ts) {}

  public void putRolling(RollingEntry e) {
    update("INSERT OR REPLACE INTO rolling(path,event_id,old_hash,new_hash,deleted,submitted,ts) VALUES(?,?,?,?,?,?,?)",
        e.path(), e.eventId(), e.oldHash(), e.newHash(), e.deleted() ? 1 : 0, e.submitted(), e.ts());
  }

  public List<RollingEntry> rolling() {
    List<RollingEntry> out = new ArrayList<>();
    forEach("SELECT path,event_id,old_hash,new_hash,deleted,submitted,ts FROM rolling ORDER BY ts, path",
        rs -> out.add(new RollingEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getInt(5) != 0, rs.getDouble(6), rs.getDouble(7))));
    return out;
  }

  public int rollingCount() {
    return queryOne("SELECT COUNT(*) FROM rolling", rs -> rs.getInt(1)).orElse(0);
  }

  public void clearRolling() {
    update("DELETE FROM rolling");
  }

  // ---- event log

  public void recordEventLog(String name, double ts, int events) {
    update("INSERT OR IGNORE INTO event_log(name,ts,events) VALUES(?,?,?)", name, ts, events);
  }

  public int eventLogCount() {
    return queryOne("SELECT COUNT(*) FROM event_log", rs -> rs.getInt(1)).orElse(0);
  }

  /** Timestamp of the newest events message in our own log, or 0. */
  public double lastEventLogTimestamp() {
    return queryOne("SELECT COALESCE(MAX(ts), 0) FROM event_log", rs -> rs.getDouble(1)).orElse(0.0);
  }

  /** Forgets own-log records a checkpoint covers. */
  public void pruneEventLog(double upTo) {
    update("DELETE FROM event_log WHERE ts <= ?", upTo);
  }

  /** Forgets ledger entries older than {@code before} (their messages were archived long ago). */
  public void pruneReceived(double before) {
    update("DELETE FROM received WHERE at < ?", before);
  }

  /** Keeps the newest {@code keep} quarantine entries. */
  public void pruneQuarantine(int keep) {
    update("DELETE FROM quarantine WHERE id NOT IN (SELECT id FROM quarantine ORDER BY id DESC LIMIT ?)", keep);
  }

  // ---- plumbing

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  interface RowConsumer {
    void accept(ResultSet rs) throws SQLException;
  }

  private <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
    try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
    } catch (SQLException e) {
      throw dbError(e);
    }
  }

  private void forEach(String sql, RowConsumer consumer, Object... args) {
    try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        consumer.accept(rs);
      }
    } catch (SQLException e) {
      throw dbError(e);
    }
  }

  private int update(String sql, Object... args) {
    try (PreparedStatement ps = prepare(sql, args)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw dbError(e);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = conn.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }

  private SyftException dbError(SQLException e) {
    if (DiskErrors.isDiskFull(e)) {
      return DiskErrors.diskFull(file, e);
    }
    return new SyftException(ErrorCode.STATE_DB, "local state database error: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw dbError(e);
    }
  }
}
