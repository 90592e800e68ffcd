package dev.syft.permissions;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;

/** Reading or writing a permission file (or listing the datasite) failed. Code {@code permission-io}. */
public class PermissionIoException extends SyftException {
  private static final long serialVersionUID = 1L;

  public PermissionIoException(String message, Throwable cause) {
    super(ErrorCode.PERMISSION_IO, message, cause);
  }
}
