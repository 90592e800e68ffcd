package dev.syft.crypto.internal;

import com.google.crypto.tink.aead.internal.InsecureNonceXChaCha20Poly1305;
import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.crypto.tink.subtle.Ed25519Verify;
import com.google.crypto.tink.subtle.Hkdf;
import com.google.crypto.tink.subtle.X25519;
import java.security.GeneralSecurityException;
import org.jspecify.annotations.Nullable;

/**
 * The primitives SYC2 needs, all from Tink, plus the strictness checks Tink does not make
 * (small-order and non-canonical Ed25519 points, all-zero X25519 outputs). No curve or cipher
 * arithmetic is written here.
 */
public final class Prims {
  public static final int KEY_LEN = 32;
  public static final int XNONCE_LEN = 24;
  public static final int TAG_LEN = 16;
  public static final int SIG_LEN = 64;

  /*
   * y coordinates (sign bit cleared) of the Edwards points of order 1, 2, 4 and 8. A strict
   * verifier refuses them as public key or as R, with either sign bit (values >= p are refused
   * separately as non-canonical).
   */
  private static final byte[][] SMALL_ORDER_Y = {
    Bytes.unhex("0000000000000000000000000000000000000000000000000000000000000000"),
    Bytes.unhex("0100000000000000000000000000000000000000000000000000000000000000"),
    Bytes.unhex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
    Bytes.unhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    Bytes.unhex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
  };

  private Prims() {}

  public static byte[] hkdfSha256(byte[] ikm, byte @Nullable [] salt, byte[] info, int len) {
    try {
      return Hkdf.computeHkdf("HMACSHA256", ikm, salt, info, len);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HKDF-SHA256 unavailable", e);
    }
  }

  public static byte[] x25519Public(byte[] secret) {
    try {
      return X25519.publicFromPrivate(secret);
    } catch (java.security.InvalidKeyException e) {
      throw new IllegalArgumentException("X25519 secret must be 32 bytes", e);
    }
  }

  /** X25519 (the scalar is clamped); an all-zero result (a small-order peer key) is refused. */
  public static byte[] x25519(byte[] secret, byte[] peerPublic) throws GeneralSecurityException {
    byte[] out = X25519.computeSharedSecret(secret, peerPublic);
    if (Bytes.allZero(out)) {
      throw new GeneralSecurityException("X25519 produced an all-zero shared secret");
    }
    return out;
  }

  public static byte[] ed25519Public(byte[] seed) {
    try {
      return com.google.crypto.tink.subtle.Ed25519Sign.KeyPair.newKeyPairFromSeed(seed).getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Ed25519 seed must be 32 bytes", e);
    }
  }

  public static byte[] ed25519Sign(byte[] seed, byte[] message) {
    try {
      return new Ed25519Sign(seed).sign(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("Ed25519 signing failed", e);
    }
  }

  /**
   * Strict Ed25519 verification: Tink's check (canonical S, R recomputed and compared byte for
   * byte) plus refusal of small-order or non-canonical public keys and small-order R.
   */
  public static boolean ed25519VerifyStrict(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != KEY_LEN || signature.length != SIG_LEN) {
      return false;
    }
    if (!acceptablePoint(publicKey)) {
      return false;
    }
    byte[] r = java.util.Arrays.copyOf(signature, 32);
    if (isSmallOrder(r)) {
      return false;
    }
    try {
      new Ed25519Verify(publicKey).verify(signature, message);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** A usable Ed25519 public key: canonical y coordinate and not of small order. */
  public static boolean acceptablePoint(byte[] p) {
    return p.length == KEY_LEN && isCanonicalY(p) && !isSmallOrder(p);
  }

  static boolean isSmallOrder(byte[] p) {
    byte[] y = p.clone();
    y[31] &= 0x7f;
    for (byte[] s : SMALL_ORDER_Y) {
      if (java.util.Arrays.equals(s, y)) {
        return true;
      }
    }
    return false;
  }

  /** y (the low 255 bits, little-endian) below p = 2^255 - 19. */
  static boolean isCanonicalY(byte[] p) {
    if ((p[31] & 0x7f) != 0x7f) {
      return true;
    }
    for (int i = 30; i >= 1; i--) {
      if ((p[i] & 0xff) != 0xff) {
        return true;
      }
    }
    return (p[0] & 0xff) < 0xed;
  }

  public static byte[] xchachaSeal(byte[] key, byte[] nonce, byte[] plaintext, byte[] aad) {
    try {
      return new InsecureNonceXChaCha20Poly1305(key).encrypt(nonce, plaintext, aad);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("XChaCha20-Poly1305 refused its input", e);
    }
  }

  public static byte[] xchachaOpen(byte[] key, byte[] nonce, byte[] ciphertext, byte[] aad)
      throws GeneralSecurityException {
    return new InsecureNonceXChaCha20Poly1305(key).decrypt(nonce, ciphertext, aad);
  }
}
