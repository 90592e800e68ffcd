package dev.syft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.syft.crypto.CryptoException.Reason;
import dev.syft.crypto.CryptoException.Step;
import dev.syft.crypto.internal.Bytes;
import dev.syft.crypto.internal.Prims;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our own writer and reader beyond the vectors: integrity, the segmented suite, tampering, bundles. */
class EnvelopeTest {
  static Identity alice;
  static Identity bob;
  static Identity carol;

  @TempDir Path tmp;

  @BeforeAll
  static void keys() throws Exception {
    alice = Vectors.identity("alice");
    bob = Vectors.identity("bob");
    carol = Vectors.identity("carol");
  }

  static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  @Test
  void defaultSealFillsIntegrityAndRoundTrips() throws Exception {
    byte[] env = Envelope.seal(alice, List.of(bob, alice).stream().map(Identity::bundle).toList(), pattern(1000),
        SealOptions.defaults().withFilenameHint("msgv2_1.tar.gz"));
    EnvelopeInfo info = Envelope.inspect(env);
    byte[] ct = java.util.Arrays.copyOfRange(env, (int) info.headerLength(), env.length);
    assertThat(info.integrity()).isEqualTo("sha256:" + Bytes.hex(Bytes.sha256(ct)));
    assertThat(info.filenameHint()).isEqualTo("msgv2_1.tar.gz");
    assertThat(Envelope.open(env, bob, alice.bundle())).isEqualTo(pattern(1000));
    assertThat(Envelope.open(env, alice, alice.bundle())).isEqualTo(pattern(1000));
  }

  @Test
  void bundleFileDeclaresReadableSuitesBesideWhatTheReferenceReads() throws Exception {
    String declared = alice.bundle().bundleFileJson(java.util.EnumSet.allOf(Suite.class));
    // syft-client takes only public_encryption_bundle from the file: the declaration is one more member
    tools.jackson.databind.JsonNode root = dev.syft.crypto.internal.Json.parse(declared);
    assertThat(root.propertyNames()).containsExactlyInAnyOrder("public_encryption_bundle", "readable_suites");
    assertThat(dev.syft.crypto.internal.Json.canonicalString(root.get("public_encryption_bundle")))
        .isEqualTo(alice.bundle().didDocumentJson());
    assertThat(PeerBundle.parse(declared).fingerprint()).isEqualTo(alice.bundle().fingerprint());
    assertThat(PeerBundle.readableSuites(declared)).containsExactlyInAnyOrder(Suite.SINGLE, Suite.STREAM);
    // the reference's file, a malformed declaration, unknown suites: single-shot only
    assertThat(PeerBundle.readableSuites(alice.bundle().bundleFileJson())).containsExactly(Suite.SINGLE);
    assertThat(PeerBundle.readableSuites("{\"readable_suites\":\"xchacha20poly1305-stream-v1\"}"))
        .containsExactly(Suite.SINGLE);
    assertThat(PeerBundle.readableSuites("{\"readable_suites\":[\"rot13\",7]}")).containsExactly(Suite.SINGLE);
    assertThat(PeerBundle.readableSuites("not json")).containsExactly(Suite.SINGLE);
  }

  @Test
  void anotherRecipientCannotSwapTheCiphertext() throws Exception {
    // bob and carol both get the file key; bob re-encrypts other bytes under it and keeps alice's
    // signed prelude. Without integrity the reference would accept it as alice's.
    byte[] env = Envelope.seal(alice, List.of(bob.bundle(), carol.bundle()), Bytes.ascii("pay 10"), SealOptions.defaults());
    EnvelopeCodec.Head head = Envelope.head(env);
    EnvelopeCodec.PayloadKey k = EnvelopeCodec.unwrap(head, bob, alice.bundle());
    byte[] forged = Prims.xchachaSeal(k.fileKey(), k.nonce(), Bytes.ascii("pay 99"), EnvelopeCodec.AAD_FILE);
    byte[] swapped = Bytes.concat(java.util.Arrays.copyOf(env, (int) head.info().headerLength()), forged);
    CryptoException e = catchThrowableOfType(CryptoException.class, () -> Envelope.open(swapped, carol, alice.bundle()));
    assertThat(e.reason()).isEqualTo(Reason.INTEGRITY_MISMATCH);
    assertThat(e.step()).isEqualTo(Step.SIGNATURE);
  }

