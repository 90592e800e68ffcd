package dev.syft.datasets.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.datasets.Dataset;
import dev.syft.datasets.DatasetPaths;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the datasets present in a SyftBox folder (a client home): the own ones and peers' replicas.
 * Read-only: unlike the reference, listing never creates folders.
 */
public final class Catalog {
  private static final Logger LOG = LoggerFactory.getLogger(Catalog.class);

  private final Path syftbox;
  private final String me;

  /**
   * @param syftbox the folder holding one folder per datasite ({@code <syftbox>/<email>/...})
   * @param me the reading user (sees private parts of their own datasets), or null
   */
  public Catalog(Path syftbox, String me) {
    this.syftbox = syftbox;
    this.me = me == null ? null : me.toLowerCase(Locale.ROOT);
  }

  /** Every dataset of every datasite folder (names containing {@code @}), sorted by owner then name. */
  public List<Dataset> all() {
    List<Dataset> out = new ArrayList<>();
    for (String owner : datasites()) {
      out.addAll(of(owner));
    }
    return out;
  }

  /** The datasite folders present. */
  public List<String> datasites() {
    List<String> owners = new ArrayList<>();
    if (!Files.isDirectory(syftbox)) {
      return owners;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(syftbox)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (n.contains("@") && !n.startsWith(".") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          owners.add(n);
        }
      }
    } catch (IOException e) {
      throw new SyftException(ErrorCode.DATASETS_IO, "cannot list " + syftbox + ": " + e.getMessage(), e);
    }
    owners.sort(FlatNames.CODE_POINT_ORDER);
    return owners;
  }

  /** The datasets of one datasite, sorted by name. */
  public List<Dataset> of(String owner) {
    String o = owner.toLowerCase(Locale.ROOT);
    Path base = syftbox.resolve(o).resolve(DatasetPaths.PUBLIC_ROOT);
    List<Dataset> out = new ArrayList<>();
    if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(base)) {
      for (Path p : s) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().startsWith(".")) {
          names.add(p.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new SyftException(ErrorCode.DATASETS_IO, "cannot list " + base + ": " + e.getMessage(), e);
    }
    names.sort(FlatNames.CODE_POINT_ORDER);
    for (String n : names) {
      find(o, n).ifPresent(out::add);
    }
    return out;
  }

  /** The dataset {@code name} of {@code owner}, if its {@code dataset.yaml} is present and readable. */
  public Optional<Dataset> find(String owner, String name) {
    String o = owner.toLowerCase(Locale.ROOT);
    if (!FlatNames.isPlainFileName(name) || !FlatNames.isPlainFileName(o)) {
      return Optional.empty();
    }
    Path datasite = syftbox.resolve(o);
    Path mockDir = DatasetPaths.mockDir(datasite, name);
    Path yaml = mockDir.resolve(DatasetPaths.METADATA_FILE);
    if (!Files.isRegularFile(yaml, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    DatasetMeta meta;
    try {
      if (Files.size(yaml) > DatasetMeta.MAX_BYTES) {
        LOG.warn("skipping {}: dataset.yaml is larger than {} bytes", mockDir, DatasetMeta.MAX_BYTES);
        return Optional.empty();
      }
      meta = DatasetMeta.parse(Files.readString(yaml, StandardCharsets.UTF_8));
    } catch (IOException | SyftException e) {
      LOG.debug("skipping {}: {}", mockDir, e.getMessage());
      return Optional.empty();
    }
    boolean own = o.equals(me);
    Path readme = readmePath(meta, o, name, mockDir);
    List<Path> mock = mockFiles(meta, o, name, mockDir, readme);
    Path privateDir = own ? DatasetPaths.privateDir(datasite, name) : null;
    List<Path> privateFiles = own ? privateFiles(privateDir) : List.of();
    List<String> shared = own ? LocalAcl.readers(datasite, DatasetPaths.mockRel(name)) : List.of();
    return Optional.of(new Dataset(name, o, own, meta.uid(), meta.summary(), meta.tags(), meta.location(),
        DatasetMeta.parseTimestamp(meta.createdAt()), DatasetMeta.parseTimestamp(meta.updatedAt()), mockDir, mock,
        readme, privateDir, privateFiles, shared));
  }

  /**
   * The mock files named by {@code mock_files_urls} that exist locally. A URL must point into this
   * dataset's mock folder; when its nested path is missing (a collection flattened by a Python
   * owner), the file of the same base name at the top of the folder is used.
   */
  static List<Path> mockFiles(DatasetMeta meta, String owner, String name, Path mockDir, Path readme) {
    List<Path> out = new ArrayList<>();
    for (String url : meta.mockFilesUrls()) {
      String rel = relInMockDir(url, owner, name);
      if (rel == null) {
        continue;
      }
      Path p = mockDir.resolve(rel);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        p = mockDir.resolve(rel.substring(rel.lastIndexOf('/') + 1));
      }
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !out.contains(p)) {
        out.add(p);
      }
    }
    if (out.isEmpty() && meta.mockFilesUrls().isEmpty()) {
      // no list in the metadata: everything in the folder but the reserved files
      try {
        for (String rel : DatasiteFiles.listFiles(mockDir, FlatNames.CODE_POINT_ORDER)) {
          Path p = mockDir.resolve(rel);
          if (!isReservedMockName(rel) && !p.equals(readme)) {
            out.add(p);
          }
        }
      } catch (IOException e) {
        LOG.debug("cannot list {}: {}", mockDir, e.getMessage());
      }
    }
    return out;
  }

  private static boolean isReservedMockName(String rel) {
    return Set.of(DatasetPaths.METADATA_FILE, DatasetPaths.MANIFEST_FILE).contains(rel)
        || rel.equals(DatasetPaths.ACL_FILE) || rel.endsWith("/" + DatasetPaths.ACL_FILE);
  }

  private static Path readmePath(DatasetMeta meta, String owner, String name, Path mockDir) {
    String rel = relInMockDir(meta.readmeUrl(), owner, name);
    if (rel == null) {
      return null;
    }
    Path p = mockDir.resolve(rel);
    return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? p : null;
  }

  private static final java.util.regex.Pattern LAYOUT_SEGMENT = java.util.regex.Pattern.compile("v[0-9]{1,9}/");

  /**
   * The safe path inside the dataset's mock folder a {@code syft://owner/...} URL names, or null.
   * Accepts {@code public/syft_datasets/<name>/...} and PySyft 0.10's {@code
   * public/syft_datasets/v<n>/<name>/...} (its metadata points into its versioned layout; the
   * files arrive in the same collection).
   */
  static String relInMockDir(String url, String owner, String name) {
    Optional<SyftUrl> u = SyftUrl.parse(url);
    if (u.isEmpty() || !u.get().host().equalsIgnoreCase(owner)) {
      return null;
    }
    String path = u.get().path();
    String root = DatasetPaths.PUBLIC_ROOT + "/";
    if (!path.startsWith(root)) {
      return null;
    }
    String rest = path.substring(root.length());
    java.util.regex.Matcher m = LAYOUT_SEGMENT.matcher(rest);
    if (m.lookingAt() && rest.startsWith(name + "/", m.end())) {
      rest = rest.substring(m.end());
    }
    if (!rest.startsWith(name + "/")) {
      return null;
    }
    return FlatNames.safeRel(rest.substring(name.length() + 1));
  }

  /** Private data files: recursive, sorted by relative path, without metadata and permission files. */
  public static List<Path> privateFiles(Path privateDir) {
    List<Path> out = new ArrayList<>();
    try {
      for (String rel : DatasiteFiles.listFiles(privateDir, FlatNames.CODE_POINT_ORDER)) {
        if (rel.equals(DatasetPaths.PRIVATE_METADATA_FILE) || rel.equals(DatasetPaths.ACL_FILE)
            || rel.endsWith("/" + DatasetPaths.ACL_FILE)) {
          continue;
        }
        out.add(privateDir.resolve(rel));
      }
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", privateDir, e.getMessage());
    }
    return out;
  }
}
