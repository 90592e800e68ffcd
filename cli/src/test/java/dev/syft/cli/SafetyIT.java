package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.syft.cli.CliEndToEndIT.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 items 5 and 6 through the packaged jar: a datasite renamed away fails the sync and
 * empties no replica, a mass deletion waits for {@code sync --allow-mass-delete}, and a missing
 * shared folder is reported as unreachable (by sync and by the daemon) instead of being re-created.
 */
class SafetyIT {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";
  static final int FILES = 25;

  @TempDir Path tmp;

  Run syft(String... args) throws IOException, InterruptedException {
    return CliEndToEndIT.syft(tmp, args);
  }

  Run ok(String... args) throws IOException, InterruptedException {
    Run r = syft(args);
    assertThat(r.exit()).as("syft %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  static long replicaFiles(Path replica) throws IOException {
    Path data = replica.resolve("public/data");
    if (!Files.isDirectory(data)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(data)) {
      return s.count();
    }
  }

  @Test
  void aRenamedDatasiteFailsAndAMassDeletionWaitsForConfirmation() throws Exception {
    String root = "local:" + tmp.resolve("shared");
    String doHome = tmp.resolve("do").toString();
    String dsHome = tmp.resolve("ds").toString();
    assertThat(ok("init", "--email", DO, "--transport", root, "--home", doHome).out())
        .contains("created the shared folder " + tmp.resolve("shared"));
    assertThat(ok("init", "--email", DS, "--transport", root, "--home", dsHome).out()).doesNotContain("created the shared");
    ok("peers", "add", DO, "--home", dsHome);
    ok("sync", "--home", doHome);
    ok("peers", "approve", DS, "--home", doHome);
    ok("sync", "--home", dsHome);
    Path site = tmp.resolve("do").resolve(DO);
    Files.createDirectories(site.resolve("public/data"));
    Files.writeString(site.resolve("public/syft.pub.yaml"), "rules:\n- pattern: '**'\n  access:\n    read:\n    - '" + DS + "'\n");
    for (int i = 0; i < FILES; i++) {
      Files.writeString(site.resolve("public/data/f" + i + ".csv"), "row," + i + "\n");
    }
    ok("sync", "--home", doHome);
    ok("sync", "--home", dsHome);
    Path replica = tmp.resolve("ds").resolve(DO);
    assertThat(replicaFiles(replica)).isEqualTo(FILES);

    // the datasite renamed away: one line, exit 1, nothing published
    Path away = tmp.resolve("do").resolve("renamed-away");
    Files.move(site, away);
    Run missing = syft("sync", "--home", doHome);
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err().strip().lines()).hasSize(1);
    assertThat(missing.err()).contains("your datasite folder " + site).contains("does not exist");
    assertThat(site).doesNotExist();
    ok("sync", "--home", dsHome);
    assertThat(replicaFiles(replica)).isEqualTo(FILES);
    Files.move(away, site);

    // every data file deleted: held back, shown by status, not propagated
    for (int i = 0; i < FILES; i++) {
      Files.delete(site.resolve("public/data/f" + i + ".csv"));
    }
    Run held = syft("sync", "--home", doHome);
    assertThat(held.exit()).isEqualTo(1);
    assertThat(held.out()).contains(FILES + " deletions held back").contains("run syft sync --allow-mass-delete to confirm");
    assertThat(ok("status", "--home", doHome).out()).contains("HELD BACK: " + FILES + " deletions held back");
    ok("sync", "--home", dsHome);
    assertThat(replicaFiles(replica)).isEqualTo(FILES);

    Run both = syft("sync", "--watch", "--allow-mass-delete", "--home", doHome);
    assertThat(both.exit()).as("a standing confirmation is refused").isEqualTo(2);

    assertThat(ok("sync", "--allow-mass-delete", "--home", doHome).out()).contains(FILES + " local change(s) sent");
    assertThat(ok("status", "--home", doHome).out()).doesNotContain("HELD BACK");
    ok("sync", "--home", dsHome);
    assertThat(replicaFiles(replica)).isZero();
  }

  @Test
  void aMissingSharedFolderIsUnreachableForSyncAndTheDaemonAndIsNotRecreated() throws Exception {
    Path shared = tmp.resolve("shared");
    String doHome = tmp.resolve("do").toString();
    ok("init", "--email", DO, "--transport", "local:" + shared, "--home", doHome);
    ok("sync", "--home", doHome);
    Files.move(shared, tmp.resolve("unmounted"));

    Run r = syft("sync", "--home", doHome);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("transport unreachable: shared folder " + shared + " does not exist");
    assertThat(shared).doesNotExist();
    assertThat(syft("peers", "add", DS, "--home", doHome).err()).contains("transport unreachable");
    assertThat(shared).doesNotExist();

    Path out = tmp.resolve("daemon-out.txt");
    Process daemon = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-jar", CliEndToEndIT.jar.toAbsolutePath().toString(),
        "daemon", "--home", doHome, "--interval", "1"))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    Path events = tmp.resolve("do").resolve(".syft/logs/daemon.jsonl");
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(events)
          && Files.readString(events).contains("transport unreachable: shared folder"));
      assertThat(shared).as("the daemon does not re-create it either").doesNotExist();
    } finally {
      daemon.destroy();
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(shared).doesNotExist();

    // back: syncing resumes
    Files.move(tmp.resolve("unmounted"), shared);
    ok("sync", "--home", doHome);
  }
}
