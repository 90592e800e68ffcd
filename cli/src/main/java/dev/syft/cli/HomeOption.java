package dev.syft.cli;

import dev.syft.core.Daemon;
import dev.syft.core.Home;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --home} option shared by every command that works on a client home. Commands that may
 * change the home ({@link #resolve()}) first wait for a running daemon's sync round to end, saying so on
 * stderr, instead of failing at once on the busy home; read-only ones use {@link #resolveReadOnly()}.
 */
final class HomeOption {
  /** How long a command waits for the daemon's round before giving up (the lock error then names it). */
  static final Duration DAEMON_WAIT = Duration.ofSeconds(Long.getLong("syft.daemon.wait.seconds", 120));

  @Option(names = "--home", paramLabel = "DIR",
      description = "Client home folder (default: $SYFT_HOME, else the only ~/SyftBox_* folder).")
  Path home;

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  /** The home, after waiting for a daemon round in progress on it to end. */
  Path resolve() {
    Path dir = resolveReadOnly();
    awaitDaemonRound(dir, mixee == null ? null : mixee.commandLine().getErr());
    return dir;
  }

  /** Resolves the home: the option, then {@code $SYFT_HOME}, then a single {@code ~/SyftBox_*} folder. */
  Path resolveReadOnly() {
    if (home != null) {
      return home;
    }
    String env = System.getenv("SYFT_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path userHome = Path.of(System.getProperty("user.home"));
    try (var s = Files.list(userHome)) {
      var candidates = s.filter(p -> p.getFileName().toString().startsWith("SyftBox_")
          && Files.isRegularFile(p.resolve(dev.syft.core.Config.FILE_NAME))).toList();
      if (candidates.size() == 1) {
        return candidates.get(0);
      }
      if (candidates.size() > 1) {
        throw new UsageException("several client homes in " + userHome + "; choose one with --home");
      }
    } catch (java.io.IOException e) {
      // fall through
    }
    throw new UsageException("no client home given: use --home DIR or set SYFT_HOME (create one with 'syft init')");
  }

  Home open() {
    return Home.open(resolve());
  }

  /**
   * When a daemon runs on {@code dir} and holds the home lock (a round in progress), waits until the
   * lock is free, up to {@link #DAEMON_WAIT}, and says so. Without a daemon nothing is waited for.
   */
  static void awaitDaemonRound(Path dir, PrintWriter err) {
    Path lockFile = dir.resolve(".syft").resolve("lock");
    if (!Files.isRegularFile(lockFile)) {
      return;
    }
    var daemon = Daemon.status(dir).filter(n -> n.path("alive").asBoolean());
    if (daemon.isEmpty() || isFree(lockFile)) {
      return;
    }
    long pid = daemon.get().path("pid").asLong();
    if (err != null) {
      err.println("syft: the daemon (pid " + pid + ") is syncing this home; waiting for its round to end");
      err.flush();
    }
    long start = System.nanoTime();
    long deadline = start + DAEMON_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(100); // polling a file lock: there is no notification for its release
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (isFree(lockFile)) {
        if (err != null) {
          err.printf("syft: the daemon's round ended after %.1f s; continuing%n", (System.nanoTime() - start) / 1e9);
          err.flush();
        }
        return;
      }
    }
  }

  /** Whether nobody holds the home lock (taken and released at once when free). */
  private static boolean isFree(Path lockFile) {
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return false;
      }
      l.release();
      return true;
    } catch (OverlappingFileLockException e) {
      return false;
    } catch (IOException e) {
      return true; // cannot tell: let the command try and report
    }
  }
}
