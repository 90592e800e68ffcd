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

  public SyftException(String code, String message) {
    super(message);
    this.code = code;
  }

  public SyftException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** A short stable identifier such as {@code malformed-message} or {@code unsafe-path}. */
  public String code() {
    return code;
  }
}
