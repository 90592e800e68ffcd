package dev.syft.transport.mail;

import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.blob.BlobStore;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.HeaderTerm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link BlobStore} over one mailbox: this user's <em>replica</em> of every file it wrote or was sent,
 * kept as e-mails in a dedicated IMAP folder ({@code Syft} by default), one e-mail per file version (or
 * per chunk of a big one) with machine headers ({@link MailFormat}).
 *
 * <ul>
 *   <li>A write stores the new version in this mailbox (IMAP APPEND) and mails it (SMTP) to the users who
 *       may see the key: the drive's owner and the grantees in the sidecars of the folders above it
 *       ({@code .syft-meta.json}, kept by {@code BlobStorage}); a key in {@code .syft-shares/<grantee>/}
 *       goes to that grantee. A new grantee of a folder is sent what is below it.
 *   <li>Every call first files Syft mail from INBOX into the Syft folder (copied, then removed from
 *       INBOX: moved, never deleted before it is stored) and reads the folder's new mail.
 *   <li>The highest complete version of a key wins on every replica, whatever order mail arrives in;
 *       duplicates count once. Superseded mail is expunged only after the new version is complete.
 *   <li>Mail from others is trusted for nothing by its From header. Refused (filed in {@code
 *       Syft-Rejected}, never deleted): malformed Syft mail, a change to this user's grants or share
 *       index, and a protocol message (proposal or events archive) that is not an SYC2 envelope, so only
 *       signed and encrypted messages reach core, which checks the signature.
 * </ul>
 *
 * <p>Exclusive puts are exclusive within this replica only: two users cannot race for one key over
 * mail (in the Syft layout every message name has one writer). Thread-safe: IMAP work is serialised.
 */
