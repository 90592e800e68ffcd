package dev.syft.datasets;

import dev.syft.core.Home;
import dev.syft.core.SyftClient;
import dev.syft.datasets.internal.Catalog;
import dev.syft.datasets.internal.OwnerOps;
import dev.syft.protocol.DatasitePaths;
import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Datasets of one client: create, list, share, delete (JOBS-DATASETS.md 3, PROTOCOL.md 17).
 *
 * <pre>{@code
 * try (SyftClient owner = SyftClient.open(home)) {
 *   Datasets ds = Datasets.of(owner);
 *   ds.create(NewDataset.builder("census", mockDir, privateDir).summary("Census sample")
 *       .shareWith("ds@university.example").build());
 * }
 * }</pre>
 *
 * <p>Contracts:
 *
 * <ul>
 *   <li>Reads ({@link #list}, {@link #find}, {@link #get}) only look at the client home; they need
 *       no transport, take no lock and create nothing.
 *   <li>Changes ({@link #create}, {@link #share}, {@link #unshare}, {@link #delete}) act on the
 *       caller's own datasite and its transport folders, under the home lock.
 *   <li>{@link #create} is all or nothing: on failure it removes the local folders and transport
 *       folders it made and throws a {@link SyftException} naming the original cause.
 *   <li>Peers receive shared datasets during their own sync rounds (see {@code DatasetsSyncExtension});
 *       no sync is needed on the owner's side. Private files never leave the owner's machine, except
 *       into the owner-only backup collection of {@link NewDataset#uploadPrivate()}.
 * </ul>
 */
public final class Datasets {
  private final SyftClient client;

  private Datasets(SyftClient client) {
    this.client = client;
  }

  public static Datasets of(SyftClient client) {
    return new Datasets(Objects.requireNonNull(client, "client"));
  }

  private Catalog catalog() {
    return new Catalog(client.home().dir(), client.email());
  }

  /**
   * Creates a dataset in the own datasite and publishes its mock collection.
   *
   * @throws SyftException {@code invalid-dataset-name}, {@code invalid-dataset-input},
   *     {@code invalid-dataset-source} (nothing was created) or {@code dataset-create-failed}
   *     (everything created was removed; the message says if clean-up was incomplete)
   */
  public Dataset create(NewDataset spec) {
    return client.withContext(ctx -> new OwnerOps(ctx).create(spec));
  }

  /** Every dataset in the home (own and received), sorted by owner then name. */
  public List<Dataset> list() {
    return catalog().all();
  }

  /** The datasets of one datasite (the own e-mail or a peer's), sorted by name. */
  public List<Dataset> list(String owner) {
    return catalog().of(Home.normalizeEmail(owner));
  }

  /** The dataset {@code name} of {@code owner}, when present locally. */
  public Optional<Dataset> find(String name, String owner) {
    return catalog().find(Home.normalizeEmail(owner), name);
  }

  /** An own dataset. @throws SyftException {@code dataset-not-found} listing what exists */
  public Dataset get(String name) {
    return get(name, client.email());
  }

  /** A dataset of {@code owner}. @throws SyftException {@code dataset-not-found} listing what exists */
  public Dataset get(String name, String owner) {
    String o = Home.normalizeEmail(owner);
    return catalog().find(o, name).orElseThrow(() -> notFound(name, o));
  }

  private SyftException notFound(String name, String owner) {
    List<String> all = catalog().all().stream().map(d -> d.name() + " (from " + d.owner() + ")").toList();
    boolean own = owner.equals(client.email());
    return new SyftException(ErrorCode.DATASET_NOT_FOUND, "no dataset " + DatasitePaths.printable(name)
        + (own ? " in your datasite" : " from " + owner) + "; available: "
        + (all.isEmpty() ? "none found" : String.join(", ", all))
        + (own ? "" : " (not shared with you, not a peer yet, or not synced: run 'syft sync')"));
  }

  /**
   * Shares an own dataset's mock data with more users ({@link Audience#users}) or with every
   * approved peer ({@link Audience#anyPeer()}); updates the local permission file as well. When the
   * mock files changed since publishing, a new collection replaces the old one (keeping its grants).
   */
  public Dataset share(String name, Audience audience) {
    return client.withContext(ctx -> new OwnerOps(ctx).share(name, audience));
  }

  /** {@link #share(String, Audience)} with e-mail addresses ({@code "any"} alone = every approved peer). */
  public Dataset share(String name, Collection<String> users) {
    return share(name, Audience.users(users));
  }

  /**
   * Stops sharing an own dataset with some users, or ({@link Audience#anyPeer()}) with every peer
   * that had it only through "any". Peers drop their copy on their next sync.
   *
   * @throws SyftException {@code invalid-dataset-input} when removing users from an "any" dataset
   */
  public Dataset unshare(String name, Audience audience) {
    return client.withContext(ctx -> new OwnerOps(ctx).unshare(name, audience));
  }

  /**
   * Deletes an own dataset: the mock and private folders and every collection folder of that name
   * on the transport. Collection folders that cannot be deleted now are retried on every sync and
   * reported in {@link DeleteResult#warnings()}. Asking for confirmation is the caller's job.
   */
  public DeleteResult delete(String name) {
    return client.withContext(ctx -> new OwnerOps(ctx).delete(name));
  }

  /** A resolver for local testing of job code: always the mock files, owners found in this home. */
  public DatasetResolver resolver() {
    return DatasetResolver.forClient(client);
  }
}
