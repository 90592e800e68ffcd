package dev.syft.crypto;

/**
 * A refused key, bundle or envelope. {@link #step()} names the stage that failed (for envelopes:
 * parse, then signature, then decrypt, in that order), {@link #reason()} the typed cause; the
 * message is one human line. Never carries secret material.
 */
public final class CryptoException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The stage that failed. */
  public enum Step {
    /** Recovery key or private key material. */
    KEY,
    /** A peer's public bundle (DID document). */
    BUNDLE,
    /** Envelope framing and prelude (no key needed). */
    PARSE,
    /** Sender binding, prelude signature, integrity of the ciphertext against the signed prelude. */
    SIGNATURE,
    /** Recipient lookup, key unwrap and payload decryption. */
    DECRYPT
  }

  /** Typed cause; each belongs to one {@link Step}. */
  public enum Reason {
    INVALID_LENGTH(Step.KEY),
    INVALID_HEX(Step.KEY),
    INSUFFICIENT_ENTROPY(Step.KEY),
    MNEMONIC_ERROR(Step.KEY),
    MALFORMED_KEYS(Step.KEY),
    KEY_MISMATCH(Step.KEY),

    MALFORMED_BUNDLE(Step.BUNDLE),
    WEAK_KEY(Step.BUNDLE),
    BAD_BUNDLE_SIGNATURE(Step.BUNDLE),

    TRUNCATED(Step.PARSE),
    BAD_MAGIC(Step.PARSE),
    UNSUPPORTED_VERSION(Step.PARSE),
    PRELUDE_TOO_LARGE(Step.PARSE),
    BAD_SIGNATURE_LENGTH(Step.PARSE),
    LENGTH_MISMATCH(Step.PARSE),
    MALFORMED_JSON(Step.PARSE),
    NOT_CANONICAL(Step.PARSE),
    MISSING_FIELD(Step.PARSE),
    BAD_PADDING(Step.PARSE),
    PAYLOAD_TOO_LARGE(Step.PARSE),

    SENDER_FINGERPRINT_MISMATCH(Step.SIGNATURE),
    SENDER_IDENTITY_MISMATCH(Step.SIGNATURE),
    BAD_SIGNATURE(Step.SIGNATURE),
    INTEGRITY_MISMATCH(Step.SIGNATURE),

    NOT_A_RECIPIENT(Step.DECRYPT),
    UNSUPPORTED_SUITE(Step.DECRYPT),
    BAD_NONCE(Step.DECRYPT),
    BAD_WRAPPING(Step.DECRYPT),
    UNWRAP_FAILED(Step.DECRYPT),
    PAYLOAD_DECRYPT_FAILED(Step.DECRYPT),
    TRUNCATED_STREAM(Step.DECRYPT);

    private final Step step;

    Reason(Step step) {
      this.step = step;
    }

    public Step step() {
      return step;
    }
  }

  private final Reason reason;

  public CryptoException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public CryptoException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public Step step() {
    return reason.step();
  }

  /** "decrypt failed (UNWRAP_FAILED): ..." — the form the CLI prints. */
  public String describe() {
    return step().name().toLowerCase(java.util.Locale.ROOT) + " failed (" + reason + "): " + getMessage();
  }
}
