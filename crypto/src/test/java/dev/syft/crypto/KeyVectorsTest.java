package dev.syft.crypto;

import static dev.syft.crypto.Vectors.hex;
import static dev.syft.crypto.Vectors.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.crypto.CryptoException.Reason;
import dev.syft.crypto.internal.Bytes;
import dev.syft.crypto.internal.Prims;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** key_derivation.json, recovery_key_validation.json and key_agreement.json: every case. */
class KeyVectorsTest {

  static List<JsonNode> derivation() {
    return Vectors.cases("key_derivation");
  }

  static List<JsonNode> validation() {
    return Vectors.cases("recovery_key_validation");
  }

  static List<JsonNode> agreement() {
    return Vectors.cases("key_agreement");
  }

  @Test
  void everyCaseIsCounted() {
    // a case added to or dropped from a vector file must show up here, never be skipped silently
    assertThat(derivation()).hasSize(2);
    assertThat(validation()).hasSize(10);
    assertThat(agreement()).hasSize(2);
  }

  @ParameterizedTest(name = "{index}: derive {0}")
  @MethodSource("derivation")
  void derivesKeysBundleAndJwksExactly(JsonNode c) throws Exception {
    RecoveryKey rk = RecoveryKey.fromHex(s(c, "recovery_key_hex"));
    assertThat(rk.toDashedHex()).isEqualTo(s(c, "recovery_key_dashed_hex"));
    assertThat(rk.toWords()).isEqualTo(s(c, "recovery_key_bip39_english"));
    assertThat(RecoveryKey.fromWords(s(c, "recovery_key_bip39_english"))).isEqualTo(rk);
    assertThat(RecoveryKey.parse(s(c, "recovery_key_dashed_hex"))).isEqualTo(rk);

    Identity id = Identity.derive(rk, s(c, "identity"));
    assertThat(Bytes.hex(id.ikSeed())).isEqualTo(s(c, "ik_ed25519_seed_hex"));
    assertThat(Bytes.hex(id.ikdhSecret())).isEqualTo(s(c, "ikdh_x25519_secret_hex"));
    assertThat(Bytes.hex(id.spkSecret())).isEqualTo(s(c, "spk_x25519_secret_hex"));
    PeerBundle b = id.bundle();
    assertThat(Bytes.hex(b.ik())).isEqualTo(s(c, "ik_ed25519_public_hex"));
    assertThat(Bytes.hex(b.ikdh())).isEqualTo(s(c, "ikdh_x25519_public_hex"));
    assertThat(Bytes.hex(b.spk())).isEqualTo(s(c, "spk_x25519_public_hex"));
    assertThat(Prims.ed25519Sign(id.ikSeed(), b.ikdh())).isEqualTo(hex(c, "ikdh_signature_hex"));
    assertThat(Prims.ed25519Sign(id.ikSeed(), b.spk())).isEqualTo(hex(c, "spk_signature_hex"));
    assertThat(b.fingerprint().hex()).isEqualTo(s(c, "ik_fingerprint"));
    assertThat(b.identityDhFingerprint().hex()).isEqualTo(s(c, "ikdh_fingerprint"));
    assertThat(b.signedPrekeyFingerprint().hex()).isEqualTo(s(c, "spk_fingerprint"));
    assertThat(b.did()).isEqualTo(s(c, "did"));
    assertThat(b.ik().length + b.ikdh().length + b.spk().length + 2 * 64).isEqualTo(c.get("bundle_total_size").intValue());

    assertThat(b.didDocumentJson()).isEqualTo(s(c, "did_document_json"));
    assertThat(id.privateJwksJson()).isEqualTo(s(c, "private_jwks_json"));

    // and back: the published document and the JWKS load to the same keys
    assertThat(PeerBundle.parse(s(c, "did_document_json"))).isEqualTo(b);
    Identity loaded = Identity.fromPrivateJwks(s(c, "identity"), s(c, "private_jwks_json"));
    assertThat(loaded.bundle()).isEqualTo(b);
    assertThat(loaded.recoveryKey()).isEmpty();
  }

