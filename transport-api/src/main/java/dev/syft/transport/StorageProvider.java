package dev.syft.transport;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Creates {@link Storage} instances for one URI scheme ({@code local:}, {@code gdrive:}, ...).
 * Implementations are found with {@link java.util.ServiceLoader}; core never names a concrete
 * transport.
 */
public interface StorageProvider {
  /** The URI scheme this provider serves, e.g. {@code local}. */
  String scheme();

  /**
   * Opens the store at {@code uri} as {@code email}.
   *
   * @param options transport options from the client's config (may be empty)
   */
  Storage open(URI uri, String email, Map<String, String> options) throws IOException;

  /**
   * {@link #open}, for a client whose home offers {@code cacheDir}: a private folder where the store
   * may keep what a new process would otherwise ask the server again (folder ids, a verified
   * account). The default ignores it.
   */
  default Storage open(URI uri, String email, Map<String, String> options, java.nio.file.Path cacheDir)
      throws IOException {
    return open(uri, email, options);
  }

  /**
   * Makes the store at {@code uri} ready for a new client ({@code syft init}), creating what a
   * later {@link #open} needs and never creates itself (the local transport's shared folder: a
   * folder that went away is reported as unreachable, not silently re-created). Returns a sentence
   * for the user about what was created, if anything. The default does nothing.
   */
  default java.util.Optional<String> prepare(URI uri, String email, Map<String, String> options) throws IOException {
    return java.util.Optional.empty();
  }
}
