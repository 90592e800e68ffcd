package dev.syft.crypto;

import dev.syft.crypto.CryptoException.Reason;
import dev.syft.crypto.internal.Bytes;
import dev.syft.crypto.internal.Prims;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * SYC2 envelopes: seal a payload for recipients, open one addressed to you, inspect one without
 * keys. Byte-compatible with syft-crypto 0.1.2b2 (what syft-client 0.1.117 uses); see
 * {@code shared/spec/E2E-ENCRYPTION.md}.
 *
 * <p>Opening runs three steps, each failing with a {@link CryptoException} whose
 * {@link CryptoException#step()} names it: PARSE (framing, prelude JSON, which must be RFC 8785
 * canonical), SIGNATURE (sender fingerprint and identity against the pinned bundle, strict Ed25519
 * over the prelude, then the {@code integrity} hash when present and well formed), DECRYPT
 * (recipient lookup by exact identity, key unwrap, payload). Nothing of the plaintext is returned
 * unless all pass.
 *
 * <p>Stricter than the reference reader, on purpose: non-zero prelude padding, a sender identity
 * other than the bundle's, a wrapping whose {@code recipient_identity} differs and a well-formed
 * but wrong {@code integrity} are refused.
 */
public final class Envelope {
  /** Default cap for the single-shot suite in the streaming reader (its ciphertext is held in memory). */
  public static final long DEFAULT_MAX_SINGLE_SHOT = 512L * 1024 * 1024;

  private Envelope() {}

  /** Whether these bytes (a whole file or at least its first 4 bytes) start like an envelope. */
  public static boolean looksLikeEnvelope(byte[] head) {
    return head.length >= 4 && head[0] == 'S' && head[1] == 'Y' && head[2] == 'C' && head[3] == '2';
  }

