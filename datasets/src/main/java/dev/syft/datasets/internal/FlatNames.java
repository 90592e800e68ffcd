package dev.syft.datasets.internal;

import dev.syft.datasets.DatasetPaths;
import dev.syft.protocol.DatasitePaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flat names for the files of a collection. The reference stores a collection as one flat folder
 * keyed by base name, so nested mock data collides. syft-java keeps the flat base names (a Python
 * peer reads the collection as before) and, when any file's flat name differs from its relative
 * path, adds {@value DatasetPaths#MANIFEST_FILE} mapping each relative path to its flat name. Flat
 * names are unique ignoring case (case-insensitive file systems) and never take a reserved name.
 */
public final class FlatNames {
  static final String FORMAT = "syft-java-dataset-manifest";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private FlatNames() {}

  /** Python's string order (code points), used for every sorted list of this module. */
  public static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  /**
   * Assigns flat names to relative paths: top-level files first (they keep their names unless a
   * case-insensitive duplicate), then nested ones in path order, each its base name or, when taken,
   * {@code <stem>_<n><ext>}. Returns relative path to flat name, in path order.
   *
   * @param reserved names no file may take (dataset.yaml, the readme, the manifest...)
   */
  public static Map<String, String> assign(List<String> relPaths, Set<String> reserved) {
    Set<String> taken = new HashSet<>();
    reserved.forEach(r -> taken.add(fold(r)));
    List<String> sorted = new ArrayList<>(relPaths);
    sorted.sort(Comparator.comparing((String p) -> p.contains("/")).thenComparing(CODE_POINT_ORDER));
    Map<String, String> chosen = new TreeMap<>(CODE_POINT_ORDER);
    for (String rel : sorted) {
      String base = rel.substring(rel.lastIndexOf('/') + 1);
      String name = base;
      int n = 2;
      while (taken.contains(fold(name)) || name.getBytes(StandardCharsets.UTF_8).length > 255) {
        name = numbered(base, n++);
      }
      taken.add(fold(name));
      chosen.put(rel, name);
    }
    return new LinkedHashMap<>(chosen);
  }

  /** True when some file is stored under a name other than its relative path. */
  public static boolean needsManifest(Map<String, String> flat) {
    return flat.entrySet().stream().anyMatch(e -> !e.getKey().equals(e.getValue()));
  }

  /** The manifest's bytes: compact JSON, keys in path order (deterministic, so the hash is too). */
  public static byte[] manifest(Map<String, String> flat) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    ObjectNode files = root.putObject("files");
    Map<String, String> ordered = new TreeMap<>(CODE_POINT_ORDER);
    ordered.putAll(flat);
    ordered.forEach(files::put);
    return JSON.writeValueAsBytes(root);
  }

  /**
   * Reads a manifest from a peer: relative path to flat name, keeping only entries whose path is
   * safe ({@link DatasitePaths#normalize}, no permission file, no hidden segment) and whose flat name
   * is a plain file name. Empty when the manifest is unreadable or of another format.
   */
  public static Optional<Map<String, String>> parseManifest(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asString(""))
        || root.path("version").asInt(0) != VERSION || !root.path("files").isObject()) {
      return Optional.empty();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : root.get("files").properties()) {
      String flat = e.getValue().isString() ? e.getValue().asString() : null;
      String rel = safeRel(e.getKey());
      if (rel != null && flat != null && isPlainFileName(flat)) {
        out.put(rel, flat);
      }
    }
    return Optional.of(out);
  }

  /** A safe relative path for a received file, or null. */
  static String safeRel(String path) {
    if (!DatasitePaths.isSafe(path)) {
      return null;
    }
    String rel = DatasitePaths.normalize(path);
    for (String seg : rel.split("/")) {
      if (seg.equals(DatasetPaths.ACL_FILE) || seg.startsWith(".syft")) {
        return null;
      }
    }
    return rel;
  }

  /** One path segment we are willing to create: not empty, no separators or controls, not . or .. */
  public static boolean isPlainFileName(String name) {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
      return false;
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static String numbered(String base, int n) {
    int dot = base.lastIndexOf('.');
    if (dot <= 0) {
      return base + "_" + n;
    }
    return base.substring(0, dot) + "_" + n + base.substring(dot);
  }

  private static String fold(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
