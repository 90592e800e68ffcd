package dev.syft.protocol.paths;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The reference's "normal syncable" path filter (PROTOCOL.md section 20).
 *
 * <p>Paths are split into components like POSIX {@code pathlib}: empty and {@code .} segments
 * disappear, {@code ..} is kept as a component (not resolved), a leading {@code /} becomes its own
 * component. This is a relevance filter, not a safety check: use {@link
 * dev.syft.protocol.DatasitePaths#normalize} to refuse paths that could escape the datasite.
 */
public final class PathFilters {
  /** Components that are never synced, wherever they appear. */
  public static final Set<String> EXCLUDED_COMPONENTS = Set.of(
      ".venv", ".git", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "node_modules",
      ".DS_Store");

  /** The reference's dataset collections folder; synced through its own channel. */
  public static final String DEFAULT_COLLECTIONS_PATH = "public/syft_datasets";

  /** First component of the owner-only tree. */
  public static final String PRIVATE_FOLDER = "private";

  private PathFilters() {}

  /** True when any component of {@code path} is one of {@link #EXCLUDED_COMPONENTS}. */
  public static boolean isExcluded(String path) {
    for (String part : parts(path)) {
      if (EXCLUDED_COMPONENTS.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when a datasite-relative path takes part in normal sync: not excluded, first component not
   * {@code private}, and not under {@code collectionsPath} (component prefix; {@code null} disables
   * that rule).
   */
  public static boolean isNormalSyncable(String path, String collectionsPath) {
    if (isExcluded(path)) {
      return false;
    }
    List<String> parts = parts(path);
    if (!parts.isEmpty() && parts.get(0).equals(PRIVATE_FOLDER)) {
      return false;
    }
    if (collectionsPath != null) {
      List<String> prefix = parts(collectionsPath);
      if (parts.size() >= prefix.size() && parts.subList(0, prefix.size()).equals(prefix)) {
        return false;
      }
    }
    return true;
  }

  /** The components of {@code path} as POSIX {@code PurePath.parts} gives them. */
  public static List<String> parts(String path) {
    List<String> parts = new ArrayList<>();
    if (path.startsWith("/")) {
      // POSIX keeps exactly two leading slashes as a distinct root; three or more collapse to one.
      boolean doubleRoot = path.startsWith("//") && !path.startsWith("///");
      parts.add(doubleRoot ? "//" : "/");
    }
    for (String segment : path.split("/", -1)) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        parts.add(segment);
      }
    }
    return parts;
  }
}
