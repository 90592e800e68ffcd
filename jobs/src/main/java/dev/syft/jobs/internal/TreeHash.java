package dev.syft.jobs.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.protocol.hash.Hashes;
import dev.syft.protocol.paths.PathFilters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content hash a job's approval is bound to: SHA-256 over the sorted lines
 * {@code <sha256 of the file's bytes>  <relative path>} of every file of the job folder (config.yaml,
 * run.sh and everything under code/), except permission files, which the data owner writes.
 */
public final class TreeHash {
  private TreeHash() {}

  /** True for paths that belong to a job's content. */
  public static boolean content(String rel) {
    String name = rel.endsWith("/") ? "" : rel.substring(rel.lastIndexOf('/') + 1);
    return !name.equals("syft.pub.yaml") && !PathFilters.isExcluded(rel);
  }

  /** Relative path to SHA-256 (hex) of every content file. */
  public static Map<String, String> fileHashes(Path dir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : DatasiteFiles.files(dir, TreeHash::content).entrySet()) {
      out.put(e.getKey(), Hashes.sha256Hex(Files.readAllBytes(e.getValue())));
    }
    return out;
  }

  public static String of(Map<String, String> fileHashes) {
    StringBuilder sb = new StringBuilder();
    new java.util.TreeMap<>(fileHashes).forEach((p, h) -> sb.append(h).append("  ").append(p).append('\n'));
    return Hashes.sha256Hex(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static String of(Path dir) throws IOException {
    return of(fileHashes(dir));
  }
}
