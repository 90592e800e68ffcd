package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes a start fast: the cached JDK lookup, the AOT cache, the once-extracted SQLite library. */
class StartupIT {
  static final Path repo = Path.of(System.getProperty("syft.repo", "..")).toAbsolutePath().normalize();

  @TempDir Path tmp;

  record Result(int exit, String out, String err) {}

  static Result run(Path cwd, Map<String, String> env, List<String> cmd) throws Exception {
    Path out = Files.createTempFile(cwd, "out", ".txt");
    Path err = Files.createTempFile(cwd, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().remove("SYFT_HOME");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(cmd + " did not finish");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** A fake JDK: its java and javac only leave a mark that they ran. */
  private Path fakeJdk(String name, String version) throws Exception {
    Path jdk = tmp.resolve(name);
    Files.createDirectories(jdk.resolve("bin"));
    for (String tool : List.of("java", "javac")) {
      Path t = jdk.resolve("bin").resolve(tool);
      Files.writeString(t, "#!/bin/sh\ntouch \"" + tmp.resolve("started-" + name) + "\"\n");
      Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return jdk;
  }

  private Result findJdk(Path cache) throws Exception {
    String script = ". '" + repo.resolve(".mvn/find-jdk.sh") + "' && syft_find_jdk && echo \"$JAVA_HOME\"";
    return run(tmp, Map.of("XDG_CACHE_HOME", cache.toString()), List.of("env", "-u", "JAVA_HOME", "bash", "-c", script));
  }

  @Test
  void theJdkLookupIsCachedStartsNoJvmAndIsRedoneWhenTheCachedJavaDisappears() throws Exception {
    Path cache = tmp.resolve("cache");
    Path fake = fakeJdk("fake-jdk", "25.0.1");
    Files.createDirectories(cache.resolve("syft"));
    Files.writeString(cache.resolve("syft/jdk"), fake + "\n");

    Result cached = findJdk(cache);
    assertThat(cached.exit()).as(cached.err()).isZero();
    assertThat(cached.out().strip()).isEqualTo(fake.toString());
    assertThat(tmp.resolve("started-fake-jdk")).as("no JVM started to read a version").doesNotExist();

    Files.delete(fake.resolve("bin/java"));
    Result again = findJdk(cache);
    assertThat(again.exit()).as(again.err()).isZero();
    Path found = Path.of(again.out().strip());
    assertThat(found).isNotEqualTo(fake);
    assertThat(found.resolve("bin/java")).isExecutable();
    assertThat(Files.readString(cache.resolve("syft/jdk")).strip()).isEqualTo(found.toString());
  }

  @Test
  void twoJvmsStartingTogetherShareOneExtractedSqliteLibraryQuietly() throws Exception {
    Path cache = tmp.resolve("cache");
    String home = tmp.resolve("home").toString();
    CliEndToEndIT.Run init = CliEndToEndIT.syft(tmp, List.of("-Dsyft.cache=" + cache), 120, "init", "--offline",
        "--email", "a@example.com", "--transport", "local:" + tmp.resolve("shared"), "--home", home);
    assertThat(init.exit()).as(init.err()).isZero();
    List<CompletableFuture<CliEndToEndIT.Run>> runs = Stream.of(1, 2).map(i -> CompletableFuture.supplyAsync(() -> {
      try {
        return CliEndToEndIT.syft(tmp, List.of("-Dsyft.cache=" + cache), 120, "status", "--home", home);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })).toList();
    for (var f : runs) {
      CliEndToEndIT.Run r = f.get(150, TimeUnit.SECONDS);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).isEmpty();
    }
    try (Stream<Path> files = Files.walk(cache)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith("libsqlitejdbc")).toList()).hasSize(1);
    }
  }

  @Test
  void theLauncherBuildsAnAotCacheAndABrokenOneNeverStopsIt() throws Exception {
    String spec = System.getProperty("java.specification.version");
    assumeThat(Integer.parseInt(spec)).as("AOT caches need JDK 25+").isGreaterThanOrEqualTo(25);
    Path aotDir = Files.createDirectories(tmp.resolve("aot"));
    Map<String, String> env = Map.of("SYFT_AOT_DIR", aotDir.toString(), "SYFT_SKIP_BUILD", "1",
        "JAVA_HOME", System.getProperty("java.home"));
    Result first = run(tmp, env, List.of(repo.resolve("syft").toString(), "--version"));
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("syft-java");
    // the cache is trained in the background after the first call
    Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
      try (Stream<Path> s = Files.list(aotDir)) {
        return s.anyMatch(p -> p.getFileName().toString().endsWith(".aot"));
      }
    });
    Path aot;
    try (Stream<Path> s = Files.list(aotDir)) {
      aot = s.filter(p -> p.getFileName().toString().endsWith(".aot")).findFirst().orElseThrow();
    }
    assertThat(Files.size(aot)).isPositive();
    Result warm = run(tmp, env, List.of(repo.resolve("syft").toString(), "--version"));
    assertThat(warm.exit()).as(warm.err()).isZero();
    assertThat(warm.err()).isEmpty();

    Files.writeString(aot, "not an AOT cache");
    Result broken = run(tmp, env, List.of(repo.resolve("syft").toString(), "--version"));
    assertThat(broken.exit()).as(broken.err()).isZero();
    assertThat(broken.out()).contains("syft-java");
    assertThat(broken.err()).isEmpty();
  }
}
