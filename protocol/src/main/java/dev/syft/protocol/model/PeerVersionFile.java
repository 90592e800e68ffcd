package dev.syft.protocol.model;

import dev.syft.protocol.MalformedMessageException;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.internal.JsonIn;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A peer's {@code SYFT_version.json} read tolerantly, for any writer: syft-client 0.1.117 (protocol
 * 0, a plain {@link VersionInfo}) or PySyft 0.10 (protocol 1), whose file adds {@code canonical_name},
 * {@code version} ("2"), {@code protocol_schemas} and {@code extra} (PYSYFT-0.10.md). We only write
 * {@link VersionInfo}; this class exists so a newer file never makes a peer unreadable.
 *
 * <p>The additions are read leniently (a value of an unexpected type reads as absent, unknown
 * fields are ignored); only a file that is not a JSON object, or an old-format file that
 * {@link VersionInfo#parse} refuses, is an error. A newer-format file whose protocol-0 fields are
 * missing or invalid still reads, with {@link #info()} {@code null} and the reason in
 * {@link #problem()}.
 *
 * @param info the protocol-0 fields, or {@code null} when a newer-format file lacks them
 * @param problem why {@link #info()} is {@code null}, else {@code null}
 * @param canonicalName {@code canonical_name}, or {@code null}
 * @param fileVersion the file's own {@code version} as text (a number is read as its text), or {@code null}
 * @param protocolSchemas {@code protocol_schemas}, from a list or an object keyed by protocol name
 * @param extra {@code extra} (free-form, e.g. enclave attestation), a copy, or {@code null}
 */
public record PeerVersionFile(VersionInfo info, String problem, String canonicalName, String fileVersion,
    List<ProtocolSchema> protocolSchemas, JsonNode extra) {

  /**
   * One entry of {@code protocol_schemas}.
   *
   * @param protocolName {@code protocol_name} (or the key it was filed under), or {@code null}
   * @param version the version the peer speaks, or {@code null}
   * @param minSupportedVersion the oldest version it reads, or {@code null}
   * @param supportedVersions every version it reads; empty when not given
   */
  public record ProtocolSchema(String protocolName, String version, String minSupportedVersion,
      List<String> supportedVersions) {
    public ProtocolSchema {
      supportedVersions = List.copyOf(supportedVersions);
    }

    /**
     * Whether this protocol reads {@code protocol} (a wire protocol number): listed in
     * {@code supported_versions} when that is given, else not below {@code min_supported_version};
     * true when neither says otherwise.
     */
    public boolean accepts(int protocol) {
      if (!supportedVersions.isEmpty()) {
        return supportedVersions.stream().anyMatch(v -> integer(v).orElse(Integer.MIN_VALUE) == protocol);
      }
      OptionalInt min = integer(minSupportedVersion);
      return min.isEmpty() || min.getAsInt() <= protocol;
    }
  }

  /** The protocol syft-java speaks and writes (syft-client 0.1.117). */
  public static final int OUR_PROTOCOL = 0;

  public PeerVersionFile {
    if (info == null && problem == null) {
      throw new IllegalArgumentException("a version file without protocol-0 fields needs a problem");
    }
    protocolSchemas = List.copyOf(protocolSchemas);
    extra = extra == null || extra.isNull() ? null : extra.deepCopy();
  }

  /** A copy of {@code extra} (JSON nodes are mutable), or {@code null}. */
  @Override
  public JsonNode extra() {
    return extra == null ? null : extra.deepCopy();
  }

  /** Parses with the system clock for a missing {@code updated_at}. */
  public static PeerVersionFile parse(byte[] json) {
    return parse(json, Clock.systemUTC());
  }

  /**
   * Parses a peer's version file.
   *
   * @throws MalformedMessageException if it is not a JSON object, or an old-format file (no
   *     additions) that {@link VersionInfo#parse} refuses
   */
  public static PeerVersionFile parse(byte[] json, Clock clock) {
    ObjectNode root = JsonIn.parseObject(json, "version file");
    String canonical = text(root.get("canonical_name"));
    String fileVersion = text(root.get("version"));
    List<ProtocolSchema> schemas = schemas(root.get("protocol_schemas"));
    JsonNode extra = root.get("extra");
    boolean newer = canonical != null || fileVersion != null || root.has("protocol_schemas") || root.has("extra");
    try {
      return new PeerVersionFile(VersionInfo.parse(json, clock), null, canonical, fileVersion, schemas, extra);
    } catch (SyftException | IllegalArgumentException e) {
      if (!newer) {
        throw e;
      }
      return new PeerVersionFile(null, e.getMessage(), canonical, fileVersion, schemas, extra);
    }
  }

  /** True for a file with the 0.10 additions (or any of them), false for a 0.1.117 file. */
  public boolean isNewerFormat() {
    return canonicalName != null || fileVersion != null || !protocolSchemas.isEmpty() || extra != null
        || info == null;
  }

  /** {@code syft_client_version}, or {@code null} when the file lacks it. */
  public String clientVersion() {
    return info == null ? null : info.syftClientVersion();
  }

  /**
   * The highest wire protocol the peer announces: the largest integer {@code version} among its
   * protocol schemas; a newer-format file without readable schemas counts as protocol 1 (the first
   * one that has them); an old file is protocol 0.
   */
  public int protocol() {
    int best = -1;
    for (ProtocolSchema s : protocolSchemas) {
      best = Math.max(best, integer(s.version()).orElse(-1));
    }
    if (best >= 0) {
      return best;
    }
    return isNewerFormat() ? 1 : OUR_PROTOCOL;
  }

  /** The schemas that say they no longer read {@code protocol}; empty when the peer reads it. */
  public List<ProtocolSchema> refusing(int protocol) {
    return protocolSchemas.stream().filter(s -> !s.accepts(protocol)).toList();
  }

  /** One line for the user: who the peer is and what it speaks, e.g. {@code syft 0.10.2, protocol 1 (version file 2)}. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(clientVersion() == null ? "unknown client version" : clientVersion());
    if (isNewerFormat()) {
      sb.append(", protocol ").append(protocol());
      if (fileVersion != null) {
        sb.append(" (version file ").append(fileVersion).append(')');
      }
    }
    return sb.toString();
  }

  private static List<ProtocolSchema> schemas(JsonNode node) {
    List<ProtocolSchema> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        schema(null, item).ifPresent(out::add);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        schema(e.getKey(), e.getValue()).ifPresent(out::add);
      }
    }
    return out;
  }

  private static java.util.Optional<ProtocolSchema> schema(String key, JsonNode item) {
    if (item == null || !item.isObject()) {
      return java.util.Optional.empty();
    }
    String name = text(item.get("protocol_name"));
    List<String> supported = new ArrayList<>();
    JsonNode list = item.get("supported_versions");
    if (list != null && list.isArray()) {
      for (JsonNode v : list) {
        String t = text(v);
        if (t != null) {
          supported.add(t);
        }
      }
    }
    return java.util.Optional.of(new ProtocolSchema(name != null ? name : key, text(item.get("version")),
        text(item.get("min_supported_version")), supported));
  }

  /** A string as is, a number as its JSON text; anything else is absent. */
  private static String text(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.isString()) {
      return v.stringValue();
    }
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue().toString();
    }
    if (v.isNumber() && Double.isFinite(v.doubleValue())) {
      return v.numberValue().toString();
    }
    return null;
  }

  /** A protocol number: an integer, optionally written as {@code N.0...} or {@code vN}. */
  static OptionalInt integer(String s) {
    if (s == null) {
      return OptionalInt.empty();
    }
    String t = s.trim();
    if (t.startsWith("v") || t.startsWith("V")) {
      t = t.substring(1);
    }
    int dot = t.indexOf('.');
    if (dot >= 0 && t.substring(dot + 1).chars().allMatch(c -> c == '0' || c == '.')) {
      t = t.substring(0, dot);
    }
    if (t.isEmpty() || t.length() > 9 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(t));
  }
}
