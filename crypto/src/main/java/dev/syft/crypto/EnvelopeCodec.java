package dev.syft.crypto;

import dev.syft.crypto.CryptoException.Reason;
import dev.syft.crypto.internal.Bytes;
import dev.syft.crypto.internal.Json;
import dev.syft.crypto.internal.Prims;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/** SYC2 framing, prelude, signature, key wrap and payload: the format of E2E-ENCRYPTION.md §3-4. */
final class EnvelopeCodec {
  static final byte[] MAGIC = Bytes.ascii("SYC2");
  static final int FORMAT_VERSION = 1;
  static final int PAD = 4096;
  static final long MAX_PRELUDE = 10L * 1024 * 1024;
  static final int MAX_RECIPIENTS = 1000;
  static final int SEGMENT = 1 << 20;
  static final int STREAM_PREFIX_LEN = 19;
  static final byte[] SIG_CONTEXT = Bytes.concat(Bytes.ascii("SYC2-PRELUDE"), new byte[] {1});
  static final byte[] AAD_FILE = Bytes.ascii("syc-file-v1");
  static final byte[] AAD_WRAP = Bytes.ascii("syc-key-wrap-v1");
  static final byte[] AAD_STREAM = Bytes.ascii("syc-stream-v1");
  static final byte[] WRAP_SALT = Bytes.ascii("syc-crypto-core:x3dh:file");
  static final byte[] WRAP_INFO = Bytes.ascii("syc-wrap-key");
  static final String INTEGRITY_PREFIX = "sha256:";

  private EnvelopeCodec() {}

  /** A parsed, not yet authenticated, envelope head. */
  record Head(byte[] prelude, JsonNode json, byte[] signature, EnvelopeInfo info) {}

  // ---------------------------------------------------------------- reading

  static Head readHead(InputStream in) throws CryptoException, IOException {
    byte[] fixed = new byte[9];
    int got = readFully(in, fixed);
    if (got < 9) {
      if (got >= 4 && !java.util.Arrays.equals(java.util.Arrays.copyOf(fixed, 4), MAGIC)) {
        throw new CryptoException(Reason.BAD_MAGIC, "file does not begin with SYC2 magic");
      }
      throw new CryptoException(Reason.TRUNCATED, "file is too small to contain an SYC2 header (" + got + " bytes)");
    }
    if (!java.util.Arrays.equals(java.util.Arrays.copyOf(fixed, 4), MAGIC)) {
      throw new CryptoException(Reason.BAD_MAGIC, "file does not begin with SYC2 magic");
    }
    if (fixed[4] != FORMAT_VERSION) {
      throw new CryptoException(Reason.UNSUPPORTED_VERSION, "unsupported SYC2 envelope version " + (fixed[4] & 0xff));
    }
    long len = Bytes.u32Le(fixed, 5);
    if (len > MAX_PRELUDE) {
      throw new CryptoException(Reason.PRELUDE_TOO_LARGE, "prelude of " + len + " bytes exceeds 10 MiB");
    }
    int plen = (int) len;
    int padded = plen == 0 ? PAD : (plen + PAD - 1) / PAD * PAD;
    byte[] block = new byte[padded];
    if (readFully(in, block) < padded) {
      throw new CryptoException(Reason.TRUNCATED, "file truncated while reading the prelude");
    }
    for (int i = plen; i < padded; i++) {
      if (block[i] != 0) {
        throw new CryptoException(Reason.BAD_PADDING, "prelude padding is not zero");
      }
    }
    byte[] prelude = java.util.Arrays.copyOf(block, plen);
    byte[] sl = new byte[2];
    if (readFully(in, sl) < 2) {
      throw new CryptoException(Reason.TRUNCATED, "file truncated while reading the signature length");
    }
    int sigLen = (sl[0] & 0xff) | (sl[1] & 0xff) << 8;
    if (sigLen != Prims.SIG_LEN) {
      throw new CryptoException(Reason.BAD_SIGNATURE_LENGTH, "invalid signature length: " + sigLen + " (expected 64)");
    }
    byte[] sig = new byte[Prims.SIG_LEN];
    if (readFully(in, sig) < sig.length) {
      throw new CryptoException(Reason.TRUNCATED, "file truncated while reading the signature");
    }
    JsonNode json = parsePrelude(prelude);
    long headerLength = 9L + padded + 2 + Prims.SIG_LEN;
    return new Head(prelude, json, sig, info(json, plen, headerLength));
  }

