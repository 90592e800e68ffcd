package dev.syft.transport.layout;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;

/** A folder or file name that does not follow the Syft naming grammar, or inputs that cannot make one. */
public class FolderNameException extends SyftException {
  private static final long serialVersionUID = 1L;

  public FolderNameException(String message) {
    super(ErrorCode.MALFORMED_FOLDER_NAME, message);
  }
}
