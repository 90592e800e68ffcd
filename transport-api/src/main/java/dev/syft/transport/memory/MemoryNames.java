package dev.syft.transport.memory;

import dev.syft.transport.StorageException;

/** Names every store accepts: non-empty, no slash, no NUL, not {@code .} or {@code ..}. */
final class MemoryNames {
  private MemoryNames() {}

  static void check(String name) throws StorageException {
    if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
        || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new StorageException(StorageException.Kind.INVALID,
          "not a valid item name: '" + (name == null ? "" : name.replace('\0', '?')) + "'");
    }
  }
}