  static JsonNode parsePrelude(byte[] prelude) throws CryptoException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(prelude)).toString();
    } catch (CharacterCodingException e) {
      throw new CryptoException(Reason.MALFORMED_JSON, "prelude is not UTF-8");
    }
    JsonNode json;
    try {
      json = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.MALFORMED_JSON, "prelude is not valid JSON: " + e.getMessage());
    }
    if (!json.isObject()) {
      throw new CryptoException(Reason.MALFORMED_JSON, "prelude is not a JSON object");
    }
    String canonical;
    try {
      canonical = Json.canonical(text);
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.MALFORMED_JSON, "prelude is not valid JSON: " + e.getMessage());
    }
    if (!canonical.equals(text)) {
      throw new CryptoException(Reason.NOT_CANONICAL, "prelude JSON is not RFC 8785 canonical");
    }
    return json;
  }

  private static EnvelopeInfo info(JsonNode j, int plen, long headerLength) throws CryptoException {
    JsonNode sender = obj(j, "sender");
    JsonNode cipher = obj(j, "cipher");
    List<EnvelopeInfo.Recipient> recipients = new ArrayList<>();
    for (JsonNode r : arr(j, "recipients")) {
      recipients.add(new EnvelopeInfo.Recipient(str(r, "identity"), str(r, "device_label"),
          str(r, "spk_fingerprint"), num(r, "signed_prekey_id")));
    }
    for (JsonNode w : arr(j, "wrappings")) {
      str(w, "recipient_identity");
      str(w, "device_label");
      str(w, "wrap_ephemeral_public");
      str(w, "wrap_ciphertext");
    }
    JsonNode integrity = j.get("integrity");
    String integrityText = null;
    if (integrity != null && !integrity.isNull()) {
      if (!integrity.isString()) {
        throw new CryptoException(Reason.MISSING_FIELD, "prelude field integrity is not a string");
      }
      integrityText = integrity.stringValue();
    }
    String hint = null;
    JsonNode meta = j.get("public_meta");
    if (meta != null && !meta.isNull()) {
      if (!meta.isObject()) {
        throw new CryptoException(Reason.MISSING_FIELD, "prelude field public_meta is not an object");
      }
      JsonNode h = meta.get("filename_hint");
      if (h != null && !h.isNull()) {
        hint = str(meta, "filename_hint");
      }
    }
    return new EnvelopeInfo(num(j, "version"), str(j, "canon"), num(j, "created_at"),
        str(sender, "identity"), str(sender, "ik_fingerprint"), List.copyOf(recipients),
        str(j, "recipient_set_fpr"), str(cipher, "suite"), num(cipher, "segment_count"),
        num(cipher, "last_segment_bytes"), num(cipher, "ciphertext_len"), str(cipher, "nonce"),
        integrityText, hint, plen, headerLength);
  }

  /** Sender binding and the prelude signature (not yet the integrity hash). */
  static void verify(Head head, PeerBundle sender) throws CryptoException {
    byte[] claimed = Bytes.ascii(head.info().senderIkFingerprint());
    byte[] actual = Bytes.ascii(sender.fingerprint().hex());
    if (!Bytes.constantTimeEquals(claimed, actual)) {
      throw new CryptoException(Reason.SENDER_FINGERPRINT_MISMATCH,
          "sender fingerprint in the envelope does not match the identity key of " + sender.identity());
    }
    if (!head.info().senderIdentity().equals(sender.identity())) {
      throw new CryptoException(Reason.SENDER_IDENTITY_MISMATCH,
          "envelope names sender " + head.info().senderIdentity() + " but the bundle is " + sender.identity());
    }
    if (!Prims.ed25519VerifyStrict(sender.ik(), Bytes.concat(SIG_CONTEXT, head.prelude()), head.signature())) {
      throw new CryptoException(Reason.BAD_SIGNATURE, "envelope signature verification failed");
    }
  }

  /** Checks a well-formed {@code sha256:<64 hex>} integrity value; other values are ignored as older readers do. */
  static void checkIntegrity(EnvelopeInfo info, byte[] ciphertextSha256) throws CryptoException {
    byte[] expected = expectedIntegrity(info);
    if (expected != null && !Bytes.constantTimeEquals(expected, ciphertextSha256)) {
      throw new CryptoException(Reason.INTEGRITY_MISMATCH,
          "ciphertext does not match the integrity hash in the signed prelude");
    }
  }

  static byte @Nullable [] expectedIntegrity(EnvelopeInfo info) {
    String v = info.integrity();
    if (v == null || !v.startsWith(INTEGRITY_PREFIX)) {
      return null;
    }
    String hex = v.substring(INTEGRITY_PREFIX.length());
    return hex.matches("[0-9a-f]{64}") ? Bytes.unhex(hex) : null;
  }

  /** Key material for the payload: the suite, the nonce (or stream prefix) and the unwrapped file key. */
  record PayloadKey(Suite suite, byte[] nonce, byte[] fileKey) {}

  static PayloadKey unwrap(Head head, Identity me, PeerBundle sender) throws CryptoException {
    EnvelopeInfo info = head.info();
    Suite suite = Suite.fromWireName(info.suite()).orElseThrow(() ->
        new CryptoException(Reason.UNSUPPORTED_SUITE, "unsupported cipher suite " + info.suite()));
    byte[] nonce;
    try {
      nonce = Bytes.unb64url(info.nonce());
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.BAD_NONCE, "cipher nonce is not base64url");
    }
    int want = suite == Suite.SINGLE ? Prims.XNONCE_LEN : STREAM_PREFIX_LEN;
    if (nonce.length != want) {
      throw new CryptoException(Reason.BAD_NONCE, "cipher nonce is " + nonce.length + " bytes (expected " + want + ")");
    }
    int idx = -1;
    for (int i = 0; i < info.recipients().size(); i++) {
      if (info.recipients().get(i).identity().equals(me.email())) {
        idx = i;
        break;
      }
    }
    if (idx < 0) {
      throw new CryptoException(Reason.NOT_A_RECIPIENT, "this envelope was not encrypted for " + me.email());
    }
    JsonNode wrappings = head.json().get("wrappings");
    if (idx >= wrappings.size()) {
      throw new CryptoException(Reason.UNWRAP_FAILED, "no key wrapping for recipient " + me.email());
    }
    JsonNode w = wrappings.get(idx);
    if (!w.get("recipient_identity").stringValue().equals(me.email())) {
      throw new CryptoException(Reason.UNWRAP_FAILED, "the key wrapping at this recipient's index names another identity");
    }
    byte[] eph;
    byte[] wrapped;
    try {
      eph = Bytes.unb64url(w.get("wrap_ephemeral_public").stringValue());
      wrapped = Bytes.unb64url(w.get("wrap_ciphertext").stringValue());
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.BAD_WRAPPING, "key wrapping is not base64url");
    }
    if (eph.length != 32 || wrapped.length != Prims.XNONCE_LEN + 32 + Prims.TAG_LEN) {
      throw new CryptoException(Reason.BAD_WRAPPING, "key wrapping has the wrong size");
    }
    byte[] fileKey;
    try {
      byte[] material = Bytes.concat(
          Prims.x25519(me.spkSecret(), sender.ikdh()),
          Prims.x25519(me.ikdhSecret(), sender.spk()),
          Prims.x25519(me.ikdhSecret(), eph),
          Prims.x25519(me.spkSecret(), eph));
      byte[] wrapKey = Prims.hkdfSha256(material, WRAP_SALT, WRAP_INFO, 32);
      fileKey = Prims.xchachaOpen(wrapKey, java.util.Arrays.copyOf(wrapped, Prims.XNONCE_LEN),
          java.util.Arrays.copyOfRange(wrapped, Prims.XNONCE_LEN, wrapped.length), AAD_WRAP);
    } catch (GeneralSecurityException e) {
      String spkNote = info.recipients().get(idx).spkFingerprint().equals(me.bundle().signedPrekeyFingerprint().hex())
          ? "" : " (it was sealed to another signed prekey: the keys of " + me.email() + " changed?)";
      throw new CryptoException(Reason.UNWRAP_FAILED, "could not unwrap the file key" + spkNote);
    }
    return new PayloadKey(suite, nonce, fileKey);
  }

  static byte[] decryptSingle(PayloadKey k, byte[] ciphertext) throws CryptoException {
    try {
      return Prims.xchachaOpen(k.fileKey(), k.nonce(), ciphertext, AAD_FILE);
    } catch (GeneralSecurityException e) {
      throw new CryptoException(Reason.PAYLOAD_DECRYPT_FAILED, "payload decryption failed (tampered ciphertext or wrong key)");
    }
  }

  /** Checks the segment layout the prelude declares. */
  static void checkSegments(EnvelopeInfo info) throws CryptoException {
    long count = info.segmentCount();
    long last = info.lastSegmentBytes();
    long full = SEGMENT + Prims.TAG_LEN;
    if (count < 1 || last < Prims.TAG_LEN || last > full || (count - 1) * full + last != info.ciphertextLength()) {
      throw new CryptoException(Reason.PAYLOAD_DECRYPT_FAILED, "segment count and sizes do not add up to the ciphertext length");
    }
  }

  static byte[] segment(PayloadKey k, long index, boolean last, byte[] ct, int len) throws CryptoException {
    byte[] nonce = segmentNonce(k.nonce(), index, last);
    try {
      return Prims.xchachaOpen(k.fileKey(), nonce, java.util.Arrays.copyOf(ct, len), segmentAad(index, last));
    } catch (GeneralSecurityException e) {
      throw new CryptoException(Reason.PAYLOAD_DECRYPT_FAILED, "segment " + index + " failed to decrypt (tampered, reordered or truncated)");
    }
  }

  static byte[] segmentNonce(byte[] prefix, long index, boolean last) {
    byte[] n = new byte[Prims.XNONCE_LEN];
    System.arraycopy(prefix, 0, n, 0, STREAM_PREFIX_LEN);
    Bytes.putU32Be(n, STREAM_PREFIX_LEN, index);
    n[23] = (byte) (last ? 1 : 0);
    return n;
  }

  static byte[] segmentAad(long index, boolean last) {
    byte[] a = new byte[AAD_STREAM.length + 5];
    System.arraycopy(AAD_STREAM, 0, a, 0, AAD_STREAM.length);
    Bytes.putU32Be(a, AAD_STREAM.length, index);
    a[a.length - 1] = (byte) (last ? 1 : 0);
    return a;
  }

  // ---------------------------------------------------------------- writing

  /** Per-recipient key wraps and everything the prelude needs, drawn in the reference's order. */
  record Sealing(byte[] fileKey, byte[] nonce, List<ObjectNode> wrappings) {}

  static Sealing prepare(Identity sender, List<PeerBundle> recipients, Suite suite, RandomSource random) {
    if (recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS) {
      throw new IllegalArgumentException("an envelope needs 1 to " + MAX_RECIPIENTS + " recipients");
    }
    byte[] fileKey = new byte[32];
    random.nextBytes(fileKey);
    byte[] nonce = new byte[suite == Suite.SINGLE ? Prims.XNONCE_LEN : STREAM_PREFIX_LEN];
    random.nextBytes(nonce);
    List<ObjectNode> wrappings = new ArrayList<>();
    for (PeerBundle r : recipients) {
      byte[] eph = new byte[32];
      random.nextBytes(eph);
      byte[] wrapNonce = new byte[Prims.XNONCE_LEN];
      random.nextBytes(wrapNonce);
      byte[] material;
      try {
        material = Bytes.concat(
            Prims.x25519(sender.ikdhSecret(), r.spk()),
            Prims.x25519(sender.spkSecret(), r.ikdh()),
            Prims.x25519(eph, r.ikdh()),
            Prims.x25519(eph, r.spk()));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("key agreement with " + r.identity() + " failed: " + e.getMessage(), e);
      }
      byte[] wrapKey = Prims.hkdfSha256(material, WRAP_SALT, WRAP_INFO, 32);
      byte[] wrapped = Bytes.concat(wrapNonce, Prims.xchachaSeal(wrapKey, wrapNonce, fileKey, AAD_WRAP));
      ObjectNode w = Json.object();
      w.put("device_label", "default");
      w.put("recipient_identity", r.identity());
      w.put("wrap_ciphertext", Bytes.b64url(wrapped));
      w.put("wrap_ephemeral_public", Bytes.b64url(Prims.x25519Public(eph)));
      wrappings.add(w);
    }
    return new Sealing(fileKey, nonce, wrappings);
  }

  static byte[] prelude(Identity sender, List<PeerBundle> recipients, Sealing s, Suite suite, long createdAt,
      long segmentCount, long lastSegmentBytes, long ciphertextLen, byte @Nullable [] integritySha256, @Nullable String filenameHint) {
    ObjectNode p = Json.object();
    p.put("canon", "jcs-rfc8785");
    ObjectNode c = p.putObject("cipher");
    c.put("ciphertext_len", ciphertextLen);
    c.put("last_segment_bytes", lastSegmentBytes);
    c.put("nonce", Bytes.b64url(s.nonce()));
    c.put("segment_count", segmentCount);
    c.put("suite", suite.wireName());
    p.put("created_at", createdAt);
    if (integritySha256 != null) {
      p.put("integrity", INTEGRITY_PREFIX + Bytes.hex(integritySha256));
    }
    if (filenameHint != null) {
      p.putObject("public_meta").put("filename_hint", filenameHint);
    }
    p.put("recipient_set_fpr", recipientSetFingerprint(recipients.stream().map(r -> r.fingerprint().hex()).toList()));
    ArrayNode rs = p.putArray("recipients");
    for (PeerBundle r : recipients) {
      ObjectNode o = rs.addObject();
      o.put("device_label", "default");
      o.put("identity", r.identity());
      o.put("signed_prekey_id", 1);
      o.put("spk_fingerprint", r.signedPrekeyFingerprint().hex());
    }
    ObjectNode snd = p.putObject("sender");
    snd.put("identity", sender.email());
    snd.put("ik_fingerprint", sender.fingerprint().hex());
    p.put("version", 1);
    ArrayNode ws = p.putArray("wrappings");
    s.wrappings().forEach(ws::add);
    return Json.canonical(p);
  }

  /** SHA-256 over the sorted recipient IK fingerprints, each as u32-LE length and ASCII hex. */
  static String recipientSetFingerprint(List<String> ikFingerprints) {
    MessageDigest md = Bytes.sha256();
    byte[] len = new byte[4];
    for (String f : ikFingerprints.stream().sorted().toList()) {
      byte[] a = Bytes.ascii(f);
      Bytes.putU32Le(len, 0, a.length);
      md.update(len);
      md.update(a);
    }
    return Bytes.hex(md.digest());
  }

  static void writeHead(OutputStream out, Identity sender, byte[] prelude) throws IOException {
    byte[] fixed = new byte[9];
    System.arraycopy(MAGIC, 0, fixed, 0, 4);
    fixed[4] = FORMAT_VERSION;
    Bytes.putU32Le(fixed, 5, prelude.length);
    out.write(fixed);
    out.write(prelude);
    int padded = prelude.length == 0 ? PAD : (prelude.length + PAD - 1) / PAD * PAD;
    out.write(new byte[padded - prelude.length]);
    out.write(new byte[] {Prims.SIG_LEN, 0});
    out.write(Prims.ed25519Sign(sender.ikSeed(), Bytes.concat(SIG_CONTEXT, prelude)));
  }

  // ---------------------------------------------------------------- io

  /** Reads until {@code buf} is full or EOF; returns the count read. */
  static int readFully(InputStream in, byte[] buf) throws IOException {
    return in.readNBytes(buf, 0, buf.length);
  }

  static void requireEof(InputStream in, long declared) throws CryptoException, IOException {
    if (in.read() >= 0) {
      throw new CryptoException(Reason.LENGTH_MISMATCH, "ciphertext is longer than the declared " + declared + " bytes");
    }
  }

  static EOFException eof() {
    return new EOFException("payload ended early");
  }

  private static JsonNode obj(JsonNode j, String name) throws CryptoException {
    JsonNode v = j.get(name);
    if (v == null || !v.isObject()) {
      throw new CryptoException(Reason.MISSING_FIELD, "prelude lacks the object " + name);
    }
    return v;
  }

  private static Iterable<JsonNode> arr(JsonNode j, String name) throws CryptoException {
    JsonNode v = j.get(name);
    if (v == null || !v.isArray()) {
      throw new CryptoException(Reason.MISSING_FIELD, "prelude lacks the array " + name);
    }
    for (JsonNode e : v) {
      if (!e.isObject()) {
        throw new CryptoException(Reason.MISSING_FIELD, "prelude array " + name + " holds a non-object");
      }
    }
    return v;
  }

  private static String str(JsonNode j, String name) throws CryptoException {
    JsonNode v = j.get(name);
    if (v == null || !v.isString()) {
      throw new CryptoException(Reason.MISSING_FIELD, "prelude lacks the string " + name);
    }
    return v.stringValue();
  }

  private static long num(JsonNode j, String name) throws CryptoException {
    JsonNode v = j.get(name);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new CryptoException(Reason.MISSING_FIELD, "prelude lacks the non-negative integer " + name);
    }
    return v.longValue();
  }
}
