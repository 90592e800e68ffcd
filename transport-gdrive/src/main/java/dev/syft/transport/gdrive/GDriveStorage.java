package dev.syft.transport.gdrive;

import com.google.api.client.googleapis.batch.BatchRequest;
import com.google.api.client.googleapis.batch.json.JsonBatchCallback;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.googleapis.media.MediaHttpUploader;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.Data;
import com.google.api.services.drive.Drive;
import com.google.api.services.drive.model.Change;
import com.google.api.services.drive.model.ChangeList;
import com.google.api.services.drive.model.File;
import com.google.api.services.drive.model.FileList;
import com.google.api.services.drive.model.Permission;
import com.google.api.services.drive.model.PermissionList;
import com.google.api.services.drive.model.User;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.UserCredentials;
import dev.syft.transport.Capabilities;
import dev.syft.transport.ChangeFeed;
import dev.syft.transport.Entry;
import dev.syft.transport.Page;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.StorageException.Kind;
import dev.syft.transport.WriteMode;
import dev.syft.transport.gdrive.internal.Body;
import dev.syft.transport.gdrive.internal.DriveCalls;
import dev.syft.transport.gdrive.internal.DriveErrors;
import dev.syft.transport.gdrive.internal.FolderCache;
import dev.syft.transport.gdrive.internal.FollowedFolders;
import dev.syft.transport.gdrive.internal.ParentMemory;
import dev.syft.transport.gdrive.internal.ResumingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@link Storage} over Google Drive v3 with the official client, laid out exactly as the Python
 * reference lays it out (PROTOCOL.md 3): the top folder {@code SyftBox} in My Drive, folders
 * {@code application/vnd.google-apps.folder}, content {@code application/octet-stream}, the JSON
 * control files ({@code SYFT_peers.json}, {@code SYFT_version.json}, encryption bundles) {@code
 * text/plain}, {@code type=user} reader/writer permissions, {@code appProperties}, moves by
 * add/remove parents.
 *
 * <p>Cost (WEAKNESSES.md 82-87): every listing is by parent id with only the fields an {@link Entry}
 * needs, 1,000 per page, followed to the end; the caller's top folder and own folders are found once
 * and cached (in a small JSON file under {@link GDriveConfig#cacheDir()} when set); files replaced in
 * place are updated by cached id; the {@link ChangeFeed} is Drive's {@code changes.list}, so an idle
 * poll is one call; permission changes for several users go in one batch. One shared HTTP transport
 * serves every instance; downloads open at once are bounded.
 *
 * <p>Faults: every call runs under one retry policy ({@link GDriveConfig#retryPolicy()}): 429, 403
 * rate limits, 5xx, a 400 {@code badRequest} during an upload, socket and TLS resets and timeouts.
 * Creates use ids reserved with {@code files.generateIds}, so a create retried after a lost answer
 * finds its own file by id instead of making a second copy. Downloads cut part-way resume with a
 * {@code Range} request.
 *
 * <p>Drive allows several items of one name in a folder; listings and finds return them oldest
 * first, and {@link #ensureFolder} converges racing creators on the oldest (deleting its own younger
 * duplicate). Drive's name ordering is not the contract's, so results are sorted here.
 *
 * <p>Construct with {@link #open(GDriveConfig)}, e.g. {@code
 * GDriveStorage.open(GDriveConfig.forFake(fake.rootUrl(), "alice@example.com"))}. Thread-safe.
 */
public final class GDriveStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(GDriveStorage.class);

  public static final String FOLDER_MIME = "application/vnd.google-apps.folder";
  public static final String BYTES_MIME = "application/octet-stream";
  public static final String TEXT_MIME = "text/plain";
  public static final String ROOT_NAME = "SyftBox";

  static final String FILE_FIELDS = "id,name,mimeType,size,createdTime,modifiedTime,parents,owners(emailAddress),"
      + "appProperties,trashed";
  static final String LIST_FIELDS = "nextPageToken,files(" + FILE_FIELDS + ")";
  /** The feed carries what a listing gives, so a folder it reports need not be listed (FollowedFolders). */
  static final String CHANGE_FIELDS = "nextPageToken,newStartPageToken,changes(fileId,removed,file(" + FILE_FIELDS
      + ",ownedByMe))";
  static final String PERMISSION_FIELDS = "nextPageToken,permissions(id,type,emailAddress,role)";
  private static final int SERVER_PAGE = 1000;
  private static final int BATCH_LIMIT = 100;
  private static final int IDS_PER_CALL = 50;

  /** One HTTP transport for every instance (thread-safe, keeps connections alive). */
  private static final NetHttpTransport TRANSPORT = new NetHttpTransport.Builder().build();

  static {
    // the Google HTTP client logs through java.util.logging: route just its loggers to SLF4J
    java.util.logging.Logger google = java.util.logging.Logger.getLogger("com.google");
    if (google.getHandlers().length == 0) {
      google.setUseParentHandlers(false);
      google.addHandler(new SLF4JBridgeHandler());
      google.setLevel(Level.INFO);
    }
  }

  private final GDriveConfig config;
  private final String me;
  private final Drive drive;
  private final DriveCalls calls;
  private final FolderCache cache;
  private final ParentMemory parents = new ParentMemory(20_000);
  private final FollowedFolders followed = new FollowedFolders();
  private final Semaphore downloads;
  private final ConcurrentLinkedQueue<String> reservedIds = new ConcurrentLinkedQueue<>();
  private final Capabilities capabilities;
  private volatile Entry root;
  private volatile boolean idsUnavailable;

  private GDriveStorage(GDriveConfig config, HttpRequestInitializer credentials) {
    this.config = config;
    this.me = config.email();
    this.calls = new DriveCalls(config.retryPolicy(), loginHint(config));
    HttpRequestInitializer init = request -> {
      if (credentials != null) {
        credentials.initialize(request);
      }
      request.setConnectTimeout((int) config.connectTimeout().toMillis());
      request.setReadTimeout((int) config.readTimeout().toMillis());
      request.setNumberOfRetries(1); // only the credential's one refresh after a 401; DriveCalls retries the rest
    };
    this.drive = new Drive.Builder(TRANSPORT, GsonFactory.getDefaultInstance(), init)
        .setRootUrl(config.rootUrl())
        .setApplicationName("syft-java/0.1.117")
        .build();
    this.cache = new FolderCache(cacheFile(config));
    this.downloads = new Semaphore(config.parallelDownloads(), true);
    this.capabilities = new Capabilities(false, Optional.of(new Feed()), Optional.empty(), false);
  }

  /**
   * Opens the Drive of {@code config.email()}: builds the credentials (access token or token file),
   * and, unless switched off, checks with {@code about.get} that the token's account is that e-mail.
   *
   * @throws GDriveAuthException no usable token, an expired token, or a token of another account
   */
  public static GDriveStorage open(GDriveConfig config) throws IOException {
    GoogleCredentials creds = credentials(config);
    GDriveStorage s = new GDriveStorage(config, new HttpCredentialsAdapter(creds));
    if (config.verifyAccount()) {
      // checked once per credential where the id cache is kept (a new sign-in is checked again)
      String digest = config.cacheDir() == null ? null : credentialDigest(config);
      if (!s.cache.verified(digest)) {
        s.verifyAccount();
        s.cache.verified(digest, true);
      }
    }
    return s;
  }

  /** The settings this storage runs with. */
  public GDriveConfig config() {
    return config;
  }

  /** Calls retried so far by the retry policy (for tests and diagnostics). */
  public long retries() {
    return calls.retries();
  }

  /** The account behind the token ({@code about.user.emailAddress}), lower case. */
  public String tokenAccount() throws IOException {
    User u = calls.run("read the Drive account", a -> drive.about().get().setFields("user(emailAddress)").execute())
        .getUser();
    return u == null || u.getEmailAddress() == null ? "" : u.getEmailAddress().trim().toLowerCase(Locale.ROOT);
  }

  private void verifyAccount() throws IOException {
    String actual = tokenAccount();
    if (!actual.equals(me)) {
      throw new GDriveAuthException("gdrive-account-mismatch", "the Google token "
          + (config.tokenFile() != null ? "in " + config.tokenFile() + " " : "") + "belongs to " + actual
          + ", but this client is configured for " + me + ": sign in again as " + me
          + " (or configure the client with " + actual + ")");
    }
  }

  static GoogleCredentials credentials(GDriveConfig c) throws GDriveAuthException {
    if (c.accessToken() != null && !c.accessToken().isBlank()) {
      return GoogleCredentials.create(new AccessToken(c.accessToken(), null));
    }
    if (c.tokenFile() == null) {
      throw new GDriveAuthException("gdrive-no-token", "no Google sign-in configured for " + c.email()
          + ": sign in first, or set the transport option token=/path/token.json");
    }
    Path path = c.tokenFile();
    TokenFile t = TokenFile.read(path);
    Date expiry = t.expiry() == null ? null : Date.from(t.expiry());
    AccessToken current = t.accessToken() == null ? null : new AccessToken(t.accessToken(), expiry);
    if (!t.refreshable()) {
      return GoogleCredentials.create(current);
    }
    UserCredentials u = UserCredentials.newBuilder()
        .setClientId(t.clientId())
        .setClientSecret(t.clientSecret())
        .setRefreshToken(t.refreshToken())
        .setAccessToken(current)
        .setTokenServerUri(URI.create(t.tokenUri()))
        .setHttpTransportFactory(() -> TRANSPORT)
        .build();
    u.addChangeListener(creds -> {
      AccessToken at = creds.getAccessToken();
      if (at == null) {
        return;
      }
      try {
        // keep the refreshed token, like the reference rewrites token.json
        TokenFile.read(path).withAccessToken(at.getTokenValue(),
            at.getExpirationTime() == null ? null : at.getExpirationTime().toInstant()).write(path);
      } catch (IOException e) {
        log.warn("could not save the refreshed Google token to {}: {}", path, e.getMessage());
      }
    });
    return u;
  }

  /** A digest naming the credential (refresh token, else access token), never the secret itself. */
  private static String credentialDigest(GDriveConfig c) {
    String secret;
    try {
      if (c.accessToken() != null && !c.accessToken().isBlank()) {
        secret = "access:" + c.accessToken();
      } else if (c.tokenFile() != null) {
        TokenFile t = TokenFile.read(c.tokenFile());
        secret = t.refreshable() ? "refresh:" + t.refreshToken() : "access:" + t.accessToken();
      } else {
        return null;
      }
      byte[] h = MessageDigest.getInstance("SHA-256").digest((c.email() + "|" + secret).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h);
    } catch (IOException | java.security.NoSuchAlgorithmException | RuntimeException e) {
      return null;
    }
  }

  private static String loginHint(GDriveConfig c) {
    return "Sign in again to write a new token" + (c.tokenFile() != null ? " to " + c.tokenFile() : "")
        + ", or publish the OAuth app (Google Cloud console, OAuth consent screen, \"Publish app\") so its tokens last.";
  }

  private static Path cacheFile(GDriveConfig c) {
    if (c.cacheDir() == null) {
      return null;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest((c.email() + "|" + c.rootUrl()).getBytes(StandardCharsets.UTF_8));
      return c.cacheDir().resolve("gdrive-ids-" + HexFormat.of().formatHex(h, 0, 8) + ".json");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ================================================================== Storage: identity, root

  @Override
  public String identity() {
    return me;
  }

  @Override
  public boolean vouchesForOwners() {
    return true; // Drive makes the authenticated creator of a file its owner
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public Entry root() throws IOException {
    Entry r = root;
    if (r != null) {
      return r;
    }
    synchronized (this) {
      if (root != null) {
        return root;
      }
      FolderCache.Cached cached = cache.root();
      if (cached != null) {
        Optional<File> f = getFile(cached.id());
        if (f.isPresent() && FOLDER_MIME.equals(f.get().getMimeType()) && ROOT_NAME.equals(f.get().getName())
            && me.equals(ownerOf(f.get()))) {
          root = rootEntry(f.get());
          return root;
        }
        cache.clear(); // the cached tree is gone (deleted, or another Drive behind the same URL)
      }
      String q = "name = '" + ROOT_NAME + "' and mimeType = '" + FOLDER_MIME + "' and 'me' in owners and trashed = false";
      List<File> found = oldestFirst(search("find the " + ROOT_NAME + " folder", q));
      File chosen;
      if (!found.isEmpty()) {
        chosen = found.get(0);
      } else {
        File made = createFolder("root", ROOT_NAME);
        chosen = converge(made, oldestFirst(search("find the " + ROOT_NAME + " folder", q)));
      }
      root = rootEntry(chosen);
      cache.root(root);
      return root;
    }
  }

  private Entry rootEntry(File f) {
    Entry e = toEntry(f);
    return new Entry(e.id(), e.name(), true, 0, e.modified(), e.owner(), null, e.appProperties());
  }

  // ================================================================== finding and listing

  @Override
  public List<Entry> findFolders(Entry parent, String name) throws IOException {
    String q = "'" + esc(parent.id()) + "' in parents and name = '" + esc(name) + "' and mimeType = '" + FOLDER_MIME
        + "' and trashed = false";
    return entries(search("find folder '" + name + "'", q), f -> isFolder(f) && name.equals(f.getName()));
  }

  @Override
  public List<Entry> findFoldersContaining(Entry parent, String fragment) throws IOException {
    // by parent only: Drive's "name contains" is word-prefix based and would miss "xabc" for "abc"
    String q = "'" + esc(parent.id()) + "' in parents and mimeType = '" + FOLDER_MIME + "' and trashed = false";
    return entries(search("list folders of '" + parent.name() + "'", q),
        f -> isFolder(f) && f.getName() != null && f.getName().contains(fragment));
  }

  @Override
  public List<Entry> findFiles(Entry parent, String name) throws IOException {
    String q = "'" + esc(parent.id()) + "' in parents and name = '" + esc(name) + "' and trashed = false";
    return entries(search("find file '" + name + "'", q), f -> !isFolder(f) && name.equals(f.getName()));
  }

  @Override
  public Page list(Entry folder, String pageToken, int pageSize) throws IOException {
    if (pageSize < 1) {
      throw new StorageException(Kind.INVALID, "page size must be at least 1, was " + pageSize);
    }
    List<File> all = children(folder);
    Key after = pageToken == null ? null : Key.decode(pageToken);
    List<Entry> page = new ArrayList<>();
    Key last = null;
    boolean more = false;
    for (File f : all) {
      Key k = Key.of(f);
      if (after != null && k.compareTo(after) <= 0) {
        continue;
      }
      if (page.size() == pageSize) {
        more = true;
        break;
      }
      page.add(toEntry(f));
      last = k;
    }
    return new Page(page, more ? last.encode() : null);
  }

  @Override
  public List<Entry> listAll(Entry folder) throws IOException {
    List<Entry> out = new ArrayList<>();
    for (File f : children(folder)) {
      out.add(toEntry(f));
    }
    return out;
  }

  /** Every child of a folder, sorted; an empty answer is checked, since Drive lists nothing for a folder it hides. */
  private List<File> children(Entry folder) throws IOException {
    requireFolder(folder, "list");
    String q = "'" + esc(folder.id()) + "' in parents and trashed = false";
    long stamp = followed.stamp();
    boolean known = followed.follows(folder.id());
    List<File> all = oldestFirst(search("list '" + folder.name() + "'", q));
    // a followed folder existed and stayed visible as of the last feed read: no get to tell "empty"
    if (all.isEmpty() && !known && getFile(folder.id()).isEmpty()) {
      cache.evict(folder.id());
      throw notFound(folder);
    }
    followed.listed(folder.id(), all, stamp);
    return all;
  }

  /** Folders per {@code 'a' in parents or ...} query, so the query stays well under Drive's length limit. */
  private static final int FOLDERS_PER_QUERY = 50;

  @Override
  public boolean listsSeveralAtOnce() {
    return true;
  }

  /**
   * One query for up to {@value #FOLDERS_PER_QUERY} folders ({@code 'a' in parents or 'b' in parents
   * ...}). An empty folder is answered only when the change feed follows it (it then is known to exist
   * and be visible); other empty ones are left out, for the caller to list alone.
   */
  @Override
  public Map<String, List<Entry>> listSeveral(List<Entry> folders) throws IOException {
    Map<String, List<Entry>> out = new LinkedHashMap<>();
    for (int from = 0; from < folders.size(); from += FOLDERS_PER_QUERY) {
      List<Entry> chunk = folders.subList(from, Math.min(folders.size(), from + FOLDERS_PER_QUERY));
      Map<String, List<File>> found = new LinkedHashMap<>();
      Set<String> known = new java.util.HashSet<>();
      List<String> terms = new ArrayList<>();
      for (Entry f : chunk) {
        requireFolder(f, "list");
        found.put(f.id(), new ArrayList<>());
        if (followed.follows(f.id())) {
          known.add(f.id());
        }
        terms.add("'" + esc(f.id()) + "' in parents");
      }
      long stamp = followed.stamp();
      boolean withShared = from == 0;
      String q = "(" + String.join(" or ", terms) + ") and trashed = false";
      if (withShared) { // the same request answers the searches for shared folders that follow
        q = "(" + q + ") or (" + SHARED_WITH_ME + ")";
      }
      long sharedAt = System.nanoTime();
      List<File> shared = new ArrayList<>();
      for (File f : search("list " + chunk.size() + " folders", q)) {
        if (withShared && isFolder(f) && !me.equals(ownerOf(f))) {
          shared.add(f);
        }
        if (f.getParents() != null) {
          for (String p : f.getParents()) {
            List<File> l = found.get(p);
            if (l != null) {
              l.add(f);
            }
          }
        }
      }
      List<String> unsure = new ArrayList<>();
      found.forEach((id, files) -> {
        if (files.isEmpty() && !known.contains(id)) {
          unsure.add(id);
        }
      });
      if (withShared && feedInUse) {
        sharedWithMe = new SharedMemo(sharedAt, shared);
      }
      Set<String> present = existing(unsure);
      for (Map.Entry<String, List<File>> e : found.entrySet()) {
        if (e.getValue().isEmpty() && !known.contains(e.getKey()) && !present.contains(e.getKey())) {
          continue; // gone, hidden or unsure: the caller lists it alone and learns which
        }
        List<File> sorted = oldestFirst(e.getValue());
        followed.listed(e.getKey(), sorted, stamp);
        List<Entry> entries = new ArrayList<>();
        for (File f : sorted) {
          entries.add(toEntry(f));
        }
        out.put(e.getKey(), entries);
      }
    }
    return out;
  }

  /** Which of these ids exist, visible and not trashed: one batch of gets (one request); unsure ones are left out. */
  private Set<String> existing(List<String> ids) throws IOException {
    Set<String> out = java.util.concurrent.ConcurrentHashMap.newKeySet();
    if (ids.isEmpty()) {
      return out;
    }
    if (ids.size() == 1) {
      if (getFile(ids.get(0)).isPresent()) {
        out.add(ids.get(0));
      }
      return out;
    }
    calls.run("check " + ids.size() + " folders", a -> {
      BatchRequest batch = drive.batch();
      for (String id : ids) {
        drive.files().get(id).setFields("id,trashed").queue(batch, new JsonBatchCallback<File>() {
          @Override
          public void onSuccess(File f, HttpHeaders headers) {
            if (!Boolean.TRUE.equals(f.getTrashed())) {
              out.add(id);
            }
          }

          @Override
          public void onFailure(GoogleJsonError e, HttpHeaders headers) {}
        });
      }
      batch.execute();
      return null;
    });
    return out;
  }

  @Override
  public Optional<Entry> stat(String id) throws IOException {
    return getFile(id).map(this::toEntry);
  }

  private Optional<File> getFile(String id) throws IOException {
    try {
      File f = calls.run("read metadata of " + id, a -> drive.files().get(id).setFields(FILE_FIELDS).execute());
      return Boolean.TRUE.equals(f.getTrashed()) ? Optional.empty() : Optional.of(f);
    } catch (StorageException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static final String SHARED_WITH_ME = "mimeType = '" + FOLDER_MIME + "' and not 'me' in owners and trashed = false";
  /** How long one answer of "every folder shared with me" serves further searches (one sync round's worth). */
  private static final long SHARED_MEMO_NANOS = 10_000_000_000L;

  /** Every folder shared with me, as one search found it; dropped at every change-feed read. */
  private record SharedMemo(long at, List<File> folders) {}

  private volatile SharedMemo sharedWithMe;
  /** Whether this instance reads the change feed (a sync client): only then do searches share an answer. */
  private volatile boolean feedInUse;

  /**
   * One search for every folder shared with me, filtered here (Drive's {@code name contains} is
   * word-prefix based), so the searches of one round (peer requests, dataset collections) cost one
   * request together: the answer serves for {@value #SHARED_MEMO_NANOS} ns, until the next change-feed
   * read (a sync round reads the feed first).
   */
  @Override
  public List<Entry> findSharedWithMe(String fragment) throws IOException {
    SharedMemo m = sharedWithMe;
    List<File> all;
    if (m != null && System.nanoTime() - m.at() < SHARED_MEMO_NANOS) {
      all = m.folders();
    } else {
      long at = System.nanoTime();
      all = search("find folders shared with me", SHARED_WITH_ME);
      if (feedInUse) {
        sharedWithMe = new SharedMemo(at, all);
      }
    }
    return entries(all,
        f -> isFolder(f) && f.getName() != null && f.getName().contains(fragment) && !me.equals(ownerOf(f)));
  }

  @Override
  public List<Entry> findFilesOwnedBy(String owner, String name) throws IOException {
    String o = owner == null ? "" : owner.trim().toLowerCase(Locale.ROOT);
    String q = "name = '" + esc(name) + "' and '" + esc(o) + "' in owners and trashed = false";
    return entries(search("find '" + name + "' of " + o, q),
        f -> !isFolder(f) && name.equals(f.getName()) && o.equals(ownerOf(f)));
  }

  /** Runs a {@code files.list} query to its last page. */
  private List<File> search(String what, String q) throws IOException {
    List<File> out = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      FileList page = calls.run(what, a -> drive.files().list().setQ(q).setFields(LIST_FIELDS).setPageSize(SERVER_PAGE)
          .setSpaces("drive").setPageToken(t).execute());
      if (page.getFiles() != null) {
        out.addAll(page.getFiles());
      }
      token = page.getNextPageToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  private List<Entry> entries(List<File> files, java.util.function.Predicate<File> keep) {
    List<Entry> out = new ArrayList<>();
    for (File f : oldestFirst(files)) {
      if (keep.test(f)) {
        out.add(toEntry(f));
      }
    }
    return out;
  }

  // ================================================================== folders

  @Override
  public Entry ensureFolder(Entry parent, String name) throws IOException {
    checkName(name);
    requireFolder(parent, "create a folder in");
    FolderCache.Cached hit = cache.folder(parent.id(), name);
    if (hit != null) {
      return hit.toEntry();
    }
    String q = "'" + esc(parent.id()) + "' in parents and name = '" + esc(name) + "' and mimeType = '" + FOLDER_MIME
        + "' and 'me' in owners and trashed = false";
    List<File> found = oldestFirst(search("find folder '" + name + "'", q));
    found.removeIf(f -> !name.equals(f.getName()));
    File chosen;
    if (!found.isEmpty()) {
      chosen = found.get(0);
    } else {
      File made;
      try {
        made = createFolder(parent.id(), name);
      } catch (StorageException e) {
        if (e.kind() == Kind.NOT_FOUND) {
          cache.evict(parent.id());
        }
        throw e;
      }
      List<File> again = oldestFirst(search("find folder '" + name + "'", q));
      again.removeIf(f -> !name.equals(f.getName()));
      chosen = converge(made, again);
    }
    Entry e = toEntry(chosen);
    cache.putFolder(e);
    return e;
  }

  /**
   * Settles a race between creators of one folder: the oldest wins; our own younger copy is deleted
   * (nobody else can have chosen it, since every racer picks the oldest).
   */
  private File converge(File mine, List<File> seen) {
    List<File> all = new ArrayList<>(seen);
    if (all.stream().noneMatch(f -> f.getId().equals(mine.getId()))) {
      all.add(mine); // the index may not show it yet
    }
    all = oldestFirst(all);
    File oldest = all.get(0);
    if (!oldest.getId().equals(mine.getId())) {
      log.debug("folder '{}' was created concurrently; keeping the oldest ({})", mine.getName(), oldest.getId());
      try {
        calls.run("delete duplicate folder '" + mine.getName() + "'", a -> drive.files().delete(mine.getId()).execute());
      } catch (IOException e) {
        log.warn("could not delete the duplicate folder '{}' ({}): {}", mine.getName(), mine.getId(), e.getMessage());
      }
    }
    return oldest;
  }

  private File createFolder(String parentId, String name) throws IOException {
    File meta = new File().setName(name).setMimeType(FOLDER_MIME).setParents(List.of(parentId));
    return createOnce("create folder '" + name + "'", meta, false,
        m -> drive.files().create(m).setFields(FILE_FIELDS).execute());
  }

  // ================================================================== reading

  @Override
  public InputStream read(Entry file) throws IOException {
    if (file.folder()) {
      throw new StorageException(Kind.INVALID, "'" + file.name() + "' is a folder, not a file");
    }
    String what = "download '" + file.name() + "'";
    ResumingInputStream.Opened first = calls.run(what, a -> openMedia(file.id(), 0));
    return new ResumingInputStream(first, offset -> {
      // resume only the same content: unchanged since the caller's entry before and after the range
      // request (every write moves modifiedTime), else the caller starts over
      unchangedSince(file, what);
      ResumingInputStream.Opened rest;
      try {
        rest = calls.run(what, a -> openMedia(file.id(), offset));
      } catch (StorageException e) {
        // a file replaced by a shorter one between the check and the range request answers 416
        if (e.kind() == Kind.INVALID) {
          unchangedSince(file, what);
        }
        throw e;
      }
      try {
        if (rest.total() >= 0 && rest.total() != file.size()) {
          throw changed(what);
        }
        unchangedSince(file, what);
      } catch (IOException | RuntimeException e) {
        rest.in().close();
        throw e;
      }
      return rest;
    }, calls, what, () -> {});
  }

  private void unchangedSince(Entry file, String what) throws IOException {
    Entry now = getFile(file.id()).map(this::toEntry).orElseThrow(() -> notFound(file));
    if (now.size() != file.size() || !now.modified().equals(file.modified())) {
      throw changed(what);
    }
  }

  private static StorageException changed(String what) {
    return new StorageException(Kind.TRANSIENT, what + " was cut and the file changed meanwhile; read it again");
  }

  /** Opens a media download; at most {@link GDriveConfig#parallelDownloads()} are being opened at once. */
  private ResumingInputStream.Opened openMedia(String id, long offset) throws IOException {
    try {
      downloads.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for a download slot");
    }
    try {
      return openMediaNow(id, offset);
    } finally {
      downloads.release();
    }
  }

  private ResumingInputStream.Opened openMediaNow(String id, long offset) throws IOException {
    Drive.Files.Get get = drive.files().get(id);
    get.getRequestHeaders().setAcceptEncoding("identity"); // byte offsets must be offsets of the file
    if (offset > 0) {
      get.getRequestHeaders().setRange("bytes=" + offset + "-");
    }
    HttpResponse resp = get.executeMedia();
    long first = 0;
    long total = -1;
    String range = resp.getHeaders().getContentRange();
    if (resp.getStatusCode() == 206 && range != null && range.startsWith("bytes ")) {
      String spec = range.substring(6);
      first = Long.parseLong(spec.substring(0, spec.indexOf('-')));
      String tot = spec.substring(spec.indexOf('/') + 1);
      total = tot.equals("*") ? -1 : Long.parseLong(tot);
    } else if (resp.getHeaders().getContentLength() != null && resp.getContentEncoding() == null) {
      total = resp.getHeaders().getContentLength();
    }
    return new ResumingInputStream.Opened(resp.getContent(), first, total);
  }

  // ================================================================== writing

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    checkName(name);
    requireFolder(folder, "write into");
    try (Body body = Body.spool(content, config.directUploadLimit())) {
      try {
        if (mode == WriteMode.REPLACE) {
          Entry replaced = replaceExisting(folder, name, body);
          if (replaced != null) {
            return replaced;
          }
        }
        Entry created = createFile(folder, name, body);
        if (mode == WriteMode.REPLACE) {
          cache.putFile(folder.id(), name, created.id());
        }
        return created;
      } catch (StorageException e) {
        if (e.kind() == Kind.NOT_FOUND) {
          cache.evict(folder.id());
          throw new StorageException(Kind.NOT_FOUND, "cannot write '" + name + "': folder '" + folder.name()
              + "' does not exist or is not shared with " + me, e);
        }
        throw e;
      }
    }
  }

  /** Updates the file of that name in place (by cached id when known), or returns null when there is none. */
  private Entry replaceExisting(Entry folder, String name, Body body) throws IOException {
    String cachedId = cache.file(folder.id(), name);
    if (cachedId != null) {
      try {
        File f = updateMedia(cachedId, name, body);
        if (f.getParents() != null && f.getParents().contains(folder.id()) && name.equals(f.getName())) {
          return toEntry(f);
        }
        log.debug("cached id of '{}' now names another item; looking the file up again", name);
      } catch (StorageException e) {
        if (e.kind() != Kind.NOT_FOUND) {
          throw e;
        }
      }
      cache.evict(cachedId);
    }
    List<Entry> existing = findFiles(folder, name);
    if (existing.isEmpty()) {
      return null;
    }
    Entry target = existing.get(0);
    Entry updated = toEntry(updateMedia(target.id(), name, body));
    cache.putFile(folder.id(), name, updated.id());
    return updated;
  }

  private File updateMedia(String id, String name, Body body) throws IOException {
    return mine(calls.run("replace '" + name + "'", true, a -> {
      Drive.Files.Update u = drive.files().update(id, new File(), body.content(mimeFor(name))).setFields(FILE_FIELDS);
      tune(u.getMediaHttpUploader(), body);
      return u.execute();
    }));
  }

  private Entry createFile(Entry folder, String name, Body body) throws IOException {
    File meta = new File().setName(name).setMimeType(mimeFor(name)).setParents(List.of(folder.id()));
    File f = createOnce("upload '" + name + "'", meta, true, m -> {
      Drive.Files.Create c = drive.files().create(m, body.content(mimeFor(name))).setFields(FILE_FIELDS);
      tune(c.getMediaHttpUploader(), body);
      return c.execute();
    });
    if (f.getParents() == null || !f.getParents().contains(folder.id())) {
      // Drive has been seen to ignore parents on create (syft-client#158): move it where it belongs
      log.warn("Drive put '{}' outside folder '{}'; moving it there", name, folder.name());
      String remove = f.getParents() == null ? null : String.join(",", f.getParents());
      String id = f.getId();
      return toEntry(mine(calls.run("re-parent '" + name + "'", a -> drive.files().update(id, new File())
          .setAddParents(folder.id()).setRemoveParents(remove).setFields(FILE_FIELDS).execute())));
    }
    return toEntry(f);
  }

  private void tune(MediaHttpUploader up, Body body) {
    up.setDirectUploadEnabled(body.length() <= config.directUploadLimit());
    up.setDisableGZipContent(true); // archives do not compress, and it keeps chunk offsets plain
    up.setChunkSize(config.chunkSize());
  }

  @FunctionalInterface
  private interface Creator {
    File create(File meta) throws IOException;
  }

  /**
   * Runs a create so that a retry never makes a second copy: the new item gets an id reserved with
   * {@code files.generateIds}; before retrying, or when Drive says the id is taken, the item is looked
   * up by that id (get-by-id is consistent, unlike search).
   */
  private File createOnce(String what, File meta, boolean upload, Creator creator) throws IOException {
    return mine(createOnce0(what, meta, upload, creator));
  }

  /** Notes an item this client wrote or moved in the folders the change feed follows. */
  private File mine(File f) {
    if (f != null && f.getId() != null) {
      followed.changed(f.getId(), f);
    }
    return f;
  }

  private File createOnce0(String what, File meta, boolean upload, Creator creator) throws IOException {
    String id = reserveId();
    if (id != null) {
      meta.setId(id);
    }
    return calls.run(what, upload, attempt -> {
      if (attempt > 1 && id != null) {
        Optional<File> done = getFile(id);
        if (done.isPresent()) {
          log.debug("{}: an earlier attempt had succeeded", what);
          return done.get();
        }
      }
      try {
        return creator.create(meta);
      } catch (GoogleJsonResponseException e) {
        if (id != null && e.getStatusCode() == 409) {
          Optional<File> done = getFile(id);
          if (done.isPresent()) {
            return done.get();
          }
        }
        throw e;
      }
    });
  }

  /** A reserved file id, or null if Drive will not hand out ids (then creates are not de-duplicated). */
  private String reserveId() throws IOException {
    String id = reservedIds.poll();
    if (id != null || idsUnavailable) {
      return id;
    }
    synchronized (reservedIds) {
      id = reservedIds.poll();
      if (id != null) {
        return id;
      }
      try {
        List<String> ids = calls.run("reserve file ids", a -> drive.files().generateIds().setCount(IDS_PER_CALL)
            .setSpace("drive").setType("files").setFields("ids").execute()).getIds();
        if (ids != null) {
          reservedIds.addAll(ids);
        }
      } catch (StorageException e) {
        if (e.isTransient()) {
          throw e;
        }
        log.warn("Drive refused to reserve file ids ({}); retried uploads may leave duplicates", e.getMessage());
        idsUnavailable = true;
      }
      return reservedIds.poll();
    }
  }

  // ================================================================== move, delete

  @Override
  public Entry move(Entry item, Entry newParent) throws IOException {
    requireFolder(newParent, "move into");
    if (root != null && item.id().equals(root.id())) {
      throw new StorageException(Kind.INVALID, "the top folder cannot be moved");
    }
    if (newParent.id().equals(item.parentId())) {
      return item;
    }
    String from = item.parentId();
    if (from == null) {
      File cur = getFile(item.id()).orElseThrow(() -> notFound(item));
      from = cur.getParents() == null ? null : String.join(",", cur.getParents());
      if (from != null && from.equals(newParent.id())) {
        return toEntry(cur);
      }
    }
    String remove = from;
    File f = mine(calls.run("move '" + item.name() + "' to '" + newParent.name() + "'", a -> drive.files()
        .update(item.id(), new File()).setAddParents(newParent.id()).setRemoveParents(remove)
        .setFields(FILE_FIELDS).execute()));
    return toEntry(f);
  }

  @Override
  public boolean movesSeveralAtOnce() {
    return true;
  }

  /**
   * Moves in batches of at most 100 (one request each); an item whose move failed in the batch, or
   * whose parent is not known, is moved alone (under the retry policy).
   */
  @Override
  public void moveAll(List<Entry> items, Entry newParent) throws IOException {
    requireFolder(newParent, "move into");
    List<Entry> alone = new ArrayList<>();
    List<Entry> batchable = new ArrayList<>();
    for (Entry e : items) {
      if (e.parentId() == null || root != null && e.id().equals(root.id())) {
        alone.add(e);
      } else if (!newParent.id().equals(e.parentId())) {
        batchable.add(e);
      }
    }
    if (batchable.size() == 1) {
      alone.addAll(batchable);
      batchable.clear();
    }
    for (int from = 0; from < batchable.size(); from += BATCH_LIMIT) {
      List<Entry> chunk = batchable.subList(from, Math.min(batchable.size(), from + BATCH_LIMIT));
      List<Entry> failed = java.util.Collections.synchronizedList(new ArrayList<>());
      try {
        calls.run("move " + chunk.size() + " items to '" + newParent.name() + "'", a -> {
        failed.clear();
        BatchRequest batch = drive.batch();
        for (Entry e : chunk) {
          drive.files().update(e.id(), new File()).setAddParents(newParent.id()).setRemoveParents(e.parentId())
              .setFields(FILE_FIELDS).queue(batch, new JsonBatchCallback<File>() {
                @Override
                public void onSuccess(File f, HttpHeaders headers) {
                  mine(f);
                }

                @Override
                public void onFailure(GoogleJsonError err, HttpHeaders headers) {
                  failed.add(e);
                }
              });
        }
        batch.execute();
        return null;
        });
      } catch (StorageException ex) {
        failed.clear();
        failed.addAll(chunk); // the batch as a whole failed: each alone (a done move is a no-op then)
      }
      alone.addAll(failed);
    }
    IOException first = null;
    for (Entry e : alone) {
      try {
        move(e, newParent);
      } catch (IOException ex) {
        first = first == null ? ex : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void delete(Entry item) throws IOException {
    try {
      calls.run("delete '" + item.name() + "'", attempt -> {
        try {
          drive.files().delete(item.id()).execute();
        } catch (GoogleJsonResponseException e) {
          if (e.getStatusCode() != 404 || attempt == 1) {
            throw e;
          }
          // gone after a retry: the earlier attempt deleted it
        }
        return null;
      });
    } catch (StorageException e) {
      if (e.kind() != Kind.NOT_FOUND || !me.equals(item.owner())) {
        throw e;
      }
      // our own item is already gone: deleting is idempotent
    } finally {
      followed.changed(item.id(), null);
      cache.evict(item.id());
      if (root != null && root.id().equals(item.id())) {
        root = null;
      }
    }
  }

  // ================================================================== sharing

  @Override
  public void share(Entry item, String user, Role role) throws IOException {
    shareWithAll(item, List.of(user), role);
  }

  /**
   * Grants each user {@code role} on an item the caller owns, like {@link #share} for several users:
   * one permission listing, then the missing grants in one batch request (at most 100 per batch,
   * {@code sendNotificationEmail=false}; for an address without a Google account Drive insists on the
   * e-mail, so that grant is repeated with it). Existing grants are never lowered.
   */
  public void shareWithAll(Entry item, Collection<String> users, Role role) throws IOException {
    requireOwned(item, "share");
    if (root != null && item.id().equals(root.id()) || item.parentId() == null && ROOT_NAME.equals(item.name())) {
      throw new StorageException(Kind.INVALID, "the top folder " + ROOT_NAME + " is never shared");
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String u : users) {
      String g = u == null ? "" : u.trim().toLowerCase(Locale.ROOT);
      if (g.isEmpty() || !g.contains("@")) {
        throw new StorageException(Kind.INVALID, "cannot share with '" + u + "': not an e-mail address");
      }
      if (!g.equals(me)) {
        wanted.add(g);
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    Map<String, Permission> current = userPermissions(item);
    List<PermOp> ops = new ArrayList<>();
    String driveRole = role == Role.WRITER ? "writer" : "reader";
    for (String g : wanted) {
      Permission p = current.get(g);
      if (p == null) {
        ops.add(PermOp.create(g, driveRole));
      } else if (role == Role.WRITER && roleOf(p) == Role.READER) {
        ops.add(PermOp.update(g, p.getId(), driveRole));
      }
    }
    runPermissionOps(item, ops);
  }

  @Override
  public void unshare(Entry item, String user) throws IOException {
    requireOwned(item, "unshare");
    String g = user == null ? "" : user.trim().toLowerCase(Locale.ROOT);
    Map<String, Permission> current = userPermissions(item);
    Permission p = current.get(g);
    if (p != null && !"owner".equals(p.getRole())) {
      runPermissionOps(item, List.of(PermOp.delete(g, p.getId())));
    }
  }

  @Override
  public Map<String, Role> sharedWith(Entry item) throws IOException {
    Map<String, Role> out = new LinkedHashMap<>();
    userPermissions(item).forEach((email, p) -> {
      if (!"owner".equals(p.getRole()) && !email.equals(item.owner())) {
        out.put(email, roleOf(p));
      }
    });
    return out;
  }

  private static Role roleOf(Permission p) {
    return switch (p.getRole() == null ? "" : p.getRole()) {
      case "writer", "fileOrganizer", "organizer", "owner" -> Role.WRITER;
      default -> Role.READER;
    };
  }

  /** {@code type=user} permissions of an item by lower-case e-mail (all pages). */
  private Map<String, Permission> userPermissions(Entry item) throws IOException {
    Map<String, Permission> out = new LinkedHashMap<>();
    String token = null;
    do {
      String t = token;
      PermissionList page = calls.run("list permissions of '" + item.name() + "'", a -> drive.permissions()
          .list(item.id()).setFields(PERMISSION_FIELDS).setPageSize(100).setPageToken(t).execute());
      if (page.getPermissions() != null) {
        for (Permission p : page.getPermissions()) {
          if ("user".equals(p.getType()) && p.getEmailAddress() != null) {
            out.put(p.getEmailAddress().toLowerCase(Locale.ROOT), p);
          }
        }
      }
      token = page.getNextPageToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  /** One permission change. */
  private static final class PermOp {
    final String email;
    final String permissionId;
    final String role;
    final char kind; // c(reate), u(pdate), d(elete)
    boolean notify;

    private PermOp(char kind, String email, String permissionId, String role) {
      this.kind = kind;
      this.email = email;
      this.permissionId = permissionId;
      this.role = role;
    }

    static PermOp create(String email, String role) {
      return new PermOp('c', email, null, role);
    }

    static PermOp update(String email, String id, String role) {
      return new PermOp('u', email, id, role);
    }

    static PermOp delete(String email, String id) {
      return new PermOp('d', email, id, null);
    }

    @Override
    public String toString() {
      return switch (kind) {
        case 'c' -> "grant " + role + " to " + email;
        case 'u' -> "raise " + email + " to " + role;
        default -> "remove " + email;
      };
    }
  }

  private void queue(Entry item, PermOp op, BatchRequest batch, JsonBatchCallback<Permission> pcb,
      JsonBatchCallback<Void> vcb) throws IOException {
    switch (op.kind) {
      case 'c' -> drive.permissions().create(item.id(), new Permission().setType("user").setRole(op.role)
          .setEmailAddress(op.email)).setSendNotificationEmail(op.notify).setFields("id").queue(batch, pcb);
      case 'u' -> drive.permissions().update(item.id(), op.permissionId, new Permission().setRole(op.role))
          .setFields("id").queue(batch, pcb);
      default -> drive.permissions().delete(item.id(), op.permissionId).queue(batch, vcb);
    }
  }

  private void runSingle(Entry item, PermOp op) throws IOException {
    switch (op.kind) {
      case 'c' -> drive.permissions().create(item.id(), new Permission().setType("user").setRole(op.role)
          .setEmailAddress(op.email)).setSendNotificationEmail(op.notify).setFields("id").execute();
      case 'u' -> drive.permissions().update(item.id(), op.permissionId, new Permission().setRole(op.role))
          .setFields("id").execute();
      default -> drive.permissions().delete(item.id(), op.permissionId).execute();
    }
  }

  /**
   * Runs permission changes: alone as one call, several as batches of at most 100. Parts that fail
   * transiently are sent again under the retry policy; a grant Drive refuses without a notification
   * e-mail is repeated with one.
   */
  private void runPermissionOps(Entry item, List<PermOp> ops) throws IOException {
    List<PermOp> pending = new ArrayList<>(ops);
    for (int round = 1; !pending.isEmpty(); round++) {
      List<PermOp> again = new ArrayList<>();
      List<StorageException> fatal = new ArrayList<>();
      if (pending.size() == 1) {
        PermOp op = pending.get(0);
        try {
          calls.run(op + " on '" + item.name() + "'", a -> {
            runSingle(item, op);
            return null;
          });
        } catch (StorageException e) {
          if (needsNotification(op, e)) {
            again.add(op);
          } else if (e.kind() == Kind.NOT_FOUND && op.kind == 'd') {
            // already removed (an earlier attempt whose answer was lost)
          } else if (e.kind() == Kind.NOT_FOUND) {
            throw notFound(item);
          } else {
            throw e;
          }
        }
      } else {
        for (int from = 0; from < pending.size(); from += BATCH_LIMIT) {
          List<PermOp> chunk = pending.subList(from, Math.min(pending.size(), from + BATCH_LIMIT));
          List<PermOp> failedHere = new ArrayList<>();
          calls.run("share '" + item.name() + "' (" + chunk.size() + " changes)", a -> {
            failedHere.clear();
            BatchRequest batch = drive.batch();
            for (PermOp op : chunk) {
              queue(item, op, batch, callback(op, failedHere, fatal), callback(op, failedHere, fatal));
            }
            batch.execute();
            return null;
          });
          again.addAll(failedHere);
        }
        if (!fatal.isEmpty()) {
          throw fatal.get(0);
        }
      }
      if (!again.isEmpty() && round >= calls.policy().maxAttempts()) {
        throw new StorageException(Kind.TRANSIENT, "sharing '" + item.name() + "' did not finish after " + round
            + " rounds: " + again);
      }
      if (!again.isEmpty()) {
        sleep(round);
      }
      pending = again;
    }
  }

  private <T> JsonBatchCallback<T> callback(PermOp op, List<PermOp> retry, List<StorageException> fatal) {
    return new JsonBatchCallback<>() {
      @Override
      public void onSuccess(T result, HttpHeaders headers) {}

      @Override
      public void onFailure(GoogleJsonError e, HttpHeaders headers) {
        String reason = e.getErrors() == null || e.getErrors().isEmpty() ? null : e.getErrors().get(0).getReason();
        DriveErrors.Failure f = DriveErrors.byStatus(e.getCode(), reason, e.getMessage(), false);
        if (op.kind == 'c' && !op.notify && "invalidSharingRequest".equals(reason)) {
          op.notify = true;
          log.info("{} has no Google account; Drive needs a notification e-mail to share with it", op.email);
          retry.add(op);
        } else if (f.retryable()) {
          retry.add(op);
        } else if (!(op.kind == 'd' && e.getCode() == 404)) {
          fatal.add(new StorageException(f.kind(), op + " failed: Drive answered " + e.getCode()
              + (reason == null ? "" : " " + reason) + ": " + e.getMessage()));
        }
      }
    };
  }

  private static boolean needsNotification(PermOp op, StorageException e) {
    if (op.kind != 'c' || op.notify || !(e.getCause() instanceof GoogleJsonResponseException g)) {
      return false;
    }
    GoogleJsonError d = g.getDetails();
    boolean refused = d != null && d.getErrors() != null && !d.getErrors().isEmpty()
        && "invalidSharingRequest".equals(d.getErrors().get(0).getReason());
    if (refused) {
      op.notify = true;
      log.info("{} has no Google account; Drive needs a notification e-mail to share with it", op.email);
    }
    return refused;
  }

  private void sleep(int round) throws IOException {
    try {
      calls.policy().sleeper().sleep(calls.policy().delay(round, java.util.concurrent.ThreadLocalRandom.current()
          .nextDouble()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to retry");
    }
  }

  @Override
  public Entry setAppProperty(Entry item, String key, String value) throws IOException {
    if (key == null || key.isEmpty()) {
      throw new StorageException(Kind.INVALID, "app property key is empty");
    }
    requireOwned(item, "change properties of");
    Map<String, String> props = new LinkedHashMap<>();
    props.put(key, value == null ? Data.NULL_STRING : value);
    File f = mine(calls.run("set property " + key + " of '" + item.name() + "'", a -> drive.files()
        .update(item.id(), new File().setAppProperties(props)).setFields(FILE_FIELDS).execute()));
    Entry e = toEntry(f);
    return root != null && e.id().equals(root.id()) ? rootEntry(f) : e;
  }

  // ================================================================== change feed

  /** Drive's {@code changes} collection: an idle poll is one call. */
  private final class Feed implements ChangeFeed {
    /** Marks a change whose owner is unknown (no Drive id has a space). */
    private static final String GONE = " gone";

    @Override
    public String currentCursor() throws IOException {
      String start = calls.run("read the change cursor", a -> drive.changes().getStartPageToken()
          .setFields("startPageToken").execute()).getStartPageToken();
      sharedWithMe = null;
      feedInUse = true;
      followed.started(start);
      return start;
    }

    @Override
    public Changes changesSince(String cursor) throws IOException {
      sharedWithMe = null;
      feedInUse = true;
      boolean chained = followed.continues(cursor);
      try {
        Changes out = read(cursor);
        if (chained) {
          followed.advanced(out.nextCursor());
        } else {
          followed.started(out.nextCursor());
        }
        return out;
      } catch (IOException | RuntimeException e) {
        followed.broken();
        throw e;
      }
    }

    @Override
    public Optional<List<Entry>> knownChildren(Entry folder) {
      return followed.children(folder.id()).map(files -> {
        List<Entry> out = new ArrayList<>();
        for (File f : oldestFirst(files)) {
          out.add(toEntry(f));
        }
        return out;
      });
    }

    private Changes read(String cursor) throws IOException {
      Set<String> changed = new LinkedHashSet<>();
      Set<String> others = new LinkedHashSet<>();
      String token = cursor;
      while (true) {
        String t = token;
        ChangeList page = calls.run("read changes", a -> drive.changes().list(t).setFields(CHANGE_FIELDS)
            .setPageSize(SERVER_PAGE).setIncludeRemoved(true).setRestrictToMyDrive(false).setSpaces("drive").execute());
        if (page.getChanges() != null) {
          for (Change c : page.getChanges()) {
            note(c, changed, others);
          }
        }
        if (page.getNewStartPageToken() != null) {
          return new Changes(List.copyOf(changed), page.getNewStartPageToken(), others.contains(GONE) ? null : List.copyOf(others));
        }
        if (page.getNextPageToken() == null || page.getNextPageToken().equals(token)) {
          return new Changes(List.copyOf(changed), token, others.contains(GONE) ? null : List.copyOf(others));
        }
        token = page.getNextPageToken();
      }
    }

    private void note(Change c, Set<String> changed, Set<String> others) {
      String id = c.getFileId();
      if (id == null) {
        return;
      }
      changed.add(id); // a folder's own change (e.g. newly shared) means: list it
      File f = c.getFile();
      boolean gone = Boolean.TRUE.equals(c.getRemoved()) || f == null || Boolean.TRUE.equals(f.getTrashed());
      if (f != null) {
        f.setId(id);
      }
      followed.changed(id, gone ? null : f);
      if (gone || f.getParents() == null || f.getParents().isEmpty()) {
        others.add(GONE); // a removal (a withdrawn request?) or an item we cannot place: the client must look
      } else if (!Boolean.TRUE.equals(f.getOwnedByMe())) {
        others.addAll(f.getParents());
      }
      if (f != null && f.getParents() != null) {
        for (String p : f.getParents()) {
          changed.add(p);
          parents.remember(id, p);
        }
      }
      if (gone || f.getParents() == null) {
        String last = parents.parentOf(id);
        if (last != null) {
          changed.add(last);
        }
      }
    }
  }

  // ================================================================== helpers

  private Entry toEntry(File f) {
    boolean folder = isFolder(f);
    long size = folder || f.getSize() == null ? 0 : f.getSize();
    Instant modified = f.getModifiedTime() == null ? Instant.EPOCH : Instant.ofEpochMilli(f.getModifiedTime().getValue());
    String parent = f.getParents() == null || f.getParents().isEmpty() ? null : f.getParents().get(0);
    Entry r = root;
    if (r != null && r.id().equals(f.getId())) {
      parent = null;
    }
    parents.remember(f.getId(), parent);
    return new Entry(f.getId(), f.getName(), folder, size, modified, ownerOf(f), parent, f.getAppProperties());
  }

  private static boolean isFolder(File f) {
    return FOLDER_MIME.equals(f.getMimeType());
  }

  private static String ownerOf(File f) {
    if (f.getOwners() == null || f.getOwners().isEmpty() || f.getOwners().get(0).getEmailAddress() == null) {
      return "";
    }
    return f.getOwners().get(0).getEmailAddress().trim().toLowerCase(Locale.ROOT);
  }

  /** Name order (UTF-16), then creation time, then id: the contract's order, the same on every client. */
  private static List<File> oldestFirst(List<File> files) {
    List<File> out = new ArrayList<>(files);
    out.sort(Comparator.comparing((File f) -> f.getName() == null ? "" : f.getName())
        .thenComparingLong(GDriveStorage::created).thenComparing(File::getId));
    return out;
  }

  private static long created(File f) {
    return f.getCreatedTime() == null ? 0 : f.getCreatedTime().getValue();
  }

  /** MIME type of new content, as the reference writes it (PROTOCOL.md 3.5). */
  static String mimeFor(String name) {
    if (name.equals("SYFT_peers.json") || name.equals("SYFT_version.json")
        || name.startsWith("encryption_bundle_") && name.endsWith(".json")) {
      return TEXT_MIME;
    }
    return BYTES_MIME;
  }

  /** Quotes a value for a Drive query string. */
  static String esc(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }

  private static void checkName(String name) throws StorageException {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
        || name.indexOf('\0') >= 0) {
      throw new StorageException(Kind.INVALID, "not a usable name: '" + name + "'");
    }
  }

  private static void requireFolder(Entry e, String what) throws StorageException {
    if (e == null) {
      throw new StorageException(Kind.INVALID, "no folder given to " + what);
    }
    if (!e.folder()) {
      throw new StorageException(Kind.INVALID, "cannot " + what + " '" + e.name() + "': it is a file, not a folder");
    }
  }

  private void requireOwned(Entry item, String what) throws StorageException {
    if (!me.equals(item.owner())) {
      throw new StorageException(Kind.FORBIDDEN, me + " may not " + what + " '" + item.name() + "' (owned by "
          + item.owner() + ")");
    }
  }

  private StorageException notFound(Entry e) {
    return new StorageException(Kind.NOT_FOUND, "'" + e.name() + "' (id " + e.id() + ") does not exist or is not shared with "
        + me);
  }

  @Override
  public String toString() {
    return "GDriveStorage[" + me + " at " + config.rootUrl() + "]";
  }

  /** Position in the contract's order, as an opaque page token. */
  private record Key(String name, long created, String id) implements Comparable<Key> {
    static Key of(File f) {
      return new Key(f.getName() == null ? "" : f.getName(), GDriveStorage.created(f), f.getId());
    }

    @Override
    public int compareTo(Key o) {
      int c = name.compareTo(o.name);
      if (c != 0) {
        return c;
      }
      c = Long.compare(created, o.created);
      return c != 0 ? c : id.compareTo(o.id);
    }

    String encode() {
      String raw = created + "\n" + id + "\n" + name;
      return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Key decode(String token) throws StorageException {
      try {
        String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        int a = raw.indexOf('\n');
        int b = raw.indexOf('\n', a + 1);
        return new Key(raw.substring(b + 1), Long.parseLong(raw.substring(0, a)), raw.substring(a + 1, b));
      } catch (RuntimeException e) {
        throw new StorageException(Kind.INVALID, "not a page token of this store: " + token);
      }
    }
  }
}
