package dev.syft.crypto;

import dev.syft.crypto.CryptoException.Reason;
import dev.syft.crypto.internal.Bytes;
import dev.syft.crypto.internal.Json;
import dev.syft.crypto.internal.Prims;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * One's own keys for an identity (e-mail): identity key IK (Ed25519), IK-DH and signed prekey SPK
 * (X25519). Derived from a {@link RecoveryKey} (HKDF-SHA256, no salt) or loaded from a private
 * JWKS. Holds secrets: never log it, never sync it (see {@link PrivateKeyFile}).
 */
public final class Identity {
  static final byte[] INFO_IK = Bytes.ascii("SyftBox_Identity_Signing_Key_v1");
  static final byte[] INFO_IKDH = Bytes.ascii("SyftBox_Identity_DH_Key_v1");
  static final byte[] INFO_SPK = Bytes.ascii("SyftBox_Signed_Prekey_v1");

  private final String email;
  private final byte[] ikSeed;
  private final byte[] ikdhSecret;
  private final byte[] spkSecret;
  private final @Nullable RecoveryKey recoveryKey; // null when loaded from a JWKS alone
  private final PeerBundle bundle;

  private Identity(String email, byte[] ikSeed, byte[] ikdhSecret, byte[] spkSecret, @Nullable RecoveryKey recoveryKey) {
    this.email = email;
    this.ikSeed = ikSeed;
    this.ikdhSecret = ikdhSecret;
    this.spkSecret = spkSecret;
    this.recoveryKey = recoveryKey;
    byte[] ik = Prims.ed25519Public(ikSeed);
    byte[] ikdh = Prims.x25519Public(ikdhSecret);
    byte[] spk = Prims.x25519Public(spkSecret);
    try {
      this.bundle = PeerBundle.of(email, ik, ikdh, Prims.ed25519Sign(ikSeed, ikdh), spk, Prims.ed25519Sign(ikSeed, spk));
    } catch (CryptoException e) {
      throw new IllegalStateException("own bundle does not verify: " + e.getMessage(), e);
    }
  }

  /** The keys of {@code email} derived from {@code key} (the e-mail is the DID, taken as given). */
  public static Identity derive(RecoveryKey key, String email) {
    requireEmail(email);
    byte[] rk = key.bytes();
    return new Identity(email,
        Prims.hkdfSha256(rk, null, INFO_IK, 32),
        Prims.hkdfSha256(rk, null, INFO_IKDH, 32),
        Prims.hkdfSha256(rk, null, INFO_SPK, 32),
        key);
  }

  /** A fresh identity with a new recovery key (show {@link #recoveryKey()} to the person once). */
  public static Identity generate(String email, RandomSource random) {
    return derive(RecoveryKey.generate(random), email);
  }

  /**
   * Loads a private JWKS {@code {identity_key, identity_dh, signed_prekey}} as syft-crypto writes
   * it; each {@code x} must equal the public key derived from its {@code d}.
   */
  public static Identity fromPrivateJwks(String email, String json) throws CryptoException {
    requireEmail(email);
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.MALFORMED_KEYS, "private keys are not JSON: " + e.getMessage());
    }
    if (root.isObject() && root.has("keys_jwk")) {
      root = root.get("keys_jwk"); // syft-client's crypto_keys.json
    }
    byte[] seed = secret(root, "identity_key");
    byte[] dh = secret(root, "identity_dh");
    byte[] spk = secret(root, "signed_prekey");
    if (!Bytes.constantTimeEquals(Prims.ed25519Public(seed), pub(root, "identity_key"))
        || !Bytes.constantTimeEquals(Prims.x25519Public(dh), pub(root, "identity_dh"))
        || !Bytes.constantTimeEquals(Prims.x25519Public(spk), pub(root, "signed_prekey"))) {
      throw new CryptoException(Reason.KEY_MISMATCH, "a private key's x does not match the key derived from its d");
    }
    return new Identity(email, seed, dh, spk, null);
  }

  static Identity withRecovery(Identity keys, RecoveryKey rk) throws CryptoException {
    Identity derived = derive(rk, keys.email);
    if (!derived.bundle.equals(keys.bundle)) {
      throw new CryptoException(Reason.KEY_MISMATCH, "the recovery key does not derive these keys");
    }
    return derived;
  }

  public String email() {
    return email;
  }

  /** The public half, as published to peers. */
  public PeerBundle bundle() {
    return bundle;
  }

  public Fingerprint fingerprint() {
    return bundle.fingerprint();
  }

  /** The recovery key, when these keys were derived from one in this process or its key file. */
  public Optional<RecoveryKey> recoveryKey() {
    return Optional.ofNullable(recoveryKey);
  }

  /** The private JWKS exactly as syft-crypto serializes it (compact, members sorted). */
  public String privateJwksJson() {
    ObjectNode root = Json.object();
    root.set("identity_dh", jwk("X25519", "identity-dh", "enc", ikdhSecret, bundle.ikdh()));
    root.set("identity_key", jwk("Ed25519", "identity-key", "sig", ikSeed, bundle.ik()));
    root.set("signed_prekey", jwk("X25519", "signed-prekey", "enc", spkSecret, bundle.spk()));
    return Json.canonicalString(root);
  }

  byte[] ikSeed() {
    return ikSeed;
  }

  byte[] ikdhSecret() {
    return ikdhSecret;
  }

  byte[] spkSecret() {
    return spkSecret;
  }

  private static ObjectNode jwk(String crv, String kid, String use, byte[] d, byte[] x) {
    ObjectNode j = Json.object();
    j.put("crv", crv);
    j.put("d", Bytes.b64url(d));
    j.put("kid", kid);
    j.put("kty", "OKP");
    j.put("use", use);
    j.put("x", Bytes.b64url(x));
    return j;
  }

  private static byte[] secret(JsonNode root, String name) throws CryptoException {
    return member(root, name, "d");
  }

  private static byte[] pub(JsonNode root, String name) throws CryptoException {
    return member(root, name, "x");
  }

  private static byte[] member(JsonNode root, String name, String m) throws CryptoException {
    JsonNode k = root.isObject() ? root.get(name) : null;
    JsonNode v = k != null && k.isObject() ? k.get(m) : null;
    if (v == null || !v.isString()) {
      throw new CryptoException(Reason.MALFORMED_KEYS, "private keys lack " + name + "." + m);
    }
    byte[] b;
    try {
      b = Bytes.unb64url(v.stringValue());
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.MALFORMED_KEYS, name + "." + m + " is not base64url");
    }
    if (b.length != 32) {
      throw new CryptoException(Reason.MALFORMED_KEYS, name + "." + m + " is not 32 bytes");
    }
    return b;
  }

  private static void requireEmail(String email) {
    if (email == null || email.isEmpty() || email.getBytes(StandardCharsets.UTF_8).length > 320) {
      throw new IllegalArgumentException("an identity needs a non-empty e-mail");
    }
  }

  @Override
  public String toString() {
    return "Identity[" + email + " " + fingerprint().shortForm() + "]";
  }
}
