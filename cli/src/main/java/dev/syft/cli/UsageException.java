package dev.syft.cli;

/** A command was called with arguments that make no sense together; exits with code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
