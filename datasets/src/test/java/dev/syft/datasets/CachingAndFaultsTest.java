package dev.syft.datasets;

import static dev.syft.datasets.Support.DO;
import static dev.syft.datasets.Support.DS;
import static dev.syft.datasets.Support.SECRET;
import static dev.syft.datasets.Support.read;
import static dev.syft.datasets.Support.sync;
import static dev.syft.datasets.Support.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.core.Cluster;
import dev.syft.core.SyftClient;
import dev.syft.protocol.SyftException;
import dev.syft.transport.Storage;
import dev.syft.transport.decorator.CallCounter;
import dev.syft.transport.decorator.CountingStorage;
import dev.syft.transport.decorator.FaultyStorage;
import dev.syft.transport.decorator.FaultyStorage.Fault;
import dev.syft.transport.decorator.Operation;
import dev.syft.transport.layout.CollectionKind;
import dev.syft.transport.layout.SharedCollection;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hash cache across restarts (10.1 cache-aware sync), create rollback (10.16) and deletion
 * retries, with counting and fault-injecting storage decorators.
 */
class CachingAndFaultsTest {
  @TempDir Path tmp;
  final MemoryStore store = MemoryStore.builder().build();
  final CallCounter dsCalls = new CallCounter();
  Cluster c;

  Cluster cluster(UnaryOperator<Storage> ownerWrapper) {
    c = Cluster.over(tmp.resolve("cluster"), email -> {
      Storage s = store.as(email);
      if (email.equals(DS)) {
        return new CountingStorage(s, dsCalls);
      }
      return email.equals(DO) ? ownerWrapper.apply(s) : s;
    });
    return c;
  }

  @AfterEach
  void tearDown() {
    if (c != null) {
      c.close();
    }
  }

  NewDataset.Builder dataset(String name) {
    Path src = tmp.resolve("src/" + name);
    write(src, "mock/a.csv", "mock a");
    write(src, "mock/sub/b.csv", "mock b");
    write(src, "private/p.csv", SECRET);
    return NewDataset.builder(name, src.resolve("mock"), src.resolve("private"));
  }

