package dev.syft.datasets;

import static dev.syft.datasets.Support.DO;
import static dev.syft.datasets.Support.DS;
import static dev.syft.datasets.Support.DS2;
import static dev.syft.datasets.Support.SECRET;
import static dev.syft.datasets.Support.read;
import static dev.syft.datasets.Support.sync;
import static dev.syft.datasets.Support.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.core.Cluster;
import dev.syft.core.SyftClient;
import dev.syft.core.SyncReport;
import dev.syft.protocol.SyftException;
import dev.syft.transport.Entry;
import dev.syft.transport.layout.CollectionKind;
import dev.syft.transport.layout.SharedCollection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's dataset scenarios (TESTING-PATTERNS.md 10.1, 10.15) over the in-memory store. */
class DatasetFlowTest {
  @TempDir Path tmp;
  Cluster c;
  Path src;

  @BeforeEach
  void setUp() {
    c = Cluster.memory(tmp.resolve("cluster"));
    src = tmp.resolve("src");
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  SyftClient owner() {
    return c.client(DO);
  }

  SyftClient ds() {
    return c.client(DS);
  }

  /** mock.txt + private.txt, the reference test's shape. */
  NewDataset.Builder simple(String name) {
    Path mock = write(src, name + "/mock/mock.txt", "mock content of " + name);
    write(src, name + "/private/private.txt", SECRET + " of " + name);
    return NewDataset.builder(name, mock.getParent(), src.resolve(name + "/private"));
  }

  List<SharedCollection> collections(SyftClient client, CollectionKind kind) {
    return client.withContext(ctx -> {
      try {
        return ctx.layout().listMyCollections(kind);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  List<SharedCollection> sharedWith(SyftClient client) {
    return client.withContext(ctx -> {
      try {
        return ctx.layout().listCollectionsSharedWithMe();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  Path dsCopy(String name) {
    return c.replica(DS, DO).resolve("public/syft_datasets/" + name);
  }

  @Test
  void aSharedDatasetReachesTheDsAndResolvesToItsMockFile() throws Exception {
    c.connect(DS, DO);
    Dataset created = Datasets.of(owner()).create(simple("census").summary("Census sample").tags(List.of("demo"))
        .shareWith(DS).build());
    assertThat(created.own()).isTrue();
    assertThat(created.privateFiles()).extracting(p -> p.getFileName().toString()).containsExactly("private.txt");
    assertThat(collections(owner(), CollectionKind.DATASET)).extracting(col -> col.name().tag()).containsExactly("census");

    sync(ds());
    assertThat(sync(ds()).proposed()).as("received dataset files are never proposed back").isZero();
    Dataset seen = Datasets.of(ds()).get("census", DO);
    assertThat(seen.own()).isFalse();
    assertThat(seen.summary()).isEqualTo("Census sample");
    assertThat(seen.tags()).containsExactly("demo");
    assertThat(seen.privateFiles()).isEmpty();
    assertThat(seen.mockFiles()).hasSize(1);
    assertThat(read(seen.mockFiles().get(0))).isEqualTo("mock content of census");
    Path resolved = Datasets.of(ds()).resolver().file("census");
    assertThat(resolved).isEqualTo(dsCopy("census").resolve("mock.txt"));
    assertThat(Support.filesUnder(ds().home().dir())).noneMatch(p -> p.getFileName().toString().equals("private.txt"));
    Support.assertNeverOnDs(ds(), SECRET.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void binaryMockAndPrivateFilesTravelByteExactAndOnlyTheMockSide() throws Exception {
    long seed = 20260101L;
    System.out.println("seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    byte[] mock = new byte[300_000];
    byte[] secret = new byte[200_000];
    r.nextBytes(mock);
    r.nextBytes(secret);
    mock[0] = 'P'; mock[1] = 'A'; mock[2] = 'R'; mock[3] = '1';
    c.connect(DS, DO);
    Path m = write(src, "pq/mock/data.parquet", mock);
    write(src, "pq/private/data.parquet", secret);
    Datasets.of(owner()).create(NewDataset.builder("pq", m.getParent(), src.resolve("pq/private")).shareWith(DS).build());
    SyncReport doRound = sync(owner());
    assertThat(doRound.localChanges()).as("dataset files are not routed as events").isZero();
    sync(ds());
    assertThat(Files.readAllBytes(dsCopy("pq").resolve("data.parquet"))).isEqualTo(mock);
    byte[] window = java.util.Arrays.copyOfRange(secret, 1000, 1064);
    Support.assertNeverOnDs(ds(), window);
  }

  @Test
  void anEmptyShareListKeepsTheDatasetInvisible() {
    c.connect(DS, DO);
    Datasets.of(owner()).create(simple("hidden").build());
    assertThat(Datasets.of(owner()).list(DO)).extracting(Dataset::name).containsExactly("hidden");
    assertThat(Files.exists(c.datasite(DO).resolve("public/syft_datasets/hidden/syft.pub.yaml")))
        .as("no mock permission file, as the reference").isFalse();
    sync(ds());
    assertThat(sharedWith(ds())).isEmpty();
    assertThat(Datasets.of(ds()).list(DO)).isEmpty();
    assertThat(Datasets.of(ds()).list()).isEmpty();
  }

  @Test
  void onlyMockDataIsUploaded() throws Exception {
    c.connect(DS, DO);
    Datasets.of(owner()).create(simple("census").shareWith(DS).build());
    List<String> names = new ArrayList<>();
    Entry folder = collections(owner(), CollectionKind.DATASET).get(0).folder();
    dev.syft.transport.Storage st = owner().withContext(ctx -> ctx.storage());
    for (Entry e : st.listAll(folder)) {
      names.add(e.name());
      String text = new String(st.readAll(e, 1 << 20), StandardCharsets.UTF_8);
      assertThat(text).doesNotContain(SECRET);
      if (!e.name().equals("dataset.yaml")) {
        assertThat(text).doesNotContain("private");
      }
      if (e.name().equals("mock.txt")) {
        assertThat(text).isEqualTo("mock content of census");
      }
    }
    assertThat(names).containsExactly("dataset.yaml", "mock.txt");
    assertThat(names).noneMatch(n -> n.contains("private"));
  }

  @Test
  void anyCreatedBeforePairingIsInvisibleUntilApproval() {
    Datasets.of(owner()).create(simple("open").shareWithAnyPeer().build());
    ds().peers().add(DO);
    sync(ds());
    assertThat(Datasets.of(ds()).list()).isEmpty();
    sync(owner());
    owner().peers().approve(DS);
    sync(ds());
    assertThat(Datasets.of(ds()).get("open", DO).mockFiles()).hasSize(1);
    assertThat(collections(owner(), CollectionKind.DATASET).get(0).sharedWithAny()).isTrue();
  }

  @Test
  void anyCreatedAfterApprovalIsVisibleAtOnceAndReachesLaterPeers() {
    c.connect(DS, DO);
    Datasets.of(owner()).create(simple("open").shareWithAnyPeer().build());
    assertThat(read(c.datasite(DO).resolve("public/syft_datasets/open/syft.pub.yaml"))).contains("- '*'");
    sync(ds());
    assertThat(Datasets.of(ds()).find("open", DO)).isPresent();
    c.connect(DS2, DO);
    assertThat(Datasets.of(c.client(DS2)).find("open", DO)).isPresent();
  }

  @Test
  void anyReachesAPeerWhoseAcceptanceArrivedBySync() {
    Datasets.of(owner()).create(simple("open").shareWithAnyPeer().build());
    // the owner asks, the DS approves: the owner learns of the acceptance in a sync round, not by approving
    owner().peers().add(DS);
    sync(ds());
    ds().peers().approve(DO);
    sync(owner());
    sync(ds());
    assertThat(Datasets.of(ds()).find("open", DO)).isPresent();
  }

  @Test
  void sharingLaterAndUnsharingPropagate() {
    c.connect(DS, DO);
    c.connect(DS2, DO);
    Datasets d = Datasets.of(owner());
    d.create(simple("census").build());
    sync(ds());
    assertThat(Datasets.of(ds()).list()).isEmpty();
    Dataset shared = d.share("census", List.of(DS, DS2));
    assertThat(shared.sharedWith()).containsExactly(DS, DS2);
    assertThat(read(c.datasite(DO).resolve("public/syft_datasets/census/syft.pub.yaml"))).contains(DS).contains(DS2);
    sync(ds());
    sync(c.client(DS2));
    assertThat(dsCopy("census").resolve("mock.txt")).exists();
    assertThat(d.unshare("census", Audience.users(DS)).sharedWith()).containsExactly(DS2);
    sync(ds());
    sync(c.client(DS2));
    assertThat(dsCopy("census")).doesNotExist();
    assertThat(Datasets.of(ds()).list()).isEmpty();
    assertThat(Datasets.of(c.client(DS2)).find("census", DO)).isPresent();
  }

  @Test
  void unsharingAnyRemovesPeersThatHadItOnlyThroughAny() {
    c.connect(DS, DO);
    c.connect(DS2, DO);
    Datasets d = Datasets.of(owner());
    d.create(simple("open").shareWithAnyPeer().build());
    d.share("open", List.of(DS2));
    assertThatThrownBy(() -> d.unshare("open", Audience.users(DS))).isInstanceOf(SyftException.class)
        .hasMessageContaining("every approved peer");
    sync(ds());
    assertThat(dsCopy("open")).exists();
    assertThat(d.unshare("open", Audience.anyPeer()).sharedWith()).containsExactly(DS2);
    assertThat(collections(owner(), CollectionKind.DATASET).get(0).sharedWithAny()).isFalse();
    sync(ds());
    sync(c.client(DS2));
    assertThat(dsCopy("open")).doesNotExist();
    assertThat(Datasets.of(c.client(DS2)).find("open", DO)).isPresent();
  }

  @Test
  void deletionRemovesEverythingAndPropagates() {
    c.connect(DS, DO);
    Datasets d = Datasets.of(owner());
    d.create(simple("census").shareWith(DS).uploadPrivate(true).build());
    sync(ds());
    assertThat(dsCopy("census")).exists();
    DeleteResult r = d.delete("census");
    assertThat(r.warnings()).isEmpty();
    assertThat(r.remoteFolders()).hasSize(2).allMatch(n -> n.contains("_census_"));
    assertThat(r.localFolders()).hasSize(2).noneMatch(Files::exists);
    assertThat(collections(owner(), CollectionKind.DATASET)).isEmpty();
    assertThat(collections(owner(), CollectionKind.PRIVATE)).isEmpty();
    assertThat(d.list(DO)).isEmpty();
    sync(ds());
    assertThat(dsCopy("census")).doesNotExist();
    assertThat(Datasets.of(ds()).list()).isEmpty();
    assertThatThrownBy(() -> d.delete("census")).isInstanceOf(SyftException.class).hasMessageContaining("no dataset");
  }

  @Test
  void nestedFoldersKeepTheirPathsAndTheFlatCollectionStaysReadable() throws Exception {
    c.connect(DS, DO);
    Path mock = src.resolve("nested/mock");
    write(mock, "a/data.csv", "a-side");
    write(mock, "b/data.csv", "b-side");
    write(mock, "top.csv", "top");
    write(src, "nested/private/p.csv", SECRET);
    Path readme = write(src, "nested/README.md", "# Nested\n");
    Dataset created = Datasets.of(owner()).create(NewDataset.builder("nested", mock, src.resolve("nested/private"))
        .readme(readme).shareWith(DS).build());
    assertThat(created.mockFiles()).extracting(p -> created.mockDir().relativize(p).toString().replace('\\', '/'))
        .containsExactly("a/data.csv", "b/data.csv", "top.csv");
    // what a Python peer sees: flat base names, one file per name, plus metadata
    Entry folder = collections(owner(), CollectionKind.DATASET).get(0).folder();
    dev.syft.transport.Storage st = owner().withContext(ctx -> ctx.storage());
    assertThat(st.listAll(folder)).extracting(Entry::name)
        .containsExactly("README.md", "data.csv", "data_2.csv", "dataset.yaml", "syft_manifest.json", "top.csv");
    sync(ds());
    Path copy = dsCopy("nested");
    assertThat(read(copy.resolve("a/data.csv"))).isEqualTo("a-side");
    assertThat(read(copy.resolve("b/data.csv"))).isEqualTo("b-side");
    assertThat(read(copy.resolve("top.csv"))).isEqualTo("top");
    assertThat(read(copy.resolve("README.md"))).isEqualTo("# Nested\n");
    assertThat(copy.resolve("syft_manifest.json")).doesNotExist();
    Dataset seen = Datasets.of(ds()).get("nested", DO);
    assertThat(seen.readme()).isEqualTo(copy.resolve("README.md"));
    assertThat(seen.mockFiles()).containsExactly(copy.resolve("a/data.csv"), copy.resolve("b/data.csv"),
        copy.resolve("top.csv"));
  }

  @Test
  void privateUploadIsOwnerOnlyAndRestoresAColdStart() throws Exception {
    c.connect(DS, DO);
    Path mock = write(src, "up/mock/m.csv", "mock");
    write(src, "up/private/p.csv", SECRET);
    write(src, "up/private/deep/q.csv", SECRET + "-q");
    Datasets.of(owner()).create(NewDataset.builder("up", mock.getParent(), src.resolve("up/private")).shareWith(DS)
        .uploadPrivate(true).build());
    assertThat(collections(owner(), CollectionKind.PRIVATE)).hasSize(1);
    sync(ds());
    assertThat(Datasets.of(ds()).find("up", DO)).isPresent();
    List<Entry> privateSeenByDs = ds().withContext(ctx -> {
      try {
        return ctx.storage().findSharedWithMe("syft_privatecollection");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(privateSeenByDs).isEmpty();
    Support.assertNeverOnDs(ds(), SECRET.getBytes(StandardCharsets.UTF_8));

    Path privDir = c.datasite(DO).resolve("private/syft_datasets/up");
    List<String> before = relFiles(privDir);
    String metaBefore = read(privDir.resolve("private_metadata.yaml"));
    deleteTree(privDir);
    c.restart(DO);
    sync(owner());
    assertThat(relFiles(privDir)).isEqualTo(before);
    assertThat(read(privDir.resolve("private_metadata.yaml"))).isEqualTo(metaBefore);
    assertThat(read(privDir.resolve("deep/q.csv"))).isEqualTo(SECRET + "-q");
    assertThat(Datasets.of(owner()).get("up").privateFiles()).hasSize(2);
  }

  @Test
  void withoutUploadPrivateThereIsNoPrivateCollection() {
    Datasets.of(owner()).create(simple("plain").build());
    assertThat(collections(owner(), CollectionKind.PRIVATE)).isEmpty();
    assertThat(collections(owner(), CollectionKind.DATASET)).hasSize(1);
  }

  @Test
  void aRestartedOwnerRestoresAMissingMockFolderWithItsSharing() {
    c.connect(DS, DO);
    Datasets.of(owner()).create(simple("census").shareWith(DS).build());
    Path mockDir = c.datasite(DO).resolve("public/syft_datasets/census");
    String yaml = read(mockDir.resolve("dataset.yaml"));
    deleteTree(mockDir);
    c.restart(DO);
    sync(owner());
    assertThat(read(mockDir.resolve("dataset.yaml"))).isEqualTo(yaml);
    assertThat(Datasets.of(owner()).get("census").sharedWith()).containsExactly(DS);
  }

  @Test
  void changedMockFilesArePublishedAgainOnShare() {
    c.connect(DS, DO);
    c.connect(DS2, DO);
    Datasets d = Datasets.of(owner());
    d.create(simple("census").shareWith(DS).build());
    sync(ds());
    String oldFolder = collections(owner(), CollectionKind.DATASET).get(0).folder().name();
    write(c.datasite(DO), "public/syft_datasets/census/mock.txt", "mock content, second edition");
    write(c.datasite(DO), "public/syft_datasets/census/more/extra.txt", "added later");
    String createdAt = d.get("census").createdAt().toString();
    c.clock.advance(java.time.Duration.ofHours(1));
    d.share("census", List.of(DS2));
    Dataset updated = d.get("census");
    assertThat(updated.createdAt().toString()).isEqualTo(createdAt);
    assertThat(updated.updatedAt()).isAfter(updated.createdAt());
    assertThat(updated.mockFiles()).extracting(p -> p.getFileName().toString()).containsExactly("mock.txt", "extra.txt");
    List<SharedCollection> now = collections(owner(), CollectionKind.DATASET);
    assertThat(now).hasSize(1);
    assertThat(now.get(0).folder().name()).isNotEqualTo(oldFolder);
    sync(ds());
    sync(c.client(DS2));
    assertThat(read(dsCopy("census").resolve("mock.txt"))).isEqualTo("mock content, second edition");
    assertThat(read(c.replica(DS2, DO).resolve("public/syft_datasets/census/mock.txt")))
        .isEqualTo("mock content, second edition");
    assertThat(read(dsCopy("census").resolve("more/extra.txt"))).isEqualTo("added later");
    assertThat(Datasets.of(ds()).get("census", DO).sharedWith()).isEmpty();
  }

  @Test
  void collectionsOfStrangersAreIgnored() throws Exception {
    c.connect(DS, DO);
    SyftClient stranger = c.client("stranger@elsewhere.example");
    Path mock = write(src, "s/mock/m.txt", "spam");
    write(src, "s/private/p.txt", "x");
    Datasets.of(stranger).create(NewDataset.builder("spam", mock.getParent(), src.resolve("s/private")).shareWith(DS)
        .build());
    sync(ds());
    assertThat(sharedWith(ds())).extracting(SharedCollection::owner).contains("stranger@elsewhere.example");
    assertThat(ds().home().replica("stranger@elsewhere.example")).doesNotExist();
    assertThat(Datasets.of(ds()).list()).isEmpty();
  }

  @Test
  void aCollectionThatDoesNotMatchItsHashIsRetriedThenInstalledWithAWarning() throws Exception {
    c.connect(DS, DO);
    Datasets.of(owner()).create(simple("census").shareWith(DS).build());
    Entry folder = collections(owner(), CollectionKind.DATASET).get(0).folder();
    owner().withContext(ctx -> {
      try {
        return ctx.storage().write(folder, "extra.txt", "late".getBytes(StandardCharsets.UTF_8),
            dev.syft.transport.WriteMode.REPLACE);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    sync(ds());
    sync(ds());
    assertThat(dsCopy("census")).as("not installed while it does not match").doesNotExist();
    sync(ds());
    assertThat(read(dsCopy("census").resolve("mock.txt"))).isEqualTo("mock content of census");
  }

  @Test
  void createRefusesBadInputAndCreatesNothing() {
    Datasets d = Datasets.of(owner());
    NewDataset ok = simple("ok").build();
    for (String bad : List.of("has space", "dot.name", "x/y", "../up", "a\n", "")) {
      assertThatThrownBy(() -> d.create(NewDataset.builder(bad, ok.mock(), ok.privateData()).build())).as(bad)
          .isInstanceOf(SyftException.class).hasMessageContaining("dataset name");
    }
    Path mock = write(src, "r/mock/dataset.yaml", "x: 1\n");
    write(src, "r/private/p.txt", "p");
    assertThatThrownBy(() -> d.create(NewDataset.builder("r", mock.getParent(), src.resolve("r/private")).build()))
        .hasMessageContaining("reserved file dataset.yaml");
    Path mock2 = write(src, "r2/mock/m.txt", "m");
    write(src, "r2/mock/sub/syft.pub.yaml", "rules: []\n");
    assertThatThrownBy(() -> d.create(NewDataset.builder("r2", mock2.getParent(), src.resolve("r/private")).build()))
        .hasMessageContaining("permission file");
    Path notMd = write(src, "readme.txt", "x");
    assertThatThrownBy(() -> d.create(simple("r3").readme(notMd).build())).hasMessageContaining(".md");
    assertThatThrownBy(() -> d.create(NewDataset.builder("r4", src.resolve("missing"), src.resolve("r/private")).build()))
        .hasMessageContaining("could not find mock data");
    assertThat(c.datasite(DO).resolve("public/syft_datasets")).doesNotExist();
    assertThat(c.datasite(DO).resolve("private/syft_datasets")).doesNotExist();
    d.create(simple("twice").build());
    assertThatThrownBy(() -> d.create(simple("twice").build())).hasMessageContaining("already exists");
    assertThat(collections(owner(), CollectionKind.DATASET)).hasSize(1);
  }

  @Test
  void getNamesWhatExistsWhenADatasetIsMissing() {
    c.connect(DS, DO);
    Datasets.of(owner()).create(simple("census").shareWith(DS).build());
    sync(ds());
    assertThatThrownBy(() -> Datasets.of(ds()).get("census")).hasMessageContaining("census (from " + DO + ")");
    assertThatThrownBy(() -> Datasets.of(ds()).get("nope", DO)).hasMessageContaining("not a peer yet");
  }

  static List<String> relFiles(Path dir) {
    return Support.filesUnder(dir).stream().map(p -> dir.relativize(p).toString().replace('\\', '/')).sorted().toList();
  }

  static void deleteTree(Path dir) {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
