package dev.syft.datasets.internal;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.yaml.PyYaml;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code dataset.yaml} (the reference's {@code Dataset} model, JOBS-DATASETS.md 3.2): written with
 * the reference's field order and PyYAML styling, read leniently (unknown fields ignored).
 */
public record DatasetMeta(String uid, String createdAt, String updatedAt, String name, String summary,
    List<String> tags, String location, String mockUrl, String privateUrl, String readmeUrl,
    List<String> mockFilesUrls) {

  /** Largest {@code dataset.yaml} read (a peer's file is untrusted). */
  public static final int MAX_BYTES = 1 << 20;

  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  public DatasetMeta {
    tags = List.copyOf(tags);
    mockFilesUrls = List.copyOf(mockFilesUrls);
  }

  /** The file's text, byte for byte as the reference writes it ({@code safe_dump}, model field order). */
  public String render() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uid", uid);
    m.put("created_at", createdAt);
    m.put("updated_at", updatedAt);
    m.put("name", name);
    m.put("summary", summary);
    m.put("tags", tags);
    m.put("location", location);
    m.put("mock_url", mockUrl);
    m.put("private_url", privateUrl);
    m.put("readme_url", readmeUrl);
    m.put("mock_files_urls", mockFilesUrls);
    return PyYaml.dump(m, false);
  }

  /**
   * Parses a {@code dataset.yaml}.
   *
   * @throws SyftException with code {@code invalid-dataset-metadata} when it is not a mapping with a name
   */
  public static DatasetMeta parse(String text) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new SyftException(ErrorCode.INVALID_DATASET_METADATA, "dataset.yaml is not valid YAML: "
          + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new SyftException(ErrorCode.INVALID_DATASET_METADATA, "dataset.yaml is not a mapping");
    }
    String name = text(root, "name");
    if (name == null || name.isEmpty()) {
      throw new SyftException(ErrorCode.INVALID_DATASET_METADATA, "dataset.yaml has no name");
    }
    return new DatasetMeta(text(root, "uid"), text(root, "created_at"), text(root, "updated_at"), name,
        text(root, "summary"), list(root, "tags"), text(root, "location"), text(root, "mock_url"),
        text(root, "private_url"), text(root, "readme_url"), list(root, "mock_files_urls"));
  }

  private static String text(JsonNode root, String key) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull() || n.isContainer()) {
      return null;
    }
    return n.asString();
  }

  private static List<String> list(JsonNode root, String key) {
    JsonNode n = root.get(key);
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      for (JsonNode v : n) {
        if (v != null && !v.isNull() && !v.isContainer()) {
          out.add(v.asString());
        }
      }
    }
    return out;
  }

  /** The reference's (pydantic's) UTC timestamp form: {@code 2024-04-05T19:34:38.123456Z}, micros only when non-zero. */
  public static String timestamp(Instant t) {
    OffsetDateTime d = t.atOffset(ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", d.getYear(), d.getMonthValue(),
        d.getDayOfMonth(), d.getHour(), d.getMinute(), d.getSecond()));
    int micros = d.getNano() / 1000;
    if (micros != 0) {
      b.append(String.format(".%06d", micros));
    }
    return b.append('Z').toString();
  }

  /** Parses an ISO timestamp with offset ({@code Z} or {@code +00:00}); null when absent or unreadable. */
  public static Instant parseTimestamp(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s.strip().replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDateTime.parse(s.strip().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** {@code private_metadata.yaml}: {@code uid} and {@code data_dir} (the reference's PrivateDatasetConfig). */
  public static String renderPrivate(String uid, String dataDir) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("uid", uid);
    m.put("data_dir", dataDir);
    return PyYaml.dump(m, false);
  }
}