  /** Seals {@code plaintext} from {@code sender} to {@code recipients} (in order; 1..1000). */
  public static byte[] seal(Identity sender, List<PeerBundle> recipients, byte[] plaintext, SealOptions options) {
    if (options.suite() == Suite.STREAM) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        sealStream(sender, recipients, PayloadSource.of(plaintext), out, options);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(plaintext.length + 8192 + 64 * recipients.size());
    try {
      sealSingle(sender, recipients, plaintext, out, options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The single-shot suite straight to {@code out}: plaintext and ciphertext are the only copies held. */
  private static void sealSingle(Identity sender, List<PeerBundle> recipients, byte[] plaintext, OutputStream out,
      SealOptions options) throws IOException {
    EnvelopeCodec.Sealing s = EnvelopeCodec.prepare(sender, recipients, Suite.SINGLE, options.random());
    byte[] ct = Prims.xchachaSeal(s.fileKey(), s.nonce(), plaintext, EnvelopeCodec.AAD_FILE);
    byte[] prelude = EnvelopeCodec.prelude(sender, recipients, s, Suite.SINGLE, options.clock().instant().getEpochSecond(),
        1, ct.length, ct.length, options.integrity() ? Bytes.sha256(ct) : null, options.filenameHint());
    EnvelopeCodec.writeHead(out, sender, prelude);
    out.write(ct);
  }

  /**
   * Seals a payload of any size to {@code out} with memory O(segment). With the SINGLE suite the
   * whole plaintext and its ciphertext are held in memory (about twice the payload; use it only for
   * bounded payloads or for peers that cannot read STREAM). With integrity on, a STREAM source is
   * read twice.
   */
  public static void sealStream(Identity sender, List<PeerBundle> recipients, PayloadSource source, OutputStream out,
      SealOptions options) throws IOException {
    if (options.suite() == Suite.SINGLE) {
      byte[] all;
      try (InputStream in = source.open()) {
        all = in.readAllBytes();
      }
      sealSingle(sender, recipients, all, out, options);
      return;
    }
    long size = source.size();
    long count = Math.max(1, (size + EnvelopeCodec.SEGMENT - 1) / EnvelopeCodec.SEGMENT);
    long lastPlain = size - (count - 1) * EnvelopeCodec.SEGMENT;
    long ctLen = size + count * Prims.TAG_LEN;
    EnvelopeCodec.Sealing s = EnvelopeCodec.prepare(sender, recipients, Suite.STREAM, options.random());
    byte @Nullable [] integrity = null;
    if (options.integrity()) {
      MessageDigest md = Bytes.sha256();
      segments(source, s, count, size, md::update);
      integrity = md.digest();
    }
    byte[] prelude = EnvelopeCodec.prelude(sender, recipients, s, Suite.STREAM, options.clock().instant().getEpochSecond(),
        count, lastPlain + Prims.TAG_LEN, ctLen, integrity, options.filenameHint());
    EnvelopeCodec.writeHead(out, sender, prelude);
    segments(source, s, count, size, out::write);
  }

  private interface SegmentSink {
    void accept(byte[] segment) throws IOException;
  }

  private static void segments(PayloadSource source, EnvelopeCodec.Sealing s, long count, long size, SegmentSink sink)
      throws IOException {
    byte[] buf = new byte[EnvelopeCodec.SEGMENT];
    try (InputStream in = source.open()) {
      for (long i = 0; i < count; i++) {
        boolean last = i == count - 1;
        int len = (int) (last ? size - i * EnvelopeCodec.SEGMENT : EnvelopeCodec.SEGMENT);
        if (in.readNBytes(buf, 0, len) < len) {
          throw new IOException("payload shrank while it was being sealed");
        }
        sink.accept(Prims.xchachaSeal(s.fileKey(), EnvelopeCodec.segmentNonce(s.nonce(), i, last),
            len == buf.length ? buf : java.util.Arrays.copyOf(buf, len), EnvelopeCodec.segmentAad(i, last)));
      }
      if (in.read() >= 0) {
        throw new IOException("payload grew while it was being sealed");
      }
    }
  }

  /** The envelope's self-description (PARSE step only; nothing is authenticated). */
  public static EnvelopeInfo inspect(byte[] envelope) throws CryptoException {
    EnvelopeCodec.Head head = head(envelope);
    checkLength(head, envelope.length);
    return head.info();
  }

  /** Reads only the head of a stream (framing, prelude, signature): what {@code syft crypto inspect} shows. */
  public static EnvelopeInfo inspectHead(InputStream in) throws CryptoException, IOException {
    return EnvelopeCodec.readHead(in).info();
  }

  /** Opens an envelope held in memory: parse, signature, decrypt, in that order. */
  public static byte[] open(byte[] envelope, Identity me, PeerBundle sender) throws CryptoException {
    EnvelopeCodec.Head head = head(envelope);
    checkLength(head, envelope.length);
    EnvelopeCodec.verify(head, sender);
    byte[] ct = java.util.Arrays.copyOfRange(envelope, (int) head.info().headerLength(), envelope.length);
    EnvelopeCodec.checkIntegrity(head.info(), Bytes.sha256(ct));
    EnvelopeCodec.PayloadKey k = EnvelopeCodec.unwrap(head, me, sender);
    if (k.suite() == Suite.SINGLE) {
      return EnvelopeCodec.decryptSingle(k, ct);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      decryptSegments(head, k, new ByteArrayInputStream(ct), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Opens an envelope from a stream of {@code length} bytes (-1 if unknown), writing the plaintext to
   * {@code out} with memory O(segment) for the STREAM suite (SINGLE holds its ciphertext, up to
   * {@code maxSingleShot} bytes). For STREAM, plaintext is written segment by segment as each
   * authenticates; if this throws, everything written so far must be discarded (use
   * {@link #openFile} for all-or-nothing).
   */
  public static EnvelopeInfo openStream(InputStream in, long length, Identity me, PeerBundle sender, OutputStream out,
      long maxSingleShot) throws CryptoException, IOException {
    EnvelopeCodec.Head head = EnvelopeCodec.readHead(in);
    if (length >= 0) {
      checkLength(head, length);
    }
    EnvelopeCodec.verify(head, sender);
    EnvelopeInfo info = head.info();
    if (info.suite().equals(Suite.SINGLE.wireName())) {
      if (info.ciphertextLength() > maxSingleShot) {
        throw new CryptoException(Reason.PAYLOAD_TOO_LARGE,
            "single-shot payload of " + info.ciphertextLength() + " bytes exceeds the " + maxSingleShot + "-byte limit");
      }
      byte[] ct = new byte[(int) info.ciphertextLength()];
      if (in.readNBytes(ct, 0, ct.length) < ct.length) {
        throw new CryptoException(Reason.TRUNCATED, "ciphertext is shorter than the declared " + ct.length + " bytes");
      }
      EnvelopeCodec.requireEof(in, ct.length);
      EnvelopeCodec.checkIntegrity(info, Bytes.sha256(ct));
      EnvelopeCodec.PayloadKey k = EnvelopeCodec.unwrap(head, me, sender);
      out.write(EnvelopeCodec.decryptSingle(k, ct));
      return info;
    }
    EnvelopeCodec.PayloadKey k = EnvelopeCodec.unwrap(head, me, sender);
    decryptSegments(head, k, in, out);
    return info;
  }

  /**
   * Opens {@code envelope} into {@code target}, all or nothing: the plaintext goes to a temporary
   * file beside the target, moved into place only when every check (integrity included) passed.
   */
  public static EnvelopeInfo openFile(Path envelope, Path target, Identity me, PeerBundle sender)
      throws CryptoException, IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".syc2-", ".part");
    try {
      EnvelopeInfo info;
      try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(envelope), 1 << 16);
           OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        info = openStream(in, Files.size(envelope), me, sender, out, DEFAULT_MAX_SINGLE_SHOT);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return info;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void decryptSegments(EnvelopeCodec.Head head, EnvelopeCodec.PayloadKey k, InputStream in,
      OutputStream out) throws CryptoException, IOException {
    EnvelopeInfo info = head.info();
    EnvelopeCodec.checkSegments(info);
    MessageDigest md = Bytes.sha256();
    byte[] buf = new byte[EnvelopeCodec.SEGMENT + Prims.TAG_LEN];
    long count = info.segmentCount();
    for (long i = 0; i < count; i++) {
      boolean last = i == count - 1;
      int len = last ? (int) info.lastSegmentBytes() : buf.length;
      if (in.readNBytes(buf, 0, len) < len) {
        throw new CryptoException(Reason.TRUNCATED_STREAM, "ciphertext ended inside segment " + i);
      }
      md.update(buf, 0, len);
      out.write(EnvelopeCodec.segment(k, i, last, buf, len));
    }
    EnvelopeCodec.requireEof(in, info.ciphertextLength());
    EnvelopeCodec.checkIntegrity(info, md.digest());
  }

  static EnvelopeCodec.Head head(byte[] envelope) throws CryptoException {
    try {
      return EnvelopeCodec.readHead(new ByteArrayInputStream(envelope));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void checkLength(EnvelopeCodec.Head head, long total) throws CryptoException {
    long actual = total - head.info().headerLength();
    if (actual != head.info().ciphertextLength()) {
      throw new CryptoException(Reason.LENGTH_MISMATCH,
          "ciphertext length mismatch: expected " + head.info().ciphertextLength() + ", got " + actual);
    }
  }
}
