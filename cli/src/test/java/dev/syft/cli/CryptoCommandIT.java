package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code syft crypto} and {@code syft keys} through the packaged jar, on the crypto golden vectors. */
class CryptoCommandIT {
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  static JsonNode derivation;
  static JsonNode envelopes;
  static JsonNode negative;

  @TempDir Path tmp;

  @BeforeAll
  static void vectors() throws Exception {
    Path dir = PermsCheckReferenceTest.repo().resolve("vectors/crypto");
    derivation = MAPPER.readTree(Files.readString(dir.resolve("key_derivation.json"))).get("cases");
    envelopes = MAPPER.readTree(Files.readString(dir.resolve("envelopes.json"))).get("cases");
    negative = MAPPER.readTree(Files.readString(dir.resolve("envelope_negative.json"))).get("cases");
  }

  static JsonNode byField(JsonNode cases, String field, String value) {
    for (JsonNode c : cases) {
      if (c.get(field).stringValue().equals(value)) {
        return c;
      }
    }
    throw new AssertionError("no case " + field + "=" + value);
  }

  CliEndToEndIT.Run run(String... args) throws Exception {
    return CliEndToEndIT.syft(tmp, args);
  }

  CliEndToEndIT.Run ok(String... args) throws Exception {
    CliEndToEndIT.Run r = run(args);
    assertThat(r.exit()).as("syft %s\nstdout: %s\nstderr: %s", String.join(" ", args), r.out(), r.err()).isZero();
    return r;
  }

  Path write(String name, String hex) throws Exception {
    Path p = tmp.resolve(name);
    Files.write(p, HexFormat.of().parseHex(hex));
    return p;
  }

