package dev.syft.drivefake;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Google Drive v3 fake on the JDK {@link HttpServer}: the REST subset the Drive transport uses,
 * served over real HTTP so the official client runs unchanged against it (JAVA-STACK.md 4.2).
 *
 * <p>Identity: every request names its user with {@code Authorization: Bearer <email>}; several
 * users share one fake. A fake OAuth token endpoint ({@code POST /token}) turns a refresh token or an
 * authorization code that is an e-mail into an access token for that e-mail; a refresh token starting
 * with {@code revoked} is refused with {@code invalid_grant}.
 *
 * <p>Served: {@code about.get}, {@code files.list} (q subset of {@link Query}, fields, paging,
 * orderBy), {@code files.create} (metadata, multipart, media and resumable uploads), {@code
 * files.generateIds}, {@code files.get} (metadata; media under {@code /download/} or with {@code
 * alt=media}, with {@code Range}), {@code files.update} (metadata, media, addParents/removeParents),
 * {@code files.delete}, {@code permissions.*}, {@code changes.getStartPageToken}, {@code
 * changes.list} and {@code /batch/drive/v3}. Every request is counted per endpoint ({@link
 * #counts()}); {@link #faults()} injects rate limits, 5xx bursts, dropped connections and index lag.
 *
 * <p>State lives in memory; with a data folder it is also written there after every change and read
 * back at start.
 */
public final class FakeDriveServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeDriveServer.class);
  private static final int MAX_BATCH = 100;

  private final HttpServer server;
  private final ExecutorService executor;
  private final DriveStore store;
  private final Faults faults = new Faults();
  private final Path dataDir;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> userCounts = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();

  private FakeDriveServer(Builder b) throws IOException {
    this.store = new DriveStore(b.clock);
    this.dataDir = b.dataDir;
    faults.onLagChange(() -> store.indexLag(faults.indexLag()));
    if (dataDir != null) {
      load();
    }
    this.server = HttpServer.create(new InetSocketAddress(b.host, b.port), 64);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    log.info("fake Drive listening on {}", rootUrl());
  }

  /** Starts a fake on 127.0.0.1 with an ephemeral port, in memory only. */
  public static FakeDriveServer start() throws IOException {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The root URL to give the Drive client ({@code Drive.Builder.setRootUrl}), with a trailing slash. */
  public String rootUrl() {
    InetSocketAddress a = server.getAddress();
    return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The realism toggles (all off at start). */
  public Faults faults() {
    return faults;
  }

  /** Requests served so far per endpoint (e.g. {@code files.list}; batch parts as {@code batch:permissions.create}). */
  public Map<String, Long> counts() {
    return snapshot(counts);
  }

  /**
   * Requests served so far for one user, per endpoint; a batch whose outer request names nobody counts
   * as {@code batch} for the user of its first part (its parts as {@code batch:...} as well).
   */
  public Map<String, Long> counts(String user) {
    String prefix = user.toLowerCase(Locale.ROOT) + " ";
    Map<String, Long> out = new TreeMap<>();
    userCounts.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v.sum());
      }
    });
    return Collections.unmodifiableMap(out);
  }

  /** HTTP requests served so far (a batch counts once). */
  public long totalRequests() {
    return total.get();
  }

  public void resetCounts() {
    counts.clear();
    userCounts.clear();
    total.set(0);
  }

  /**
   * Marks an address as having no Google account: sharing with it then needs {@code
   * sendNotificationEmail=true}, as on Drive.
   */
  public void addNonGoogleAccount(String email) {
    store.nonGoogleAccount(email);
  }

  /** Notification e-mails Drive would have sent for new permissions. */
  public long notificationEmails() {
    return store.notificationEmails();
  }

  /** Number of files and folders (My Drive roots excluded). */
  public int itemCount() {
    return store.locked(() -> (int) store.items.values().stream().filter(i -> !i.myDriveRoot).count());
  }

  /** What a test may inspect of one stored item. */
  public record FileView(String id, String name, String mimeType, List<String> parents, String owner, long size,
      Map<String, String> appProperties, List<PermissionView> permissions, boolean trashed) {}

  /** One permission of an item ({@code email} is null for {@code anyone}). */
  public record PermissionView(String type, String email, String role) {}

  /** The item with this id, as stored (no visibility rules). */
  public java.util.Optional<FileView> file(String id) {
    return store.locked(() -> java.util.Optional.ofNullable(store.items.get(id)).filter(i -> !i.myDriveRoot)
        .map(FakeDriveServer::view));
  }

  /** Every file and folder (My Drive roots excluded), in creation order. */
  public List<FileView> files() {
    return store.locked(() -> store.items.values().stream().filter(i -> !i.myDriveRoot)
        .sorted(java.util.Comparator.comparingLong(i -> i.seq)).map(FakeDriveServer::view).toList());
  }

  /** The id of a user's My Drive root (created on first use). */
  public String myDriveRootOf(String user) {
    return store.locked(() -> store.rootOf(user.toLowerCase(Locale.ROOT)));
  }

  private static FileView view(Item i) {
    List<PermissionView> perms = new ArrayList<>();
    perms.add(new PermissionView("user", i.owner, "owner"));
    for (Item.Perm p : i.perms) {
      perms.add(new PermissionView(p.type, p.email, p.role));
    }
    return new FileView(i.id, i.name, i.mimeType, List.copyOf(i.parents), i.owner, i.content.length,
        Map.copyOf(i.appProperties), List.copyOf(perms), i.trashed);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return Collections.unmodifiableMap(out);
  }

  // ================================================================== HTTP plumbing

  /** A request, from the socket or from a batch part. */
  record Req(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body,
      String host) {
    String param(String name) {
      return query.get(name);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A response; {@code media} marks a download (faults may cut it). */
  record Resp(int status, Map<String, String> headers, byte[] body, boolean media) {
    static Resp json(int status, JsonNode node) {
      return new Resp(status, Map.of("Content-Type", "application/json; charset=UTF-8"),
          DriveStore.JSON.writeValueAsBytes(node), false);
    }

    static Resp empty(int status) {
      return new Resp(status, Map.of(), new byte[0], false);
    }
  }

  /** Where a request goes and what it is. */
  private record Route(String endpoint, boolean upload, boolean mutation, boolean download, Handler handler) {}

  @FunctionalInterface
  private interface Handler {
    Resp handle(Req req, String user);
  }

  /** Thrown to make the server drop the connection without an answer. */
  private static final class DropConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DropConnection() {
      super("connection dropped by a fault toggle", null, false, false);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      Headers h = ex.getRequestHeaders();
      Map<String, String> headers = new LinkedHashMap<>();
      h.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
      String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
      String override = headers.get("x-http-method-override");
      if (override != null && method.equals("POST")) {
        method = override.toUpperCase(Locale.ROOT);
      }
      URI uri = ex.getRequestURI();
      String host = headers.getOrDefault("host", rootUrl().substring(7, rootUrl().length() - 1));
      Req bare = new Req(method, uri.getRawPath(), query(uri.getRawQuery()), headers, new byte[0], host);
      Route route = route(bare);
      count(route.endpoint, userOf(bare));
      total.incrementAndGet();

      Faults.Action fault = faults.pick(route.endpoint, route.upload, route.mutation, route.download);
      switch (fault) {
        case RATE_LIMIT_403 -> {
          drain(ex);
          send(ex, error(new DriveError(403, "userRateLimitExceeded", "User rate limit exceeded.")), false);
          return;
        }
        case RATE_LIMIT_429 -> {
          drain(ex);
          send(ex, error(new DriveError(429, "rateLimitExceeded", "Rate limit exceeded.")), false);
          return;
        }
        case SERVER_ERROR -> {
          drain(ex);
          send(ex, error(new DriveError(faults.serverErrorStatus(), "backendError", "Backend Error")), false);
          return;
        }
        case BAD_REQUEST_400 -> {
          drain(ex);
          send(ex, error(DriveError.badRequest("Bad Request")), false);
          return;
        }
        case HANG -> {
          try {
            Thread.sleep(2000); // a stalled server: the client's read timeout must fire first
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
          }
          throw new DropConnection();
        }
        case DROP_UPLOAD -> {
          String len = headers.get("content-length");
          long n = len == null ? 1 : Math.max(1, Long.parseLong(len) / 2);
          ex.getRequestBody().readNBytes((int) Math.min(n, Integer.MAX_VALUE));
          throw new DropConnection();
        }
        default -> { }
      }

      byte[] body = readBody(ex, headers);
      Req req = new Req(bare.method, bare.path, bare.query, headers, body, host);
      Resp resp = dispatch(route, req);
      persistIfDirty();
      if (fault == Faults.Action.LOSE_RESPONSE && resp.status < 400) {
        throw new DropConnection();
      }
      send(ex, resp, fault == Faults.Action.CUT_DOWNLOAD && resp.media && resp.body.length > 1);
    } catch (DropConnection d) {
      log.debug("dropping the connection of {} {} (fault toggle)", ex.getRequestMethod(), ex.getRequestURI());
    } catch (RuntimeException e) {
      log.warn("fake Drive failed on {} {}: {}", ex.getRequestMethod(), ex.getRequestURI(), e.toString(), e);
      send(ex, error(new DriveError(500, "internalError", "Internal Error")), false);
    } finally {
      ex.close();
    }
  }

  private static void drain(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static byte[] readBody(HttpExchange ex, Map<String, String> headers) throws IOException {
    byte[] raw;
    try (InputStream in = ex.getRequestBody()) {
      raw = in.readAllBytes();
    }
    String enc = headers.get("content-encoding");
    if (enc != null && enc.equalsIgnoreCase("gzip") && raw.length > 0) {
      try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return gz.readAllBytes();
      }
    }
    return raw;
  }

  private static void send(HttpExchange ex, Resp r, boolean cutHalfway) throws IOException {
    r.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    ex.sendResponseHeaders(r.status, r.body.length == 0 ? -1 : r.body.length);
    if (r.body.length > 0) {
      OutputStream out = ex.getResponseBody();
      if (cutHalfway) {
        out.write(r.body, 0, r.body.length / 2);
        out.flush();
        throw new DropConnection(); // closing the exchange now leaves the body short
      }
      out.write(r.body);
      out.close();
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
      String v = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
      out.merge(k, v, (a, b) -> a + "," + b);
    }
    return out;
  }

  private void count(String endpoint, String user) {
    counts.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
    userCounts.computeIfAbsent((user == null ? "-" : user) + " " + endpoint, k -> new LongAdder()).increment();
  }

  /** The e-mail a bearer token names, or null. */
  private static String userOf(Req req) {
    String auth = req.header("authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = auth.substring(7).trim().toLowerCase(Locale.ROOT);
    return token.contains("@") && !token.contains(" ") ? token : null;
  }

  private static Resp error(DriveError e) {
    ObjectNode root = DriveStore.NODES.objectNode();
    ObjectNode err = root.putObject("error");
    err.put("code", e.status);
    err.put("message", e.getMessage());
    ArrayNode errors = err.putArray("errors");
    ObjectNode one = errors.addObject();
    one.put("domain", e.status == 403 && e.reason.contains("RateLimit") ? "usageLimits" : "global");
    one.put("reason", e.reason);
    one.put("message", e.getMessage());
    if (e.location != null) {
      one.put("locationType", "parameter");
      one.put("location", e.location);
    }
    err.put("status", switch (e.status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ALREADY_EXISTS";
      case 429 -> "RESOURCE_EXHAUSTED";
      default -> "INTERNAL";
    });
    return Resp.json(e.status, root);
  }

  private Resp dispatch(Route route, Req req) {
    try {
      String user = userOf(req);
      // a batch is authorized part by part (each part carries its own Authorization, or the outer one)
      boolean anonymous = route.endpoint.equals("oauth.token") || route.endpoint.equals("discovery")
          || route.endpoint.equals("upload.chunk")
          || route.endpoint.equals("unknown") || route.endpoint.equals("batch");
      if (user == null && !anonymous) {
        throw DriveError.unauthenticated();
      }
      return route.handler.handle(req, user);
    } catch (DriveError e) {
      return error(e);
    }
  }

  // ================================================================== routing

  private Route route(Req r) {
    String[] seg = Arrays.stream(r.path.split("/")).filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toArray(String[]::new);
    String m = r.method;
    if (seg.length == 1 && seg[0].equals("token") && m.equals("POST")) {
      return new Route("oauth.token", false, false, false, this::token);
    }
    if (seg.length == 6 && String.join("/", seg).equals("discovery/v1/apis/drive/v3/rest") && m.equals("GET")) {
      return new Route("discovery", false, false, false, this::discovery);
    }
    if (seg.length >= 1 && seg[0].equals("batch") && m.equals("POST")) {
      return new Route("batch", false, true, false, this::batch);
    }
    boolean upload = seg.length >= 1 && seg[0].equals("upload");
    boolean download = seg.length >= 1 && seg[0].equals("download");
    int base = upload || download ? 1 : 0;
    if (seg.length < base + 2 || !seg[base].equals("drive") || !seg[base + 1].equals("v3")) {
      return unknown();
    }
    List<String> rest = List.of(seg).subList(base + 2, seg.length);
    if (download) {
      if (rest.size() == 2 && rest.get(0).equals("files") && m.equals("GET")) {
        return new Route("files.get.media", false, false, true, (q, u) -> media(q, u, rest.get(1)));
      }
      return unknown();
    }
    if (upload) {
      if (rest.isEmpty() || !rest.get(0).equals("files") || rest.size() > 2) {
        return unknown();
      }
      String id = rest.size() == 2 ? rest.get(1) : null;
      if (r.param("upload_id") != null && m.equals("PUT")) {
        return new Route("upload.chunk", true, true, false, this::chunk);
      }
      if (id == null && m.equals("POST")) {
        boolean resumable = "resumable".equals(r.param("uploadType"));
        return new Route("files.create", !resumable, true, false, (q, u) -> uploadCreate(q, u));
      }
      if (id != null && (m.equals("PATCH") || m.equals("PUT"))) {
        boolean resumable = "resumable".equals(r.param("uploadType"));
        return new Route("files.update", !resumable, true, false, (q, u) -> uploadUpdate(q, u, id));
      }
      return unknown();
    }
    if (rest.size() == 1 && rest.get(0).equals("about") && m.equals("GET")) {
      return new Route("about.get", false, false, false, this::about);
    }
    if (rest.size() == 2 && rest.get(0).equals("changes") && rest.get(1).equals("startPageToken") && m.equals("GET")) {
      return new Route("changes.getStartPageToken", false, false, false, this::startPageToken);
    }
    if (rest.size() == 1 && rest.get(0).equals("changes") && m.equals("GET")) {
      return new Route("changes.list", false, false, false, this::changes);
    }
    if (rest.isEmpty() || !rest.get(0).equals("files")) {
      return unknown();
    }
    if (rest.size() == 1) {
      return switch (m) {
        case "GET" -> new Route("files.list", false, false, false, this::list);
        case "POST" -> new Route("files.create", false, true, false, this::createMetadata);
        default -> unknown();
      };
    }
    String id = rest.get(1);
    if (rest.size() == 2 && id.equals("generateIds") && m.equals("GET")) {
      return new Route("files.generateIds", false, false, false, this::generateIds);
    }
    if (rest.size() == 2) {
      return switch (m) {
        case "GET" -> "media".equals(r.param("alt"))
            ? new Route("files.get.media", false, false, true, (q, u) -> media(q, u, id))
            : new Route("files.get", false, false, false, (q, u) -> get(q, u, id));
        case "PATCH", "PUT" -> new Route("files.update", false, true, false, (q, u) -> updateMetadata(q, u, id));
        case "DELETE" -> new Route("files.delete", false, true, false, (q, u) -> delete(u, id));
        default -> unknown();
      };
    }
    if (rest.get(2).equals("permissions")) {
      if (rest.size() == 3) {
        return switch (m) {
          case "GET" -> new Route("permissions.list", false, false, false, (q, u) -> listPermissions(q, u, id));
          case "POST" -> new Route("permissions.create", false, true, false, (q, u) -> createPermission(q, u, id));
          default -> unknown();
        };
      }
      if (rest.size() == 4) {
        String pid = rest.get(3);
        return switch (m) {
          case "GET" -> new Route("permissions.get", false, false, false,
              (q, u) -> permResp(q, store.locked(() -> store.permission(u, id, pid))));
          case "PATCH" -> new Route("permissions.update", false, true, false,
              (q, u) -> permResp(q, store.locked(() -> store.updatePermission(u, id, pid, json(q)))));
          case "DELETE" -> new Route("permissions.delete", false, true, false, (q, u) -> {
            store.locked(() -> {
              store.deletePermission(u, id, pid);
              return null;
            });
            return Resp.empty(204);
          });
          default -> unknown();
        };
      }
    }
    return unknown();
  }

  private Route unknown() {
    return new Route("unknown", false, false, false, (q, u) -> {
      throw new DriveError(404, "notFound", "Not Found: " + q.method + " " + q.path + " is not served by the fake");
    });
  }

  // ================================================================== handlers

  private static JsonNode json(Req r) {
    if (r.body.length == 0) {
      return DriveStore.NODES.objectNode();
    }
    try {
      return DriveStore.JSON.readTree(r.body);
    } catch (RuntimeException e) {
      throw DriveError.badRequest("Invalid JSON payload received.");
    }
  }

  private static Fields fields(Req r, String defaults) {
    String f = r.param("fields");
    return Fields.parse(f == null ? defaults : f);
  }

  private static final String FILE_DEFAULT = "kind,id,name,mimeType";

  private Resp fileResp(Req r, Item i, String user) {
    return Resp.json(200, fields(r, FILE_DEFAULT).apply(store.locked(() -> store.fileJson(i, user))));
  }

  private static int intParam(Req r, String name, int def, int min, int max) {
    String v = r.param(name);
    if (v == null || v.isEmpty()) {
      return def;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw DriveError.invalid("Invalid value '" + v + "'. Values must be within the range: [" + min + ", " + max + "]",
          name);
    }
  }

  private static List<String> commaList(String v) {
    List<String> out = new ArrayList<>();
    if (v != null) {
      for (String s : v.split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return out;
  }

  private Resp about(Req r, String user) {
    if (r.param("fields") == null) {
      throw new DriveError(400, "required", "The 'fields' parameter is required for this method.", "fields");
    }
    return Resp.json(200, fields(r, "*").apply(store.locked(() -> store.about(user))));
  }

  private Resp list(Req r, String user) {
    int pageSize = intParam(r, "pageSize", 100, 1, 1000);
    String spaces = r.param("spaces");
    if (spaces != null && !spaces.contains("drive")) {
      ObjectNode emptyList = DriveStore.NODES.objectNode();
      emptyList.put("kind", "drive#fileList");
      emptyList.putArray("files");
      return Resp.json(200, emptyList);
    }
    ObjectNode out = store.locked(() -> store.list(user, r.param("q"), pageSize, r.param("pageToken"), r.param("orderBy")));
    return Resp.json(200, fields(r, "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)").apply(out));
  }

  private Resp get(Req r, String user, String id) {
    Item i = store.locked(() -> store.accessible(user, id));
    return fileResp(r, i, user);
  }

  private Resp media(Req r, String user, String id) {
    Item i = store.locked(() -> store.accessible(user, id));
    if (i.folder() || i.mimeType.startsWith("application/vnd.google-apps.")) {
      throw new DriveError(403, "fileNotDownloadable",
          "Only files with binary content can be downloaded. Use Export with Docs Editors files.", "alt");
    }
    byte[] content = store.locked(() -> i.content);
    String range = r.header("range");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", i.mimeType);
    if (range != null && range.startsWith("bytes=") && content.length > 0) {
      String[] ab = range.substring(6).split("-", -1);
      try {
        long a = Long.parseLong(ab[0]);
        long b = ab.length > 1 && !ab[1].isEmpty() ? Math.min(Long.parseLong(ab[1]), content.length - 1) : content.length - 1;
        if (a >= content.length || a > b) {
          headers.put("Content-Range", "bytes */" + content.length);
          return new Resp(416, headers, new byte[0], false);
        }
        headers.put("Content-Range", "bytes " + a + "-" + b + "/" + content.length);
        return new Resp(206, headers, Arrays.copyOfRange(content, (int) a, (int) b + 1), true);
      } catch (NumberFormatException e) {
        // an unparseable range is ignored, as HTTP allows
      }
    }
    return new Resp(200, headers, content, true);
  }

  private Resp createMetadata(Req r, String user) {
    JsonNode meta = json(r);
    Item i = store.locked(() -> store.create(user, meta, null, null));
    return fileResp(r, i, user);
  }

  private Resp generateIds(Req r, String user) {
    int count = intParam(r, "count", 10, 1, 1000);
    List<String> ids = store.locked(() -> store.generateIds(user, count));
    ObjectNode o = DriveStore.NODES.objectNode();
    o.put("kind", "drive#generatedIds");
    o.put("space", "drive");
    ArrayNode arr = o.putArray("ids");
    ids.forEach(arr::add);
    return Resp.json(200, o);
  }

  /** Metadata and media of an upload request (multipart or media), or null media for a resumable start. */
  private record Upload(JsonNode meta, byte[] media, String mediaType) {}

  private static Upload parseUpload(Req r) {
    String type = r.param("uploadType");
    if (type == null) {
      throw DriveError.invalid("Missing uploadType", "uploadType");
    }
    switch (type) {
      case "multipart", "related" -> {
        String boundary = Multipart.boundary(r.header("content-type"));
        if (boundary == null) {
          throw DriveError.badRequest("Multipart upload without a boundary");
        }
        List<Multipart.Part> parts = Multipart.parse(r.body, boundary);
        if (parts.size() != 2) {
          throw DriveError.badRequest("Multipart upload needs exactly 2 parts, got " + parts.size());
        }
        JsonNode meta;
        try {
          meta = DriveStore.JSON.readTree(parts.get(0).body());
        } catch (RuntimeException e) {
          throw DriveError.badRequest("Invalid JSON metadata part");
        }
        return new Upload(meta, parts.get(1).body(), parts.get(1).header("content-type"));
      }
      case "media" -> {
        return new Upload(DriveStore.NODES.objectNode(), r.body, r.header("content-type"));
      }
      case "resumable" -> {
        return new Upload(json(r), null, r.header("x-upload-content-type"));
      }
      default -> throw DriveError.invalid("Invalid uploadType " + type, "uploadType");
    }
  }

  private Resp uploadCreate(Req r, String user) {
    Upload up = parseUpload(r);
    if (up.media == null) {
      return startResumable(r, user, null, up);
    }
    Item i = store.locked(() -> store.create(user, up.meta, up.media, up.mediaType));
    return fileResp(r, i, user);
  }

  private Resp uploadUpdate(Req r, String user, String id) {
    Upload up = parseUpload(r);
    if (up.media == null) {
      return startResumable(r, user, id, up);
    }
    Item i = store.locked(() -> store.update(user, id, up.meta, up.media, commaList(r.param("addParents")),
        commaList(r.param("removeParents"))));
    return fileResp(r, i, user);
  }

  private Resp startResumable(Req r, String user, String fileId, Upload up) {
    String len = r.header("x-upload-content-length");
    long declared = len == null ? -1 : Long.parseLong(len.trim());
    DriveStore.Session s = store.locked(() -> store.startSession(user, fileId, up.meta, up.mediaType, declared,
        new LinkedHashMap<>(r.query)));
    String path = "/upload/drive/v3/files" + (fileId == null ? "" : "/" + fileId);
    String location = "http://" + r.host + path + "?uploadType=resumable&upload_id=" + s.id;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", location);
    headers.put("X-GUploader-UploadID", s.id);
    return new Resp(200, headers, new byte[0], false);
  }

  private Resp chunk(Req r, String ignoredUser) {
    return store.locked(() -> {
      DriveStore.Session s = store.session(r.param("upload_id"));
      String range = r.header("content-range");
      long total = s.declaredLength;
      long start = 0;
      boolean query = false;
      if (range != null) {
        String spec = range.trim();
        if (!spec.startsWith("bytes ")) {
          throw DriveError.badRequest("Invalid Content-Range " + range);
        }
        spec = spec.substring(6);
        int slash = spec.indexOf('/');
        String span = spec.substring(0, slash);
        String tot = spec.substring(slash + 1);
        if (!tot.equals("*")) {
          total = Long.parseLong(tot);
        }
        if (span.equals("*")) {
          query = true;
        } else {
          String[] ab = span.split("-");
          start = Long.parseLong(ab[0]);
          long end = Long.parseLong(ab[1]);
          if (end - start + 1 != r.body.length) {
            throw DriveError.badRequest("Content-Range does not match the body length");
          }
        }
      } else {
        total = r.body.length; // a single PUT with the whole content
      }
      long have = s.received.size();
      if (!query) {
        if (start > have) {
          throw DriveError.badRequest("Upload chunk starts at " + start + " but only " + have + " bytes were received");
        }
        int skip = (int) (have - start);
        if (skip < r.body.length) {
          s.received.write(r.body, skip, r.body.length - skip);
        }
        have = s.received.size();
      }
      if (total >= 0 && have > total) {
        throw DriveError.badRequest("More bytes received than declared");
      }
      if (total >= 0 && have == total) {
        if (s.result == null) {
          byte[] content = s.received.toByteArray();
          s.result = s.fileId == null
              ? store.create(s.user, s.meta, content, s.uploadMime)
              : store.update(s.user, s.fileId, s.meta, content, commaList(s.params.get("addParents")),
                  commaList(s.params.get("removeParents")));
        }
        String f = s.params.get("fields");
        return Resp.json(200, Fields.parse(f == null ? FILE_DEFAULT : f).apply(store.fileJson(s.result, s.user)));
      }
      Map<String, String> headers = new LinkedHashMap<>();
      if (have > 0) {
        headers.put("Range", "bytes=0-" + (have - 1));
      }
      headers.put("X-GUploader-UploadID", s.id);
      return new Resp(308, headers, new byte[0], false);
    });
  }

  private Resp updateMetadata(Req r, String user, String id) {
    JsonNode meta = json(r);
    Item i = store.locked(() -> store.update(user, id, meta, null, commaList(r.param("addParents")),
        commaList(r.param("removeParents"))));
    return fileResp(r, i, user);
  }

  private Resp delete(String user, String id) {
    store.locked(() -> {
      store.delete(user, id);
      return null;
    });
    return Resp.empty(204);
  }

  private Resp permResp(Req r, Item.Perm p) {
    return Resp.json(200, fields(r, "kind,id,type,role").apply(store.permJson(p)));
  }

  private Resp createPermission(Req r, String user, String id) {
    JsonNode body = json(r);
    boolean notify = !"false".equalsIgnoreCase(r.param("sendNotificationEmail"));
    Item.Perm p = store.locked(() -> store.createPermission(user, id, body, notify));
    return permResp(r, p);
  }

  private Resp listPermissions(Req r, String user, String id) {
    int pageSize = intParam(r, "pageSize", 100, 1, 100);
    List<Item.Perm> all = store.locked(() -> store.permissions(user, id));
    int offset = 0;
    String token = r.param("pageToken");
    if (token != null && !token.isEmpty()) {
      try {
        offset = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        throw DriveError.invalid("Invalid Value", "pageToken");
      }
    }
    ObjectNode o = DriveStore.NODES.objectNode();
    o.put("kind", "drive#permissionList");
    ArrayNode arr = o.putArray("permissions");
    int end = Math.min(all.size(), offset + pageSize);
    for (int k = offset; k < end; k++) {
      arr.add(store.permJson(all.get(k)));
    }
    if (end < all.size()) {
      o.put("nextPageToken", Integer.toString(end));
    }
    return Resp.json(200, fields(r, "kind,permissions(kind,id,type,role)").apply(o));
  }

  private Resp startPageToken(Req r, String user) {
    ObjectNode o = DriveStore.NODES.objectNode();
    o.put("kind", "drive#startPageToken");
    o.put("startPageToken", store.locked(store::startPageToken));
    return Resp.json(200, fields(r, "*").apply(o));
  }

  private Resp changes(Req r, String user) {
    String token = r.param("pageToken");
    if (token == null) {
      throw new DriveError(400, "required", "Required parameter: pageToken", "pageToken");
    }
    int pageSize = intParam(r, "pageSize", 100, 1, 1000);
    boolean includeRemoved = !"false".equalsIgnoreCase(r.param("includeRemoved"));
    ObjectNode o = store.locked(() -> store.changes(user, token, pageSize, includeRemoved, Fields.all()));
    return Resp.json(200, fields(r, "*").apply(o));
  }

  /** The fake OAuth token endpoint: codes and refresh tokens are e-mails; {@code revoked*} is invalid_grant. */
  /**
   * The Drive v3 discovery document, reduced to the methods and parameters the Python Google client
   * (google-api-python-client 1.7, which fetches it at every {@code build()}) needs; its {@code rootUrl}
   * is this server as the client reached it, so every later call comes here.
   */
  private Resp discovery(Req r, String ignored) {
    String doc = DISCOVERY.replace("${ROOT_URL}", "http://" + r.host + "/");
    return new Resp(200, Map.of("Content-Type", "application/json; charset=UTF-8"),
        doc.getBytes(StandardCharsets.UTF_8), false);
  }

  private static final String DISCOVERY = loadDiscovery();

  private static String loadDiscovery() {
    try (InputStream in = FakeDriveServer.class.getResourceAsStream("drive-v3-discovery.json")) {
      if (in == null) {
        throw new IllegalStateException("drive-v3-discovery.json is missing from the drive-fake jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Resp token(Req r, String ignored) {
    Map<String, String> form = query(new String(r.body, StandardCharsets.UTF_8));
    String grant = form.getOrDefault("grant_type", "");
    String subject = switch (grant) {
      case "refresh_token" -> form.get("refresh_token");
      case "authorization_code" -> form.get("code");
      default -> null;
    };
    ObjectNode o = DriveStore.NODES.objectNode();
    if (subject == null || subject.startsWith("revoked") || !subject.contains("@")) {
      o.put("error", subject == null ? "unsupported_grant_type" : "invalid_grant");
      o.put("error_description", "Token has been expired or revoked.");
      return Resp.json(400, o);
    }
    o.put("access_token", subject.toLowerCase(Locale.ROOT));
    o.put("expires_in", 3599);
    o.put("token_type", "Bearer");
    o.put("scope", "https://www.googleapis.com/auth/drive");
    if (grant.equals("authorization_code")) {
      o.put("refresh_token", subject.toLowerCase(Locale.ROOT));
    }
    return Resp.json(200, o);
  }

  // ================================================================== batch

  private Resp batch(Req r, String user) {
    String boundary = Multipart.boundary(r.header("content-type"));
    if (boundary == null) {
      throw DriveError.badRequest("A batch request needs a multipart/mixed body");
    }
    List<Multipart.Part> parts = Multipart.parse(r.body, boundary);
    if (parts.size() > MAX_BATCH) {
      throw DriveError.badRequest("A batch holds at most " + MAX_BATCH + " requests, got " + parts.size());
    }
    List<Multipart.Part> answers = new ArrayList<>();
    boolean attributed = user != null;
    for (Multipart.Part p : parts) {
      Req sub = subRequest(p.body(), r);
      if (!attributed && userOf(sub) != null) {
        // the outer request may carry no token: it counts once for the user of its first part
        userCounts.computeIfAbsent(userOf(sub) + " batch", k -> new LongAdder()).increment();
        attributed = true;
      }
      log.debug("batch part {} {} auth={}", sub.method, sub.path, sub.header("authorization") != null);
      Route route = route(sub);
      count("batch:" + route.endpoint, userOf(sub));
      Resp resp = dispatch(route, sub);
      StringBuilder head = new StringBuilder("HTTP/1.1 " + resp.status + " " + reason(resp.status) + "\r\n");
      resp.headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Content-Length: ").append(resp.body.length).append("\r\n\r\n");
      byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
      byte[] body = new byte[headBytes.length + resp.body.length];
      System.arraycopy(headBytes, 0, body, 0, headBytes.length);
      System.arraycopy(resp.body, 0, body, headBytes.length, resp.body.length);
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Content-Type", "application/http");
      String cid = p.header("content-id");
      if (cid != null) {
        h.put("Content-ID", cid.startsWith("<") ? "<response-" + cid.substring(1) : "response-" + cid);
      }
      answers.add(new Multipart.Part(h, body));
    }
    String out = "batch_" + DriveStore.newId().substring(1, 17);
    return new Resp(200, Map.of("Content-Type", "multipart/mixed; boundary=" + out), Multipart.write(out, answers), false);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 204 -> "No Content";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 429 -> "Too Many Requests";
      default -> "Status";
    };
  }

  /** Parses one {@code application/http} batch part into a request, inheriting the outer headers. */
  private static Req subRequest(byte[] raw, Req outer) {
    // CRLF or bare LF line breaks (Python's Google client sends LF)
    int bodyStart = Multipart.afterHeaders(raw, 0, raw.length);
    byte[] body = bodyStart < 0 ? new byte[0] : Arrays.copyOfRange(raw, bodyStart, raw.length);
    String[] lines = Multipart.lines(raw, 0, bodyStart < 0 ? raw.length : bodyStart, StandardCharsets.UTF_8)
        .toArray(String[]::new);
    if (lines.length == 0) {
      throw DriveError.badRequest("Malformed batch part: no request line");
    }
    String[] requestLine = lines[0].trim().split(" ");
    if (requestLine.length < 2) {
      throw DriveError.badRequest("Malformed batch part: " + lines[0]);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String outerAuth = outer.header("authorization");
    if (outerAuth != null) {
      headers.put("authorization", outerAuth);
    }
    for (int k = 1; k < lines.length; k++) {
      int colon = lines[k].indexOf(':');
      if (colon > 0) {
        headers.put(lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[k].substring(colon + 1).trim());
      }
    }
    URI target = URI.create(requestLine[1]);
    String method = requestLine[0].toUpperCase(Locale.ROOT);
    String override = headers.get("x-http-method-override");
    if (override != null && method.equals("POST")) {
      method = override.toUpperCase(Locale.ROOT);
    }
    return new Req(method, target.getRawPath(), query(target.getRawQuery()), headers, body, outer.host);
  }

  // ================================================================== persistence

  private void load() throws IOException {
    Path state = dataDir.resolve("drive-state.json");
    if (!Files.exists(state)) {
      Files.createDirectories(dataDir.resolve("blobs"));
      return;
    }
    JsonNode o = DriveStore.JSON.readTree(Files.readAllBytes(state));
    store.locked(() -> {
      store.restore(o, sha -> {
        try {
          return Files.readAllBytes(dataDir.resolve("blobs").resolve(sha));
        } catch (IOException e) {
          throw new UncheckedIOException("missing blob " + sha + " in " + dataDir, e);
        }
      });
      return null;
    });
    log.info("fake Drive state loaded from {}", dataDir);
  }

  private void persistIfDirty() {
    if (dataDir == null) {
      return;
    }
    store.locked(() -> {
      if (!store.takeDirty()) {
        return null;
      }
      try {
        Path blobs = Files.createDirectories(dataDir.resolve("blobs"));
        java.util.Set<String> live = new java.util.HashSet<>();
        ObjectNode snap = store.snapshot((sha, data) -> {
          live.add(sha);
          Path f = blobs.resolve(sha);
          if (!Files.exists(f)) {
            try {
              writeAtomically(f, data);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
        writeAtomically(dataDir.resolve("drive-state.json"), DriveStore.JSON.writeValueAsBytes(snap));
        try (var s = Files.list(blobs)) {
          for (Path p : s.toList()) {
            if (!live.contains(p.getFileName().toString())) {
              Files.deleteIfExists(p);
            }
          }
        }
      } catch (IOException | UncheckedIOException e) {
        log.warn("could not save the fake Drive state to {}: {}", dataDir, e.toString());
      }
      return null;
    });
  }

  private static void writeAtomically(Path target, byte[] data) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, data);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  // ================================================================== builder and main

  /** Options of a fake server. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Path dataDir;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Address to bind; 127.0.0.1 by default. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Folder to keep the state in across restarts (none by default: memory only). */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** Clock for created/modified times and the index lag (tests pass a settable one). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public FakeDriveServer start() throws IOException {
      if (dataDir != null) {
        Files.createDirectories(dataDir);
      }
      return new FakeDriveServer(this);
    }
  }

  /**
   * {@code FakeDriveServer [--port P] [--data DIR] [--host H]}: runs a fake until interrupted and
   * prints how to point the Drive transport at it.
   */
  public static void main(String[] args) throws Exception {
    Builder b = builder();
    for (int k = 0; k < args.length; k++) {
      switch (args[k]) {
        case "--port" -> b.port(Integer.parseInt(next(args, ++k)));
        case "--data" -> b.dataDir(Path.of(next(args, ++k)));
        case "--host" -> b.host(next(args, ++k));
        case "-h", "--help" -> {
          System.out.println("usage: FakeDriveServer [--port P] [--data DIR] [--host 127.0.0.1]");
          return;
        }
        default -> {
          System.err.println("unknown option " + args[k] + " (try --help)");
          System.exit(2);
        }
      }
    }
    FakeDriveServer s = b.start();
    System.out.println(banner(s));
    Runtime.getRuntime().addShutdownHook(new Thread(s::close));
    new java.util.concurrent.CountDownLatch(1).await();
  }

  /** What to tell a user who started a fake by hand. */
  public static String banner(FakeDriveServer s) {
    return "fake Google Drive listening on " + s.rootUrl() + "\n"
        + "any Bearer token that is an e-mail acts as that user; e.g. configure a client with\n"
        + "  transport: gdrive:?root_url=" + s.rootUrl() + "&access_token=alice@example.com\n"
        + "(the access_token must equal the client's e-mail). Press Ctrl-C to stop.";
  }

  private static String next(String[] args, int k) {
    if (k >= args.length) {
      System.err.println("missing value after " + args[k - 1]);
      System.exit(2);
    }
    return args[k];
  }
}