  @Test
  void streamSuiteRoundTripsAcrossSegmentsWithBoundedBuffers() throws Exception {
    int size = 2 * EnvelopeCodec.SEGMENT + 12345;
    Path plain = tmp.resolve("plain.bin");
    Files.write(plain, pattern(size));
    Path env = tmp.resolve("plain.syc2");
    try (OutputStream out = Files.newOutputStream(env)) {
      Envelope.sealStream(alice, List.of(bob.bundle()), PayloadSource.of(plain), out,
          SealOptions.defaults().withSuite(Suite.STREAM));
    }
    EnvelopeInfo info;
    try (InputStream in = Files.newInputStream(env)) {
      info = Envelope.inspectHead(in);
    }
    assertThat(info.suite()).isEqualTo("xchacha20poly1305-stream-v1");
    assertThat(info.segmentCount()).isEqualTo(3);
    assertThat(info.lastSegmentBytes()).isEqualTo(12345 + 16);
    assertThat(info.ciphertextLength()).isEqualTo(size + 3 * 16);
    assertThat(Files.size(env)).isEqualTo(info.headerLength() + info.ciphertextLength());
    assertThat(info.integrity()).startsWith("sha256:");

    Path out = tmp.resolve("out.bin");
    Envelope.openFile(env, out, bob, alice.bundle());
    assertThat(Files.readAllBytes(out)).isEqualTo(pattern(size));
    assertThat(Envelope.open(Files.readAllBytes(env), bob, alice.bundle())).isEqualTo(pattern(size));
  }

  @Test
  void streamSuiteHandlesEmptyAndExactSegmentPayloads() throws Exception {
    for (int size : new int[] {0, 1, EnvelopeCodec.SEGMENT}) {
      byte[] env = Envelope.seal(alice, List.of(bob.bundle()), pattern(size), SealOptions.defaults().withSuite(Suite.STREAM));
      EnvelopeInfo info = Envelope.inspect(env);
      assertThat(info.segmentCount()).isEqualTo(1);
      assertThat(Envelope.open(env, bob, alice.bundle())).isEqualTo(pattern(size));
    }
  }

