package dev.syft.protocol;

/**
 * Input from a peer or a transport (an archive, a JSON or YAML document, a file name) that does not
 * have the shape the protocol requires. Such input is quarantined, never applied.
 */
public class MalformedMessageException extends SyftException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message) {
    super(ErrorCode.MALFORMED_MESSAGE, message);
  }

  public MalformedMessageException(String message, Throwable cause) {
    super(ErrorCode.MALFORMED_MESSAGE, message, cause);
  }
}
