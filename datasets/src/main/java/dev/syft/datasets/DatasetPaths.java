package dev.syft.datasets;

import java.nio.file.Path;

/** Where datasets live in a datasite (JOBS-DATASETS.md 3.1) and their reserved file names. */
public final class DatasetPaths {
  /** Folder of datasets under {@code public/} and {@code private/}. */
  public static final String FOLDER = "syft_datasets";
  /** Mock side, datasite-relative. */
  public static final String PUBLIC_ROOT = "public/" + FOLDER;
  /** Private side, datasite-relative. */
  public static final String PRIVATE_ROOT = "private/" + FOLDER;
  /** Public metadata in the mock folder. */
  public static final String METADATA_FILE = "dataset.yaml";
  /** Private metadata in the private folder. */
  public static final String PRIVATE_METADATA_FILE = "private_metadata.yaml";
  /**
   * syft-java's map from nested relative paths to the flat names a collection stores (only in
   * collections with nested or colliding mock files; see README.md).
   */
  public static final String MANIFEST_FILE = "syft_manifest.json";
  /** Permission file name. */
  public static final String ACL_FILE = "syft.pub.yaml";

  private DatasetPaths() {}

  /** {@code <datasite>/public/syft_datasets/<name>}. */
  public static Path mockDir(Path datasite, String name) {
    return datasite.resolve(PUBLIC_ROOT).resolve(name);
  }

  /** {@code <datasite>/private/syft_datasets/<name>}. */
  public static Path privateDir(Path datasite, String name) {
    return datasite.resolve(PRIVATE_ROOT).resolve(name);
  }

  /** The datasite-relative mock folder of {@code name}. */
  public static String mockRel(String name) {
    return PUBLIC_ROOT + "/" + name;
  }

  /** The datasite-relative private folder of {@code name}. */
  public static String privateRel(String name) {
    return PRIVATE_ROOT + "/" + name;
  }
}
