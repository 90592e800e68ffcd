package dev.syft.core;

import dev.syft.permissions.Datasite;
import dev.syft.transport.Storage;
import dev.syft.transport.layout.SyftLayout;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * What extensions and modules built on core (datasets, jobs) may use of a client: its home, its store
 * and layout, its permission engine, its peers, a clock, a bounded I/O executor and a small durable
 * key-value state. Obtained through {@link SyftClient#withContext} (which holds the home lock) or
 * inside {@link SyncExtension#onRound}.
 */
public interface ClientContext {
  Home home();

  /** This client's identity. */
  default String email() {
    return home().email();
  }

  /** The store, as this client's user. */
  Storage storage();

  /** The reference folder layout over {@link #storage()}. */
  SyftLayout layout();

  /** The client's one permission engine of the own datasite (the same instance as {@link SyftClient#permissions()}). */
  Datasite permissions();

  /** Accepted peers that are not skipped (e.g. for an incompatible version). */
  List<String> acceptedPeers();

  /**
   * Whether something may have been shared with this client since the last round (a new folder, a
   * changed dataset collection): false only inside a round whose change feed showed nothing outside
   * the folders core already watches. Extensions that search for shared items may skip the search
   * when false; core itself still searches at least every five minutes. True outside rounds.
   */
  default boolean sharesMayHaveChanged() {
    return true;
  }

  /** The client's clock: the one every part of this client reads (tests set it). */
  Clock clock();

  /** Where long work reports progress (the client's listener; {@link ProgressListener#NONE} when none). */
  default ProgressListener progress() {
    return ProgressListener.NONE;
  }

  /** Executor for I/O fan-out (virtual threads); bound the parallelism yourself. */
  ExecutorService io();

  /**
   * Queues long work (running an approved job) to run after this round, outside the home lock, so
   * other rounds and commands are not locked out for its length. Work whose {@code key} is already
   * queued or running is not queued again. It runs on one background worker, in order; it must
   * take the locks it needs itself; it may use {@link #permissions()} (thread-safe; re-check it with
   * {@code restat()} first, as a user may have edited permission files since). {@link SyftClient#sync()}
   * waits for it and delivers its results in the same call; the daemon goes on syncing and delivers
   * them in its next round.
   */
  void afterRound(String key, Runnable work);

  /** A durable key-value namespace in the client's state database (e.g. {@code datasets}). */
  KeyValue state(String namespace);

  /** Small durable state for extensions. Each put commits on its own. */
  interface KeyValue {
    Optional<String> get(String key);

    void put(String key, String value);

    void remove(String key);

    Map<String, String> all();
  }
}
