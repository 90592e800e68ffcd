package dev.syft.datasets;

import dev.syft.core.Home;
import dev.syft.core.SyftClient;
import dev.syft.datasets.internal.Catalog;
import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves a dataset name to files for job code (JOBS-DATASETS.md 3.7): inside a job the owner's
 * <b>private</b> files, everywhere else the <b>mock</b> files, so the same code runs in local tests
 * and on the private data.
 *
 * <p>Environment (set by the job runner, as the reference's runner does):
 *
 * <ul>
 *   <li>{@value #ENV_IN_JOB} = {@code true} (any case): running inside an approved job;
 *   <li>{@value #ENV_FOLDER}: the SyftBox folder (client home) holding {@code <owner>/...};
 *   <li>{@value #ENV_EMAIL}: the default owner (the data owner running the job).
 * </ul>
 *
 * <p>Private files are listed recursively and sorted by relative path (the reference lists only
 * top-level files in file-system order), without {@code private_metadata.yaml} and permission files.
 */
public final class DatasetResolver {
  public static final String ENV_IN_JOB = "SYFT_IS_IN_JOB";
  public static final String ENV_FOLDER = "SYFTBOX_FOLDER";
  public static final String ENV_EMAIL = "SYFTBOX_EMAIL";

  private final Path syftbox;
  private final String defaultOwner;
  private final boolean inJob;
  private final String me;

  private DatasetResolver(Path syftbox, String defaultOwner, boolean inJob, String me) {
    this.syftbox = syftbox;
    this.defaultOwner = defaultOwner == null || defaultOwner.isBlank() ? null : defaultOwner.strip().toLowerCase(Locale.ROOT);
    this.inJob = inJob;
    this.me = me;
  }

  /** A resolver configured from the process environment. */
  public static DatasetResolver fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * A resolver configured from {@code env} ({@value #ENV_IN_JOB}, {@value #ENV_FOLDER},
   * {@value #ENV_EMAIL}).
   *
   * @throws SyftException {@code dataset-resolve-failed} when {@value #ENV_FOLDER} is missing
   */
  public static DatasetResolver fromEnvironment(Map<String, String> env) {
    boolean inJob = "true".equalsIgnoreCase(String.valueOf(env.get(ENV_IN_JOB)).strip());
    String folder = env.get(ENV_FOLDER);
    if (folder == null || folder.isBlank()) {
      throw new SyftException(ErrorCode.DATASET_RESOLVE_FAILED, "cannot find datasets: " + ENV_FOLDER + " is not set; "
          + "outside a job, resolve through your client (Datasets.of(client).resolver()) for local testing");
    }
    String email = env.get(ENV_EMAIL);
    return new DatasetResolver(Path.of(folder), email, inJob, inJob ? email : null);
  }

  /** Local test mode for a client: mock files, the client's home; owners found among its datasets. */
  public static DatasetResolver forClient(SyftClient client) {
    return new DatasetResolver(client.home().dir(), null, false, client.email());
  }

  /** An explicit resolver (for runners and tests). */
  public static DatasetResolver of(Path syftboxFolder, String defaultOwner, boolean inJob) {
    return new DatasetResolver(Objects.requireNonNull(syftboxFolder), defaultOwner, inJob, inJob ? defaultOwner : null);
  }

  /** The reference's {@code resolve_dataset_files_path(name)} from the process environment. */
  public static List<Path> resolve(String name) {
    return fromEnvironment().files(name);
  }

  /** The reference's {@code resolve_dataset_files_path(name, owner_email=owner)} from the environment. */
  public static List<Path> resolve(String name, String owner) {
    return fromEnvironment().files(name, owner);
  }

  public boolean inJob() {
    return inJob;
  }

  /** The files of dataset {@code name}; the owner is the default owner, else the only owner of that name. */
  public List<Path> files(String name) {
    return files(name, null);
  }

  /**
   * The files of {@code owner}'s dataset {@code name}: private files inside a job, else mock files.
   *
   * @param owner the owner's e-mail, or null for the default owner / the only owner of that name
   * @throws SyftException {@code dataset-resolve-failed} when the dataset or its owner cannot be found
   */
  public List<Path> files(String name, String owner) {
    if (!DatasetNames.isSafeReceivedName(name) || name.contains("/")) {
      throw new SyftException(ErrorCode.DATASET_RESOLVE_FAILED, "not a dataset name: " + DatasitePaths.printable(String.valueOf(name)));
    }
    String o = owner != null && !owner.isBlank() ? Home.normalizeEmail(owner) : ownerOf(name);
    if (inJob) {
      Path dir = DatasetPaths.privateDir(syftbox.resolve(o), name);
      if (!Files.isDirectory(dir)) {
        throw new SyftException(ErrorCode.DATASET_RESOLVE_FAILED, "no private data for dataset '" + name + "' of " + o
            + " in " + syftbox);
      }
      return Catalog.privateFiles(dir);
    }
    Dataset d = new Catalog(syftbox, me).find(o, name).orElseThrow(() -> new SyftException("dataset-resolve-failed",
        "no dataset '" + name + "' of " + o + " in " + syftbox + " (not shared with you, or not synced yet)"));
    return d.mockFiles();
  }

  /** The first file of {@link #files(String, String)} (the reference's {@code resolve_dataset_file_path}). */
  public Path file(String name, String owner) {
    List<Path> all = files(name, owner);
    if (all.isEmpty()) {
      throw new SyftException(ErrorCode.DATASET_RESOLVE_FAILED, "dataset '" + name + "' has no " + (inJob ? "private" : "mock")
          + " files");
    }
    return all.get(0);
  }

  /** {@link #file(String, String)} with the default owner. */
  public Path file(String name) {
    return file(name, null);
  }

  private String ownerOf(String name) {
    if (inJob && defaultOwner != null) {
      return defaultOwner;
    }
    List<String> owners = new Catalog(syftbox, me).all().stream().filter(d -> d.name().equals(name))
        .map(Dataset::owner).distinct().toList();
    if (owners.size() == 1) {
      return owners.get(0);
    }
    if (owners.isEmpty() && defaultOwner != null) {
      return defaultOwner;
    }
    if (owners.isEmpty()) {
      throw new SyftException(ErrorCode.DATASET_RESOLVE_FAILED, "no datasets named '" + name + "' in " + syftbox);
    }
    throw new SyftException(ErrorCode.DATASET_RESOLVE_FAILED, "several owners have a dataset named '" + name + "' ("
        + String.join(", ", owners) + "); pass the owner's e-mail");
  }
}
