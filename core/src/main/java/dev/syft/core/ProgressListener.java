package dev.syft.core;

/**
 * Progress of long work inside a sync (hashing a large datasite, bootstrapping from checkpoints,
 * downloading many messages), for progress bars. Keep it cheap; it may be called from I/O threads.
 */
public interface ProgressListener {
  /** Reports nothing. */
  ProgressListener NONE = new ProgressListener() {
    @Override
    public void begin(String task, long total) {}

    @Override
    public void advance(long steps) {}

    @Override
    public void end() {}
  };

  /* Downloads report from several I/O threads: implementations must be thread-safe. */

  /** A task starts, e.g. {@code "hashing 12,000 changed files"}; {@code total} steps. */
  void begin(String task, long total);

  /** {@code steps} more steps are done. */
  void advance(long steps);

  /** The task ended (successfully or not). */
  void end();
}
