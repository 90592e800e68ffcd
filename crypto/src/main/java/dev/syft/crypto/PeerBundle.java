package dev.syft.crypto;

import dev.syft.crypto.CryptoException.Reason;
import dev.syft.crypto.internal.Bytes;
import dev.syft.crypto.internal.Json;
import dev.syft.crypto.internal.Prims;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * A peer's public keys as published in its DID document: identity key IK (Ed25519), IK-DH and
 * signed prekey SPK (X25519), both signed by IK. Instances are always verified: both signatures
 * checked strictly, every key 32 bytes and IK a canonical point of large order.
 *
 * <p>Pin a peer by {@link #fingerprint()} (of IK); a changed fingerprint means changed keys.
 */
public final class PeerBundle {
  static final String DID_PREFIX = "did:syft:";
  private static final String[] CONTEXT = {
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://w3id.org/security/suites/x25519-2020/v1",
  };

  private final String identity;
  private final byte[] ik;
  private final byte[] ikdh;
  private final byte[] ikdhSig;
  private final byte[] spk;
  private final byte[] spkSig;

  private PeerBundle(String identity, byte[] ik, byte[] ikdh, byte[] ikdhSig, byte[] spk, byte[] spkSig) {
    this.identity = identity;
    this.ik = ik;
    this.ikdh = ikdh;
    this.ikdhSig = ikdhSig;
    this.spk = spk;
    this.spkSig = spkSig;
  }

  /** Builds and verifies a bundle from raw parts. */
  static PeerBundle of(String identity, byte[] ik, byte[] ikdh, byte[] ikdhSig, byte[] spk, byte[] spkSig)
      throws CryptoException {
    if (ik.length != 32 || ikdh.length != 32 || spk.length != 32) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle keys must be 32 bytes");
    }
    if (!Prims.acceptablePoint(ik)) {
      throw new CryptoException(Reason.WEAK_KEY, "identity key of " + identity + " is not an acceptable Ed25519 key");
    }
    if (!Prims.ed25519VerifyStrict(ik, ikdh, ikdhSig)) {
      throw new CryptoException(Reason.BAD_BUNDLE_SIGNATURE, "identity-dh signature of " + identity + " does not verify");
    }
    if (!Prims.ed25519VerifyStrict(ik, spk, spkSig)) {
      throw new CryptoException(Reason.BAD_BUNDLE_SIGNATURE, "signed-prekey signature of " + identity + " does not verify");
    }
    return new PeerBundle(identity, ik.clone(), ikdh.clone(), ikdhSig.clone(), spk.clone(), spkSig.clone());
  }

  /**
   * Parses and verifies a DID document as syft-client publishes it: the bare document, the
   * document with syft-client's top-level {@code "identity"} (which must then match the DID), or
   * the bundle file body {@code {"public_encryption_bundle": <document>}}.
   */
  public static PeerBundle parse(String json) throws CryptoException {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle is not JSON: " + e.getMessage());
    }
    if (root.isObject() && root.has("public_encryption_bundle")) {
      root = root.get("public_encryption_bundle");
    }
    if (!root.isObject()) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle is not a JSON object");
    }
    String did = text(root, "id");
    if (!did.startsWith(DID_PREFIX) || did.length() == DID_PREFIX.length()) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle id is not a did:syft: identifier");
    }
    String identity = did.substring(DID_PREFIX.length());
    JsonNode extra = root.get("identity");
    if (extra != null && !(extra.isString() && extra.stringValue().equals(identity))) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle identity does not match its DID " + did);
    }
    byte[] ik = null;
    for (JsonNode vm : array(root, "verificationMethod")) {
      if (vm.isObject() && "Ed25519VerificationKey2020".equals(optText(vm, "type"))) {
        ik = key(vm.get("publicKeyJwk"), "x");
        break;
      }
    }
    if (ik == null) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle has no Ed25519VerificationKey2020");
    }
    JsonNode dhJwk = null;
    JsonNode spkJwk = null;
    for (JsonNode ka : array(root, "keyAgreement")) {
      JsonNode jwk = ka.isObject() ? ka.get("publicKeyJwk") : null;
      String kid = jwk != null && jwk.isObject() ? optText(jwk, "kid") : null;
      if ("identity-dh".equals(kid) && dhJwk == null) {
        dhJwk = jwk;
      } else if ("signed-prekey".equals(kid) && spkJwk == null) {
        spkJwk = jwk;
      }
    }
    if (dhJwk == null || spkJwk == null) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle lacks the identity-dh or signed-prekey key");
    }
    return of(identity, ik, key(dhJwk, "x"), key(dhJwk, "signature"), key(spkJwk, "x"), key(spkJwk, "signature"));
  }

  /** Identity (e-mail) the DID names. */
  public String identity() {
    return identity;
  }

  public String did() {
    return DID_PREFIX + identity;
  }

  /** Fingerprint of the identity key: what to pin and to compare out of band. */
  public Fingerprint fingerprint() {
    return Fingerprint.ofKey(ik);
  }

  public Fingerprint signedPrekeyFingerprint() {
    return Fingerprint.ofKey(spk);
  }

  public Fingerprint identityDhFingerprint() {
    return Fingerprint.ofKey(ikdh);
  }

  /** The DID document exactly as syft-crypto serializes it (compact, members sorted). */
  public String didDocumentJson() {
    return Json.canonicalString(didDocument());
  }

  /** The body of syft-client's bundle file {@code encryption_bundle_<me>_for_<peer>.json}. */
  public String bundleFileJson() {
    ObjectNode body = Json.object();
    body.set("public_encryption_bundle", didDocument());
    return Json.canonicalString(body);
  }

  /**
   * The bundle file body advertising the payload suites its publisher reads, as a top-level
   * {@value #READABLE_SUITES} array beside {@code public_encryption_bundle}. syft-client only takes
   * {@code public_encryption_bundle} from the file, so the extra member is invisible to it.
   */
  public String bundleFileJson(java.util.Collection<Suite> readable) {
    ObjectNode body = Json.object();
    body.set("public_encryption_bundle", didDocument());
    ArrayNode suites = body.putArray(READABLE_SUITES);
    readable.stream().sorted().forEach(s -> suites.add(s.wireName()));
    return Json.canonicalString(body);
  }

  /** Top-level member of a bundle file listing the suites its publisher reads (ours; optional). */
  public static final String READABLE_SUITES = "readable_suites";

  /**
   * The suites a bundle file's publisher declares it reads. Every reader reads {@link Suite#SINGLE};
   * a file without the member (syft-client, older syft-java) or with a malformed one declares nothing
   * more. Unknown suite names are ignored.
   */
  public static java.util.Set<Suite> readableSuites(String bundleFileJson) {
    java.util.EnumSet<Suite> out = java.util.EnumSet.of(Suite.SINGLE);
    JsonNode root;
    try {
      root = Json.parse(bundleFileJson);
    } catch (IllegalArgumentException e) {
      return out;
    }
    JsonNode list = root.isObject() ? root.get(READABLE_SUITES) : null;
    if (list != null && list.isArray()) {
      for (JsonNode n : list) {
        if (n.isString()) {
          Suite.fromWireName(n.stringValue()).ifPresent(out::add);
        }
      }
    }
    return out;
  }

  ObjectNode didDocument() {
    String did = did();
    ObjectNode doc = Json.object();
    ArrayNode ctx = doc.putArray("@context");
    for (String c : CONTEXT) {
      ctx.add(c);
    }
    doc.put("id", did);
    ArrayNode ka = doc.putArray("keyAgreement");
    ka.add(method(did, "identity-dh", "X25519KeyAgreementKey2020", jwk("X25519", "identity-dh", "enc", ikdh, ikdhSig)));
    ka.add(method(did, "signed-prekey", "X25519KeyAgreementKey2020", jwk("X25519", "signed-prekey", "enc", spk, spkSig)));
    doc.putArray("verificationMethod")
        .add(method(did, "identity-key", "Ed25519VerificationKey2020", jwk("Ed25519", "identity-key", "sig", ik, null)));
    return doc;
  }

  private static ObjectNode method(String did, String kid, String type, ObjectNode jwk) {
    ObjectNode m = Json.object();
    m.put("controller", did);
    m.put("id", did + "#" + kid);
    m.set("publicKeyJwk", jwk);
    m.put("type", type);
    return m;
  }

  private static ObjectNode jwk(String crv, String kid, String use, byte[] x, byte @Nullable [] sig) {
    ObjectNode j = Json.object();
    j.put("crv", crv);
    j.put("kid", kid);
    j.put("kty", "OKP");
    if (sig != null) {
      j.put("signature", Bytes.b64url(sig));
    }
    j.put("use", use);
    j.put("x", Bytes.b64url(x));
    return j;
  }

  byte[] ik() {
    return ik;
  }

  byte[] ikdh() {
    return ikdh;
  }

  byte[] spk() {
    return spk;
  }

  private static Iterable<JsonNode> array(JsonNode root, String name) throws CryptoException {
    JsonNode a = root.get(name);
    if (a == null || !a.isArray()) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle lacks the array " + name);
    }
    return a;
  }

  private static String text(JsonNode n, String name) throws CryptoException {
    String s = optText(n, name);
    if (s == null) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle lacks the string " + name);
    }
    return s;
  }

  private static @Nullable String optText(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v != null && v.isString() ? v.stringValue() : null;
  }

  private static byte[] key(JsonNode jwk, String member) throws CryptoException {
    if (jwk == null || !jwk.isObject()) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle key is not a JWK object");
    }
    String s = text(jwk, member);
    try {
      return Bytes.unb64url(s);
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.MALFORMED_BUNDLE, "bundle JWK member " + member + " is not base64url");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerBundle b && identity.equals(b.identity) && java.util.Arrays.equals(ik, b.ik)
        && java.util.Arrays.equals(ikdh, b.ikdh) && java.util.Arrays.equals(spk, b.spk);
  }

  @Override
  public int hashCode() {
    return identity.hashCode() * 31 + java.util.Arrays.hashCode(ik);
  }

  @Override
  public String toString() {
    return "PeerBundle[" + identity + " " + fingerprint().shortForm() + "]";
  }
}
