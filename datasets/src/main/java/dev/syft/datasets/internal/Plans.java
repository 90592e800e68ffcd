package dev.syft.datasets.internal;

import dev.syft.core.DatasiteFiles;
import dev.syft.datasets.DatasetPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The file sets of the two collections of a dataset (PROTOCOL.md 17). */
final class Plans {
  private Plans() {}

  /**
   * The mock collection: every mock file under its flat name, {@code dataset.yaml}, the readme, and
   * the manifest when some flat name differs from its relative path.
   */
  static List<Blob> mock(Path mockDir, List<String> mockRels, String readmeName) {
    Set<String> reserved = new HashSet<>(Set.of(DatasetPaths.METADATA_FILE, DatasetPaths.MANIFEST_FILE,
        DatasetPaths.ACL_FILE));
    if (readmeName != null) {
      reserved.add(readmeName);
    }
    Map<String, String> flat = FlatNames.assign(mockRels, reserved);
    List<Blob> out = new ArrayList<>();
    flat.forEach((rel, name) -> out.add(Blob.ofFile(name, mockDir.resolve(rel))));
    out.add(Blob.ofFile(DatasetPaths.METADATA_FILE, mockDir.resolve(DatasetPaths.METADATA_FILE)));
    if (readmeName != null) {
      out.add(Blob.ofFile(readmeName, mockDir.resolve(readmeName)));
    }
    if (FlatNames.needsManifest(flat)) {
      out.add(Blob.ofBytes(DatasetPaths.MANIFEST_FILE, FlatNames.manifest(flat)));
    }
    return out;
  }

  /**
   * The private collection: every private file (recursive; nested ones flattened with a manifest),
   * {@code private_metadata.yaml} with {@code data_dir} blanked to {@code .}, and the permission file.
   */
  static List<Blob> privateFiles(Path privateDir, String uid) throws IOException {
    List<String> rels = new ArrayList<>();
    boolean acl = false;
    for (String rel : DatasiteFiles.listFiles(privateDir, FlatNames.CODE_POINT_ORDER)) {
      if (rel.equals(DatasetPaths.PRIVATE_METADATA_FILE)) {
        continue;
      }
      if (rel.equals(DatasetPaths.ACL_FILE)) {
        acl = true;
        continue;
      }
      rels.add(rel);
    }
    Map<String, String> flat = FlatNames.assign(rels, Set.of(DatasetPaths.PRIVATE_METADATA_FILE,
        DatasetPaths.MANIFEST_FILE, DatasetPaths.ACL_FILE));
    List<Blob> out = new ArrayList<>();
    flat.forEach((rel, name) -> out.add(Blob.ofFile(name, privateDir.resolve(rel))));
    out.add(Blob.ofBytes(DatasetPaths.PRIVATE_METADATA_FILE,
        DatasetMeta.renderPrivate(uid, ".").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    if (acl) {
      out.add(Blob.ofFile(DatasetPaths.ACL_FILE, privateDir.resolve(DatasetPaths.ACL_FILE)));
    }
    if (FlatNames.needsManifest(flat)) {
      out.add(Blob.ofBytes(DatasetPaths.MANIFEST_FILE, FlatNames.manifest(flat)));
    }
    return out;
  }

  /** The mock files' relative paths listed in {@code dataset.yaml} (into this dataset's folder only). */
  static List<String> mockRels(DatasetMeta meta, String owner, String name) {
    String prefix = DatasetPaths.mockRel(name) + "/";
    List<String> out = new ArrayList<>();
    for (String url : meta.mockFilesUrls()) {
      Optional<SyftUrl> u = SyftUrl.parse(url);
      if (u.isPresent() && u.get().host().equalsIgnoreCase(owner) && u.get().path().startsWith(prefix)) {
        String rel = FlatNames.safeRel(u.get().path().substring(prefix.length()));
        if (rel != null && !out.contains(rel)) {
          out.add(rel);
        }
      }
    }
    return out;
  }

  /** The readme's file name from {@code readme_url}, or null. */
  static String readmeName(DatasetMeta meta) {
    Optional<SyftUrl> u = SyftUrl.parse(meta.readmeUrl());
    if (u.isEmpty()) {
      return null;
    }
    String p = u.get().path();
    String n = p.substring(p.lastIndexOf('/') + 1);
    return FlatNames.isPlainFileName(n) ? n : null;
  }
}
