package dev.syft.core;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A client's home folder: {@code config.yaml}, the own datasite {@code <email>/}, replicas of peers'
 * datasites {@code <peer>/}, and {@code .syft/} (state database, lock, logs).
 */
public final class Home {
  /** Loose e-mail shape check: enough to refuse typos and path tricks, not an RFC 5322 parser. */

  private final Path dir;
  private final Config config;

  private Home(Path dir, Config config) {
    this.dir = dir;
    this.config = config;
  }

  /** Validates and lower-cases an e-mail address; refuses anything that could not be a datasite name. */
  public static String normalizeEmail(String email) {
    return dev.syft.protocol.names.EmailAddress.normalize(email);
  }

  /** The home used when none is given: {@code $SYFT_HOME}, else {@code ~/SyftBox_<email>} like the reference. */
  public static Path defaultDir(String email) {
    String env = System.getenv("SYFT_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), "SyftBox_" + email);
  }

  /**
   * Creates a new home. Refuses a folder that already holds a config, so an existing client is never
   * overwritten.
   */
  public static Home init(Path dir, String email, String transportUri) {
    String e = normalizeEmail(email);
    Path abs = dir.toAbsolutePath().normalize();
    Path cfg = abs.resolve(Config.FILE_NAME);
    refuseExisting(abs);
    Config config = Config.create(e, transportUri);
    try {
      Files.createDirectories(abs.resolve(e));
      Files.createDirectories(abs.resolve(".syft"));
      config.write(cfg);
    } catch (IOException ex) {
      throw new SyftException(ErrorCode.HOME_IO, "cannot create the client home " + abs + ": " + ex.getMessage(), ex);
    }
    Home home = new Home(abs, config);
    // a new home has no replicas to adopt: files a user puts there before the first sync are edits
    // (a database created later, in an existing home, means it was lost; see StateDb)
    try (var db = dev.syft.core.internal.StateDb.open(home.stateDbFile())) {
      db.removeMeta(dev.syft.core.internal.StateDb.ADOPT_REPLICAS);
    }
    return home;
  }

  /** Refuses a folder that already holds a client. */
  static void refuseExisting(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    Path cfg = abs.resolve(Config.FILE_NAME);
    if (Files.exists(cfg)) {
      throw new SyftException(ErrorCode.HOME_EXISTS, "a syft client already lives in " + abs + " (" + cfg.getFileName()
          + " exists); use another --home or remove it");
    }
  }

  /** Opens an existing home. */
  public static Home open(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    Path cfg = abs.resolve(Config.FILE_NAME);
    if (!Files.isRegularFile(cfg)) {
      throw new SyftException(ErrorCode.NO_HOME, "no syft client in " + abs + " (no " + Config.FILE_NAME
          + "); create one with 'syft init --email E --transport URI --home " + abs + "'");
    }
    return new Home(abs, Config.read(cfg));
  }

  public Path dir() {
    return dir;
  }

  public Config config() {
    return config;
  }

  public String email() {
    return config.email();
  }

  /** The own datasite {@code <home>/<email>}. */
  public Path datasite() {
    return dir.resolve(config.email());
  }

  /** The local replica of a peer's datasite {@code <home>/<peer>}. */
  public Path replica(String peerEmail) {
    return dir.resolve(normalizeEmail(peerEmail));
  }

  public Path stateDir() {
    return dir.resolve(".syft");
  }

  public Path stateDbFile() {
    return stateDir().resolve("state.db");
  }

  /**
   * Takes the exclusive lock that serialises processes on this home (a sync, a daemon). Fails at once,
   * with a message naming the holder, when another process has it.
   */
  public HomeLock lock() {
    Path lockFile = stateDir().resolve("lock");
    try {
      Files.createDirectories(stateDir());
      FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = readHolder(lockFile);
        ch.close();
        throw new SyftException(ErrorCode.HOME_BUSY, "another syft process" + holder + " is using " + dir
            + "; wait for it to finish (or stop the daemon) and try again");
      }
      ch.truncate(0);
      ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      return new HomeLock(ch, lock);
    } catch (IOException e) {
      throw new SyftException(ErrorCode.HOME_IO, "cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private static String readHolder(Path lockFile) {
    try {
      String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
      return pid.isEmpty() ? "" : " (pid " + pid + ")";
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  /** The held home lock; close to release. */
  public static final class HomeLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    HomeLock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public void close() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        // the OS releases the lock with the process anyway
      }
    }
  }
}
