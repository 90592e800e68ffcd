package dev.syft.core;

/** The transports every scenario runs on: the in-memory Drive-like store and the shared-folder transport. */
public enum Transport {
  /** {@link dev.syft.transport.memory.MemoryStore}: change feed, no conditional create. */
  MEMORY,
  /** {@link dev.syft.transport.local.LocalStorage}: folder times track children, conditional create. */
  LOCAL,
  /**
   * {@link dev.syft.transport.gdrive.GDriveStorage}, the real Google client over HTTP against the
   * in-process Drive v3 fake (changes feed). Used by the scenario suite.
   */
  DRIVE
}
