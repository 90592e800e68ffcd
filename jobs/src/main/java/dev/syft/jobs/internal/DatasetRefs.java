package dev.syft.jobs.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.jobs.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of the data owner's datasets a job may read when it runs. The safe choice: the datasets the
 * config names for this owner ({@code datasets: {<owner>: [...]}}); when the config names none (the
 * reference writes {@code null} for local jobs), the dataset names the code passes as string literals
 * to {@code resolve_dataset_file(s)_path} or {@code load_dataset_code}; otherwise none. Never "all".
 * The reviewer sees the list before approving, and it is part of an auto-approval fingerprint.
 */
public final class DatasetRefs {
  private static final Pattern CALL = Pattern.compile(
      "(?:resolve_dataset_files?_path|load_dataset_code)\\s*\\(\\s*(?:(?:name|dataset_name|path)\\s*=\\s*)?"
          + "[rRuU]?(['\"])([^'\"\\\\\\n]+)\\1");
  private static final String PRIVATE = "private/syft_datasets";
  private static final String PUBLIC = "public/syft_datasets";

  private DatasetRefs() {}

  /**
   * @param names dataset names in order
   * @param source {@code config}, {@code detected} or {@code none}
   */
  public record Resolved(List<String> names, String source) {}

  /** A dataset that exists on the owner's side and can be mounted. */
  public record Mountable(String name, Path privateDir, Path mockDir) {}

  public static Resolved resolve(JobConfig c, Path codeDir, String owner) throws IOException {
    if (c.datasets() != null && c.datasets().containsKey(owner)) {
      return new Resolved(List.copyOf(new LinkedHashSet<>(c.datasets().get(owner))), "config");
    }
    List<String> found = detect(codeDir);
    return new Resolved(found, found.isEmpty() ? "none" : "detected");
  }

  /** Dataset names used as literals in the Python files below {@code codeDir}. */
  public static List<String> detect(Path codeDir) throws IOException {
    java.util.Map<String, byte[]> code = new java.util.TreeMap<>();
    for (var e : DatasiteFiles.files(codeDir, TreeHash::content).entrySet()) {
      if (e.getKey().endsWith(".py") && Files.size(e.getValue()) <= 2 * 1024 * 1024) {
        code.put(e.getKey(), Files.readAllBytes(e.getValue()));
      }
    }
    return detect(code);
  }

  /** Dataset names used as literals in the {@code .py} entries of {@code code} (relative path to bytes). */
  public static List<String> detect(java.util.Map<String, byte[]> code) {
    Set<String> out = new LinkedHashSet<>();
    for (var e : code.entrySet()) {
      if (!e.getKey().endsWith(".py")) {
        continue;
      }
      Matcher m = CALL.matcher(new String(e.getValue(), java.nio.charset.StandardCharsets.ISO_8859_1));
      while (m.find()) {
        String name = m.group(2);
        if (m.group(0).contains("load_dataset_code") && name.contains(".")) {
          name = name.substring(0, name.indexOf('.'));
        }
        out.add(name);
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * The datasets of {@code names} that exist in the owner's datasite ({@code private/syft_datasets/<n>}
   * folders, no links); names that are unsafe or missing go to {@code missing}.
   */
  public static List<Mountable> mountable(Path datasite, List<String> names, List<String> missing) {
    List<Mountable> out = new ArrayList<>();
    for (String n : names) {
      Path priv = datasite.resolve(PRIVATE).resolve(n);
      if (!Names.isSafe(n) || !Files.isDirectory(priv, LinkOption.NOFOLLOW_LINKS)) {
        missing.add(n);
        continue;
      }
      Path mock = datasite.resolve(PUBLIC).resolve(n);
      out.add(new Mountable(n, priv, Files.isDirectory(mock, LinkOption.NOFOLLOW_LINKS) ? mock : null));
    }
    return out;
  }
}
