package dev.syft.permissions;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;

/**
 * A grant or revoke that was refused because carrying it out would silently change other users'
 * access, or because the permission files cannot be edited safely right now (one is broken).
 * Code {@code permission-refused}. The message says what to do instead.
 */
public class PermissionRefusedException extends SyftException {
  private static final long serialVersionUID = 1L;

  public PermissionRefusedException(String message) {
    super(ErrorCode.PERMISSION_REFUSED, message);
  }
}
