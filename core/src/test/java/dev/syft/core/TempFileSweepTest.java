package dev.syft.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.core.internal.LocalTree;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan sweeps a dead writer's temporary files but never a write in progress in this process. */
class TempFileSweepTest {
  @Test
  void aScanKeepsThisProcessesWriteInProgressAndSweepsADeadWritersLeftover(@TempDir Path root) throws Exception {
    Path dir = Files.createDirectories(root.resolve("app_data/jobs"));
    Files.writeString(dir.resolve("state.yaml"), "status: pending\n");
    Path live = DatasiteFiles.tempSibling(dir.resolve("state.yaml"));
    Files.writeString(live, "status: approved\n");
    Path dead = dir.resolve(DatasiteFiles.TEMP_PREFIX + (ProcessHandle.current().pid() + 1) + "-leftover");
    Files.writeString(dead, "half");

    var seen = new LocalTree(root).scan(p -> true);

    assertThat(seen).containsOnlyKeys("app_data/jobs/state.yaml");
    assertThat(live).as("a write in progress in this process (the console beside the daemon's loop)").exists();
    assertThat(dead).as("left by a process that died mid-write").doesNotExist();
  }
}
