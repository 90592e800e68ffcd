package dev.syft.core;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The client's {@code config.yaml}: identity, transport and options. Unknown keys are kept when the
 * file is rewritten, so a newer syft-java's settings survive an older one.
 *
 * @param email the client's identity (lower case)
 * @param transport the transport URI, e.g. {@code local:/srv/syft-root}
 * @param transportOptions options handed to the transport provider
 * @param pollSeconds polling interval of {@code sync --watch} and the daemon
 * @param requireSandbox refuse to run jobs when no sandbox is available ({@code jobs.require_sandbox}, default true)
 * @param jobsAutoRun run approved jobs after each sync round ({@code jobs.auto_run}, default false)
 * @param jobsAutoShare release the outputs of auto-run jobs ({@code jobs.auto_share}, default false)
 * @param skipPeerOnPatchDiff skip (rather than warn about) peers whose client patch version differs
 * @param checkpointThreshold distinct paths in the rolling state that cut an incremental checkpoint
 * @param compactThreshold incremental checkpoints that trigger a full one
 * @param outboxCompactThreshold messages in a peer's outbox that trigger its compaction
 * @param massDeleteMinFiles a round deleting at most this many files of one tree is never held back
 * @param massDeleteFraction a round deleting more than this share of a tree's tracked files (and more
 *     than {@code massDeleteMinFiles}) is held back until {@code sync --allow-mass-delete}
 * @param transports every transport of this home, preferred first; {@code transport} is the first. With
 *     more than one, the client routes over all of them ({@code RoutingStorage}). Stored as {@code
 *     transports:} in config.yaml (only when there are several), {@code transport:} keeps the first
 * @param peerTransports per peer (lower-case e-mail), the transports our traffic with them uses, preferred
 *     first ({@code syft peers add E --via T}); a peer not listed uses every transport. Stored as {@code
 *     peer_transports:} in config.yaml
 */
