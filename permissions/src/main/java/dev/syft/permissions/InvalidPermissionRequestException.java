package dev.syft.permissions;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;

/**
 * A permission request that cannot be evaluated as given: an unknown level, a malformed e-mail or
 * principal, a path that is not a plain datasite-relative path. Code {@code invalid-request}.
 */
public class InvalidPermissionRequestException extends SyftException {
  private static final long serialVersionUID = 1L;

  public InvalidPermissionRequestException(String message) {
    super(ErrorCode.INVALID_REQUEST, message);
  }
}
