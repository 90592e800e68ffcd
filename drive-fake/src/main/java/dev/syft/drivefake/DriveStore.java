package dev.syft.drivefake;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fake's state and the semantics of every Drive operation it serves (PROTOCOL.md Appendix C, plus
 * what the reference mock lacks). One lock guards everything; request bodies are read before it is
 * taken, so content appears in one step.
 *
 * <p>Visibility: a user sees an item they own or hold a {@code user} permission on, or anything below
 * a folder they see. {@code anyone} permissions open an item by id but never make it searchable.
 * Writers may add to a folder, update items and share; only owners delete (cascading to their own
 * items below, orphaning others'). Every mutation is recorded for {@code changes.list}.
 */
final class DriveStore {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final int MAX_CHANGES = 50_000;

  final ReentrantLock lock = new ReentrantLock();
  private final Clock clock;
  private Instant lastTime = Instant.EPOCH;
  private long itemSeq;
  private long changeSeq;
  final Map<String, Item> items = new HashMap<>();
  private final Map<String, Set<String>> children = new HashMap<>();
  final Map<String, String> roots = new HashMap<>();
  final List<Change> changes = new ArrayList<>();
  private final Map<String, Set<String>> generatedIds = new HashMap<>();
  private final Map<String, Session> sessions = new LinkedHashMap<>();
  private final Set<String> nonGoogleAccounts = new HashSet<>();
  private volatile Duration indexLag = Duration.ZERO;
  private long notificationEmails;
  private boolean dirty;

  DriveStore(Clock clock) {
    this.clock = clock;
  }

  // ------------------------------------------------------------------ settings

  void indexLag(Duration lag) {
    indexLag = lag == null ? Duration.ZERO : lag;
  }

  void nonGoogleAccount(String email) {
    locked(() -> nonGoogleAccounts.add(email.toLowerCase(Locale.ROOT)));
  }

  long notificationEmails() {
    return locked(() -> notificationEmails);
  }

  boolean takeDirty() {
    boolean d = dirty;
    dirty = false;
    return d;
  }

  <T> T locked(Supplier<T> work) {
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ time, ids

  /** Strictly increasing millisecond times, so creation order is total. */
  Instant now() {
    Instant t = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (!t.isAfter(lastTime)) {
      t = lastTime.plusMillis(1);
    }
    lastTime = t;
    return t;
  }

  /** The latest time handed out, without advancing it (for lag checks). */
  Instant peekNow() {
    Instant t = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return t.isAfter(lastTime) ? t : lastTime;
  }

  static String time(Instant t) {
    return RFC3339.format(t);
  }

  static String newId() {
    byte[] b = new byte[24];
    ThreadLocalRandom.current().nextBytes(b);
    return "1" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String permissionId(String email) {
    return "p" + sha256(email.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 20);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ users and access (lock held)

  String rootOf(String user) {
    String id = roots.get(user);
    if (id == null) {
      Item r = new Item(newId(), ++itemSeq, user, now(), true);
      r.name = "My Drive";
      r.mimeType = Item.FOLDER_MIME;
      items.put(r.id, r);
      roots.put(user, r.id);
      id = r.id;
      dirty = true;
    }
    return id;
  }

  String resolve(String user, String id) {
    return "root".equals(id) ? rootOf(user) : id;
  }

  /** Strongest role of {@code email} on {@code item} or a folder above it, or null. */
  String roleOf(String email, Item item) {
    String best = null;
    Set<String> seen = new HashSet<>();
    List<Item> frontier = new ArrayList<>(List.of(item));
    while (!frontier.isEmpty()) {
      Item i = frontier.remove(frontier.size() - 1);
      if (!seen.add(i.id)) {
        continue;
      }
      if (i.owner.equals(email)) {
        return "owner";
      }
      Item.Perm p = i.permOf(email);
      if (p != null) {
        best = p.writes() ? "writer" : best == null ? "reader" : best;
      }
      for (String pid : i.parents) {
        Item parent = items.get(pid);
        if (parent != null) {
          frontier.add(parent);
        }
      }
    }
    return best;
  }

  boolean visible(String user, Item item) {
    return roleOf(user, item) != null;
  }

  private boolean openedByLink(Item item) {
    Set<String> seen = new HashSet<>();
    for (List<Item> f = new ArrayList<>(List.of(item)); !f.isEmpty(); ) {
      Item i = f.remove(f.size() - 1);
      if (!seen.add(i.id)) {
        continue;
      }
      for (Item.Perm p : i.perms) {
        if ("anyone".equals(p.type)) {
          return true;
        }
      }
      for (String pid : i.parents) {
        Item parent = items.get(pid);
        if (parent != null) {
          f.add(parent);
        }
      }
    }
    return false;
  }

  boolean canWrite(String user, Item item) {
    String r = roleOf(user, item);
    return "owner".equals(r) || "writer".equals(r);
  }

  /** The item if the caller can open it by id, else 404. */
  Item accessible(String user, String id) {
    Item i = items.get(resolve(user, id));
    if (i == null || !(visible(user, i) || openedByLink(i))) {
      throw DriveError.notFound(id);
    }
    return i;
  }

  private Set<String> viewers(Item item) {
    Set<String> out = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    for (List<Item> f = new ArrayList<>(List.of(item)); !f.isEmpty(); ) {
      Item i = f.remove(f.size() - 1);
      if (!seen.add(i.id)) {
        continue;
      }
      out.add(i.owner);
      for (Item.Perm p : i.perms) {
        if (p.email != null) {
          out.add(p.email);
        }
      }
      for (String pid : i.parents) {
        Item parent = items.get(pid);
        if (parent != null) {
          f.add(parent);
        }
      }
    }
    return out;
  }

  private void record(Item item, Set<String> viewersBefore) {
    if (item.myDriveRoot) {
      return;
    }
    Set<String> v = new LinkedHashSet<>(viewersBefore);
    if (items.containsKey(item.id)) {
      v.addAll(viewers(item));
    }
    changes.add(new Change(++changeSeq, item.id, now(), Set.copyOf(v)));
    if (changes.size() > MAX_CHANGES) {
      changes.subList(0, changes.size() - MAX_CHANGES).clear();
    }
    dirty = true;
  }

  private Set<String> childrenOf(String id) {
    return children.computeIfAbsent(id, k -> new LinkedHashSet<>());
  }

  // ------------------------------------------------------------------ rendering

  ObjectNode fileJson(Item i, String user) {
    ObjectNode o = NODES.objectNode();
    o.put("kind", "drive#file");
    o.put("id", i.id);
    o.put("name", i.name);
    o.put("mimeType", i.mimeType);
    if (!i.myDriveRoot) {
      ArrayNode ps = o.putArray("parents");
      i.parents.forEach(ps::add);
    }
    ArrayNode owners = o.putArray("owners");
    ObjectNode ow = owners.addObject();
    ow.put("kind", "drive#user");
    ow.put("displayName", displayName(i.owner));
    ow.put("emailAddress", i.owner);
    ow.put("me", i.owner.equals(user));
    ow.put("permissionId", permissionId(i.owner));
    o.put("ownedByMe", i.owner.equals(user));
    o.put("createdTime", time(i.created));
    o.put("modifiedTime", time(i.modified));
    o.put("version", Long.toString(i.version));
    o.put("trashed", i.trashed);
    o.put("shared", !i.perms.isEmpty());
    if (!i.folder()) {
      o.put("size", Long.toString(i.content.length));
      o.put("md5Checksum", i.md5 == null ? md5(i.content) : i.md5);
      o.put("headRevisionId", "r" + i.version);
    }
    if (i.description != null) {
      o.put("description", i.description);
    }
    if (!i.appProperties.isEmpty()) {
      ObjectNode ap = o.putObject("appProperties");
      i.appProperties.forEach(ap::put);
    }
    if (!i.properties.isEmpty()) {
      ObjectNode pp = o.putObject("properties");
      i.properties.forEach(pp::put);
    }
    ObjectNode caps = o.putObject("capabilities");
    boolean w = canWrite(user, i);
    caps.put("canEdit", w);
    caps.put("canAddChildren", w && i.folder());
    caps.put("canDelete", i.owner.equals(user));
    caps.put("canShare", w);
    return o;
  }

  ObjectNode permJson(Item.Perm p) {
    ObjectNode o = NODES.objectNode();
    o.put("kind", "drive#permission");
    o.put("id", p.id);
    o.put("type", p.type);
    o.put("role", p.role);
    if (p.email != null) {
      o.put("emailAddress", p.email);
      o.put("displayName", displayName(p.email));
    }
    o.put("deleted", false);
    return o;
  }

  static String displayName(String email) {
    int at = email.indexOf('@');
    return at > 0 ? email.substring(0, at) : email;
  }

  // ------------------------------------------------------------------ about

  ObjectNode about(String user) {
    rootOf(user);
    ObjectNode o = NODES.objectNode();
    o.put("kind", "drive#about");
    ObjectNode u = o.putObject("user");
    u.put("kind", "drive#user");
    u.put("displayName", displayName(user));
    u.put("emailAddress", user);
    u.put("me", true);
    u.put("permissionId", permissionId(user));
    ObjectNode q = o.putObject("storageQuota");
    long used = 0;
    for (Item i : items.values()) {
      if (i.owner.equals(user)) {
        used += i.content.length;
      }
    }
    q.put("limit", Long.toString(15L << 30));
    q.put("usage", Long.toString(used));
    q.put("usageInDrive", Long.toString(used));
    return o;
  }

  // ------------------------------------------------------------------ files.list

  ObjectNode list(String user, String q, int pageSize, String pageToken, String orderBy) {
    rootOf(user);
    Query.Cond cond = Query.compile(q);
    Comparator<Item> order = order(orderBy);
    Instant now = peekNow();
    Query.Env env = env(user, now);
    List<Item> hits = new ArrayList<>();
    for (Item i : items.values()) {
      if (!i.myDriveRoot && !now.isBefore(i.indexedAt) && visible(user, i) && cond.test(i, env)) {
        hits.add(i);
      }
    }
    hits.sort(order);
    int offset = decodeToken(pageToken);
    ObjectNode out = NODES.objectNode();
    out.put("kind", "drive#fileList");
    out.put("incompleteSearch", false);
    int end = Math.min(hits.size(), offset + pageSize);
    if (end < hits.size()) {
      out.put("nextPageToken", encodeToken(end));
    }
    ArrayNode files = out.putArray("files");
    for (int k = offset; k < end; k++) {
      files.add(fileJson(hits.get(k), user));
    }
    return out;
  }

  private Query.Env env(String user, Instant now) {
    return new Query.Env() {
      @Override
      public String user() {
        return user;
      }

      @Override
      public Instant now() {
        return now;
      }

      @Override
      public String resolveId(String id) {
        return "root".equals(id) ? roots.getOrDefault(user, "") : id;
      }

      @Override
      public String roleOf(String email, Item item) {
        return DriveStore.this.roleOf(email, item);
      }
    };
  }

  private static String encodeToken(int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static int decodeToken(String token) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8);
      if (!s.startsWith("o:")) {
        throw new IllegalArgumentException();
      }
      return Integer.parseInt(s.substring(2));
    } catch (IllegalArgumentException e) {
      throw DriveError.invalid("Invalid Value", "pageToken");
    }
  }

  /** Drive sorts names case-insensitively; ties fall back to code units, then creation order. */
  static Comparator<Item> order(String orderBy) {
    Comparator<Item> c = null;
    if (orderBy != null && !orderBy.isBlank()) {
      for (String key : orderBy.split(",")) {
        String[] parts = key.trim().split("\\s+");
        boolean desc = parts.length > 1 && parts[1].equalsIgnoreCase("desc");
        if (parts.length > 2 || (parts.length == 2 && !desc && !parts[1].equalsIgnoreCase("asc"))) {
          throw DriveError.invalid("Invalid Value", "orderBy");
        }
        Comparator<Item> k = switch (parts[0]) {
          case "name", "name_natural" -> Comparator.comparing((Item i) -> i.name.toLowerCase(Locale.ROOT))
              .thenComparing(i -> i.name);
          case "createdTime" -> Comparator.comparing((Item i) -> i.created);
          case "modifiedTime", "recency", "modifiedByMeTime" -> Comparator.comparing((Item i) -> i.modified);
          case "folder" -> Comparator.comparing((Item i) -> !i.folder());
          case "quotaBytesUsed" -> Comparator.comparingLong((Item i) -> i.content.length);
          default -> throw DriveError.invalid("Invalid Value", "orderBy");
        };
        if (desc) {
          k = k.reversed();
        }
        c = c == null ? k : c.thenComparing(k);
      }
    }
    Comparator<Item> bySeq = Comparator.comparingLong(i -> i.seq);
    return c == null ? bySeq : c.thenComparing(bySeq);
  }

  // ------------------------------------------------------------------ files.create / update / delete

  List<String> generateIds(String user, int count) {
    Set<String> mine = generatedIds.computeIfAbsent(user, k -> new HashSet<>());
    List<String> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      String id = newId();
      mine.add(id);
      out.add(id);
    }
    return out;
  }

  /** Checks a create's metadata without changing anything (resumable initiation). */
  void checkCreate(String user, JsonNode meta) {
    String id = text(meta, "id");
    if (id != null) {
      checkClientId(user, id);
    }
    for (String p : parentsOf(user, meta)) {
      checkParent(user, p);
    }
  }

  private void checkClientId(String user, String id) {
    if (items.containsKey(id)) {
      throw new DriveError(409, "duplicate", "A file already exists with the provided ID.", "id");
    }
    if (!generatedIds.getOrDefault(user, Set.of()).contains(id)) {
      throw DriveError.invalid("The provided file ID is not usable.", "id");
    }
  }

  private List<String> parentsOf(String user, JsonNode meta) {
    List<String> ps = new ArrayList<>();
    JsonNode p = meta == null ? null : meta.get("parents");
    if (p != null && p.isArray()) {
      for (JsonNode e : p) {
        ps.add(resolve(user, e.asString()));
      }
    }
    if (ps.isEmpty()) {
      ps.add(rootOf(user));
    }
    if (ps.size() > 1) {
      throw new DriveError(403, "cannotAddParent", "Increasing the number of parents is not allowed.");
    }
    return ps;
  }

  private Item checkParent(String user, String parentId) {
    Item p = items.get(parentId);
    if (p == null || !visible(user, p)) {
      throw DriveError.notFound(parentId);
    }
    if (!p.folder()) {
      throw new DriveError(400, "invalidParent", "The parent " + parentId + " is not a folder.", "parents");
    }
    if (!canWrite(user, p)) {
      throw DriveError.insufficient();
    }
    return p;
  }

  Item create(String user, JsonNode meta, byte[] content, String uploadMime) {
    rootOf(user);
    String id = text(meta, "id");
    if (id != null) {
      checkClientId(user, id);
    }
    List<String> parents = parentsOf(user, meta);
    for (String p : parents) {
      checkParent(user, p);
    }
    if (id != null) {
      generatedIds.get(user).remove(id); // a refused create leaves the id usable
    } else {
      id = newId();
    }
    Instant now = now();
    Item i = new Item(id, ++itemSeq, user, now, false);
    String name = text(meta, "name");
    i.name = name == null ? "Untitled" : name;
    String mime = text(meta, "mimeType");
    i.mimeType = mime != null ? mime : uploadMime != null ? uploadMime : "application/octet-stream";
    if (i.folder() && content != null && content.length > 0) {
      throw DriveError.badRequest("A folder cannot have content.");
    }
    i.parents.addAll(parents);
    i.description = text(meta, "description");
    applyProps(meta, "appProperties", i.appProperties);
    applyProps(meta, "properties", i.properties);
    setContent(i, content == null ? new byte[0] : content);
    i.indexedAt = now.plus(indexLag);
    items.put(i.id, i);
    for (String p : parents) {
      childrenOf(p).add(i.id);
    }
    record(i, Set.of());
    return i;
  }

  private static void setContent(Item i, byte[] content) {
    i.content = content;
    i.md5 = md5(content);
  }

  Item update(String user, String id, JsonNode meta, byte[] content, List<String> addParents,
      List<String> removeParents) {
    Item i = accessible(user, id);
    if (!canWrite(user, i)) {
      throw DriveError.insufficient();
    }
    if (i.myDriveRoot && (meta != null || content != null)) {
      throw DriveError.insufficient();
    }
    List<String> newParents = new ArrayList<>(i.parents);
    for (String r : removeParents) {
      newParents.remove(resolve(user, r));
    }
    for (String a : addParents) {
      String pid = resolve(user, a);
      if (!newParents.contains(pid)) {
        Item p = checkParent(user, pid);
        if (p.id.equals(i.id) || isBelow(p, i)) {
          throw new DriveError(400, "invalidParent", "A folder cannot be moved into itself.", "addParents");
        }
        newParents.add(pid);
      }
    }
    if (newParents.size() > 1) {
      throw new DriveError(403, "cannotAddParent", "Increasing the number of parents is not allowed.");
    }
    if (i.folder() && content != null && content.length > 0) {
      throw DriveError.badRequest("A folder cannot have content.");
    }
    Set<String> before = viewers(i);
    Instant now = now();
    if (!newParents.equals(i.parents)) {
      for (String p : i.parents) {
        childrenOf(p).remove(i.id);
      }
      i.staleParents = List.copyOf(i.parents);
      i.staleUntil = now.plus(indexLag);
      i.parents = newParents;
      for (String p : newParents) {
        childrenOf(p).add(i.id);
      }
    }
    if (meta != null) {
      String name = text(meta, "name");
      if (name != null) {
        i.name = name;
      }
      if (meta.has("description")) {
        i.description = text(meta, "description");
      }
      JsonNode t = meta.get("trashed");
      if (t != null && t.isBoolean()) {
        i.trashed = t.booleanValue();
      }
      applyProps(meta, "appProperties", i.appProperties);
      applyProps(meta, "properties", i.properties);
    }
    if (content != null) {
      setContent(i, content);
    }
    i.version++;
    i.modified = now;
    record(i, before);
    return i;
  }

  private boolean isBelow(Item candidate, Item ancestor) {
    Set<String> seen = new HashSet<>();
    for (List<Item> f = new ArrayList<>(List.of(candidate)); !f.isEmpty(); ) {
      Item x = f.remove(f.size() - 1);
      if (!seen.add(x.id)) {
        continue;
      }
      if (x.id.equals(ancestor.id)) {
        return true;
      }
      for (String pid : x.parents) {
        Item p = items.get(pid);
        if (p != null) {
          f.add(p);
        }
      }
    }
    return false;
  }

  void delete(String user, String id) {
    Item i = accessible(user, id);
    if (!i.owner.equals(user)) {
      throw DriveError.insufficient();
    }
    if (i.myDriveRoot) {
      throw DriveError.insufficient();
    }
    Map<String, Set<String>> before = new HashMap<>();
    collectViewers(i, before, new HashSet<>());
    deleteTree(user, i, before);
  }

  private void collectViewers(Item i, Map<String, Set<String>> out, Set<String> seen) {
    if (!seen.add(i.id)) {
      return;
    }
    out.put(i.id, viewers(i));
    for (String c : List.copyOf(childrenOf(i.id))) {
      Item child = items.get(c);
      if (child != null) {
        collectViewers(child, out, seen);
      }
    }
  }

  private void deleteTree(String user, Item i, Map<String, Set<String>> before) {
    for (String c : List.copyOf(childrenOf(i.id))) {
      Item child = items.get(c);
      if (child == null) {
        continue;
      }
      if (child.owner.equals(user)) {
        deleteTree(user, child, before);
      } else {
        child.parents.remove(i.id); // someone else's item survives, orphaned
        record(child, before.getOrDefault(child.id, Set.of()));
      }
    }
    children.remove(i.id);
    for (String p : i.parents) {
      Set<String> siblings = children.get(p);
      if (siblings != null) {
        siblings.remove(i.id);
      }
    }
    items.remove(i.id);
    record(i, before.getOrDefault(i.id, Set.of()));
  }

  private static String text(JsonNode meta, String field) {
    if (meta == null) {
      return null;
    }
    JsonNode v = meta.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static void applyProps(JsonNode meta, String field, Map<String, String> target) {
    JsonNode props = meta == null ? null : meta.get(field);
    if (props == null || !props.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> e : props.properties()) {
      if (e.getValue() == null || e.getValue().isNull()) {
        target.remove(e.getKey());
      } else {
        String v = e.getValue().asString();
        if (e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            + v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 124) {
          throw DriveError.invalid("The size of a property key and value may not exceed 124 bytes.", field);
        }
        target.put(e.getKey(), v);
      }
    }
  }

  // ------------------------------------------------------------------ permissions

  Item.Perm createPermission(String user, String fileId, JsonNode body, boolean notify) {
    Item i = accessible(user, fileId);
    if (!canWrite(user, i) || i.myDriveRoot) {
      throw DriveError.insufficient();
    }
    String type = text(body, "type");
    String role = text(body, "role");
    if (type == null || role == null) {
      throw new DriveError(400, "required", "Required parameter: " + (type == null ? "type" : "role"),
          type == null ? "type" : "role");
    }
    if (!List.of("reader", "commenter", "writer", "fileOrganizer", "organizer").contains(role)) {
      throw DriveError.invalid("The provided role is not supported: " + role, "role");
    }
    Set<String> before = viewers(i);
    Item.Perm p;
    switch (type) {
      case "user", "group" -> {
        String email = text(body, "emailAddress");
        if (email == null || !email.contains("@")) {
          throw new DriveError(400, "invalidSharingRequest", "An email address must be given for this permission.",
              "permission.emailAddress");
        }
        email = email.trim().toLowerCase(Locale.ROOT);
        if (email.equals(i.owner)) {
          return ownerPerm(i);
        }
        if (!notify && nonGoogleAccounts.contains(email)) {
          throw new DriveError(400, "invalidSharingRequest", "Bad Request. User message: \"You are trying to invite "
              + email + ". Since there is no Google account associated with this email address, you must check the "
              + "'Notify people' box to invite this recipient.\"", "permission.emailAddress");
        }
        p = i.permOf(email);
        if (p == null) {
          p = new Item.Perm(permissionId(email), "user", email, role);
          i.perms.add(p);
        } else {
          p.role = role;
        }
        if (notify) {
          notificationEmails++;
        }
      }
      case "anyone" -> {
        p = null;
        for (Item.Perm e : i.perms) {
          if ("anyone".equals(e.type)) {
            p = e;
          }
        }
        if (p == null) {
          p = new Item.Perm("anyoneWithLink", "anyone", null, role);
          i.perms.add(p);
        } else {
          p.role = role;
        }
      }
      default -> throw DriveError.invalid("The permission type is not supported: " + type, "type");
    }
    record(i, before);
    return p;
  }

  private static Item.Perm ownerPerm(Item i) {
    return new Item.Perm(permissionId(i.owner), "user", i.owner, "owner");
  }

  List<Item.Perm> permissions(String user, String fileId) {
    Item i = accessible(user, fileId);
    List<Item.Perm> out = new ArrayList<>();
    out.add(ownerPerm(i));
    out.addAll(i.perms);
    return out;
  }

  Item.Perm permission(String user, String fileId, String permId) {
    for (Item.Perm p : permissions(user, fileId)) {
      if (p.id.equals(permId)) {
        return p;
      }
    }
    throw new DriveError(404, "notFound", "Permission not found: " + permId + ".", "permissionId");
  }

  Item.Perm updatePermission(String user, String fileId, String permId, JsonNode body) {
    Item i = accessible(user, fileId);
    if (!canWrite(user, i)) {
      throw DriveError.insufficient();
    }
    Item.Perm p = permission(user, fileId, permId);
    if ("owner".equals(p.role)) {
      throw new DriveError(403, "cannotModifyOwner", "The owner's permission cannot be changed here.");
    }
    String role = text(body, "role");
    if (role != null) {
      Set<String> before = viewers(i);
      p.role = role;
      record(i, before);
    }
    return p;
  }

  void deletePermission(String user, String fileId, String permId) {
    Item i = accessible(user, fileId);
    Item.Perm p = permission(user, fileId, permId);
    boolean self = user.equals(p.email);
    if (!canWrite(user, i) && !self) {
      throw DriveError.insufficient();
    }
    if ("owner".equals(p.role)) {
      throw new DriveError(403, "cannotRemoveOwner", "The owner of a file cannot be removed.");
    }
    Set<String> before = viewers(i);
    i.perms.remove(p);
    record(i, before);
  }

  // ------------------------------------------------------------------ changes

  String startPageToken() {
    return Long.toString(changeSeq + 1);
  }

  ObjectNode changes(String user, String token, int pageSize, boolean includeRemoved, Fields fileFields) {
    long from;
    try {
      from = Long.parseLong(token);
    } catch (NumberFormatException | NullPointerException e) {
      throw DriveError.invalid("Invalid Value", "pageToken");
    }
    LinkedHashMap<String, Change> latest = new LinkedHashMap<>();
    int lo = 0;
    int hi = changes.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (changes.get(mid).seq < from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int k = lo; k < changes.size(); k++) {
      Change c = changes.get(k);
      latest.remove(c.fileId);
      latest.put(c.fileId, c);
    }
    ObjectNode out = NODES.objectNode();
    out.put("kind", "drive#changeList");
    ArrayNode list = out.putArray("changes");
    int n = 0;
    Long resumeAt = null;
    for (Change c : latest.values()) {
      Item i = items.get(c.fileId);
      boolean sees = i != null && visible(user, i);
      if (!sees && !(c.viewers.contains(user) && includeRemoved)) {
        continue;
      }
      if (n == pageSize) {
        resumeAt = c.seq;
        break;
      }
      ObjectNode ch = list.addObject();
      ch.put("kind", "drive#change");
      ch.put("changeType", "file");
      ch.put("time", time(c.time));
      ch.put("fileId", c.fileId);
      ch.put("removed", !sees);
      if (sees) {
        ch.set("file", fileFields.apply(fileJson(i, user)));
      }
      n++;
    }
    if (resumeAt != null) {
      out.put("nextPageToken", Long.toString(resumeAt));
    } else {
      out.put("newStartPageToken", Long.toString(changeSeq + 1));
    }
    return out;
  }

  /** One recorded change: which item, when, and who could see it before or after. */
  record Change(long seq, String fileId, Instant time, Set<String> viewers) {}

  // ------------------------------------------------------------------ resumable sessions

  /** A resumable upload in progress. */
  static final class Session {
    final String id;
    final String user;
    final String fileId; // null for a create
    final JsonNode meta;
    final String uploadMime;
    final long declaredLength; // -1 unknown
    final Map<String, String> params;
    final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
    Item result;

    Session(String id, String user, String fileId, JsonNode meta, String uploadMime, long declaredLength,
        Map<String, String> params) {
      this.id = id;
      this.user = user;
      this.fileId = fileId;
      this.meta = meta;
      this.uploadMime = uploadMime;
      this.declaredLength = declaredLength;
      this.params = params;
    }
  }

  Session startSession(String user, String fileId, JsonNode meta, String uploadMime, long declaredLength,
      Map<String, String> params) {
    if (fileId == null) {
      checkCreate(user, meta);
    } else {
      Item i = accessible(user, fileId);
      if (!canWrite(user, i)) {
        throw DriveError.insufficient();
      }
    }
    Session s = new Session(newId(), user, fileId, meta, uploadMime, declaredLength, params);
    sessions.put(s.id, s);
    if (sessions.size() > 1000) {
      sessions.remove(sessions.keySet().iterator().next());
    }
    return s;
  }

  Session session(String id) {
    Session s = sessions.get(id);
    if (s == null) {
      throw new DriveError(404, "notFound", "No upload session " + id + ".", "upload_id");
    }
    return s;
  }

  void endSession(Session s) {
    sessions.remove(s.id);
  }

  // ------------------------------------------------------------------ persistence (lock held)

  /** The whole state as JSON; content goes to {@code blobs} keyed by its SHA-256. */
  ObjectNode snapshot(java.util.function.BiConsumer<String, byte[]> blobs) {
    ObjectNode o = NODES.objectNode();
    o.put("format", 1);
    o.put("itemSeq", itemSeq);
    o.put("changeSeq", changeSeq);
    o.put("lastTime", time(lastTime));
    ObjectNode r = o.putObject("roots");
    roots.forEach(r::put);
    ArrayNode arr = o.putArray("items");
    for (Item i : items.values()) {
      ObjectNode j = arr.addObject();
      j.put("id", i.id);
      j.put("seq", i.seq);
      j.put("owner", i.owner);
      j.put("created", time(i.created));
      j.put("modified", time(i.modified));
      j.put("myDriveRoot", i.myDriveRoot);
      j.put("name", i.name);
      j.put("mimeType", i.mimeType);
      ArrayNode ps = j.putArray("parents");
      i.parents.forEach(ps::add);
      j.put("version", i.version);
      j.put("trashed", i.trashed);
      if (i.description != null) {
        j.put("description", i.description);
      }
      ObjectNode ap = j.putObject("appProperties");
      i.appProperties.forEach(ap::put);
      ObjectNode pp = j.putObject("properties");
      i.properties.forEach(pp::put);
      ArrayNode perms = j.putArray("perms");
      for (Item.Perm p : i.perms) {
        ObjectNode pj = perms.addObject();
        pj.put("id", p.id);
        pj.put("type", p.type);
        if (p.email != null) {
          pj.put("email", p.email);
        }
        pj.put("role", p.role);
      }
      String blob = sha256(i.content);
      blobs.accept(blob, i.content);
      j.put("blob", blob);
    }
    ArrayNode ch = o.putArray("changes");
    for (Change c : changes) {
      ObjectNode cj = ch.addObject();
      cj.put("seq", c.seq());
      cj.put("fileId", c.fileId());
      cj.put("time", time(c.time()));
      ArrayNode v = cj.putArray("viewers");
      c.viewers().forEach(v::add);
    }
    return o;
  }

  /** Replaces the state with a snapshot written by {@link #snapshot}. */
  void restore(JsonNode o, java.util.function.Function<String, byte[]> blobs) {
    items.clear();
    children.clear();
    roots.clear();
    changes.clear();
    itemSeq = o.get("itemSeq").asLong();
    changeSeq = o.get("changeSeq").asLong();
    lastTime = Instant.parse(o.get("lastTime").asString());
    for (Map.Entry<String, JsonNode> e : o.get("roots").properties()) {
      roots.put(e.getKey(), e.getValue().asString());
    }
    for (JsonNode j : o.get("items")) {
      Item i = new Item(j.get("id").asString(), j.get("seq").asLong(), j.get("owner").asString(),
          Instant.parse(j.get("created").asString()), j.get("myDriveRoot").asBoolean());
      i.modified = Instant.parse(j.get("modified").asString());
      i.name = j.get("name").asString();
      i.mimeType = j.get("mimeType").asString();
      for (JsonNode p : j.get("parents")) {
        i.parents.add(p.asString());
      }
      i.version = j.get("version").asLong();
      i.trashed = j.get("trashed").asBoolean();
      i.description = j.has("description") ? j.get("description").asString() : null;
      for (Map.Entry<String, JsonNode> e : j.get("appProperties").properties()) {
        i.appProperties.put(e.getKey(), e.getValue().asString());
      }
      for (Map.Entry<String, JsonNode> e : j.get("properties").properties()) {
        i.properties.put(e.getKey(), e.getValue().asString());
      }
      for (JsonNode pj : j.get("perms")) {
        i.perms.add(new Item.Perm(pj.get("id").asString(), pj.get("type").asString(),
            pj.has("email") ? pj.get("email").asString() : null, pj.get("role").asString()));
      }
      setContent(i, blobs.apply(j.get("blob").asString()));
      items.put(i.id, i);
    }
    for (Item i : items.values()) {
      for (String p : i.parents) {
        childrenOf(p).add(i.id);
      }
    }
    for (JsonNode cj : o.get("changes")) {
      Set<String> v = new LinkedHashSet<>();
      cj.get("viewers").forEach(x -> v.add(x.asString()));
      changes.add(new Change(cj.get("seq").asLong(), cj.get("fileId").asString(),
          Instant.parse(cj.get("time").asString()), Set.copyOf(v)));
    }
  }
}
