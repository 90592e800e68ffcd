package dev.syft.protocol;

/**
 * A path that could escape the datasite or the folder it is resolved against: absolute, containing
 * {@code ..}, a backslash, a NUL or another control character, or otherwise not a plain relative POSIX
 * path.
 */
public class UnsafePathException extends SyftException {
  private static final long serialVersionUID = 1L;

  public UnsafePathException(String message) {
    super(ErrorCode.UNSAFE_PATH, message);
  }
}
