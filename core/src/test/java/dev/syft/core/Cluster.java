package dev.syft.core;

import dev.syft.transport.Storage;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Several clients in one JVM, each with its own home and database, over one shared store and one
 * settable clock. Tests drive them step by step: "sync A, then B, assert".
 */
public final class Cluster implements AutoCloseable {
  /** Where every cluster's clock starts. */
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  public final SettableClock clock;
  private final Path base;
  private final Function<String, Storage> storageFor;
  private final Map<String, SyftClient> clients = new LinkedHashMap<>();
  private final Object backing;

  private Cluster(Path base, Function<String, Storage> storageFor, Object backing) {
    this(base, new SettableClock(EPOCH), storageFor, backing);
  }

  private Cluster(Path base, SettableClock clock, Function<String, Storage> storageFor, Object backing) {
    this.clock = clock;
    this.base = base;
    this.storageFor = storageFor;
    this.backing = backing;
  }

  /** A cluster over an in-memory store. */
  public static Cluster memory(Path base) {
    MemoryStore store = MemoryStore.builder().build();
    return new Cluster(base, store::as, store);
  }

  /** A cluster over any per-user store factory (the local transport, a faulty wrapper...). */
  public static Cluster over(Path base, Function<String, Storage> storageFor) {
    return new Cluster(base, storageFor, null);
  }

  /**
   * A cluster on a clock the caller made (so stores and fault injectors can share it) over any
   * per-user store factory.
   */
  public static Cluster over(Path base, SettableClock clock, Function<String, Storage> storageFor) {
    return new Cluster(base, clock, storageFor, null);
  }

  /** The home folder of {@code email} (whether or not the client is open). */
  public Path homeDir(String email) {
    return base.resolve("home-" + email);
  }

  /** Closes a client without re-opening it (its home stays). */
  public void close(String email) {
    SyftClient c = clients.remove(email);
    if (c != null) {
      c.close();
    }
  }

  public Object backing() {
    return backing;
  }

  public SyftClient client(String email) {
    return clients.computeIfAbsent(email, e -> {
      Path dir = homeDir(e);
      Home home = Files.exists(dir.resolve(Config.FILE_NAME)) ? Home.open(dir) : Home.init(dir, e, "memory:test");
      return SyftClient.open(home, storageFor.apply(e), clock);
    });
  }

  /** Closes and re-opens a client from its home, as a restart would. */
  public SyftClient restart(String email) {
    SyftClient c = clients.remove(email);
    if (c != null) {
      c.close();
    }
    return client(email);
  }

  /** DS {@code ds} asks {@code owner}; the owner sees and approves; both sync. */
  public void connect(String ds, String owner) {
    client(ds).peers().add(owner);
    client(owner).sync();
    client(owner).peers().approve(ds);
    client(ds).sync();
    client(owner).sync();
  }

  /** Rewrites a client's config (closing it first); the next {@link #client} call opens it again. */
  public void configure(String email, java.util.function.UnaryOperator<Config> change) {
    SyftClient c = client(email);
    Path dir = c.home().dir();
    Config updated = change.apply(c.home().config());
    clients.remove(email).close();
    updated.save(dir);
  }

  /** Deletes a client's whole home, as a lost laptop would; the next {@link #client} call starts afresh. */
  /**
   * Wipes a home but keeps its identity keys, as a user who lost the home and ran 'syft keys restore'
   * with the recovery key: messages sealed to those keys stay readable.
   */
  public void wipeKeepingKeys(String email) {
    Path dir = clients.containsKey(email) ? clients.get(email).home().dir() : base.resolve("home-" + email);
    Path keys = dir.resolve(".syft/crypto_keys.json");
    try {
      byte[] saved = Files.exists(keys) ? Files.readAllBytes(keys) : null;
      wipe(email);
      if (saved != null) {
        Files.createDirectories(keys.getParent());
        Files.write(keys, saved);
        Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void wipe(String email) {
    SyftClient c = clients.remove(email);
    Path dir = c != null ? c.home().dir() : base.resolve("home-" + email);
    if (c != null) {
      c.close();
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path datasite(String email) {
    return client(email).home().datasite();
  }

  public Path replica(String email, String owner) {
    return client(email).home().replica(owner);
  }

  public static void write(Path root, String rel, String text) {
    try {
      Path p = root.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(Path root, String rel) {
    try {
      return Files.readString(root.resolve(rel), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a permission file granting {@code readers} read on {@code pattern} under {@code folder}. */
  public static void grantRead(Path datasite, String folder, String pattern, String... readers) {
    StringBuilder y = new StringBuilder("rules:\n- pattern: '" + pattern + "'\n  access:\n    read:\n");
    for (String r : readers) {
      y.append("    - '").append(r).append("'\n");
    }
    write(datasite, (folder.isEmpty() ? "" : folder + "/") + "syft.pub.yaml", y.toString());
  }

  /** Writes a permission file granting {@code writers} write on {@code pattern} under {@code folder}. */
  public static void grantWrite(Path datasite, String folder, String pattern, String... writers) {
    StringBuilder y = new StringBuilder("rules:\n- pattern: '" + pattern + "'\n  access:\n    write:\n");
    for (String w : writers) {
      y.append("    - '").append(w).append("'\n");
    }
    write(datasite, (folder.isEmpty() ? "" : folder + "/") + "syft.pub.yaml", y.toString());
  }

  @Override
  public void close() {
    clients.values().forEach(SyftClient::close);
    clients.clear();
  }
}
