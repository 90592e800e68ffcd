package dev.syft.protocol;

/** Input larger than a configured bound (archive size after decompression, file size, entry count). */
public class LimitExceededException extends SyftException {
  private static final long serialVersionUID = 1L;

  public LimitExceededException(String message) {
    super(ErrorCode.LIMIT_EXCEEDED, message);
  }
}
