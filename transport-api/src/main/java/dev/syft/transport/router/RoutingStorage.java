package dev.syft.transport.router;

import dev.syft.transport.Capabilities;
import dev.syft.transport.Entry;
import dev.syft.transport.Page;
import dev.syft.transport.Role;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageException;
import dev.syft.transport.Watcher;
import dev.syft.transport.WriteMode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Storage} over several member stores of the same user, in order of preference (a home
 * with several transports). Folders are mirrored by path; files are written to one member and read
 * from the union.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li><b>Ids.</b> An entry's id names, for every member holding the item, the member's position and
 *       its own id. Positions are stable for one member list; ids from another member list are unknown
 *       ({@link #stat} is empty).
 *   <li><b>Reads</b> ({@code list}, {@code find*}, {@code stat}, {@code sharedWith}) ask every member
 *       and merge: items of one name (and, for shared folders and owned files, one owner) found on
 *       several members are one entry. A file on several members reads from the copy with the newest
 *       time first and falls back to the others. A member that is down (a {@link
 *       StorageException.Kind#TRANSIENT} fault or an I/O error) is skipped while another answers; the
 *       first error is thrown when none does. Same-named items within one member stay distinct.
 *   <li><b>{@link WriteMode#CREATE}</b> (messages: their names are unique) goes to the first working
 *       member holding the folder and fails over to the next on a transient fault ({@link
 *       Writes#FIRST_WORKING}, the default), or to every working member ({@link Writes#ALL}). A fault reported
 *       after the store took the file may leave a copy on two members; readers see one entry, and
 *       the received-message ledger applies a message once anyway.
 *   <li><b>Mirrored changes</b> ({@code ensureFolder}, {@code REPLACE} writes, {@code share}, {@code
 *       unshare}, {@code setAppProperty}, {@code move}) go to every member holding the item and
 *       succeed when one did; a member that was down misses the change (its copy may be older: the
 *       newest copy is read first). {@code delete} must reach every member holding the item, else it
 *       throws and the caller retries (deleting is idempotent).
 *   <li>Non-transient errors (not found, forbidden, invalid, already exists, too large) are the
 *       answer of the first member asked and are thrown as they are.
 *   <li>Capabilities: conditional create is never claimed (another member may hold the name); no
 *       change feed (cursors do not merge), a watcher when any member has one; folder times are not
 *       trusted to track children.
 *   <li><b>Placement</b> (optional): a folder whose name a {@link Placement} ties to some members (the
 *       transports chosen for one peer's traffic) is created, found, listed and written on those members
 *       only; copies on other members are not seen. When none of them is open, calls on it fail as
 *       {@link StorageException.Kind#TRANSIENT} (the caller retries later), never go to another member.
 * </ul>
 *
 * <p>{@link #health()} reports, per member, whether its last call worked. Thread-safe when the members
 * are.
 */
public final class RoutingStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(RoutingStorage.class);
  private static final int SPOOL_IN_MEMORY = 8 << 20;

  /** A member store and the name it is shown by (usually its URI). */
  public record Member(String name, Storage storage) {}

  /** Whether a member's last call worked; {@code error} is null when it did. */
  public record Health(String name, boolean works, String error, Instant at) {}

  /**
   * Which members may hold a folder, by the folder's name: the names of the allowed members, or empty
   * when every member may (the default for every folder).
   */
  @FunctionalInterface
  public interface Placement {
    /** Every folder on every member. */
    Placement EVERYWHERE = folderName -> Optional.empty();

    Optional<java.util.Set<String>> membersFor(String folderName);
  }

  /** Where {@link WriteMode#CREATE} writes go. */
  public enum Writes {
    /** The first working member only (the default): one upload per message. */
    FIRST_WORKING,
    /** Every working member: a member lost for good loses nothing, at one upload per member. */
    ALL
  }

  private final List<Member> members;
  private final Writes writes;
  private final Clock clock;
  private final Placement placement;
  private final Map<Integer, Health> health = new ConcurrentHashMap<>();

  /**
   * @param members at least one, preferred first, all logged in as the same identity
   */
  public RoutingStorage(List<Member> members, Writes writes, Clock clock) throws StorageException {
    this(members, writes, clock, Placement.EVERYWHERE);
  }

  /**
   * @param members at least one, preferred first, all logged in as the same identity
   * @param placement which members may hold which folders
   */
  public RoutingStorage(List<Member> members, Writes writes, Clock clock, Placement placement) throws StorageException {
    if (members.isEmpty()) {
      throw new StorageException(StorageException.Kind.INVALID, "a routing storage needs at least one member");
    }
    String id = members.get(0).storage().identity();
    for (Member m : members) {
      if (!m.storage().identity().equalsIgnoreCase(id)) {
        throw new StorageException(StorageException.Kind.INVALID, "the transports know you by different e-mails: "
            + id + " on " + members.get(0).name() + ", " + m.storage().identity() + " on " + m.name());
      }
    }
    this.members = List.copyOf(members);
    this.writes = writes;
    this.clock = clock;
    this.placement = java.util.Objects.requireNonNull(placement, "placement");
    for (int i = 0; i < this.members.size(); i++) {
      health.put(i, new Health(this.members.get(i).name(), true, null, null));
    }
  }

  public RoutingStorage(List<Member> members) throws StorageException {
    this(members, Writes.FIRST_WORKING, Clock.systemUTC());
  }

  /** The members, preferred first. */
  public List<Member> members() {
    return members;
  }

  /** Per member, in order: did its last call work (never called yet counts as working). */
  public List<Health> health() {
    List<Health> out = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      out.add(health.get(i));
    }
    return out;
  }

  // ------------------------------------------------------------------ ids

  /** Member position to member id, in member order. */
  private static String encode(Map<Integer, String> ids) {
    StringBuilder b = new StringBuilder("r");
    ids.forEach((i, id) -> b.append(b.length() > 1 ? "." : "").append(i).append('~')
        .append(Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8))));
    return b.toString();
  }

  /** Member position to member id, in the id's order (files: newest copy first). */
  private Map<Integer, String> decode(String id) {
    Map<Integer, String> out = new LinkedHashMap<>();
    if (id == null || !id.startsWith("r") || id.length() < 2) {
      return out;
    }
    try {
      for (String part : id.substring(1).split("\\.")) {
        int t = part.indexOf('~');
        int i = Integer.parseInt(part.substring(0, t));
        if (i >= 0 && i < members.size()) {
          out.put(i, new String(Base64.getUrlDecoder().decode(part.substring(t + 1)), StandardCharsets.UTF_8));
        }
      }
    } catch (RuntimeException e) {
      out.clear(); // not one of ours: unknown
    }
    return out;
  }

  /** The member entries behind a composite entry, in the id's order. */
  private Map<Integer, Entry> parts(Entry e) throws StorageException {
    Map<Integer, String> ids = decode(e.id());
    Map<Integer, String> parents = decode(e.parentId());
    if (ids.isEmpty()) {
      throw new StorageException(StorageException.Kind.NOT_FOUND, "unknown item " + e.name());
    }
    Map<Integer, Entry> out = new LinkedHashMap<>();
    ids.forEach((i, id) -> {
      if (!e.folder() || allowed(i, e.name())) {
        out.put(i, new Entry(id, e.name(), e.folder(), e.size(), e.modified(), e.owner(), parents.get(i), e.appProperties()));
      }
    });
    if (out.isEmpty()) {
      throw new StorageException(StorageException.Kind.NOT_FOUND, "'" + e.name() + "' is not on the transports chosen for it ("
          + String.join(", ", placement.membersFor(e.name()).orElse(java.util.Set.of())) + ")");
    }
    return out;
  }

  // ------------------------------------------------------------------ placement

  /** Whether member {@code i} may hold a folder named {@code folderName}. */
  private boolean allowed(int i, String folderName) {
    Optional<java.util.Set<String>> only = placement.membersFor(folderName);
    return only.isEmpty() || only.get().contains(members.get(i).name());
  }

  /** The targets that may hold a folder named {@code folderName}; a transient failure when none is open. */
  private Map<Integer, Entry> placed(String folderName, Map<Integer, Entry> targets) throws StorageException {
    Map<Integer, Entry> out = new TreeMap<>();
    targets.forEach((i, e) -> {
      if (allowed(i, folderName)) {
        out.put(i, e);
      }
    });
    if (out.isEmpty()) {
      throw new StorageException(StorageException.Kind.TRANSIENT, "none of the transports chosen for '" + folderName
          + "' is open now (chosen: " + String.join(", ", placement.membersFor(folderName).orElse(java.util.Set.of())) + ")");
    }
    return out;
  }

  /** Drops listed folders from members that may not hold them. */
  private Map<Integer, List<Entry>> placedOnly(Map<Integer, List<Entry>> lists) {
    Map<Integer, List<Entry>> out = new TreeMap<>();
    lists.forEach((i, l) -> out.put(i, l.stream().filter(e -> !e.folder() || allowed(i, e.name())).toList()));
    return out;
  }

  /** One composite entry from member copies; files read newest first, folders show the first member. */
  private static Entry merge(Map<Integer, Entry> copies) {
    return merge(copies, null);
  }

  /** {@code parentId}: the composite parent the copies were found in or written to (null: from the copies). */
  private static Entry merge(Map<Integer, Entry> copies, String parentId) {
    List<Map.Entry<Integer, Entry>> order = new ArrayList<>(copies.entrySet());
    if (!order.get(0).getValue().folder()) {
      order.sort(Comparator.comparing((Map.Entry<Integer, Entry> x) -> x.getValue().modified(),
          Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).reversed().thenComparing(Map.Entry::getKey));
    }
    Map<Integer, String> ids = new LinkedHashMap<>();
    Map<Integer, String> parents = new LinkedHashMap<>();
    for (var x : order) {
      ids.put(x.getKey(), x.getValue().id());
      if (x.getValue().parentId() != null) {
        parents.put(x.getKey(), x.getValue().parentId());
      }
    }
    Entry first = order.get(0).getValue();
    return new Entry(encode(ids), first.name(), first.folder(), first.size(), first.modified(), first.owner(),
        parentId != null ? parentId : parents.isEmpty() ? null : encode(parents), first.appProperties());
  }

  /** Merges name-ordered member listings: the k-th item of a key on each member forms one entry. */
  private static List<Entry> mergeLists(Map<Integer, List<Entry>> lists, boolean byOwner, String parentId) {
    TreeMap<String, Map<Integer, List<Entry>>> byKey = new TreeMap<>();
    lists.forEach((i, l) -> {
      for (Entry e : l) {
        String key = e.name() + (byOwner ? "\u0000" + e.owner() : "") + (e.folder() ? "\u0000d" : "\u0000f");
        byKey.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(i, k -> new ArrayList<>()).add(e);
      }
    });
    List<Entry> out = new ArrayList<>();
    for (Map<Integer, List<Entry>> group : byKey.values()) {
      int n = group.values().stream().mapToInt(List::size).max().orElse(0);
      for (int k = 0; k < n; k++) {
        Map<Integer, Entry> copies = new TreeMap<>();
        for (var g : group.entrySet()) {
          if (g.getValue().size() > k) {
            copies.put(g.getKey(), g.getValue().get(k));
          }
        }
        out.add(merge(copies, parentId));
      }
    }
    out.sort(Comparator.comparing(Entry::name)); // stable: same names keep their order
    return out;
  }

  // ------------------------------------------------------------------ fan-out

  @FunctionalInterface
  private interface MemberCall<T> {
    T run(Storage s, Entry part) throws IOException;
  }

  private static boolean down(IOException e) {
    return !(e instanceof StorageException se) || se.isTransient();
  }

  private void ok(int i) {
    Health h = health.get(i);
    if (!h.works() || h.at() == null) {
      health.put(i, new Health(members.get(i).name(), true, null, clock.instant()));
    }
  }

  private void failed(int i, IOException e) {
    Health h = health.get(i);
    if (h.works()) {
      log.warn("transport {} failed, using the others: {}", members.get(i).name(), e.getMessage());
    }
    health.put(i, new Health(members.get(i).name(), false, String.valueOf(e.getMessage()), clock.instant()));
  }

  /**
   * Runs {@code call} on every member in {@code targets} (null part where there is no item). Members
   * that are down are skipped while another answers; other errors are thrown.
   */
  private <T> Map<Integer, T> all(Map<Integer, Entry> targets, MemberCall<T> call) throws IOException {
    Map<Integer, T> out = new TreeMap<>();
    IOException first = null;
    for (var t : targets.entrySet()) {
      int i = t.getKey();
      try {
        out.put(i, call.run(members.get(i).storage(), t.getValue()));
        ok(i);
      } catch (IOException e) {
        if (!down(e)) {
          ok(i);
          throw e;
        }
        failed(i, e);
        first = first == null ? e : first;
      }
    }
    if (out.isEmpty() && first != null) {
      throw first;
    }
    return out;
  }

  private Map<Integer, Entry> everyMember() {
    Map<Integer, Entry> m = new TreeMap<>();
    for (int i = 0; i < members.size(); i++) {
      m.put(i, null);
    }
    return m;
  }

  // ------------------------------------------------------------------ Storage

  @Override
  public String identity() {
    return members.get(0).storage().identity();
  }

  @Override
  public Capabilities capabilities() {
    List<Watcher> watchers = new ArrayList<>();
    for (Member m : members) {
      m.storage().capabilities().watcher().ifPresent(watchers::add);
    }
    Optional<Watcher> watcher = watchers.isEmpty() ? Optional.empty() : Optional.of(onChange -> {
      List<AutoCloseable> handles = new ArrayList<>();
      for (Watcher w : watchers) {
        try {
          handles.add(w.watch(onChange));
        } catch (IOException e) {
          log.debug("a member's watcher did not start: {}", e.getMessage()); // polling covers it
        }
      }
      return () -> {
        for (AutoCloseable h : handles) {
          h.close();
        }
      };
    });
    return new Capabilities(false, Optional.empty(), watcher, false);
  }

  @Override
  public boolean vouchesForOwners() {
    return members.stream().allMatch(m -> m.storage().vouchesForOwners());
  }

  @Override
  public Entry root() throws IOException {
    return merge(all(everyMember(), (s, p) -> s.root()));
  }

  @Override
  public List<Entry> findFolders(Entry parent, String name) throws IOException {
    return mergeLists(all(placed(name, parts(parent)), (s, p) -> s.findFolders(p, name)), false, parent.id());
  }

  @Override
  public List<Entry> findFoldersContaining(Entry parent, String fragment) throws IOException {
    return mergeLists(placedOnly(all(parts(parent), (s, p) -> s.findFoldersContaining(p, fragment))), false, parent.id());
  }

  @Override
  public List<Entry> findFiles(Entry parent, String name) throws IOException {
    return mergeLists(all(parts(parent), (s, p) -> s.findFiles(p, name)), false, parent.id());
  }

  @Override
  public Entry ensureFolder(Entry parent, String name) throws IOException {
    return merge(all(placed(name, parts(parent)), (s, p) -> s.ensureFolder(p, name)), parent.id());
  }

  @Override
  public List<Entry> listAll(Entry folder) throws IOException {
    return mergeLists(placedOnly(all(parts(folder), (s, p) -> s.listAll(p))), false, folder.id());
  }

  /**
   * Pages over the merged listing. The token is the position after the last entry returned; every
   * page lists the members again, so an unchanged folder pages without gaps or repeats. Prefer
   * {@link #listAll}, which lists each member once.
   */
  @Override
  public Page list(Entry folder, String pageToken, int pageSize) throws IOException {
    List<Entry> all = listAll(folder);
    int from;
    try {
      from = pageToken == null ? 0 : Integer.parseInt(pageToken);
    } catch (NumberFormatException e) {
      throw new StorageException(StorageException.Kind.INVALID, "bad page token " + pageToken);
    }
    int to = Math.min(all.size(), from + Math.max(1, pageSize));
    return new Page(from >= all.size() ? List.of() : all.subList(from, to), to < all.size() ? String.valueOf(to) : null);
  }

  @Override
  public Optional<Entry> stat(String id) throws IOException {
    Map<Integer, String> ids = decode(id);
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    Map<Integer, Entry> targets = new TreeMap<>();
    ids.keySet().forEach(i -> targets.put(i, null));
    Map<Integer, Optional<Entry>> found = all(targets, (s, p) -> s.stat(ids.get(targetIndex(s))));
    Map<Integer, Entry> present = new TreeMap<>();
    found.forEach((i, e) -> e.filter(x -> !x.folder() || allowed(i, x.name())).ifPresent(x -> present.put(i, x)));
    return present.isEmpty() ? Optional.empty() : Optional.of(merge(present));
  }

  private int targetIndex(Storage s) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).storage() == s) {
        return i;
      }
    }
    throw new IllegalStateException("not a member");
  }

  @Override
  public InputStream read(Entry file) throws IOException {
    IOException first = null;
    Map<Integer, Entry> parts = parts(file); // newest copy first
    for (int i : parts.keySet()) {
      try {
        InputStream in = members.get(i).storage().read(parts.get(i));
        ok(i);
        return in;
      } catch (IOException e) {
        boolean notFound = e instanceof StorageException se && se.kind() == StorageException.Kind.NOT_FOUND;
        if (!down(e) && !notFound) {
          throw e;
        }
        if (down(e)) {
          failed(i, e);
        }
        first = first == null || (first instanceof StorageException fs && fs.kind() == StorageException.Kind.NOT_FOUND
            && down(e)) ? e : first;
      }
    }
    throw first;
  }

  @Override
  public Entry write(Entry folder, String name, InputStream content, WriteMode mode) throws IOException {
    Map<Integer, Entry> parts = parts(folder);
    if (parts.size() == 1) {
      return merge(all(parts, (s, p) -> s.write(p, name, content, mode)), folder.id());
    }
    try (Spool spool = Spool.of(content)) {
      if (mode == WriteMode.REPLACE || writes == Writes.ALL) {
        return merge(all(parts, (s, p) -> {
          try (InputStream in = spool.open()) {
            return s.write(p, name, in, mode);
          }
        }), folder.id());
      }
      IOException first = null;
      for (var t : new TreeMap<>(parts).entrySet()) { // preferred member first
        int i = t.getKey();
        try (InputStream in = spool.open()) {
          Entry e = members.get(i).storage().write(t.getValue(), name, in, mode);
          ok(i);
          return merge(Map.of(i, e), folder.id());
        } catch (IOException e) {
          if (!down(e)) {
            throw e;
          }
          failed(i, e);
          first = first == null ? e : first;
        }
      }
      throw first;
    }
  }

  @Override
  public Entry move(Entry item, Entry newParent) throws IOException {
    Map<Integer, Entry> to = parts(newParent);
    Map<Integer, Entry> from = new TreeMap<>(parts(item));
    from.keySet().retainAll(to.keySet());
    if (from.isEmpty()) {
      throw new StorageException(StorageException.Kind.NOT_FOUND, "the target folder of " + item.name()
          + " is not on the transport that holds it");
    }
    return merge(all(from, (s, p) -> s.move(p, to.get(targetIndex(s)))), newParent.id());
  }

  @Override
  public void delete(Entry item) throws IOException {
    Map<Integer, Entry> parts = parts(item);
    IOException first = null;
    for (var t : parts.entrySet()) {
      try {
        members.get(t.getKey()).storage().delete(t.getValue());
        ok(t.getKey());
      } catch (IOException e) {
        if (down(e)) {
          failed(t.getKey(), e);
        }
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void share(Entry folder, String user, Role role) throws IOException {
    all(parts(folder), (s, p) -> {
      s.share(p, user, role);
      return Boolean.TRUE;
    });
  }

  @Override
  public void unshare(Entry folder, String user) throws IOException {
    all(parts(folder), (s, p) -> {
      s.unshare(p, user);
      return Boolean.TRUE;
    });
  }

  @Override
  public Map<String, Role> sharedWith(Entry folder) throws IOException {
    Map<String, Role> out = new TreeMap<>();
    for (Map<String, Role> m : all(parts(folder), (s, p) -> s.sharedWith(p)).values()) {
      m.forEach((u, r) -> out.merge(u, r, (a, b) -> a == Role.WRITER || b == Role.WRITER ? Role.WRITER : Role.READER));
    }
    return out;
  }

  @Override
  public List<Entry> findSharedWithMe(String fragment) throws IOException {
    return mergeLists(placedOnly(all(everyMember(), (s, p) -> s.findSharedWithMe(fragment))), true, null);
  }

  @Override
  public List<Entry> findFilesOwnedBy(String owner, String name) throws IOException {
    return mergeLists(all(everyMember(), (s, p) -> s.findFilesOwnedBy(owner, name)), true, null);
  }

  @Override
  public Entry setAppProperty(Entry item, String key, String value) throws IOException {
    return merge(all(parts(item), (s, p) -> s.setAppProperty(p, key, value)));
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Member m : members) {
      try {
        m.storage().close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "RoutingStorage" + members.stream().map(Member::name).toList();
  }

  /** Content kept so it can be sent to more than one member: in memory when small, else a temp file. */
  private static final class Spool implements AutoCloseable {
    private final byte[] bytes;
    private final Path file;

    private Spool(byte[] bytes, Path file) {
      this.bytes = bytes;
      this.file = file;
    }

    static Spool of(InputStream in) throws IOException {
      byte[] head = in.readNBytes(SPOOL_IN_MEMORY);
      if (head.length < SPOOL_IN_MEMORY) {
        return new Spool(head, null);
      }
      Path f = Files.createTempFile("syft-route-", ".part");
      try (OutputStream out = Files.newOutputStream(f)) {
        out.write(head);
        in.transferTo(out);
      } catch (IOException e) {
        Files.deleteIfExists(f);
        throw e;
      }
      return new Spool(null, f);
    }

    InputStream open() throws IOException {
      return file == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    @Override
    public void close() throws IOException {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }
}
