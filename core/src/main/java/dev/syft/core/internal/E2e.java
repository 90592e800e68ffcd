package dev.syft.core.internal;

import dev.syft.crypto.CryptoException;
import dev.syft.crypto.Envelope;
import dev.syft.crypto.Fingerprint;
import dev.syft.crypto.Identity;
import dev.syft.crypto.PayloadSource;
import dev.syft.crypto.PeerBundle;
import dev.syft.crypto.PrivateKeyFile;
import dev.syft.crypto.RandomSource;
import dev.syft.crypto.SealOptions;
import dev.syft.crypto.Suite;
import dev.syft.protocol.SyftException;
import dev.syft.transport.Entry;
import dev.syft.transport.Role;
import dev.syft.transport.StorageException;
import dev.syft.transport.WriteMode;
import dev.syft.transport.layout.FolderNames;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end encryption at the one boundary where message bytes meet the store: our keys, the
 * bundles we publish per peer ({@code syft_encryption_bundles#<me>/encryption_bundle_<me>_for_<peer>.json},
 * shared with that peer as reader), the peers' bundles pinned on first use, sealing of outgoing
 * messages and opening of incoming ones. The rest of core sees plaintext archives only.
 *
 * <p>Traffic with a peer is encrypted once both sides published a bundle and the peer's is trusted. A
 * changed key is not used: it waits, with its fingerprint, until the user trusts it; meanwhile messages
 * to that peer stay journalled and messages from it are refused (quarantined).
 */
final class E2e {
  private static final Logger LOG = LoggerFactory.getLogger(E2e.class);
  private static final long MAX_BUNDLE = 1 << 20;
  private static final byte[] MAGIC = "SYC2".getBytes(StandardCharsets.US_ASCII);
  /** Published with our bundle: we read both suites. Bumping it republishes every bundle once. */
  private static final java.util.Set<Suite> READABLE = java.util.EnumSet.allOf(Suite.class);
  private static final String PUBLISHED_FORMAT = "+suites";
  /**
   * Largest journalled message sealed for a peer that reads only the single-shot suite (a Python
   * peer): plaintext and ciphertext are both held in memory, so about twice this much heap. Larger
   * messages stay journalled with a clear error instead. {@code -Dsyft.e2e.maxSingleShotBytes=N}.
   */
  static final long DEFAULT_MAX_SINGLE_SHOT = 128L << 20;

  private final SyncContext ctx;
  private Identity me;

  E2e(SyncContext ctx) {
    this.ctx = ctx;
  }

  /** Creates this home's keys if it has none (a new home, or one made before encryption). Never synced. */
  static Identity ensureKeys(Path homeDir, String email) {
    Path file = PrivateKeyFile.in(homeDir);
    try {
      Optional<Identity> id = PrivateKeyFile.read(file);
      if (id.isPresent()) {
        return id.get();
      }
      Identity created = Identity.generate(email, RandomSource.secure());
      PrivateKeyFile.write(file, created, false);
      LOG.info("created end-to-end keys in {}", file);
      return created;
    } catch (IOException | CryptoException e) {
      throw new SyftException("keys", "cannot use the end-to-end keys in " + file + ": " + e.getMessage(), e);
    }
  }

  synchronized Identity me() {
    if (me == null) {
      me = ensureKeys(ctx.home().dir(), ctx.me());
      if (!me.email().equalsIgnoreCase(ctx.me())) {
        throw new SyftException("keys", "the keys in " + PrivateKeyFile.in(ctx.home().dir()) + " are for "
            + me.email() + ", not " + ctx.me());
      }
    }
    return me;
  }

  // ------------------------------------------------------------------ publication

  /** Publishes our bundle for {@code peer} (and shares the folder with them) unless already done for this key. */
  void publishFor(String peer) throws IOException {
    String fp = me().fingerprint().hex() + PUBLISHED_FORMAT;
    String key = "bundle_published:" + peer;
    if (ctx.db().meta(key).filter(fp::equals).isPresent()) {
      return;
    }
    Entry folder = ctx.folders().layout().ensureEncryptionBundlesFolder();
    String name = FolderNames.encryptionBundleFile(ctx.me(), peer);
    // the reference reads only public_encryption_bundle from this file; readable_suites is for us
    ctx.storage().write(folder, name, me().bundle().bundleFileJson(READABLE).getBytes(StandardCharsets.UTF_8),
        WriteMode.REPLACE);
    ctx.storage().share(folder, peer, Role.READER);
    ctx.db().setMeta(key, fp);
  }

  /** Withdraws our bundle from {@code peer} (a removed contact): the file goes, the folder is unshared. */
  void unpublishFor(String peer) throws IOException {
    Entry folder = ctx.folders().layout().ensureEncryptionBundlesFolder();
    for (Entry e : ctx.storage().findFiles(folder, FolderNames.encryptionBundleFile(ctx.me(), peer))) {
      ctx.storage().delete(e);
    }
    ctx.storage().unshare(folder, peer);
    ctx.db().removeMeta("bundle_published:" + peer);
    ctx.db().removeMeta(SEALED_FROM + peer); // a contact added again may start in the clear
  }

  // ------------------------------------------------------------------ pinning

  /**
   * Reads {@code peer}'s bundle for us, pins it on first use; a different key than the pinned one is
   * kept aside as offered until {@link #trust}. Bad or missing bundles leave the pin as it is.
   */
  void refresh(String peer) {
    Optional<Published> read;
    try {
      read = readPublished(peer);
    } catch (IOException e) {
      LOG.warn("cannot read the encryption bundle of {}, will retry: {}", peer, e.getMessage());
      unreadable(peer, "cannot be read: " + e.getMessage());
      return;
    }
    if (read.isEmpty()) {
      return;
    }
    PeerBundle b = read.get().bundle();
    Optional<StateDb.PeerKey> pinned = ctx.db().peerKey(peer);
    if (pinned.isEmpty()) {
      ctx.db().pinPeerKey(peer, b.didDocumentJson(), b.fingerprint().hex(), ctx.now());
    } else if (!pinned.get().fingerprint().equals(b.fingerprint().hex())) {
      if (!b.fingerprint().hex().equals(pinned.get().offeredFingerprint())) {
        LOG.warn("the encryption key of {} changed; refused until 'syft peers trust {} --fingerprint {}'", peer, peer,
            b.fingerprint().shortForm());
      }
      ctx.db().offerPeerKey(peer, b.didDocumentJson(), b.fingerprint().hex());
    } else if (pinned.get().offeredFingerprint() != null) {
      ctx.db().offerPeerKey(peer, null, null); // back to the pinned key
    }
    if (ctx.db().peerKey(peer).filter(k -> k.fingerprint().equals(b.fingerprint().hex())).isPresent()) {
      // what the pinned key's publisher reads; never security-relevant (both suites are authenticated)
      ctx.db().setMeta(SUITES + peer, read.get().readsStream() ? "stream" : "single");
    }
  }

  private static final String SUITES = "peer_suites:";

  /** Whether {@code peer} declared, with its pinned key, that it reads the segmented suite. */
  boolean readsStream(String peer) {
    return ctx.db().meta(SUITES + peer).filter("stream"::equals).isPresent();
  }

  /** Whether what {@code peer} reads is known (a bundle with the pinned key was read since we publish suites). */
  boolean suitesKnown(String peer) {
    return ctx.db().meta(SUITES + peer).isPresent();
  }

  /** A peer's bundle file as read: its key and whether it declares the segmented suite. */
  private record Published(PeerBundle bundle, boolean readsStream) {}

  private Optional<Published> readPublished(String peer) throws IOException {
    Optional<Entry> folder = ctx.folders().layout().findPeerEncryptionBundlesFolder(peer);
    String name = FolderNames.encryptionBundleFile(peer, ctx.me());
    if (folder.isEmpty()) {
      unreadable(peer, "no " + FolderNames.encryptionBundlesFolder(peer) + " folder is shared with us");
      return Optional.empty();
    }
    Optional<Entry> file = ctx.storage().findFiles(folder.get(), name).stream()
        .filter(e -> !e.folder() && (e.owner() == null || peer.equalsIgnoreCase(e.owner()))).findFirst();
    if (file.isEmpty()) {
      unreadable(peer, name + " is not published");
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = ctx.storage().readAll(file.get(), MAX_BUNDLE);
    } catch (StorageException e) {
      if (e.kind() == StorageException.Kind.NOT_FOUND) {
        unreadable(peer, name + " is not published");
        return Optional.empty();
      }
      throw e;
    }
    try {
      String json = new String(raw, StandardCharsets.UTF_8);
      PeerBundle b = PeerBundle.parse(json);
      if (!b.identity().equalsIgnoreCase(peer)) {
        LOG.warn("the encryption bundle published by {} names {}; ignored", peer, b.identity());
        unreadable(peer, "it names " + b.identity() + ", not " + peer);
        return Optional.empty();
      }
      readable(peer);
      return Optional.of(new Published(b, PeerBundle.readableSuites(json).contains(Suite.STREAM)));
    } catch (CryptoException e) {
      LOG.warn("unusable encryption bundle from {}: {}", peer, e.describe());
      unreadable(peer, name + ": " + e.describe());
      return Optional.empty();
    }
  }

  /**
   * Trusts {@code peer}'s current key when {@code typed} matches its fingerprint (short form or hex):
   * the offered key replaces the pinned one, or a first key is pinned. Returns the pinned fingerprint.
   */
  Fingerprint trust(String peer, String typed) {
    Optional<StateDb.PeerKey> k = ctx.db().peerKey(peer);
    if (k.isEmpty() || k.get().offeredBundle() == null) {
      refresh(peer);
      k = ctx.db().peerKey(peer);
    }
    if (k.isEmpty()) {
      throw new SyftException("no-key", peer + " has published no encryption key for us yet");
    }
    StateDb.PeerKey key = k.get();
    if (key.offeredBundle() != null) {
      Fingerprint offered = new Fingerprint(key.offeredFingerprint());
      if (!offered.matches(typed)) {
        throw new SyftException("fingerprint-mismatch", "the fingerprint given does not match the new key of " + peer
            + " (" + offered.shortForm() + "); compare it with them out of band");
      }
      ctx.db().inTransaction(() -> {
        ctx.db().pinPeerKey(peer, key.offeredBundle(), key.offeredFingerprint(), ctx.now());
        ctx.db().setMeta(RESEAL + peer, key.offeredFingerprint()); // our outbox history, for the new key
      });
      return offered;
    }
    Fingerprint pinned = new Fingerprint(key.fingerprint());
    if (!pinned.matches(typed)) {
      throw new SyftException("fingerprint-mismatch", "the fingerprint given does not match the key of " + peer
          + " (" + pinned.shortForm() + "); compare it with them out of band");
    }
    return pinned;
  }

  private static final String RESEAL = "e2e_reseal:";

  /**
   * Re-seals, after a changed key was trusted, every envelope of ours in each such peer's outbox to
   * its new key (and us), so the peer can read its history again (a new home, a restored reader).
   * Idempotent: envelopes already sealed to the new key are left alone; done once it went through.
   */
  void resealPending() {
    for (String peer : ctx.db().metaWithPrefix(RESEAL).keySet()) { // keys without the prefix
      try {
        int n = reseal(peer);
        ctx.db().removeMeta(RESEAL + peer);
        if (n > 0) {
          LOG.info("re-sealed {} message(s) of the outbox of {} to their new key", n, peer);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("could not re-seal the outbox of {} to their new key, will retry: {}", peer, e.getMessage());
      }
    }
  }

  private int reseal(String peer) throws IOException {
    Optional<PeerBundle> to = trusted(peer);
    if (to.isEmpty() || !encryptsTo(peer)) {
      return 0;
    }
    Optional<Entry> outbox = ctx.folders().peerOwnedOutbox(peer);
    if (outbox.isEmpty()) {
      return 0;
    }
    String spk = to.get().signedPrekeyFingerprint().hex();
    int done = 0;
    for (Entry e : ctx.storage().listAll(outbox.get())) {
      if (e.folder() || !ctx.me().equalsIgnoreCase(e.owner() == null ? ctx.me() : e.owner())
          || !dev.syft.protocol.names.FileNames.isUsableEventsName(e.name())) {
        continue;
      }
      Path env = Files.createTempFile(ctx.blobDir(), ".reseal-", ".syc2");
      Path plain = Files.createTempFile(ctx.blobDir(), ".reseal-", ".tar.gz");
      try {
        try (InputStream in = ctx.storage().read(e)) {
          Files.copy(in, env, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(env)) {
          head = in.readNBytes(MAGIC.length);
        }
        if (!Envelope.looksLikeEnvelope(head)) {
          continue; // in the clear: readable with any key
        }
        dev.syft.crypto.EnvelopeInfo info;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(env), 1 << 16)) {
          info = Envelope.inspectHead(in);
        }
        boolean current = info.recipients().stream()
            .anyMatch(r -> r.identity().equalsIgnoreCase(peer) && spk.equals(r.spkFingerprint()));
        if (current) {
          continue;
        }
        Envelope.openFile(env, plain, me(), me().bundle());
        Path sealed = seal(peer, plain);
        try (InputStream in = Files.newInputStream(sealed)) {
          ctx.storage().write(outbox.get(), e.name(), in, WriteMode.REPLACE);
        } finally {
          Files.deleteIfExists(sealed);
        }
        done++;
      } catch (CryptoException x) {
        LOG.warn("cannot re-seal {} for {} (not readable with our key): {}", e.name(), peer, x.describe());
      } finally {
        Files.deleteIfExists(env);
        Files.deleteIfExists(plain);
      }
    }
    return done;
  }

  /** The peer's pinned bundle when it is usable (no unconfirmed change). */
  Optional<PeerBundle> trusted(String peer) {
    Optional<StateDb.PeerKey> k = ctx.db().peerKey(peer);
    if (k.isEmpty() || k.get().offeredBundle() != null) {
      return Optional.empty();
    }
    try {
      return Optional.of(PeerBundle.parse(k.get().bundle()));
    } catch (CryptoException e) {
      LOG.warn("the pinned key of {} is unreadable: {}", peer, e.describe());
      return Optional.empty();
    }
  }

  /** Why traffic with {@code peer} is held (a changed, untrusted key), or null. */
  String problem(String peer) {
    return problem(ctx.db(), peer);
  }

  static String problem(StateDb db, String peer) {
    Optional<StateDb.PeerKey> k = db.peerKey(peer);
    if (k.isEmpty() || k.get().offeredFingerprint() == null) {
      return null;
    }
    return "the encryption key of " + peer + " changed (was " + new Fingerprint(k.get().fingerprint()).shortForm()
        + ", now " + new Fingerprint(k.get().offeredFingerprint()).shortForm() + "); their messages are refused"
        + " and ours held until 'syft peers trust " + peer + " --fingerprint <new fingerprint>'";
  }

  /**
   * After a batch of one sender's messages: reads its bundle again when an envelope failed a key check,
   * and records how many of its messages wait for a readable key (for {@code status}).
   */
  void afterBatch(Opener o, String box) {
    String held = HELD + box + ":" + o.sender();
    if (o.suspect().get()) {
      refresh(o.sender());
    }
    if (o.opened().get() && !o.sender().equals(ctx.me()) && ctx.db().meta(SEALED_FROM + o.sender()).isEmpty()) {
      ctx.db().setMeta(SEALED_FROM + o.sender(), java.time.Instant.ofEpochMilli((long) (ctx.now() * 1000)).toString());
    }
    if (o.held().get() > 0) {
      ctx.db().setMeta(held, Integer.toString(o.held().get()));
    } else {
      clearHeld(o.sender(), box);
    }
  }

  private static final String HELD = "e2e_held:";

  /**
   * Forgets that messages from {@code peer} in {@code box} ("inbox": its proposals to us, "outbox": its
   * events for us) wait for its key; a batch about to read them sets it again.
   */
  void clearHeld(String peer, String box) {
    if (ctx.db().meta(HELD + box + ":" + peer).isPresent()) {
      ctx.db().removeMeta(HELD + box + ":" + peer);
    }
  }
  /** Set once a peer's envelope opened: from then on its plaintext messages are refused. */
  private static final String SEALED_FROM = "e2e_sealed_from:";
  private static final String UNREADABLE = "e2e_unreadable:";

  private void unreadable(String peer, String why) {
    if (!ctx.db().meta(UNREADABLE + peer).filter(why::equals).isPresent()) {
      ctx.db().setMeta(UNREADABLE + peer, why);
    }
  }

  private void readable(String peer) {
    if (ctx.db().meta(UNREADABLE + peer).isPresent()) {
      ctx.db().removeMeta(UNREADABLE + peer);
    }
  }

  /**
   * Why messages from {@code peer} wait, or null: encrypted messages arrived while its key bundle
   * cannot be read (not published for us, malformed, unreachable). They are retried every round.
   */
  static String held(StateDb db, String peer) {
    int count = 0;
    for (String box : List.of("inbox", "outbox")) {
      count += db.meta(HELD + box + ":" + peer).map(Integer::parseInt).orElse(0);
    }
    if (count == 0) {
      return null;
    }
    String n = Integer.toString(count);
    String why = db.meta(UNREADABLE + peer).orElse("it has not been read yet");
    return n + " message(s) from " + peer + " held: their key bundle is not readable: " + why
        + " (retried every round)";
  }

  /** Whether we seal what we send to {@code peer}: both sides published and their key is trusted. */
  boolean encryptsTo(String peer) {
    return trusted(peer).isPresent() && ctx.db().meta("bundle_published:" + peer).isPresent();
  }

  // ------------------------------------------------------------------ sealing

  /**
   * What to upload to {@code peer}: the payload itself (plaintext peer), or the same message sealed to
   * the peer and to us (so we can read our own outbox back). Throws while the peer's key change is
   * unconfirmed: the message stays journalled.
   */
  byte[] seal(String peer, byte[] payload) {
    Optional<List<PeerBundle>> to = recipients(peer);
    if (to.isEmpty()) {
      return payload;
    }
    return Envelope.seal(me(), to.get(), payload, SealOptions.defaults());
  }

  /** As {@link #seal(String, byte[])} for a journalled file; returns the file to upload (a new one when sealed). */
  Path seal(String peer, Path payload) throws IOException {
    Optional<List<PeerBundle>> to = recipients(peer);
    if (to.isEmpty()) {
      return payload;
    }
    Path out = Files.createTempFile(payload.getParent(), ".sealed-", ".syc2");
    // the segmented suite (memory O(segment)) only to a peer that declared it reads it; 0.1.2b2 readers
    // (Python peers) refuse it, so they get the single-shot suite, held in memory, up to a cap
    Suite suite = readsStream(peer) ? Suite.STREAM : Suite.SINGLE;
    long size = Files.size(payload);
    long cap = Long.getLong("syft.e2e.maxSingleShotBytes", DEFAULT_MAX_SINGLE_SHOT);
    if (suite == Suite.SINGLE && size > cap) {
      Files.deleteIfExists(out);
      throw new SyftException("too-big-for-peer", "a message of " + size + " bytes is above the " + cap
          + "-byte limit for " + peer + ", whose key bundle does not declare the segmented suite (a Python peer reads"
          + " only single-shot envelopes, sealed in memory); it stays queued (raise -Dsyft.e2e.maxSingleShotBytes"
          + " if the memory allows)");
    }
    try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
      Envelope.sealStream(me(), to.get(), PayloadSource.of(payload), os, SealOptions.defaults().withSuite(suite));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(out);
      throw e;
    }
    return out;
  }

  private Optional<List<PeerBundle>> recipients(String peer) {
    String why = problem(peer);
    if (why != null) {
      throw new SyftException("key-changed", why);
    }
    if (!encryptsTo(peer)) {
      return Optional.empty();
    }
    return Optional.of(List.of(trusted(peer).orElseThrow(), me().bundle()));
  }

  // ------------------------------------------------------------------ opening

  /**
   * How to read messages from one sender, resolved once per batch on the calling thread (downloads run
   * on other threads and never touch the database).
   */
  Opener openerFor(String sender, boolean ownMessages) {
    if (ownMessages) {
      return new Opener(sender, me(), me().bundle(), null, null, ctx.blobDir(), new AtomicBoolean(),
          new java.util.concurrent.atomic.AtomicInteger(), new AtomicBoolean());
    }
    String why = problem(sender);
    if (why == null && trusted(sender).isEmpty()) {
      refresh(sender); // they may have published since the last check
      why = problem(sender);
    }
    PeerBundle bundle = trusted(sender).orElse(null);
    String downgrade = null;
    if (bundle != null && ctx.db().meta(SEALED_FROM + sender).isPresent()) {
      // they have sent us envelopes with this key: a message in the clear now is forged or downgraded
      downgrade = "plaintext message refused: " + sender + " has sent us end-to-end encrypted messages since "
          + ctx.db().meta(SEALED_FROM + sender).get() + " and its key is pinned; a message in the clear may be"
          + " forged or a downgrade (if they turned encryption off on purpose, remove and add the contact again)";
    }
    return new Opener(sender, me(), bundle, why, downgrade, ctx.blobDir(), new AtomicBoolean(),
        new java.util.concurrent.atomic.AtomicInteger(), new AtomicBoolean());
  }

  /**
   * Opens incoming message bytes: SYC2 envelopes are verified and decrypted, others pass through.
   * {@code suspect} is set when an envelope failed a signature or key check: the sender may have a new
   * key, worth reading again after the batch ({@link #refresh}); {@code held} counts envelopes left
   * for a later round because the sender's key is not known; {@code downgrade}, when set, refuses
   * plaintext (the sender is known to encrypt); {@code opened} records that an envelope opened.
   */
  record Opener(String sender, Identity me, PeerBundle bundle, String refused, String downgrade, Path spool,
      AtomicBoolean suspect, java.util.concurrent.atomic.AtomicInteger held, AtomicBoolean opened) {
    /**
     * The plaintext archive of {@code raw} (a message {@code size} bytes long). A bad envelope throws a
     * {@link SyftException} naming the failing step: the caller quarantines the message.
     */
    InputStream open(InputStream raw) throws IOException {
      if (refused != null) {
        throw new SyftException("key-changed", refused);
      }
      BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
      in.mark(MAGIC.length);
      byte[] head = in.readNBytes(MAGIC.length);
      in.reset();
      if (!Envelope.looksLikeEnvelope(head)) {
        if (downgrade != null) {
          throw new SyftException("downgrade", downgrade);
        }
        return in;
      }
      if (bundle == null) {
        // their key may not have been read yet (a fault, or it is published after the message): a
        // retry, not a quarantine; the bundle is read again after this batch
        suspect.set(true);
        held.incrementAndGet();
        throw new StorageException(StorageException.Kind.TRANSIENT, "encrypted message from " + sender
            + ", whose key is not known here yet; it is read again next round");
      }
      Path env = Files.createTempFile(spool, ".env-", ".syc2");
      Path plain = Files.createTempFile(spool, ".plain-", ".tar.gz");
      try {
        try (OutputStream os = Files.newOutputStream(env)) {
          in.transferTo(os);
        }
        Envelope.openFile(env, plain, me, bundle);
      } catch (CryptoException e) {
        Files.deleteIfExists(plain);
        if (e.step() == CryptoException.Step.SIGNATURE || e.step() == CryptoException.Step.KEY) {
          suspect.set(true);
        }
        throw new SyftException("undecryptable", "encrypted message refused: " + e.describe());
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(plain);
        throw e;
      } finally {
        Files.deleteIfExists(env);
      }
      opened.set(true);
      return new FilterInputStream(new BufferedInputStream(Files.newInputStream(plain), 1 << 16)) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            Files.deleteIfExists(plain);
          }
        }
      };
    }
  }
}
