package dev.syft.bench;

import dev.syft.permissions.Datasite;
import dev.syft.permissions.Level;
import dev.syft.permissions.PermissionTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Permission decisions on a datasite with 1,000 permission files and 100,000 distinct paths (target:
 * at least 1,000,000 decisions per second on one thread).
 *
 * <p>Layout: 100 projects x 10 teams, one {@code syft.pub.yaml} per team folder (1,000 files), each
 * with 5 rules (a template rule, a literal folder rule, wildcard rules and a catch-all); paths are
 * spread over the teams, over folders without a permission file of their own, and a few dot files
 * and permission-file paths. Requests cycle through 131,072 pre-built (path, user, level) triples
 * drawn from 50 users, so the JIT cannot specialise on one path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PermissionDecisionBench {
  private static final int PROJECTS = 100;
  private static final int TEAMS = 10;
  private static final int PATHS = 100_000;
  private static final int REQUESTS = 1 << 17;
  private static final int USERS = 50;
  private static final String OWNER = "owner@bench.example";

  private Path tmp;
  private Datasite datasite;
  private PermissionTree tree;
  private String[] paths;
  private String[] users;
  private Level[] levels;
  private List<String> candidates;
  private int next;

  @Setup
  public void setUp() throws IOException {
    tmp = Files.createTempDirectory("syft-perm-bench");
    Path root = Files.createDirectories(tmp.resolve(OWNER));
    String[] userIds = new String[USERS];
    for (int i = 0; i < USERS; i++) {
      userIds[i] = "user" + i + (i % 2 == 0 ? "@example.org" : "@partner.net");
    }
    for (int p = 0; p < PROJECTS; p++) {
      for (int t = 0; t < TEAMS; t++) {
        Path dir = Files.createDirectories(root.resolve("p" + p + "/t" + t));
        String a = userIds[(p * 7 + t) % USERS];
        String b = userIds[(p * 3 + t * 11 + 1) % USERS];
        Files.writeString(dir.resolve("syft.pub.yaml"), "rules:\n"
            + "- {pattern: '{{.UserEmail}}/**', access: {write: [USER]}}\n"
            + "- {pattern: reports/**, access: {read: [" + a + ", " + b + "], write: [" + a + "]}}\n"
            + "- {pattern: '**/*.csv', access: {read: ['*@example.org']}}\n"
            + "- {pattern: 'secret/*', access: {admin: [" + b + "]}}\n"
            + "- {pattern: '**', access: {read: [" + a + "]}}\n"
            + "terminal: " + (t == 9 ? "true" : "false") + "\n");
      }
    }
    datasite = Datasite.open(root);
    tree = datasite.tree();
    if (tree.size() != PROJECTS * TEAMS || !tree.loaded()) {
      throw new IllegalStateException("bench datasite did not load: " + tree.errors());
    }

    SplittableRandom rnd = new SplittableRandom(42);
    String[] distinct = new String[PATHS];
    String[] leaves = {"a.txt", "b.csv", "c.pdf", "notes.md", ".env", "syft.pub.yaml", "data.parquet"};
    for (int i = 0; i < PATHS; i++) {
      int p = rnd.nextInt(PROJECTS);
      int t = rnd.nextInt(TEAMS);
      String base = "p" + p + "/t" + t + "/";
      String mid = switch (rnd.nextInt(6)) {
        case 0 -> "reports/q" + rnd.nextInt(8) + "/";
        case 1 -> "secret/";
        case 2 -> userIds[rnd.nextInt(USERS)] + "/";
        case 3 -> "d" + rnd.nextInt(50) + "/e" + rnd.nextInt(20) + "/";
        case 4 -> "";
        default -> "f" + rnd.nextInt(100) + "/";
      };
      if (rnd.nextInt(20) == 0) {
        base = "p" + p + "/"; // a folder without a permission file of its own
      }
      distinct[i] = base + mid + i + "-" + leaves[rnd.nextInt(leaves.length)];
    }
    paths = new String[REQUESTS];
    users = new String[REQUESTS];
    levels = new Level[REQUESTS];
    Level[] all = Level.values();
    for (int i = 0; i < REQUESTS; i++) {
      paths[i] = distinct[rnd.nextInt(PATHS)];
      users[i] = rnd.nextInt(100) == 0 ? OWNER : userIds[rnd.nextInt(USERS)];
      levels[i] = rnd.nextInt(4) == 0 ? all[1 + rnd.nextInt(2)] : Level.READ;
    }
    candidates = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      candidates.add(userIds[i]);
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    try (Stream<Path> walk = Files.walk(tmp)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The engine hot path: one decision on the compiled tree. */
  @Benchmark
  public boolean treeAllows() {
    int i = next++ & (REQUESTS - 1);
    return tree.allows(paths[i], users[i], levels[i]);
  }

  /** The sync engine's call: {@link Datasite#allows} (includes the freshness check). */
  @Benchmark
  public boolean datasiteAllows() {
    int i = next++ & (REQUESTS - 1);
    return datasite.allows(paths[i], users[i], levels[i]);
  }

  /** The user-facing check: path and e-mail normalisation plus the folder test on disk. */
  @Benchmark
  public boolean datasiteCheck() {
    int i = next++ & (REQUESTS - 1);
    return datasite.check(paths[i], users[i], levels[i]);
  }

  /** Routing: which of 20 peers may read one path (one call per operation). */
  @Benchmark
  public int readersOf20() {
    int i = next++ & (REQUESTS - 1);
    return tree.readers(paths[i], candidates).size();
  }

  /** Full explanation of one decision (allocates). */
  @Benchmark
  public Object decide() {
    int i = next++ & (REQUESTS - 1);
    return tree.decide(paths[i], users[i], levels[i]);
  }
}
