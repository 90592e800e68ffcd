package dev.syft.core;

import dev.syft.transport.Storage;
import dev.syft.transport.router.PeerHealthStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Per peer and transport, the last exchange that worked and the last failure, gathered from the
 * {@link PeerHealthStorage} around each transport this client opened and kept in {@code
 * .syft/peer_transports.json} so that {@code status} (another process) can show them. Saving merges with
 * the file: the newest success and the newest failure win.
 */
final class PeerHealthBook {
  static final String FILE = "peer_transports.json";
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PeerHealthBook.class);

  private final Path file;
  private final Clock clock;
  private final Map<String, PeerHealthStorage> tracked = new java.util.concurrent.ConcurrentHashMap<>();

  PeerHealthBook(Home home, Clock clock) {
    this.file = home.stateDir().resolve(FILE);
    this.clock = clock;
  }

  /** Wraps {@code s}, the store of {@code transport}, so its per-peer traffic is recorded. */
  Storage track(String transport, Storage s) {
    PeerHealthStorage h = new PeerHealthStorage(s, clock);
    tracked.put(transport, h);
    return h;
  }

  /** peer -> transport -> health. */
  Map<String, Map<String, PeerTransport.Health>> read() {
    Map<String, Map<String, PeerTransport.Health>> out = new TreeMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    try {
      JsonNode root = JSON.readTree(Files.readString(file));
      for (var p : root.path("peers").properties()) {
        Map<String, PeerTransport.Health> byTransport = new TreeMap<>();
        for (var t : p.getValue().properties()) {
          JsonNode h = t.getValue();
          byTransport.put(t.getKey(), new PeerTransport.Health(t.getKey(), instant(h.get("last_ok_at")),
              h.hasNonNull("last_error") ? h.get("last_error").asString() : null, instant(h.get("last_error_at"))));
        }
        out.put(p.getKey(), byTransport);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring unreadable {}: {}", file, e.toString()); // only a report; rebuilt by the next round
    }
    return out;
  }

  private static Instant instant(JsonNode n) {
    return n == null || n.isNull() ? null : Instant.parse(n.asString());
  }

  /** What the file says merged with what this process saw. */
  Map<String, Map<String, PeerTransport.Health>> current() {
    Map<String, Map<String, PeerTransport.Health>> all = read();
    tracked.forEach((transport, storage) -> storage.health().forEach((peer, h) -> {
      PeerTransport.Health now = new PeerTransport.Health(transport, h.lastOk(), h.lastError(), h.lastErrorAt());
      all.computeIfAbsent(peer, k -> new TreeMap<>()).merge(transport, now, PeerHealthBook::newest);
    }));
    return all;
  }

  private static PeerTransport.Health newest(PeerTransport.Health a, PeerTransport.Health b) {
    Instant ok = a.lastOkAt() == null ? b.lastOkAt() : b.lastOkAt() == null || a.lastOkAt().isAfter(b.lastOkAt()) ? a.lastOkAt() : b.lastOkAt();
    boolean bErr = b.lastErrorAt() != null && (a.lastErrorAt() == null || b.lastErrorAt().isAfter(a.lastErrorAt()));
    return new PeerTransport.Health(a.transport(), ok, bErr ? b.lastError() : a.lastError(), bErr ? b.lastErrorAt() : a.lastErrorAt());
  }

  /** Writes {@link #current()} when this process saw anything; a failure is logged (the report is best effort). */
  void save() {
    if (tracked.values().stream().allMatch(s -> s.health().isEmpty())) {
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    ObjectNode peers = root.putObject("peers");
    current().forEach((peer, byTransport) -> {
      ObjectNode p = peers.putObject(peer);
      byTransport.forEach((t, h) -> {
        ObjectNode o = p.putObject(t);
        o.put("last_ok_at", h.lastOkAt() == null ? null : h.lastOkAt().toString());
        o.put("last_error", h.lastError());
        o.put("last_error_at", h.lastErrorAt() == null ? null : h.lastErrorAt().toString());
      });
    });
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(FILE + ".tmp");
      Files.writeString(tmp, JSON.writeValueAsString(root));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot save {}: {}", file, e.toString());
    }
  }

  /** The report for {@code peers} (and any peer with a route), transports in the home's order. */
  static List<PeerTransport> report(Config config, List<String> peers, Map<String, Map<String, PeerTransport.Health>> seen) {
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(peers);
    all.addAll(config.peerTransports().keySet());
    List<PeerTransport> out = new ArrayList<>();
    for (String peer : all) {
      List<String> via = config.peerTransports().getOrDefault(peer, List.of());
      List<PeerTransport.Health> hs = new ArrayList<>();
      for (String t : via.isEmpty() ? config.transports() : via) {
        hs.add(seen.getOrDefault(peer, Map.of()).getOrDefault(t, new PeerTransport.Health(t, null, null, null)));
      }
      out.add(new PeerTransport(peer, via, hs));
    }
    return out;
  }
}