final class MailBlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(MailBlobStore.class);
  private static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  static final String META = ".syft-meta.json";
  static final String SHARES = ".syft-shares";
  /** Room kept for headers and the note; base64 makes 3 bytes into 4. */
  private static final long OVERHEAD = 16 << 10;
  private static final byte[] SYC2 = {'S', 'Y', 'C', '2'};
  private static final long MOVE_BATCH_BYTES = 32L << 20;

  private final String me;
  private final Session session;
  private final Store store;
  private final Transport smtp;
  private final String folderName;
  private final String rejectedName;
  private final long maxMessageBytes;
  private final boolean requireEnvelopes;
  private final String password;
  private final Versions versions;
  private final MailIndex index = new MailIndex();
  private final Map<String, String> metaCache = new java.util.HashMap<>();
  /** Small files by UID (a stored mail never changes): sidecars and share markers are read on every operation. */
  private final SmallCache cache = new SmallCache(8 << 20, 256 << 10);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong sentBytes = new AtomicLong();
  private volatile boolean autoRefresh = true;
  private static final java.time.Duration FULL_CHECK = java.time.Duration.ofSeconds(5);
  private IMAPFolder probe;
  private long inboxUidNext = -1;
  private long lastFullCheck;
  private IMAPFolder folder;
  private IMAPFolder inbox;
  /** UIDs of every mail read from the Syft folder (Syft or not), to notice expunges by another session. */
  private final Set<Long> seen = new java.util.HashSet<>();
  private long lastUid;
  private long uidValidity = -1;

  /**
   * @param store a connected IMAP store of {@code me}'s mailbox
   * @param smtp an SMTP transport for {@code me} (connected when needed with {@code password})
   */
  MailBlobStore(String me, Session session, Store store, Transport smtp, String password, String folderName,
      long maxMessageBytes, boolean requireEnvelopes, Clock clock) {
    this.requireEnvelopes = requireEnvelopes;
    this.me = me;
    this.session = session;
    this.store = store;
    this.smtp = smtp;
    this.password = password;
    this.folderName = folderName;
    this.rejectedName = folderName + "-Rejected";
    this.maxMessageBytes = maxMessageBytes;
    this.versions = new Versions(clock);
  }

  /**
   * Whether every call first reads new mail (the default). {@code BlobStorage} makes several store calls
   * per operation, so the {@link dev.syft.transport.Storage} over this store turns it off and calls {@link
   * #refreshNow} once per operation instead: one look at the server per operation.
   */
  void autoRefresh(boolean on) {
    autoRefresh = on;
  }

  /** Files new Syft mail and reads the Syft folder's new mail now. */
  void refreshNow() throws IOException {
    with("read new mail", () -> {
      refresh();
      compact(syftFolder());
      return null;
    });
  }

  /** Mail sent over SMTP so far (messages, bytes), for the benchmark note. */
  long[] sent() {
    return new long[] {sent.get(), sentBytes.get()};
  }

  /** Largest file bytes per e-mail: the cap minus headers, before base64. */
  long chunkBytes() {
    return Math.max(1024, (maxMessageBytes - OVERHEAD) / 4 * 3);
  }

  // ------------------------------------------------------------------ reading the replica

  @FunctionalInterface
  private interface Op<T> {
    T run() throws IOException, MessagingException;
  }

  /** Runs {@code op} after filing new mail, mapping failures to StorageExceptions. */
  private synchronized <T> T withFresh(String what, Op<T> op) throws IOException {
    return with(what, () -> {
      if (autoRefresh) {
        refresh();
        compact(syftFolder());
      }
      return op.run();
    });
  }

  private synchronized <T> T with(String what, Op<T> op) throws IOException {
    try {
      return op.run();
    } catch (StorageException e) {
      throw e;
    } catch (SendFailedException e) {
      throw sendFailure(what, e);
    } catch (MessagingException | IOException e) {
      dropFolders();
      throw new StorageException(Kind.TRANSIENT, "mail: cannot " + what + ": " + describe(e), e);
    } catch (IllegalStateException e) { // a folder closed under us
      dropFolders();
      throw new StorageException(Kind.TRANSIENT, "mail: cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private static String describe(Exception e) {
    Throwable t = e;
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    while (t.getCause() != null && t.getCause() != t && b.length() < 300) {
      t = t.getCause();
      b.append(" (").append(t.getMessage()).append(')');
    }
    return b.toString();
  }

  /** A refused submission: a size limit is a clear TOO_LARGE, a refused recipient INVALID, else TRANSIENT. */
  private StorageException sendFailure(String what, SendFailedException e) {
    String text = describe(e);
    int code = returnCode(e);
    if (code == 552 || code == 523 || text.matches("(?is).*(size|too (big|large)|exceed).*")) {
      return new StorageException(Kind.TOO_LARGE, "mail: the server refused a message of up to " + maxMessageBytes
          + " bytes (" + text.trim() + "); lower max_message_bytes= in the transport URI so files are sent in"
          + " smaller chunks", e);
    }
    if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0) {
      return new StorageException(Kind.INVALID, "mail: cannot " + what + ": the server refused the address(es) "
          + List.of(e.getInvalidAddresses()) + ": " + text, e);
    }
    dropSmtp();
    return new StorageException(Kind.TRANSIENT, "mail: cannot " + what + ": " + text, e);
  }

  private static int returnCode(Exception e) {
    for (Throwable t = e; t != null; t = t instanceof MessagingException me ? me.getNextException() : null) {
      if (t instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException s) {
        return s.getReturnCode();
      }
      if (t instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException a) {
        return a.getReturnCode();
      }
    }
    return -1;
  }

  private void dropFolders() {
    for (Folder f : new Folder[] {folder, inbox}) {
      try {
        if (f != null && f.isOpen()) {
          f.close(false);
        }
      } catch (MessagingException | IllegalStateException ignored) {
        // already gone
      }
    }
    folder = null;
    inbox = null;
    probe = null;
    inboxUidNext = -1;
  }

  private void dropSmtp() {
    try {
      smtp.close();
    } catch (MessagingException ignored) {
      // already gone
    }
  }

  private IMAPFolder open(String name) throws MessagingException {
    if (!store.isConnected()) {
      store.connect(null, password);
    }
    IMAPFolder f = (IMAPFolder) store.getFolder(name);
    if (!f.exists()) {
      f.create(Folder.HOLDS_MESSAGES);
    }
    f.open(Folder.READ_WRITE);
    return f;
  }

  private IMAPFolder syftFolder() throws MessagingException {
    if (folder == null || !folder.isOpen()) {
      folder = open(folderName);
      if (folder.getUIDValidity() != uidValidity) {
        uidValidity = folder.getUIDValidity();
        index.clear();
        seen.clear();
        metaCache.clear();
        lastUid = 0;
      }
    }
    return folder;
  }

  /**
   * Files Syft mail from INBOX into the Syft folder, then reads the folder's new mail. One round trip
   * when nothing arrived: INBOX's UIDNEXT (STATUS) tells whether mail came; the Syft folder changes only
   * through this session, except when another session of this mailbox (a second client) writes, which is
   * read at least every {@link #FULL_CHECK} or on the next arrival.
   */
  private void refresh() throws MessagingException, IOException {
    IMAPFolder f = syftFolder();
    if (inbox == null || !inbox.isOpen()) {
      inbox = open("INBOX");
      inboxUidNext = -1;
    }
    if (probe == null) {
      probe = (IMAPFolder) store.getFolder("INBOX");
    }
    long next = probe.getUIDNext(); // STATUS on a closed folder object: a fresh answer from the server
    boolean arrived = next != inboxUidNext || next < 0;
    long now = System.nanoTime();
    if (arrived) {
      fileInbox(f);
      inboxUidNext = next;
    }
    if (arrived || now - lastFullCheck > FULL_CHECK.toNanos()) {
      loadNew(f);
      lastFullCheck = now;
    }
  }

  /** Reads the Syft folder's new mail; rescans when mail went away behind this session's back. */
  private void loadNew(IMAPFolder f) throws MessagingException {
    // UID FETCH n:* also makes the server report mail added or expunged by others since the last command
    Message[] fresh = f.getMessagesByUID(lastUid + 1, UIDFolder.MAXUID);
    if (f.getMessageCount() != seen.size() + countNew(f, fresh)) {
      rescan(f);
      return;
    }
    load(f, fresh);
  }

  private long countNew(IMAPFolder f, Message[] fresh) throws MessagingException {
    long n = 0;
    for (Message m : fresh) {
      if (m != null && f.getUID(m) > lastUid) {
        n++;
      }
    }
    return n;
  }

  private void rescan(IMAPFolder f) throws MessagingException {
    index.clear();
    seen.clear();
    metaCache.clear();
    lastUid = 0;
    load(f, f.getMessages());
  }

  private void load(IMAPFolder f, Message[] msgs) throws MessagingException {
    jakarta.mail.FetchProfile fp = new jakarta.mail.FetchProfile();
    fp.add(UIDFolder.FetchProfileItem.UID);
    for (String h : MailFormat.HEADERS) {
      fp.add(h);
    }
    List<Message> wanted = new ArrayList<>();
    for (Message m : msgs) {
      if (m != null && !m.isExpunged()) {
        wanted.add(m);
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    Message[] arr = wanted.toArray(Message[]::new);
    f.fetch(arr, fp);
    for (Message m : arr) {
      long uid = f.getUID(m);
      if (uid <= lastUid && index.contains(uid)) {
        continue;
      }
      seen.add(uid);
      Part p = MailFormat.parse(m, uid);
      if (p != null) {
        index.add(p);
      }
      lastUid = Math.max(lastUid, uid);
    }
  }

  /**
   * Moves Syft mail from INBOX: accepted mail to the Syft folder, refused mail to the rejected folder;
   * each is copied first and removed from INBOX only once the copy is stored.
   */
  private void fileInbox(IMAPFolder f) throws MessagingException, IOException {
    Message[] found = inbox.search(new HeaderTerm(MailFormat.H_MESSAGE, ""));
    if (found.length == 0) {
      return;
    }
    jakarta.mail.FetchProfile fp = new jakarta.mail.FetchProfile();
    fp.add(UIDFolder.FetchProfileItem.UID);
    fp.add(jakarta.mail.FetchProfile.Item.SIZE);
    for (String h : MailFormat.HEADERS) {
      fp.add(h);
    }
    inbox.fetch(found, fp);
    List<Message> accept = new ArrayList<>();
    List<Message> reject = new ArrayList<>();
    for (Message m : found) {
      Part p = MailFormat.parse(m, inbox.getUID(m));
      String why = p == null ? "malformed Syft headers" : refusal(p, m);
      if (why == null) {
        accept.add(m);
      } else {
        LOG.warn("mail: refused Syft mail {} ({}); kept in {}", p == null ? "" : p.path(), why, rejectedName);
        reject.add(m);
      }
    }
    move(accept, f);
    if (!reject.isEmpty()) {
      IMAPFolder r = (IMAPFolder) store.getFolder(rejectedName);
      if (!r.exists()) {
        r.create(Folder.HOLDS_MESSAGES);
      }
      move(reject, r);
    }
  }

  /**
   * Moves mail out of INBOX: IMAP MOVE where the server has it, else copy, then flag and expunge only
   * those messages (UIDPLUS), else a plain expunge (which also expunges other mail flagged deleted in
   * INBOX: servers without MOVE and UIDPLUS are rare).
   */
  private void move(List<Message> msgs, IMAPFolder to) throws MessagingException {
    if (msgs.isEmpty()) {
      return;
    }
    // big chunks: a few per command, so no single MOVE or COPY outlasts the read timeout
    List<Message> batch = new ArrayList<>();
    long bytes = 0;
    for (Message m : msgs) {
      batch.add(m);
      bytes += Math.max(0, m.getSize());
      if (bytes > MOVE_BATCH_BYTES) {
        moveBatch(batch, to);
        batch.clear();
        bytes = 0;
      }
    }
    if (!batch.isEmpty()) {
      moveBatch(batch, to);
    }
  }

  private void moveBatch(List<Message> msgs, IMAPFolder to) throws MessagingException {
    Message[] arr = msgs.toArray(Message[]::new);
    org.eclipse.angus.mail.imap.IMAPStore imap = (org.eclipse.angus.mail.imap.IMAPStore) store;
    if (imap.hasCapability("MOVE")) {
      inbox.moveMessages(arr, to);
      return;
    }
    inbox.copyMessages(arr, to);
    inbox.setFlags(arr, new Flags(Flags.Flag.DELETED), true);
    if (imap.hasCapability("UIDPLUS")) {
      inbox.expunge(arr);
    } else {
      inbox.expunge();
    }
  }

  /** Why incoming mail {@code p} is refused, or null. The sender is unknown: only content decides. */
  private String refusal(Part p, Message m) throws MessagingException, IOException {
    String path = p.path();
    if (path.startsWith(SHARES + "/")) {
      return path.equals(SHARES) || path.equals(SHARES + "/" + me) || path.startsWith(SHARES + "/" + me + "/") ? null
          : "another user's share index";
    }
    boolean mine = path.equals(me) || path.startsWith(me + "/");
    if (mine && path.endsWith("/" + META) && !sameGrants(path, m, p)) {
      return "it would change the grants on " + me + "'s folder";
    }
    if (mine && p.kind() == Part.Kind.DELETE_TREE && path.equals(me)) {
      return "it would delete " + me + "'s drive";
    }
    if (requireEnvelopes && p.kind() == Part.Kind.FILE && p.index() == 0 && isProtocolMessage(path)) {
      try (InputStream in = MailFormat.content(m)) {
        byte[] head = in.readNBytes(4);
        if (!java.util.Arrays.equals(head, SYC2)) {
          return "a protocol message that is not an SYC2 envelope (this transport carries only signed, encrypted"
              + " messages)";
        }
      }
    }
    return null;
  }

  /** Proposal and events archives in P2P folders, as core names them. */
  static boolean isProtocolMessage(String path) {
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    String parent = slash < 0 ? "" : path.substring(path.lastIndexOf('/', slash - 1) + 1, slash);
    boolean message = name.startsWith("msgv2_") || name.startsWith("syfteventsmessagev3_");
    return message && (parent.contains("#inbox#") || parent.contains("#outbox#") || parent.endsWith("_archive")
        || parent.startsWith("syft_outbox_inbox_"));
  }

  /** A sidecar of my own folder sent by someone else may record who owns items, never change grants. */
  private boolean sameGrants(String path, Message m, Part p) throws MessagingException, IOException {
    if (p.kind() != Part.Kind.FILE || p.count() != 1) {
      return false;
    }
    JsonNode incoming;
    try (InputStream in = MailFormat.content(m)) {
      incoming = JSON.readTree(in.readNBytes(4 << 20));
    } catch (tools.jackson.core.JacksonException e) {
      return false;
    }
    String current = readMeta(path);
    JsonNode now = current == null ? JSON.createObjectNode() : JSON.readTree(current);
    return grants(incoming).equals(grants(now));
  }

  /** Folder shares and properties, and per item its shares and properties (not its owner). */
  private static String grants(JsonNode meta) {
    StringBuilder b = new StringBuilder();
    b.append(meta.path("shares")).append(meta.path("props"));
    for (var e : meta.path("items").properties()) {
      JsonNode item = e.getValue();
      if (!item.path("shares").isEmpty() || !item.path("props").isEmpty()) {
        b.append(e.getKey()).append(item.path("shares")).append(item.path("props"));
      }
    }
    return b.toString();
  }

  // ------------------------------------------------------------------ BlobStore

  @Override
  public Optional<Blob> stat(String key) throws IOException {
    return withFresh("look up " + key, () -> {
      MailIndex.FileState s = index.files().get(key);
      return s == null ? Optional.<Blob>empty() : Optional.of(new Blob(name(key), s.size(), s.modified()));
    });
  }

  @Override
  public Optional<Instant> folder(String key) throws IOException {
    return withFresh("look up " + key, () -> Optional.ofNullable(index.folders().get(key)));
  }

  @Override
  public Listing list(String key) throws IOException {
    return withFresh("list " + key, () -> {
      String p = key + "/";
      List<Blob> files = new ArrayList<>();
      for (MailIndex.FileState s : index.files().tailMap(p, false).values()) {
        if (!s.path().startsWith(p)) {
          break;
        }
        if (s.path().indexOf('/', p.length()) < 0) {
          files.add(new Blob(name(s.path()), s.size(), s.modified()));
        }
      }
      List<Blob> folders = new ArrayList<>();
      for (Map.Entry<String, Instant> e : index.folders().tailMap(p, false).entrySet()) {
        if (!e.getKey().startsWith(p)) {
          break;
        }
        if (e.getKey().indexOf('/', p.length()) < 0) {
          folders.add(new Blob(name(e.getKey()), 0, e.getValue()));
        }
      }
      return new Listing(files, folders);
    });
  }

  @Override
  public InputStream get(String key) throws IOException {
    // the lookup and the first chunk under one lock: a write of this store cannot expunge it in between
    Object[] found = withFresh("read " + key, () -> {
      MailIndex.FileState s = index.files().get(key);
      if (s == null) {
        return null;
      }
      try {
        return new Object[] {s, chunk(s, 0)};
      } catch (StorageException e) {
        // expunged by another session of this mailbox since the index was read: read the folder again
        rescan(syftFolder());
        MailIndex.FileState again = index.files().get(key);
        return again == null ? null : new Object[] {again, chunk(again, 0)};
      }
    });
    if (found == null) {
      throw new StorageException(Kind.NOT_FOUND, "'" + name(key) + "' does not exist");
    }
    return stream((MailIndex.FileState) found[0], (byte[]) found[1]);
  }

  private InputStream stream(MailIndex.FileState s, byte[] first) throws IOException {
    String key = s.path();
    if (s.chunks().size() == 1) {
      verify(s, first);
      return new ByteArrayInputStream(first);
    }
    MessageDigest sha = sha256();
    sha.update(first);
    // later chunks are fetched as the reader gets to them: one chunk in memory at a time
    Enumeration<InputStream> parts = new Enumeration<>() {
      int next = 0;

      @Override
      public boolean hasMoreElements() {
        return next < s.chunks().size();
      }

      @Override
      public InputStream nextElement() {
        if (next >= s.chunks().size()) {
          throw new NoSuchElementException();
        }
        int i = next++;
        try {
          byte[] b = i == 0 ? first : chunk(s, i);
          if (i > 0) {
            sha.update(b);
          }
          if (i == s.chunks().size() - 1 && !HexFormat.of().formatHex(sha.digest()).equals(s.sha256())) {
            throw new StorageException(Kind.TRANSIENT, "mail: the chunks of '" + name(key)
                + "' do not add up to its SHA-256 (a chunk was damaged or forged)");
          }
          return new ByteArrayInputStream(b);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
    return new SequenceInputStream(parts) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (java.io.UncheckedIOException e) {
          throw e.getCause();
        }
      }

      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (java.io.UncheckedIOException e) {
          throw e.getCause();
        }
      }
    };
  }

  private void verify(MailIndex.FileState s, byte[] whole) throws StorageException {
    if (whole.length != s.size() || !HexFormat.of().formatHex(sha256().digest(whole)).equals(s.sha256())) {
      throw new StorageException(Kind.TRANSIENT, "mail: '" + name(s.path()) + "' does not match its SHA-256");
    }
  }

  /** The bytes of chunk {@code i} of a version; NOT_FOUND-as-TRANSIENT when it was superseded meanwhile. */
  private byte[] chunk(MailIndex.FileState s, int i) throws IOException {
    Part p = s.chunks().get(i);
    byte[] hit = cache.get(p.uid());
    if (hit != null) {
      return hit;
    }
    byte[] got = with("read " + s.path(), () -> {
      IMAPFolder f = syftFolder();
      Message m = f.getMessageByUID(p.uid());
      if (m == null || m.isExpunged()) {
        throw new StorageException(Kind.TRANSIENT, "mail: '" + name(s.path()) + "' was replaced while being read");
      }
      try (InputStream in = MailFormat.content(m)) {
        return in.readAllBytes();
      }
    });
    cache.put(p.uid(), got);
    return got;
  }

  @Override
  public Blob put(String key, InputStream content, boolean exclusive) throws IOException {
    if (MailFormat.encodePath(key).length() > MailFormat.MAX_PATH_HEADER) {
      throw new StorageException(Kind.INVALID, "mail: the path '" + key + "' is too long for a mail header");
    }
    // exclusive or not, the newest version wins: replicas cannot agree on "first" over mail
    synchronized (this) {
      String version = versions.next();
      // chunks go to a temporary spool first: the hash and the count go into every chunk's headers
      java.nio.file.Path spool = java.nio.file.Files.createTempFile("syft-mail-", ".part");
      try {
        MessageDigest sha = sha256();
        long total;
        try (var out = new java.security.DigestOutputStream(java.nio.file.Files.newOutputStream(spool), sha)) {
          total = content.transferTo(out);
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        long per = chunkBytes();
        int count = (int) Math.max(1, (total + per - 1) / per);
        if (index.files().containsKey(key) && hex.equals(index.files().get(key).sha256())
            && index.files().get(key).size() == total) {
          // same bytes again: nothing to mail (a retried replace)
          MailIndex.FileState s = index.files().get(key);
          return new Blob(name(key), s.size(), s.modified());
        }
        List<InternetAddress> to = recipients(key);
        String oldMeta = key.endsWith("/" + META) ? readMeta(key) : null;
        try (InputStream in = java.nio.file.Files.newInputStream(spool)) {
          for (int i = 0; i < count; i++) {
            byte[] b = in.readNBytes((int) Math.min(per, total - i * per));
            Part p = new Part(0, key, Part.Kind.FILE, version, i, count, total, hex);
            List<InternetAddress> rcpt = new ArrayList<>(to);
            if (key.endsWith("/" + META)) {
              rcpt.addAll(addresses(folderSharesOf(new String(b, java.nio.charset.StandardCharsets.UTF_8))));
            }
            emit(p, b, dedupe(rcpt));
          }
        }
        if (key.endsWith("/" + META)) {
          Set<String> full = new TreeSet<>();
          to.forEach(a -> full.add(a.getAddress()));
          String now = readMeta(key);
          full.addAll(folderSharesOf(now == null ? "{}" : now));
          String dir = key.substring(0, key.length() - META.length() - 1);
          for (String u : childGrantees(dir, now == null ? "{}" : now, full)) {
            mailFiltered(key, version, u);
          }
          sendToNewGrantees(key, oldMeta);
        }
        return new Blob(name(key), total, Versions.time(version));
      } finally {
        java.nio.file.Files.deleteIfExists(spool);
      }
    }
  }

  /**
   * Mails the part to the recipients, then stores it in the Syft folder; after the last chunk of a version,
   * reads it back and expunges what it replaced.
   */
  private void emit(Part p, byte[] content, List<InternetAddress> to) throws IOException {
    with("write " + p.path(), () -> {
      MimeMessage m = MailFormat.build(session, me, to, p, content);
      if (!to.isEmpty()) {
        send(m, to.toArray(Address[]::new));
      }
      IMAPFolder f = syftFolder();
      jakarta.mail.internet.MimeMessage[] one = {m};
      org.eclipse.angus.mail.imap.AppendUID[] uid = f.appendUIDMessages(one);
      if (uid != null && uid.length == 1 && uid[0] != null && uid[0].uidvalidity == uidValidity) {
        // UIDPLUS told us where it went: index it without reading it back (expunges wait for the next look)
        long u = uid[0].uid;
        index.add(new Part(u, p.path(), p.kind(), p.version(), p.index(), p.count(), p.total(), p.sha256()));
        seen.add(u);
        lastUid = Math.max(lastUid, u);
      } else if (p.index() == p.count() - 1) {
        loadNew(f);
      }
      if (p.index() == p.count() - 1 && autoRefresh) {
        compact(f);
      }
      return null;
    });
  }

  private void send(Message m, Address[] to) throws MessagingException, IOException {
    if (!smtp.isConnected()) {
      smtp.connect(null, password);
    }
    smtp.sendMessage(m, to);
    sent.incrementAndGet();
    long[] size = {0};
    m.writeTo(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        size[0]++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        size[0] += len;
      }
    });
    sentBytes.addAndGet(size[0] * to.length);
  }

  /** Expunges superseded mail from the Syft folder (only mail whose replacement is already stored). */
  private void compact(IMAPFolder f) throws MessagingException {
    List<Part> old = index.superseded();
    if (old.isEmpty()) {
      return;
    }
    long[] uids = old.stream().mapToLong(Part::uid).toArray();
    Message[] msgs = f.getMessagesByUID(uids);
    List<Message> present = new ArrayList<>();
    for (Message m : msgs) {
      if (m != null) {
        present.add(m);
      }
    }
    if (!present.isEmpty()) {
      f.setFlags(present.toArray(Message[]::new), new Flags(Flags.Flag.DELETED), true);
      f.expunge();
    }
    for (Part p : old) {
      index.remove(p.uid());
      seen.remove(p.uid());
    }
  }

  private void marker(String key, Part.Kind kind) throws IOException {
    synchronized (this) {
      List<InternetAddress> to = kind == Part.Kind.FOLDER ? recipients(key + "/x") : recipients(key);
      emit(new Part(0, key, kind, versions.next(), 0, 1, 0, ""), new byte[0], to);
    }
  }

  @Override
  public void makeFolder(String key) throws IOException {
    if (withFresh("create folder " + key, () -> index.folders().containsKey(key))) {
      return;
    }
    marker(key, Part.Kind.FOLDER);
  }

  @Override
  public void delete(String key) throws IOException {
    if (!withFresh("delete " + key, () -> index.files().containsKey(key))) {
      return;
    }
    marker(key, Part.Kind.DELETE);
  }

  @Override
  public void deleteFolder(String key) throws IOException {
    if (!withFresh("delete " + key, () -> index.folders().containsKey(key))) {
      return;
    }
    synchronized (this) {
      emit(new Part(0, key, Part.Kind.DELETE_TREE, versions.next(), 0, 1, 0, ""), new byte[0], recipients(key + "/x"));
    }
  }

  // ------------------------------------------------------------------ who may see a key

  /**
   * The users who may see {@code key}: the drive's owner and every grantee on the folders above it (and on
   * the item itself) per the sidecars in this replica; a share-index entry goes to its grantee. Never me.
   */
  private List<InternetAddress> recipients(String key) throws IOException {
    Set<String> who = new TreeSet<>();
    String[] seg = key.split("/");
    if (seg[0].equals(SHARES)) {
      if (seg.length > 1) {
        who.add(seg[1]);
      }
    } else {
      who.add(seg[0]);
      StringBuilder dir = new StringBuilder(seg[0]);
      for (int i = 1; i < seg.length; i++) {
        String meta = readMeta(dir + "/" + META);
        if (meta != null) {
          JsonNode n = JSON.readTree(meta);
          n.path("shares").propertyNames().forEach(who::add);
          n.path("items").path(seg[i]).path("shares").propertyNames().forEach(who::add);
          n.path("items").path(seg[i]).path("owner").asOptional().ifPresent(o -> who.add(o.asString()));
        }
        dir.append('/').append(seg[i]);
      }
    }
    who.remove(me);
    return addresses(who);
  }

  /** The users a sidecar grants its folder to (item grants get a filtered copy instead). */
  private static Set<String> folderSharesOf(String metaJson) {
    Set<String> who = new TreeSet<>();
    try {
      JSON.readTree(metaJson).path("shares").propertyNames().forEach(who::add);
    } catch (tools.jackson.core.JacksonException e) {
      // not ours to judge here: BlobStorage wrote it
    }
    return who;
  }

  private List<InternetAddress> addresses(Set<String> who) throws StorageException {
    List<InternetAddress> out = new ArrayList<>();
    for (String w : who) {
      if (w.equals(me) || !w.contains("@")) {
        continue;
      }
      try {
        out.add(new InternetAddress(w, true));
      } catch (jakarta.mail.internet.AddressException e) {
        LOG.warn("mail: '{}' is not a mail address; not sending to it", w);
      }
    }
    return out;
  }

  private static List<InternetAddress> dedupe(List<InternetAddress> in) {
    return List.copyOf(new LinkedHashSet<>(in));
  }

  /** The sidecar at {@code key} in this replica (cached by version), or null. */
  private String readMeta(String key) throws IOException {
    MailIndex.FileState s = index.files().get(key);
    if (s == null) {
      return null;
    }
    String cacheKey = key + "@" + s.version();
    String cached = metaCache.get(cacheKey);
    if (cached == null) {
      StringBuilder b = new StringBuilder();
      try {
        for (int i = 0; i < s.chunks().size(); i++) {
          b.append(new String(chunk(s, i), java.nio.charset.StandardCharsets.UTF_8));
        }
      } catch (StorageException e) {
        // replaced by another session of this mailbox: read the folder again, once
        String again = with("read " + key, () -> {
          rescan(syftFolder());
          return index.files().containsKey(key) ? "" : null;
        });
        return again == null ? null : readMetaOnce(key);
      }
      cached = b.toString();
      metaCache.put(cacheKey, cached);
    }
    return cached;
  }

  private String readMetaOnce(String key) throws IOException {
    MailIndex.FileState s = index.files().get(key);
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.chunks().size(); i++) {
      b.append(new String(chunk(s, i), java.nio.charset.StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  /** Grantees of the folder {@code dir} itself (its own sidecar). */
  private Set<String> folderGrantees(String dir) throws IOException {
    String meta = readMeta(dir + "/" + META);
    Set<String> who = new TreeSet<>();
    if (meta != null) {
      JSON.readTree(meta).path("shares").propertyNames().forEach(who::add);
    }
    return who;
  }

  /**
   * The sidecar of {@code dir} as {@code user} may see it: only the entries of children shared with
   * them (a shared folder's properties live in its parent's sidecar), nothing of the siblings.
   */
  private byte[] filteredMeta(String dir, String metaJson, String user) throws IOException {
    JsonNode n = JSON.readTree(metaJson);
    tools.jackson.databind.node.ObjectNode out = JSON.createObjectNode();
    out.putObject("shares");
    out.putObject("props");
    tools.jackson.databind.node.ObjectNode items = out.putObject("items");
    for (var e : n.path("items").properties()) {
      if (e.getValue().path("shares").has(user) || folderGrantees(dir + "/" + e.getKey()).contains(user)) {
        items.set(e.getKey(), e.getValue());
      }
    }
    return JSON.writeValueAsBytes(out);
  }

  /** Users who see a child of {@code dir} but not {@code dir}: they get a filtered copy of its sidecar. */
  private Set<String> childGrantees(String dir, String metaJson, Set<String> excluded) throws IOException {
    Set<String> who = new TreeSet<>();
    for (var e : JSON.readTree(metaJson).path("items").properties()) {
      e.getValue().path("shares").propertyNames().forEach(who::add);
      who.addAll(folderGrantees(dir + "/" + e.getKey()));
    }
    who.removeAll(excluded);
    who.remove(me);
    return who;
  }

  /** Mails a filtered sidecar (same version as the stored one) to one user. */
  private void mailFiltered(String metaKey, String version, String user) throws IOException {
    String dir = metaKey.substring(0, metaKey.length() - META.length() - 1);
    String meta = readMeta(metaKey);
    List<InternetAddress> to = addresses(Set.of(user));
    if (meta == null || to.isEmpty()) {
      return;
    }
    byte[] b = filteredMeta(dir, meta, user);
    Part p = new Part(0, metaKey, Part.Kind.FILE, version, 0, 1, b.length, HexFormat.of().formatHex(sha256().digest(b)));
    with("share " + metaKey, () -> {
      send(MailFormat.build(session, me, to, p, b), to.toArray(Address[]::new));
      return null;
    });
  }

  /**
   * After a sidecar changed: users granted something new get what is now visible to them below that
   * folder (or item), resent as stored, so a grant made after the files were written still shares them.
   */
  private void sendToNewGrantees(String metaKey, String oldMeta) throws IOException {
    String dir = metaKey.substring(0, metaKey.length() - META.length() - 1);
    JsonNode now = JSON.readTree(readMeta(metaKey) == null ? "{}" : readMeta(metaKey));
    JsonNode before = JSON.readTree(oldMeta == null ? "{}" : oldMeta);
    Map<String, Set<String>> grants = new java.util.HashMap<>(); // grantee -> subtrees
    for (String g : now.path("shares").propertyNames()) {
      if (!before.path("shares").has(g)) {
        grants.computeIfAbsent(g, k -> new TreeSet<>()).add(dir);
      }
    }
    for (var e : now.path("items").properties()) {
      for (String g : e.getValue().path("shares").propertyNames()) {
        if (!before.path("items").path(e.getKey()).path("shares").has(g) && !before.path("shares").has(g)) {
          grants.computeIfAbsent(g, k -> new TreeSet<>()).add(dir + "/" + e.getKey());
        }
      }
    }
    grants.remove(me);
    for (Map.Entry<String, Set<String>> e : grants.entrySet()) {
      List<InternetAddress> to = addresses(Set.of(e.getKey()));
      if (to.isEmpty()) {
        continue;
      }
      for (String sub : e.getValue()) {
        resend(sub, to.toArray(Address[]::new), metaKey);
        int slash = sub.lastIndexOf('/');
        if (sub.equals(dir) && slash > 0) { // the shared folder's properties are in its parent's sidecar
          String parentMeta = sub.substring(0, slash) + "/" + META;
          MailIndex.FileState ps = index.files().get(parentMeta);
          if (ps != null && !folderGrantees(sub.substring(0, slash)).contains(e.getKey())) {
            mailFiltered(parentMeta, ps.version(), e.getKey());
          }
        }
      }
    }
  }

  private void resend(String subtree, Address[] to, String skip) throws IOException {
    with("share " + subtree, () -> {
      IMAPFolder f = syftFolder();
      List<Long> uids = new ArrayList<>();
      String p = subtree + "/";
      for (MailIndex.FileState s : index.files().values()) {
        if ((s.path().equals(subtree) || s.path().startsWith(p)) && !s.path().equals(skip)) {
          s.chunks().forEach(c -> uids.add(c.uid()));
        }
      }
      for (Part part : index.parts()) {
        if (part.kind() == Part.Kind.FOLDER && (part.path().equals(subtree) || part.path().startsWith(p))
            && index.folders().containsKey(part.path())) {
          uids.add(part.uid());
        }
      }
      for (Message m : f.getMessagesByUID(uids.stream().mapToLong(Long::longValue).toArray())) {
        if (m != null) {
          MimeMessage copy = new MimeMessage((MimeMessage) m);
          copy.setRecipients(Message.RecipientType.TO, to);
          copy.saveChanges();
          send(copy, to);
        }
      }
      return null;
    });
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String name(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  @Override
  public synchronized void close() throws IOException {
    dropFolders();
    try {
      smtp.close();
      store.close();
    } catch (MessagingException e) {
      throw new IOException("mail: cannot close: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "imap+smtp mailbox " + me + " (" + folderName + ")";
  }

  /** For tests: the Syft folder's name. */
  String folderName() {
    return folderName;
  }

  Set<Long> uidsForTest() throws IOException {
    return withFresh("list", () -> {
      Set<Long> s = new TreeSet<>();
      index.parts().forEach(p -> s.add(p.uid()));
      return s;
    });
  }

  static boolean closed(Exception e) {
    return e instanceof FolderClosedException;
  }

  /** Bytes of small mails by UID, least recently used evicted beyond a total. */
  static final class SmallCache {
    private final long total;
    private final int largest;
    private long held;
    private final java.util.LinkedHashMap<Long, byte[]> map = new java.util.LinkedHashMap<>(64, 0.75f, true);

    SmallCache(long total, int largest) {
      this.total = total;
      this.largest = largest;
    }

    synchronized byte[] get(long uid) {
      return map.get(uid);
    }

    synchronized void put(long uid, byte[] b) {
      if (b.length > largest || map.containsKey(uid)) {
        return;
      }
      map.put(uid, b);
      held += b.length;
      var it = map.entrySet().iterator();
      while (held > total && it.hasNext()) {
        held -= it.next().getValue().length;
        it.remove();
      }
    }
  }
}
