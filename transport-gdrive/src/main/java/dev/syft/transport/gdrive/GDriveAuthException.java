package dev.syft.transport.gdrive;

import dev.syft.transport.StorageException;

/**
 * A Google sign-in problem the user must fix (kind {@link StorageException.Kind#FORBIDDEN}, never
 * retried): the token belongs to another account, it expired or was revoked, or there is none.
 * {@link #code()} is stable for scripts: {@code gdrive-account-mismatch}, {@code gdrive-token-expired},
 * {@code gdrive-no-token}, {@code gdrive-bad-token-file}, {@code gdrive-login-failed}.
 */
public final class GDriveAuthException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public GDriveAuthException(String code, String message) {
    super(Kind.FORBIDDEN, message);
    this.code = code;
  }

  public GDriveAuthException(String code, String message, Throwable cause) {
    super(Kind.FORBIDDEN, message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
