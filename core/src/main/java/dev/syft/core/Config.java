package dev.syft.core;

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
 * @param requireSandbox refuse to run jobs when no sandbox is available
 * @param skipPeerOnPatchDiff skip (rather than warn about) peers whose client patch version differs
 */
public record Config(
    String email,
    String transport,
    Map<String, String> transportOptions,
    int pollSeconds,
    boolean requireSandbox,
    boolean skipPeerOnPatchDiff) {
  public static final String FILE_NAME = "config.yaml";
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  public Config {
    transportOptions = Map.copyOf(transportOptions);
    if (pollSeconds < 1) {
      throw new SyftException("invalid-config", "sync.poll_seconds must be at least 1");
    }
  }

  static Config create(String email, String transport) {
    validateTransport(transport);
    return new Config(email, transport, Map.of(), 10, false, false);
  }

  static void validateTransport(String transport) {
    try {
      URI u = new URI(transport);
      if (u.getScheme() == null) {
        throw new SyftException("invalid-transport", "transport '" + transport
            + "' has no scheme; use e.g. local:/path/to/shared/folder");
      }
    } catch (java.net.URISyntaxException e) {
      throw new SyftException("invalid-transport", "transport '" + transport + "' is not a URI: " + e.getReason());
    }
  }

  public URI transportUri() {
    return URI.create(transport);
  }

  static Config read(Path file) {
    try {
      JsonNode root = YAML.readTree(Files.readString(file));
      if (root == null || !root.isObject()) {
        throw new SyftException("invalid-config", file + " is not a YAML mapping");
      }
      String email = text(root, "email", file);
      String transport = text(root, "transport", file);
      validateTransport(transport);
      Map<String, String> options = new LinkedHashMap<>();
      JsonNode opts = root.get("transport_options");
      if (opts != null && opts.isObject()) {
        for (var e : opts.properties()) {
          options.put(e.getKey(), e.getValue().asString());
        }
      }
      JsonNode sync = root.path("sync");
      JsonNode jobs = root.path("jobs");
      return new Config(Home.normalizeEmail(email), transport, options,
          sync.path("poll_seconds").asInt(10), jobs.path("require_sandbox").asBoolean(false),
          sync.path("skip_peer_on_patch_version_diff").asBoolean(false));
    } catch (IOException | tools.jackson.core.JacksonException e) {
      throw new SyftException("invalid-config", "cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  private static String text(JsonNode root, String key, Path file) {
    JsonNode n = root.get(key);
    if (n == null || !n.isString() || n.asString().isBlank()) {
      throw new SyftException("invalid-config", file + ": '" + key + "' is missing");
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
    ObjectNode opts = root.putObject("transport_options");
    transportOptions.forEach(opts::put);
    ObjectNode sync = root.has("sync") && root.get("sync").isObject() ? (ObjectNode) root.get("sync") : root.putObject("sync");
    sync.put("poll_seconds", pollSeconds);
    sync.put("skip_peer_on_patch_version_diff", skipPeerOnPatchDiff);
    ObjectNode jobs = root.has("jobs") && root.get("jobs").isObject() ? (ObjectNode) root.get("jobs") : root.putObject("jobs");
    jobs.put("require_sandbox", requireSandbox);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, "# syft-java client configuration\n" + YAML.writeValueAsString(root));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
