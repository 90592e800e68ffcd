package dev.syft.transport;

import java.io.IOException;

/** A failed storage operation, classified so callers know whether to retry. */
public class StorageException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed. */
  public enum Kind {
    /** The item does not exist or the caller cannot see it. */
    NOT_FOUND,
    /** The caller can see the item but may not do this to it. */
    FORBIDDEN,
    /** A create-only write found the name taken. */
    ALREADY_EXISTS,
    /** The content is larger than a limit. */
    TOO_LARGE,
    /** A fault that may pass: rate limit, 5xx, reset connection, timeout. Safe to retry. */
    TRANSIENT,
    /** The request itself is wrong (bad name, bad argument). */
    INVALID
  }

  private final Kind kind;

  public StorageException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StorageException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isTransient() {
    return kind == Kind.TRANSIENT;
  }
}