  @Test
  void streamSuiteRefusesDroppedReorderedAndTamperedSegments() throws Exception {
    int seg = EnvelopeCodec.SEGMENT + 16;
    byte[] env = Envelope.seal(alice, List.of(bob.bundle()), pattern(2 * EnvelopeCodec.SEGMENT + 10),
        SealOptions.defaults().withSuite(Suite.STREAM).withIntegrity(false));
    int h = (int) Envelope.inspect(env).headerLength();
    byte[] head = java.util.Arrays.copyOf(env, h);
    byte[] s0 = java.util.Arrays.copyOfRange(env, h, h + seg);
    byte[] s1 = java.util.Arrays.copyOfRange(env, h + seg, h + 2 * seg);
    byte[] s2 = java.util.Arrays.copyOfRange(env, h + 2 * seg, env.length);

    byte[] reordered = Bytes.concat(head, s1, s0, s2);
    assertThat(catchThrowableOfType(CryptoException.class, () -> Envelope.open(reordered, bob, alice.bundle())).reason())
        .isEqualTo(Reason.PAYLOAD_DECRYPT_FAILED);
    byte[] tampered = env.clone();
    tampered[h + seg + 5] ^= 1;
    assertThat(catchThrowableOfType(CryptoException.class, () -> Envelope.open(tampered, bob, alice.bundle())).reason())
        .isEqualTo(Reason.PAYLOAD_DECRYPT_FAILED);
    // a stream cut at a segment boundary: the length check refuses it before any decryption
    byte[] cut = Bytes.concat(head, s0, s1);
    assertThat(catchThrowableOfType(CryptoException.class, () -> Envelope.open(cut, bob, alice.bundle())).reason())
        .isEqualTo(Reason.LENGTH_MISMATCH);
    // and when the length is unknown (a pipe), the missing last segment is noticed at its read
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    CryptoException e = catchThrowableOfType(CryptoException.class, () ->
        Envelope.openStream(new ByteArrayInputStream(cut), -1, bob, alice.bundle(), sink, Long.MAX_VALUE));
    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED_STREAM);
  }

  @Test
  void openFileLeavesNothingBehindOnFailure() throws Exception {
    byte[] env = Envelope.seal(alice, List.of(bob.bundle()), pattern(100), SealOptions.defaults());
    env[env.length - 1] ^= 1;
    Path in = tmp.resolve("bad.syc2");
    Files.write(in, env);
    Path target = tmp.resolve("out").resolve("x.bin");
    Files.createDirectories(target.getParent());
    assertThatThrownBy(() -> Envelope.openFile(in, target, bob, alice.bundle())).isInstanceOf(CryptoException.class);
    try (var s = Files.list(target.getParent())) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void singleShotOverTheLimitIsRefusedBeforeReading() throws Exception {
    byte[] env = Envelope.seal(alice, List.of(bob.bundle()), pattern(5000), SealOptions.defaults());
    CryptoException e = catchThrowableOfType(CryptoException.class, () -> Envelope.openStream(
        new ByteArrayInputStream(env), env.length, bob, alice.bundle(), new ByteArrayOutputStream(), 1000));
    assertThat(e.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
  }

  @Test
  void senderIdentityMustMatchThePinnedBundle() throws Exception {
    // alice's keys under another name: the fingerprint matches, the identity does not
    Identity mallory = Identity.derive(Vectors.recoveryKey("alice"), "mallory@example.org");
    byte[] env = Envelope.seal(mallory, List.of(bob.bundle()), pattern(10), SealOptions.defaults());
    CryptoException e = catchThrowableOfType(CryptoException.class, () -> Envelope.open(env, bob, alice.bundle()));
    assertThat(e.reason()).isEqualTo(Reason.SENDER_IDENTITY_MISMATCH);
  }

  @Test
  void nonZeroPaddingIsRefused() throws Exception {
    byte[] env = Envelope.seal(alice, List.of(bob.bundle()), pattern(10), SealOptions.defaults());
    int plen = (int) Bytes.u32Le(env, 5);
    env[9 + plen + 1] = 7;
    assertThat(catchThrowableOfType(CryptoException.class, () -> Envelope.inspect(env)).reason()).isEqualTo(Reason.BAD_PADDING);
  }

  @Test
  void randomGarbageAndPrefixesNeverEscapeAsAnythingButCryptoException() {
    Random r = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[r.nextInt(5000)];
      r.nextBytes(junk);
      if (junk.length >= 4) {
        System.arraycopy(Bytes.ascii("SYC2"), 0, junk, 0, 4);
      }
      if (junk.length >= 5) {
        junk[4] = 1;
      }
      if (junk.length >= 9) {
        Bytes.putU32Le(junk, 5, r.nextInt(6000));
      }
      assertThatThrownBy(() -> Envelope.open(junk, bob, alice.bundle()))
          .isInstanceOfSatisfying(CryptoException.class, e -> assertThat(e.step()).isEqualTo(Step.PARSE));
    }
  }

  @Test
  void bundlesAreVerifiedStrictly() throws Exception {
    String doc = alice.bundle().didDocumentJson();
    assertThat(PeerBundle.parse(doc)).isEqualTo(alice.bundle());
    assertThat(PeerBundle.parse(alice.bundle().bundleFileJson())).isEqualTo(alice.bundle());
    // syft-client's top-level identity beside the document
    String withIdentity = "{\"identity\":\"alice@example.org\"," + doc.substring(1);
    assertThat(PeerBundle.parse(withIdentity)).isEqualTo(alice.bundle());
    String wrongIdentity = "{\"identity\":\"eve@example.org\"," + doc.substring(1);
    assertThat(catchThrowableOfType(CryptoException.class, () -> PeerBundle.parse(wrongIdentity)).reason())
        .isEqualTo(Reason.MALFORMED_BUNDLE);

    // bob's signed prekey spliced into alice's document: its signature no longer verifies
    String spliced = doc.replace(Bytes.b64url(alice.bundle().spk()), Bytes.b64url(bob.bundle().spk()));
    assertThat(catchThrowableOfType(CryptoException.class, () -> PeerBundle.parse(spliced)).reason())
        .isEqualTo(Reason.BAD_BUNDLE_SIGNATURE);

    // a small-order identity key (the identity point) is refused before any signature check
    String weak = doc.replace(Bytes.b64url(alice.bundle().ik()),
        Bytes.b64url(Bytes.unhex("0100000000000000000000000000000000000000000000000000000000000000")));
    assertThat(catchThrowableOfType(CryptoException.class, () -> PeerBundle.parse(weak)).reason())
        .isEqualTo(Reason.WEAK_KEY);
    assertThat(catchThrowableOfType(CryptoException.class, () -> PeerBundle.parse("{\"id\":\"did:web:x\"}")).step())
        .isEqualTo(Step.BUNDLE);
  }

  @Test
  void strictVerifyRefusesNonCanonicalS() {
    byte[] msg = Bytes.ascii("m");
    byte[] sig = Prims.ed25519Sign(alice.ikSeed(), msg);
    assertThat(Prims.ed25519VerifyStrict(alice.bundle().ik(), msg, sig)).isTrue();
    // S + L (the group order) is the same scalar, non-canonically encoded
    java.math.BigInteger l = java.math.BigInteger.TWO.pow(252).add(new java.math.BigInteger("27742317777372353535851937790883648493"));
    byte[] sLe = java.util.Arrays.copyOfRange(sig, 32, 64);
    java.math.BigInteger s = new java.math.BigInteger(1, reverse(sLe)).add(l);
    byte[] sPlusL = reverse(leftPad(s.toByteArray(), 32));
    byte[] bad = Bytes.concat(java.util.Arrays.copyOf(sig, 32), sPlusL);
    assertThat(Prims.ed25519VerifyStrict(alice.bundle().ik(), msg, bad)).isFalse();
  }

  private static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  private static byte[] leftPad(byte[] b, int n) {
    if (b.length == n) {
      return b;
    }
    if (b.length > n) {
      return java.util.Arrays.copyOfRange(b, b.length - n, b.length);
    }
    byte[] r = new byte[n];
    System.arraycopy(b, 0, r, n - b.length, b.length);
    return r;
  }

  @Test
  void fingerprintsHaveAShortHumanForm() {
    Fingerprint f = alice.fingerprint();
    assertThat(f.shortForm()).isEqualTo("EC31 EFA2 2669 B06E BD01 12F2 D0EB E896");
    assertThat(f.matches("ec31efa2-2669b06e bd0112f2 d0ebe896")).isTrue();
    assertThat(f.matches(f.hex().toUpperCase(java.util.Locale.ROOT))).isTrue();
    assertThat(f.matches("EC31 EFA2 2669 B06E BD01 12F2 D0EB E897")).isFalse();
    assertThat(f.matches("EC31 EFA2")).isFalse();
  }

  @Test
  void privateKeyFileIsOwnerOnlyAndRestoresTheSameKeys() throws Exception {
    Identity fresh = Identity.generate("zoe@example.org", RandomSource.secure());
    Path file = PrivateKeyFile.in(tmp);
    PrivateKeyFile.write(file, fresh, false);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    Identity back = PrivateKeyFile.read(file).orElseThrow();
    assertThat(back.bundle()).isEqualTo(fresh.bundle());
    assertThat(back.recoveryKey()).isEqualTo(fresh.recoveryKey());
    assertThatThrownBy(() -> PrivateKeyFile.write(file, fresh, false)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    // restoring from the words gives the same keys
    Identity restored = Identity.derive(RecoveryKey.fromWords(fresh.recoveryKey().orElseThrow().toWords()), "zoe@example.org");
    assertThat(restored.bundle()).isEqualTo(fresh.bundle());

    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(catchThrowableOfType(CryptoException.class, () -> PrivateKeyFile.read(file)).getMessage()).contains("chmod 600");
    assertThat(PrivateKeyFile.read(tmp.resolve("none.json"))).isEmpty();
  }
}