  @Test
  void deriveInspectAndDecryptAReferenceEnvelope() throws Exception {
    JsonNode alice = byField(derivation, "name", "alice");
    JsonNode bob = byField(derivation, "name", "bob");
    // derive prints the DID document and the private JWKS exactly as the vectors spell them, from hex or words
    List<String> lines = ok("crypto", "derive", "--recovery-key", alice.get("recovery_key_dashed_hex").stringValue(),
        "--email", "alice@example.org", "--did-out", tmp.resolve("alice.did.json").toString()).out().lines().toList();
    assertThat(lines).containsExactly(alice.get("did_document_json").stringValue(), alice.get("private_jwks_json").stringValue());
    Path bobKeys = tmp.resolve("bob.jwks.json");
    lines = ok("crypto", "derive", "--recovery-key", bob.get("recovery_key_bip39_english").stringValue(),
        "--email", "bob@example.org", "--jwks-out", bobKeys.toString()).out().lines().toList();
    assertThat(lines.get(1)).isEqualTo(bob.get("private_jwks_json").stringValue());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bobKeys))).isEqualTo("rw-------");
    assertThat(Files.readString(bobKeys)).isEqualTo(bob.get("private_jwks_json").stringValue());

    JsonNode three = byField(envelopes, "id", "env-small-3r");
    Path env3 = write("three.syc2", three.get("envelope_hex").stringValue());
    String shown = ok("crypto", "inspect", env3.toString()).out();
    assertThat(shown).contains("sender:      alice@example.org", "bob@example.org", "carol@example.org",
        "xchacha20poly1305-v1", "msgv2_1700000000_x.tar.gz");
    JsonNode json = MAPPER.readTree(ok("crypto", "inspect", "--json", env3.toString()).out());
    assertThat(json.get("recipients")).hasSize(3);
    assertThat(json.get("ciphertext_len").longValue()).isEqualTo(three.get("ciphertext_len").longValue());

    String[] decrypt = {"crypto", "decrypt", "--identity", "bob@example.org", "--keys", bobKeys.toString(),
        "--sender", tmp.resolve("alice.did.json").toString()};
    CliEndToEndIT.Run r = ok(concat(decrypt, env3.toString()));
    assertThat(r.out()).isEqualTo("hello syc2");
    Path outFile = tmp.resolve("plain.bin");
    ok(concat(decrypt, "--out", outFile.toString(), env3.toString()));
    assertThat(Files.readString(outFile)).isEqualTo("hello syc2");
  }

  @Test
  void decryptNamesTheFailingStep() throws Exception {
    ok("crypto", "derive", "--recovery-key", byField(derivation, "name", "alice").get("recovery_key_hex").stringValue(),
        "--email", "alice@example.org", "--did-out", tmp.resolve("alice.did.json").toString());
    Path bobKeys = tmp.resolve("bob.jwks.json");
    ok("crypto", "derive", "--recovery-key", byField(derivation, "name", "bob").get("recovery_key_hex").stringValue(),
        "--email", "bob@example.org", "--jwks-out", bobKeys.toString());
    String[] decrypt = {"crypto", "decrypt", "--identity", "bob@example.org", "--keys", bobKeys.toString(),
        "--sender", tmp.resolve("alice.did.json").toString()};
    String[][] cases = {
      {"noncanonical_space", "parse failed"},
      {"signature_bitflip_first", "signature failed"},
      {"ciphertext_bitflip_last", "decrypt failed"},
    };
    for (String[] c : cases) {
      Path f = write(c[0] + ".syc2", byField(negative, "id", c[0]).get("envelope_hex").stringValue());
      CliEndToEndIT.Run r = run(concat(decrypt, "--out", tmp.resolve(c[0] + ".out").toString(), f.toString()));
      assertThat(r.exit()).as(c[0]).isEqualTo(1);
      assertThat(r.err().strip()).as(c[0]).startsWith("syft: " + c[1]).doesNotContain("\n");
      assertThat(tmp.resolve(c[0] + ".out")).as("nothing written for " + c[0]).doesNotExist();
    }
    Path good = write("good.syc2", byField(negative, "id", "control_unmodified").get("envelope_hex").stringValue());
    CliEndToEndIT.Run notMine = run("crypto", "decrypt", "--identity", "dave@example.org", "--keys", bobKeys.toString(),
        "--sender", tmp.resolve("alice.did.json").toString(), good.toString());
    assertThat(notMine.exit()).isEqualTo(1);
    assertThat(notMine.err()).contains("decrypt failed (NOT_A_RECIPIENT)");
    assertThat(notMine.out()).isEmpty();
  }

  @Test
  void keysLifecycleInAHome() throws Exception {
    JsonNode alice = byField(derivation, "name", "alice");
    String home = tmp.resolve("alice").toString();
    ok("init", "--email", "alice@example.org", "--transport", "local:" + tmp.resolve("shared"), "--home", home);
    // init creates keys (end-to-end encryption is on by default); restoring others needs --force
    assertThat(ok("keys", "show", "--home", home).out()).contains("alice@example.org");
    ok("keys", "restore", "--home", home, "--force", "--recovery-key",
        alice.get("recovery_key_bip39_english").stringValue());
    Path keyFile = Path.of(home, ".syft", "crypto_keys.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
    JsonNode shown = MAPPER.readTree(ok("keys", "show", "--home", home, "--json").out());
    assertThat(shown.get("fingerprint").stringValue()).isEqualTo(alice.get("ik_fingerprint").stringValue());
    assertThat(shown.get("signed_prekey_fingerprint").stringValue()).isEqualTo(alice.get("spk_fingerprint").stringValue());
    assertThat(ok("keys", "show", "--home", home, "--did").out().strip()).isEqualTo(alice.get("did_document_json").stringValue());
    assertThat(ok("keys", "export-recovery", "--home", home).out())
        .contains(alice.get("recovery_key_bip39_english").stringValue(), alice.get("recovery_key_dashed_hex").stringValue());
    assertThat(ok("keys", "fingerprint", "--home", home).out().lines().toList())
        .containsExactly("EC31 EFA2 2669 B06E BD01 12F2 D0EB E896", alice.get("ik_fingerprint").stringValue());
    CliEndToEndIT.Run peer = run("keys", "fingerprint", "bob@example.org", "--home", home);
    assertThat(peer.exit()).isEqualTo(1);
    assertThat(peer.err()).contains("no key pinned yet for bob@example.org");
    Path bobDid = tmp.resolve("bob.did.json");
    Files.writeString(bobDid, byField(derivation, "name", "bob").get("did_document_json").stringValue(), StandardCharsets.UTF_8);
    assertThat(ok("keys", "fingerprint", "--bundle", bobDid.toString()).out())
        .contains(byField(derivation, "name", "bob").get("ik_fingerprint").stringValue());

    // other keys over existing ones need --force
    String bobWords = byField(derivation, "name", "bob").get("recovery_key_bip39_english").stringValue();
    CliEndToEndIT.Run clash = run("keys", "restore", "--home", home, "--recovery-key", bobWords);
    assertThat(clash.exit()).isEqualTo(1);
    assertThat(clash.err()).contains("--force");
    CliEndToEndIT.Run bad = run("keys", "restore", "--home", home, "--recovery-key", "00ff".repeat(16));
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("key failed (INSUFFICIENT_ENTROPY)");

    String other = tmp.resolve("zoe").toString();
    ok("init", "--email", "zoe@example.org", "--transport", "local:" + tmp.resolve("shared"), "--home", other);
    assertThat(run("keys", "generate", "--home", other).exit()).isNotZero();
    Files.delete(Path.of(other, ".syft", "crypto_keys.json"));
    String gen = ok("keys", "generate", "--home", other).out();
    String words = gen.lines().filter(l -> l.startsWith("recovery key (words): ")).findFirst().orElseThrow()
        .substring("recovery key (words): ".length());
    assertThat(words.split(" ")).hasSize(24);
    assertThat(run("keys", "generate", "--home", other).exit()).isNotZero();
    String fp = ok("keys", "fingerprint", "--home", other).out();
    Files.delete(Path.of(other, ".syft", "crypto_keys.json"));
    ok("keys", "restore", "--home", other, "--recovery-key", words);
    assertThat(ok("keys", "fingerprint", "--home", other).out()).isEqualTo(fp);
  }

  static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /**
   * Sealed proposals from a peer whose key bundle cannot be read stay in the inbox, are retried every
   * round, and {@code status} (text and JSON) says how many wait and why.
   */
  @Test
  void statusSaysWhyMessagesFromAPeerAreHeld() throws Exception {
    String owner = "do@hospital.example";
    String ds = "ds@university.example";
    Path shared = tmp.resolve("held-shared");
    String doHome = tmp.resolve("held-do").toString();
    String dsHome = tmp.resolve("held-ds").toString();
    ok("init", "--email", owner, "--transport", "local:" + shared, "--home", doHome);
    ok("init", "--email", ds, "--transport", "local:" + shared, "--home", dsHome);
    ok("peers", "add", owner, "--home", dsHome);
    String bundleName = "encryption_bundle_" + ds + "_for_" + owner + ".json";
    Path bundle;
    try (var walk = Files.walk(shared)) {
      bundle = walk.filter(p -> p.getFileName().toString().equals(bundleName)).findFirst().orElseThrow();
    }
    Files.writeString(bundle, "{\"public_encryption_bundle\": 42}");
    ok("sync", "--home", doHome);
    ok("peers", "approve", ds, "--home", doHome);
    ok("sync", "--home", dsHome); // pins the owner's key: from now on it seals to the owner
    Path proposed = Path.of(dsHome, owner, "app_data/job/inbox/" + ds + "/hello/run.sh");
    Files.createDirectories(proposed.getParent());
    Files.writeString(proposed, "echo hello\n");
    assertThat(ok("sync", "--home", dsHome).out()).contains("1 change(s) proposed");
    run("sync", "--home", doHome); // exit 1: the round reports the held message
    run("sync", "--home", doHome);

    String expected = "1 message(s) from " + ds + " held: their key bundle is not readable: " + bundleName;
    assertThat(ok("status", "--home", doHome).out()).contains("WARNING: " + expected).contains("retried every round");
    JsonNode status = MAPPER.readTree(ok("status", "--json", "--home", doHome).out()).get("status");
    List<String> warnings = new java.util.ArrayList<>();
    status.get("warnings").forEach(w -> warnings.add(w.stringValue()));
    assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith(expected));
    assertThat(status.get("quarantined").isEmpty()).isTrue();
    assertThat(Path.of(doHome, owner, "app_data/job/inbox/" + ds + "/hello/run.sh")).doesNotExist();
  }
}