  List<SharedCollection> collections(SyftClient client, CollectionKind kind) {
    return client.withContext(ctx -> {
      try {
        return ctx.layout().listMyCollections(kind);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** What the owner has on the transport, seen without any decorator. */
  List<SharedCollection> rawCollections(CollectionKind kind) throws IOException {
    return new dev.syft.transport.layout.SyftLayout(store.as(DO)).listMyCollections(kind);
  }

  @Test
  void unchangedCollectionsAreNotDownloadedAgainAfterARestart() {
    cluster(UnaryOperator.identity());
    c.connect(DS, DO);
    Datasets.of(c.client(DO)).create(dataset("census").shareWith(DS).build());
    long before = dsCalls.snapshot().get(Operation.READ);
    sync(c.client(DS));
    long firstRound = dsCalls.snapshot().get(Operation.READ) - before;
    assertThat(firstRound).as("dataset.yaml, a.csv, b.csv and the manifest").isGreaterThanOrEqualTo(4);
    Path copy = c.replica(DS, DO).resolve("public/syft_datasets/census");
    assertThat(read(copy.resolve("sub/b.csv"))).isEqualTo("mock b");

    c.restart(DS);
    var snap = dsCalls.snapshot();
    sync(c.client(DS));
    var idle = dsCalls.snapshot().minus(snap);
    assertThat(idle.get(Operation.READ)).as("nothing downloaded after a restart: " + idle).isZero();
    assertThat(idle.bytesRead()).isZero();

    // a wiped local copy is fetched again even though the hash is cached
    DatasetFlowTest.deleteTree(copy);
    sync(c.client(DS));
    assertThat(read(copy.resolve("a.csv"))).isEqualTo("mock a");
  }

  /** Fails the dataset-collection query while armed (the core's own queries pass). */
  static final class FailingCollectionQuery extends dev.syft.transport.decorator.ForwardingStorage {
    volatile boolean armed;

    FailingCollectionQuery(Storage delegate) {
      super(delegate);
    }

    @Override
    protected <T> T invoke(Operation op, String subject, Call<T> call) throws IOException {
      if (armed && op == Operation.FIND_SHARED_WITH_ME && subject.startsWith("syft_datasetcollection")) {
        throw new dev.syft.transport.StorageException(dev.syft.transport.StorageException.Kind.TRANSIENT,
            "listing timed out");
      }
      return call.run();
    }
  }

  @Test
  void aFailedListingLeavesLocalCopiesAlone() {
    FailingCollectionQuery dsStorage = new FailingCollectionQuery(store.as(DS));
    c = Cluster.over(tmp.resolve("cluster"), email -> email.equals(DS) ? dsStorage : store.as(email));
    c.connect(DS, DO);
    Datasets.of(c.client(DO)).create(dataset("census").shareWith(DS).build());
    sync(c.client(DS));
    Path copy = c.replica(DS, DO).resolve("public/syft_datasets/census");
    assertThat(copy.resolve("a.csv")).exists();
    dsStorage.armed = true;
    var report = c.client(DS).sync();
    // an extension's failure is a part error, not a peer's
    assertThat(report.peerErrors()).isEmpty();
    assertThat(report.extensionError("datasets")).hasValueSatisfying(m -> assertThat(m).contains("listing timed out"));
    assertThat(report.clean()).isFalse();
    assertThat(copy.resolve("a.csv")).as("an incomplete listing deletes nothing").exists();
    dsStorage.armed = false;
    Datasets.of(c.client(DO)).delete("census");
    sync(c.client(DS));
    assertThat(copy).doesNotExist();
  }

  @Test
  void aFailedMockUploadRemovesTheLocalDatasetAndTheFolder() throws IOException {
    cluster(s -> FaultyStorage.builder(s).script(Operation.WRITE, 2, Fault.BEFORE).build());
    SyftClient owner = c.client(DO);
    assertThatThrownBy(() -> Datasets.of(owner).create(dataset("census").shareWith(DS).build()))
        .isInstanceOf(SyftException.class)
        .hasMessageContaining("could not create dataset 'census'")
        .hasMessageContaining("injected fault")
        .hasMessageContaining("everything it created was removed");
    assertNothingLeft(owner, "census");
  }

  @Test
  void aFailedShareRemovesEverything() throws IOException {
    cluster(s -> FaultyStorage.builder(s).script(Operation.SHARE, 1, Fault.BEFORE).build());
    SyftClient owner = c.client(DO);
    assertThatThrownBy(() -> Datasets.of(owner).create(dataset("census").shareWith(DS).build()))
        .hasMessageContaining("injected fault");
    assertNothingLeft(owner, "census");
  }

  @Test
  void aFailedPrivateUploadRemovesBothFoldersAndTheLocalDataset() throws IOException {
    // mock collection: a.csv, b.csv, dataset.yaml, manifest = 4 writes; the 5th is the first private file
    cluster(s -> FaultyStorage.builder(s).script(Operation.WRITE, 5, Fault.AFTER).build());
    SyftClient owner = c.client(DO);
    assertThatThrownBy(() -> Datasets.of(owner).create(dataset("census").shareWith(DS).uploadPrivate(true).build()))
        .hasMessageContaining("injected fault");
    assertNothingLeft(owner, "census");
  }

  @Test
  void aFolderCreatedButReportedFailedIsRemovedToo() throws IOException {
    cluster(s -> FaultyStorage.builder(s).script(Operation.ENSURE_FOLDER, 1, Fault.AFTER).build());
    SyftClient owner = c.client(DO);
    assertThatThrownBy(() -> Datasets.of(owner).create(dataset("census").build())).hasMessageContaining("injected fault");
    assertNothingLeft(owner, "census");
  }

  @Test
  void aFailingCleanUpDoesNotHideTheOriginalError() throws IOException {
    cluster(s -> FaultyStorage.builder(s).script(Operation.WRITE, 2, Fault.BEFORE).script(Operation.DELETE, 1, Fault.BEFORE)
        .build());
    SyftClient owner = c.client(DO);
    assertThatThrownBy(() -> Datasets.of(owner).create(dataset("census").build()))
        .hasMessageContaining("WRITE #2")
        .hasMessageContaining("clean-up was incomplete")
        .hasMessageContaining("could not remove syft_datasetcollection_census_");
    // local folders are still removed; the folder that could not be deleted is the only leftover
    assertThat(c.datasite(DO).resolve("public/syft_datasets/census")).doesNotExist();
    assertThat(c.datasite(DO).resolve("private/syft_datasets/census")).doesNotExist();
    assertThat(rawCollections(CollectionKind.DATASET)).hasSize(1);
  }

  @Test
  void theSuccessPathCleansNothingUp() {
    FaultyStorage[] faulty = new FaultyStorage[1];
    cluster(s -> faulty[0] = FaultyStorage.builder(s).build());
    Datasets.of(c.client(DO)).create(dataset("census").uploadPrivate(true).build());
    assertThat(faulty[0].calls(Operation.DELETE)).isZero();
    assertThat(collections(c.client(DO), CollectionKind.PRIVATE)).hasSize(1);
  }

  @Test
  void invalidInputTouchesNeitherDiskNorTransport() {
    FaultyStorage[] faulty = new FaultyStorage[1];
    cluster(s -> faulty[0] = FaultyStorage.builder(s).build());
    SyftClient owner = c.client(DO);
    assertThatThrownBy(() -> Datasets.of(owner).create(NewDataset.builder("census", tmp.resolve("nope"),
        tmp.resolve("nope2")).build())).hasMessageContaining("could not find mock data");
    assertThat(c.datasite(DO).resolve("public/syft_datasets")).doesNotExist();
    for (Operation op : Operation.values()) {
      if (op.mutates()) {
        assertThat(faulty[0].calls(op)).as(op.name()).isZero();
      }
    }
  }

  @Test
  void collectionsThatCouldNotBeDeletedAreRetriedOnTheNextSync() throws IOException {
    FaultyStorage[] once = new FaultyStorage[1]; // one instance across the restart, so the fault fires once
    cluster(s -> once[0] != null ? once[0] : (once[0] = FaultyStorage.builder(s).script(Operation.DELETE, 1, Fault.BEFORE)
        .build()));
    c.connect(DS, DO);
    Datasets d = Datasets.of(c.client(DO));
    d.create(dataset("census").shareWith(DS).build());
    sync(c.client(DS));
    DeleteResult r = d.delete("census");
    assertThat(r.warnings()).hasSize(1).allMatch(w -> w.contains("retried on the next sync"));
    assertThat(rawCollections(CollectionKind.DATASET)).hasSize(1);
    c.restart(DO); // the restarted owner must not resurrect the dataset from the leftover folder
    sync(c.client(DO));
    assertThat(rawCollections(CollectionKind.DATASET)).isEmpty();
    assertThat(c.datasite(DO).resolve("public/syft_datasets/census")).doesNotExist();
    sync(c.client(DS));
    assertThat(c.replica(DS, DO).resolve("public/syft_datasets/census")).doesNotExist();
  }

  private void assertNothingLeft(SyftClient owner, String name) throws IOException {
    assertThat(c.datasite(DO).resolve("public/syft_datasets/" + name)).doesNotExist();
    assertThat(c.datasite(DO).resolve("private/syft_datasets/" + name)).doesNotExist();
    assertThat(c.datasite(DO).resolve("public/syft_datasets")).as("parents created by the create").doesNotExist();
    assertThat(c.datasite(DO).resolve("private")).doesNotExist();
    assertThat(rawCollections(CollectionKind.DATASET)).isEmpty();
    assertThat(rawCollections(CollectionKind.PRIVATE)).isEmpty();
    assertThat(Datasets.of(owner).list()).isEmpty();
    assertThat(Files.exists(c.datasite(DO).resolve("public/syft_datasets/" + name + "/syft.pub.yaml"))).isFalse();
  }
}
