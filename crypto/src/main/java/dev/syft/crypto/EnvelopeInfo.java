package dev.syft.crypto;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an envelope says about itself, readable without keys (nothing here is authenticated until
 * the envelope is opened).
 *
 * @param preludeLength unpadded prelude bytes
 * @param headerLength bytes before the ciphertext (framing, padded prelude, signature)
 * @param integrity {@code integrity} as written (e.g. {@code sha256:<hex>}), or null
 * @param filenameHint {@code public_meta.filename_hint}, or null
 */
public record EnvelopeInfo(
    long version,
    String canon,
    long createdAt,
    String senderIdentity,
    String senderIkFingerprint,
    List<Recipient> recipients,
    String recipientSetFingerprint,
    String suite,
    long segmentCount,
    long lastSegmentBytes,
    long ciphertextLength,
    String nonce,
    @Nullable String integrity,
    @Nullable String filenameHint,
    int preludeLength,
    long headerLength) {

  /** One {@code recipients[]} entry. */
  public record Recipient(String identity, String deviceLabel, String spkFingerprint, long signedPrekeyId) {}

  public List<String> recipientIdentities() {
    return recipients.stream().map(Recipient::identity).toList();
  }
}