  private static final Map<String, Reason> KEY_ERRORS = Map.of(
      "InvalidLength", Reason.INVALID_LENGTH,
      "InvalidHex", Reason.INVALID_HEX,
      "InsufficientEntropy", Reason.INSUFFICIENT_ENTROPY,
      "MnemonicError", Reason.MNEMONIC_ERROR);

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("validation")
  void validatesRecoveryKeysAsTheReference(JsonNode c) throws Exception {
    String input = s(c, "input");
    boolean words = s(c, "parser").equals("from_mnemonic");
    assertThat(s(c, "parser")).isIn("from_hex_string", "from_mnemonic");
    JsonNode result = c.get("result");
    if (result.get("accepted").booleanValue()) {
      RecoveryKey rk = words ? RecoveryKey.fromWords(input) : RecoveryKey.fromHex(input);
      assertThat(rk.toDashedHex()).isEqualTo(s(result, "normalized_dashed_hex"));
      assertThat(RecoveryKey.parse(input)).isEqualTo(rk);
    } else {
      Reason want = KEY_ERRORS.get(s(result, "error_kind"));
      assertThat(want).as("error kind %s is mapped", s(result, "error_kind")).isNotNull();
      assertThatThrownBy(() -> {
        if (words) {
          RecoveryKey.fromWords(input);
        } else {
          RecoveryKey.fromHex(input);
        }
      }).isInstanceOfSatisfying(CryptoException.class, e -> {
        assertThat(e.reason()).isEqualTo(want);
        assertThat(e.step()).isEqualTo(CryptoException.Step.KEY);
        if (!words) {
          assertThat(e.getMessage()).isEqualTo(s(result, "error_message"));
        }
      });
    }
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("agreement")
  void agreesOnKeysAndWrapsAsTheReference(JsonNode c) throws Exception {
    byte[] eph = hex(c, "ephemeral_secret_hex");
    assertThat(Prims.x25519Public(eph)).isEqualTo(hex(c, "ephemeral_public_hex"));
    byte[] dh1 = Prims.x25519(hex(c, "sender_ikdh_secret_hex"), hex(c, "recipient_spk_public_hex"));
    byte[] dh2 = Prims.x25519(hex(c, "sender_spk_secret_hex"), hex(c, "recipient_ikdh_public_hex"));
    byte[] dh3 = Prims.x25519(eph, hex(c, "recipient_ikdh_public_hex"));
    byte[] dh4 = Prims.x25519(eph, hex(c, "recipient_spk_public_hex"));
    assertThat(Bytes.hex(dh1)).isEqualTo(s(c, "dh1_hex"));
    assertThat(Bytes.hex(dh2)).isEqualTo(s(c, "dh2_hex"));
    assertThat(Bytes.hex(dh3)).isEqualTo(s(c, "dh3_hex"));
    assertThat(Bytes.hex(dh4)).isEqualTo(s(c, "dh4_hex"));
    byte[] material = Bytes.concat(dh1, dh2, dh3, dh4);
    assertThat(Bytes.hex(material)).isEqualTo(s(c, "dh_material_hex"));
    // the recipient's mirror computes the same material
    byte[] ephPub = hex(c, "ephemeral_public_hex");
    assertThat(Bytes.concat(
        Prims.x25519(hex(c, "recipient_spk_secret_hex"), hex(c, "sender_ikdh_public_hex")),
        Prims.x25519(hex(c, "recipient_ikdh_secret_hex"), hex(c, "sender_spk_public_hex")),
        Prims.x25519(hex(c, "recipient_ikdh_secret_hex"), ephPub),
        Prims.x25519(hex(c, "recipient_spk_secret_hex"), ephPub))).isEqualTo(material);
    byte[] wrapKey = Prims.hkdfSha256(material, EnvelopeCodec.WRAP_SALT, EnvelopeCodec.WRAP_INFO, 32);
    assertThat(Bytes.hex(wrapKey)).isEqualTo(s(c, "wrap_key_hex"));
    byte[] nonce = hex(c, "wrap_nonce_hex");
    byte[] wrapped = Bytes.concat(nonce, Prims.xchachaSeal(wrapKey, nonce, hex(c, "file_key_hex"), EnvelopeCodec.AAD_WRAP));
    assertThat(Bytes.hex(wrapped)).isEqualTo(s(c, "wrapped_file_key_hex"));
    assertThat(Bytes.b64url(wrapped)).isEqualTo(s(c, "wrap_ciphertext_b64url"));
    assertThat(Bytes.b64url(ephPub)).isEqualTo(s(c, "wrap_ephemeral_public_b64url"));

    // the writer, fed the same randomness, produces the same wrapping
    Identity sender = Vectors.identity(s(c, "sender"));
    assertThat(Bytes.hex(sender.ikdhSecret())).isEqualTo(s(c, "sender_ikdh_secret_hex"));
    PeerBundle recipient = Vectors.bundle(s(c, "recipient"));
    Vectors.ScriptedRandom rng = new Vectors.ScriptedRandom(Bytes.concat(hex(c, "file_key_hex"), new byte[24], eph, nonce));
    EnvelopeCodec.Sealing sealing = EnvelopeCodec.prepare(sender, List.of(recipient), Suite.SINGLE, rng);
    assertThat(rng.exhausted()).isTrue();
    assertThat(sealing.wrappings().get(0).get("wrap_ciphertext").stringValue()).isEqualTo(s(c, "wrap_ciphertext_b64url"));
    assertThat(sealing.wrappings().get(0).get("wrap_ephemeral_public").stringValue())
        .isEqualTo(s(c, "wrap_ephemeral_public_b64url"));
  }
}