public record Config(
    String email,
    String transport,
    Map<String, String> transportOptions,
    int pollSeconds,
    boolean requireSandbox,
    boolean jobsAutoRun,
    boolean jobsAutoShare,
    boolean skipPeerOnPatchDiff,
    int checkpointThreshold,
    int compactThreshold,
    int outboxCompactThreshold,
    int massDeleteMinFiles,
    double massDeleteFraction,
    java.util.List<String> transports,
    Map<String, java.util.List<String>> peerTransports) {
  public static final String FILE_NAME = "config.yaml";
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  public Config {
    transportOptions = Map.copyOf(transportOptions);
    java.util.TreeMap<String, java.util.List<String>> routes = new java.util.TreeMap<>();
    if (peerTransports != null) {
      peerTransports.forEach((peer, via) -> {
        if (via != null && !via.isEmpty()) {
          routes.put(peer.toLowerCase(java.util.Locale.ROOT), java.util.List.copyOf(new java.util.LinkedHashSet<>(via)));
        }
      });
    }
    peerTransports = java.util.Collections.unmodifiableMap(routes);
    transports = transports == null || transports.isEmpty() ? java.util.List.of(transport)
        : java.util.List.copyOf(new java.util.LinkedHashSet<>(transports));
    if (!transports.get(0).equals(transport)) {
      throw new SyftException(ErrorCode.INVALID_CONFIG, "the preferred transport must be the first of 'transports'");
    }
    if (pollSeconds < 1) {
      throw new SyftException(ErrorCode.INVALID_CONFIG, "sync.poll_seconds must be at least 1");
    }
    if (checkpointThreshold < 1 || compactThreshold < 1 || outboxCompactThreshold < 2) {
      throw new SyftException(ErrorCode.INVALID_CONFIG, "checkpoint thresholds must be positive (outbox compaction at least 2)");
    }
    if (massDeleteMinFiles < 0 || !(massDeleteFraction >= 0 && massDeleteFraction <= 1)) {
      throw new SyftException("invalid-config",
          "sync.mass_delete_min_files must be at least 0 and sync.mass_delete_fraction between 0 and 1");
    }
  }

  /** A config with a single transport (the form before several transports existed). */
  public Config(String email, String transport, Map<String, String> transportOptions, int pollSeconds,
      boolean requireSandbox, boolean jobsAutoRun, boolean jobsAutoShare, boolean skipPeerOnPatchDiff,
      int checkpointThreshold, int compactThreshold, int outboxCompactThreshold, int massDeleteMinFiles,
      double massDeleteFraction) {
    this(email, transport, transportOptions, pollSeconds, requireSandbox, jobsAutoRun, jobsAutoShare,
        skipPeerOnPatchDiff, checkpointThreshold, compactThreshold, outboxCompactThreshold, massDeleteMinFiles,
        massDeleteFraction, null, null);
  }

  /** A copy with these transports, preferred first (each validated as a URI with a scheme). */
  public Config withTransports(java.util.List<String> all) {
    if (all.isEmpty()) {
      throw new SyftException(ErrorCode.INVALID_CONFIG, "a home needs at least one transport");
    }
    all.forEach(Config::validateTransport);
    return new Config(email, all.get(0), transportOptions, pollSeconds, requireSandbox, jobsAutoRun, jobsAutoShare,
        skipPeerOnPatchDiff, checkpointThreshold, compactThreshold, outboxCompactThreshold, massDeleteMinFiles,
        massDeleteFraction, all, peerTransports);
  }

  /** A copy where traffic with {@code peer} uses {@code via} (preferred first); empty: every transport. */
  public Config withPeerTransports(String peer, java.util.List<String> via) {
    Map<String, java.util.List<String>> routes = new java.util.TreeMap<>(peerTransports);
    if (via.isEmpty()) {
      routes.remove(peer.toLowerCase(java.util.Locale.ROOT));
    } else {
      routes.put(peer.toLowerCase(java.util.Locale.ROOT), via);
    }
    return new Config(email, transport, transportOptions, pollSeconds, requireSandbox, jobsAutoRun, jobsAutoShare,
        skipPeerOnPatchDiff, checkpointThreshold, compactThreshold, outboxCompactThreshold, massDeleteMinFiles,
        massDeleteFraction, transports, routes);
  }

  /** Defaults of the mass-deletion guard: more than 10 files and more than half of a tree. */
  static final int MASS_DELETE_MIN_FILES = 10;
  static final double MASS_DELETE_FRACTION = 0.5;

  static Config create(String email, String transport) {
    validateTransport(transport);
    return new Config(email, transport, Map.of(), 10, true, false, false, false, 50, 4, 20, MASS_DELETE_MIN_FILES,
        MASS_DELETE_FRACTION);
  }

  static void validateTransport(String transport) {
    try {
      URI u = new URI(transport);
      if (u.getScheme() == null) {
        throw new SyftException(ErrorCode.INVALID_TRANSPORT, "transport '" + transport
            + "' has no scheme; use e.g. local:/path/to/shared/folder");
      }
    } catch (java.net.URISyntaxException e) {
      throw new SyftException(ErrorCode.INVALID_TRANSPORT, "transport '" + transport + "' is not a URI: " + e.getReason());
    }
  }

  /** A copy with other checkpoint thresholds (tests and small deployments). */
  public Config withThresholds(int checkpoint, int compact, int outbox) {
    return new Config(email, transport, transportOptions, pollSeconds, requireSandbox, jobsAutoRun, jobsAutoShare,
        skipPeerOnPatchDiff, checkpoint,
        compact, outbox, massDeleteMinFiles, massDeleteFraction, transports, peerTransports);
  }

  /** A copy with another mass-deletion guard (tests and small deployments). */
  public Config withMassDelete(int minFiles, double fraction) {
    return new Config(email, transport, transportOptions, pollSeconds, requireSandbox, jobsAutoRun, jobsAutoShare,
        skipPeerOnPatchDiff, checkpointThreshold, compactThreshold, outboxCompactThreshold, minFiles, fraction,
        transports, peerTransports);
  }

  /** Writes this config into {@code home}'s config.yaml, keeping keys it does not know. */
  public void save(Path homeDir) {
    try {
      write(homeDir.resolve(FILE_NAME));
    } catch (IOException e) {
      throw new SyftException(ErrorCode.HOME_IO, "cannot write " + homeDir.resolve(FILE_NAME) + ": " + e.getMessage(), e);
    }
  }

  public URI transportUri() {
    return URI.create(transport);
  }

  static Config read(Path file) {
    try {
      JsonNode root = YAML.readTree(Files.readString(file));
      if (root == null || !root.isObject()) {
        throw new SyftException(ErrorCode.INVALID_CONFIG, file + " is not a YAML mapping");
      }
      String email = text(root, "email", file);
      String transport = text(root, "transport", file);
      java.util.List<String> all = new java.util.ArrayList<>();
      JsonNode list = root.get("transports");
      if (list != null && list.isArray()) {
        for (JsonNode t : list) {
          all.add(t.asString());
        }
      }
      if (all.isEmpty() || !all.get(0).equals(transport)) {
        all.remove(transport); // 'transport' was edited by hand: it stays the preferred one
        all.add(0, transport);
      }
      all.forEach(Config::validateTransport);
      Map<String, String> options = new LinkedHashMap<>();
      JsonNode opts = root.get("transport_options");
      if (opts != null && opts.isObject()) {
        for (var e : opts.properties()) {
          options.put(e.getKey(), e.getValue().asString());
        }
      }
      Map<String, java.util.List<String>> routes = new LinkedHashMap<>();
      JsonNode pt = root.get("peer_transports");
      if (pt != null && pt.isObject()) {
        for (var e : pt.properties()) {
          java.util.List<String> via = new java.util.ArrayList<>();
          if (e.getValue().isArray()) {
            e.getValue().forEach(t -> via.add(t.asString()));
          } else if (e.getValue().isString()) {
            via.add(e.getValue().asString());
          }
          via.forEach(Config::validateTransport);
          routes.put(Home.normalizeEmail(e.getKey()), via);
        }
      }
      JsonNode sync = root.path("sync");
      JsonNode jobs = root.path("jobs");
      JsonNode cp = root.path("checkpoints");
      return new Config(Home.normalizeEmail(email), transport, options,
          sync.path("poll_seconds").asInt(10), jobs.path("require_sandbox").asBoolean(true),
          jobs.path("auto_run").asBoolean(false), jobs.path("auto_share").asBoolean(false),
          sync.path("skip_peer_on_patch_version_diff").asBoolean(false),
          cp.path("incremental_threshold").asInt(50), cp.path("compact_threshold").asInt(4),
          cp.path("outbox_compact_threshold").asInt(20),
          sync.path("mass_delete_min_files").asInt(MASS_DELETE_MIN_FILES),
          sync.path("mass_delete_fraction").asDouble(MASS_DELETE_FRACTION), all, routes);
    } catch (IOException | tools.jackson.core.JacksonException e) {
      throw new SyftException(ErrorCode.INVALID_CONFIG, "cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  private static String text(JsonNode root, String key, Path file) {
    JsonNode n = root.get(key);
    if (n == null || !n.isString() || n.asString().isBlank()) {
      throw new SyftException(ErrorCode.INVALID_CONFIG, file + ": '" + key + "' is missing");
    }
    return n.asString();
  }

  void write(Path file) throws IOException {
    ObjectNode root = YAML.createObjectNode();
    if (Files.exists(file)) {
      JsonNode old = YAML.readTree(Files.readString(file));
      if (old != null && old.isObject()) {
        root = (ObjectNode) old;
      }
    }
    root.put("email", email);
    root.put("transport", transport);
    if (transports.size() > 1) {
      var list = root.putArray("transports");
      transports.forEach(list::add);
    } else {
      root.remove("transports");
    }
    if (peerTransports.isEmpty()) {
      root.remove("peer_transports");
    } else {
      ObjectNode pt = root.putObject("peer_transports");
      peerTransports.forEach((peer, via) -> {
        var list = pt.putArray(peer);
        via.forEach(list::add);
      });
    }
    ObjectNode opts = root.putObject("transport_options");
    transportOptions.forEach(opts::put);
    ObjectNode sync = root.has("sync") && root.get("sync").isObject() ? (ObjectNode) root.get("sync") : root.putObject("sync");
    sync.put("poll_seconds", pollSeconds);
    sync.put("skip_peer_on_patch_version_diff", skipPeerOnPatchDiff);
    sync.put("mass_delete_min_files", massDeleteMinFiles);
    sync.put("mass_delete_fraction", massDeleteFraction);
    ObjectNode jobs = root.has("jobs") && root.get("jobs").isObject() ? (ObjectNode) root.get("jobs") : root.putObject("jobs");
    jobs.put("require_sandbox", requireSandbox);
    if (jobsAutoRun || jobs.has("auto_run")) {
      jobs.put("auto_run", jobsAutoRun);
    }
    if (jobsAutoShare || jobs.has("auto_share")) {
      jobs.put("auto_share", jobsAutoShare);
    }
    ObjectNode cp = root.has("checkpoints") && root.get("checkpoints").isObject()
        ? (ObjectNode) root.get("checkpoints") : root.putObject("checkpoints");
    cp.put("incremental_threshold", checkpointThreshold);
    cp.put("compact_threshold", compactThreshold);
    cp.put("outbox_compact_threshold", outboxCompactThreshold);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, "# syft-java client configuration\n" + YAML.writeValueAsString(root));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
