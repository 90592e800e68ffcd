package dev.syft.core;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The background sync loop of one home: {@link SyncLoop} (change notifications plus polling with
 * backoff), one instance per home (a second start is refused, naming the running one), a structured
 * log ({@code .syft/logs/daemon.jsonl}, one JSON object per round or event) and a status file
 * ({@code .syft/daemon.json}) that {@link #status(Path)} reads.
 */
public final class Daemon implements AutoCloseable {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** The log is rotated (one previous file kept) beyond this size. */
  static final long MAX_LOG_BYTES = 10L << 20;

  private final SyftClient client;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Path logFile;
  private final Path statusFile;
  private final Instant started;
  private volatile SyncLoop loop;
  private int rounds;
  private int failures;

  private Daemon(SyftClient client, Clock clock, FileChannel ch, FileLock lock) {
    this.client = client;
    this.clock = clock;
    this.lockChannel = ch;
    this.lock = lock;
    Path state = client.home().stateDir();
    this.logFile = state.resolve("logs").resolve("daemon.jsonl");
    this.statusFile = state.resolve("daemon.json");
    this.started = clock.instant();
  }

  /**
   * Claims the home for a daemon.
   *
   * @throws SyftException when a daemon already runs on this home
   */
  public static Daemon start(SyftClient client, Clock clock) {
    Path lockFile = client.home().stateDir().resolve("daemon.lock");
    try {
      Files.createDirectories(lockFile.getParent());
      FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        String pid = status(client.home().dir()).map(s -> " (pid " + s.get("pid").asLong() + ")").orElse("");
        throw new SyftException(ErrorCode.DAEMON_RUNNING, "a syft daemon is already running for " + client.home().dir() + pid
            + "; stop it first ('syft daemon status' shows it)");
      }
      Daemon d = new Daemon(client, clock, ch, l);
      d.writeStatus("running", null);
      d.log("started", Map.of("pid", ProcessHandle.current().pid()));
      return d;
    } catch (IOException e) {
      throw new SyftException(ErrorCode.HOME_IO, "cannot start the daemon: " + e.getMessage(), e);
    }
  }

  /** Runs rounds until {@link #stop()}; every round is logged. */
  public void run(Duration interval) {
    loop = new SyncLoop(client, interval, r -> {
      rounds++;
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("local_changes", r.localChanges());
      f.put("accepted", r.accepted());
      f.put("rejected", r.rejected());
      f.put("proposed", r.proposed());
      f.put("pulled", r.pulled());
      f.put("uploaded", r.uploaded());
      f.put("pending_uploads", r.pendingUploads());
      f.put("problems", r.allErrors());
      f.put("skipped_peers", r.skippedPeers());
      log("round", f);
      writeStatus("running", r.clean() ? null : r.allErrors().toString());
    }, e -> {
      failures++;
      log("round_failed", Map.of("error", String.valueOf(e.getMessage())));
      writeStatus("running", e.getMessage());
    });
    loop.run();
    log("stopped", Map.of("rounds", rounds, "failures", failures));
    writeStatus("stopped", null);
  }

  /** Asks the loop to end after the current round. */
  public void stop() {
    SyncLoop l = loop;
    if (l != null) {
      l.stop();
    }
  }

  /** Asks for a round now. */
  public void poke() {
    SyncLoop l = loop;
    if (l != null) {
      l.poke();
    }
  }

  /** The status file of the daemon of {@code homeDir}, if one ever ran; {@code alive} says whether it still does. */
  public static Optional<JsonNode> status(Path homeDir) {
    Path f = homeDir.resolve(".syft").resolve("daemon.json");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      var node = (tools.jackson.databind.node.ObjectNode) JSON.readTree(Files.readString(f));
      long pid = node.path("pid").asLong(-1);
      boolean alive = "running".equals(node.path("state").asString(""))
          && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      node.put("alive", alive);
      return Optional.of(node);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private synchronized void writeStatus(String state, String lastError) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state);
    m.put("pid", ProcessHandle.current().pid());
    m.put("home", client.home().dir().toString());
    m.put("started_at", started.toString());
    m.put("updated_at", clock.instant().toString());
    m.put("rounds", rounds);
    m.put("failures", failures);
    m.put("last_error", lastError);
    try {
      Path tmp = statusFile.resolveSibling("daemon.json.tmp");
      Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
      Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // the status file is advisory; the log still records the round
    }
  }

  private synchronized void log(String event, Map<String, ?> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ts", clock.instant().toString());
    m.put("event", event);
    m.putAll(fields);
    try {
      Files.createDirectories(logFile.getParent());
      if (Files.exists(logFile) && Files.size(logFile) > MAX_LOG_BYTES) {
        Files.move(logFile, logFile.resolveSibling("daemon.jsonl.1"), StandardCopyOption.REPLACE_EXISTING);
      }
      try (Writer w = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND)) {
        w.write(JSON.writeValueAsString(m));
        w.write('\n');
      }
    } catch (IOException e) {
      // logging must never stop syncing
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // released with the process anyway
    }
  }
}
