package dev.syft.protocol;

/**
 * Root of every error syft-java reports across a module boundary.
 *
 * <p>The message is written for a person: it names what was refused and why, in one line, without a
 * stack trace. The {@link #code()} is stable so scripts (and the CLI's exit codes) can depend on it.
 * Subclasses exist only where a caller needs to react differently.
 */
public class SyftException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public SyftException(ErrorCode code, String message) {
    this(code.id(), message);
  }

  public SyftException(ErrorCode code, String message, Throwable cause) {
    this(code.id(), message, cause);
  }

  /** With a code spelled as a string; prefer the {@link ErrorCode} constructors. */
  public SyftException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** With a code spelled as a string; prefer the {@link ErrorCode} constructors. */
  public SyftException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** A short stable identifier such as {@code malformed-message} or {@code unsafe-path}. */
  public String code() {
    return code;
  }

  /** The code as an enum ({@link ErrorCode#OTHER} for a code this version does not name). */
  public ErrorCode errorCode() {
    return ErrorCode.of(code);
  }
}
