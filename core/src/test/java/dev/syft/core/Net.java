package dev.syft.core;

import dev.syft.transport.Storage;
import dev.syft.transport.decorator.CountingStorage;
import dev.syft.transport.local.LocalStorage;
import dev.syft.transport.memory.MemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * One shared store of a {@link Transport} plus a {@link Cluster} of clients over it. Every client's
 * store is {@code CountingStorage(wrap(raw))}, so tests can wrap stores (faults, retries, gates) and
 * count the calls of the client that is open now. {@link #raw} gives an undecorated store as any
 * user, e.g. to play a hostile peer.
 */
final class Net implements AutoCloseable {
  final Transport transport;
  final SettableClock clock = new SettableClock(Cluster.EPOCH);
  /** The shared folder of the local transport (null for memory). */
  final Path root;
  final Cluster cluster;
  private final MemoryStore memory;
  private final dev.syft.drivefake.FakeDriveServer drive;
  private final Map<String, CountingStorage> counters = new ConcurrentHashMap<>();

  private Net(Transport transport, Path tmp, BiFunction<String, Storage, Storage> wrap) {
    this.transport = transport;
    this.memory = transport == Transport.MEMORY ? MemoryStore.builder().clock(clock).build() : null;
    this.root = transport == Transport.LOCAL ? tmp.resolve("shared-root") : null;
    try {
      this.drive = transport == Transport.DRIVE ? dev.syft.drivefake.FakeDriveServer.start() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.cluster = Cluster.over(tmp.resolve("homes"), clock, email -> {
      CountingStorage c = new CountingStorage(wrap.apply(email, raw(email)));
      counters.put(email, c);
      return c;
    });
  }

  static Net create(Transport transport, Path tmp) {
    return new Net(transport, tmp, (email, s) -> s);
  }

  /** A net whose client stores are {@code wrap(email, raw store)}. */
  static Net create(Transport transport, Path tmp, BiFunction<String, Storage, Storage> wrap) {
    return new Net(transport, tmp, wrap);
  }

  /** A new undecorated store as {@code email}. */
  Storage raw(String email) {
    if (memory != null) {
      return memory.as(email);
    }
    try {
      if (drive != null) {
        return dev.syft.transport.gdrive.GDriveStorage.open(
            dev.syft.transport.gdrive.GDriveConfig.forFake(drive.rootUrl(), email));
      }
      return LocalStorage.create(root, email);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The call counter of the currently open client of {@code email} (opens it if needed). */
  CountingStorage counting(String email) {
    cluster.client(email);
    return counters.get(email);
  }

  /** The Drive fake (Transport.DRIVE only), for HTTP request counts per user. */
  dev.syft.drivefake.FakeDriveServer drive() {
    return drive;
  }

  SyftClient client(String email) {
    return cluster.client(email);
  }

  @Override
  public void close() {
    cluster.close();
    if (drive != null) {
      drive.close();
    }
  }

  @Override
  public String toString() {
    return transport.name();
  }
}
