package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run through the launcher from another folder, as a newcomer would. */
class DemoIT {
  @TempDir Path tmp;

  record Result(int exit, String out) {}

  static Result launcher(Path cwd, String... args) throws Exception {
    Path repo = Path.of(System.getProperty("syft.repo", "..")).toAbsolutePath().normalize();
    Path out = cwd.resolve("launcher-out.txt");
    List<String> cmd = new java.util.ArrayList<>(List.of(repo.resolve("syft").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("SYFT_NO_AOT", "1"); // no background AOT training competing with the test (StartupIT covers it)
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the launcher did not finish: " + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out));
  }

  @Test
  void theDemoRunsTheWholeFlowAndTheResultDiffersFromTheMock() throws Exception {
    Result r = launcher(tmp, "demo");
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out())
        .contains("The data scientist asks the hospital to connect")
        .contains("private files on the scientist's machine: none")
        .contains("status done, exit code 0")
        .contains("mean age on the private data: 61.49 (mock: 43.85)")
        .contains("demo complete.");
  }

  @Test
  void keepLeavesHomesTheCliCanContinueWith() throws Exception {
    Path dir = tmp.resolve("kept");
    Result r = launcher(tmp, "demo", "--keep", dir.toString());
    assertThat(r.exit()).as(r.out()).isZero();
    assertThat(r.out()).contains("./syft status --home " + dir.resolve("do-home"))
        .contains("./syft console --home " + dir.resolve("do-home"));
    Result status = launcher(tmp, "jobs", "list", "--home", dir.resolve("do-home").toString());
    assertThat(status.exit()).as(status.out()).isZero();
    assertThat(status.out()).contains("mean-age");
    Result again = launcher(tmp, "demo", "--keep", dir.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.out()).contains("is not empty");
  }
}
