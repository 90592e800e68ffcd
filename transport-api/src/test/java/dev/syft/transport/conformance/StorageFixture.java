package dev.syft.transport.conformance;

import dev.syft.transport.Storage;
import java.io.IOException;

/**
 * A fresh store for one conformance test, and the storages of the users on it. A transport module
 * implements this (usually as a lambda-free small class) and returns it from {@link
 * StorageConformanceTest#newFixture()}.
 */
public interface StorageFixture extends AutoCloseable {
  /**
   * The storage of {@code email} on this fixture's store. Calls for different users must share one
   * backing store; the suite closes the storages it gets.
   */
  Storage storage(String email) throws IOException;

  /** Size of the streamed large-file test; 100 MiB by default. */
  default long largeFileBytes() {
    return 100L << 20;
  }

  /**
   * Entries written by the paging test; more than the backend's own page size so that the
   * transport's paging is exercised. 1,050 by default (Drive and S3 pages hold 1,000); a fixture whose
   * backend pages smaller may write fewer and keep the test fast.
   */
  default int manyEntries() {
    return 1_050;
  }

  /**
   * Whether every user looks at one shared store. False where each user holds a replica of what was
   * shared with them (the e-mail transport): an item never shared with a user does not exist for them,
   * so their delete of it is a no-op on their own replica instead of a refusal (it never reaches the owner);
   * racing creates of one name leave one file (the newest), not one per writer.
   */
  default boolean sharedNamespace() {
    return true;
  }

  /** Whether names differing only in case are distinct items (false on macOS/Windows file systems). */
  default boolean caseSensitiveNames() {
    return true;
  }

  @Override
  default void close() throws IOException {}
}
