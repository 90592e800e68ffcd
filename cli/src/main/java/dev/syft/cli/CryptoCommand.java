package dev.syft.cli;

import dev.syft.crypto.CryptoException;
import dev.syft.crypto.Envelope;
import dev.syft.crypto.EnvelopeInfo;
import dev.syft.crypto.Identity;
import dev.syft.crypto.PeerBundle;
import dev.syft.crypto.RecoveryKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code syft crypto}: debugging and interop with Python peers' SYC2 envelopes (syft-crypto
 * 0.1.2b2). Needs no client home.
 */
@Command(name = "crypto", mixinStandardHelpOptions = true,
    description = "Inspect, decrypt and derive SYC2 end-to-end encryption material.",
    subcommands = {CryptoCommand.Derive.class, CryptoCommand.Inspect.class, CryptoCommand.Decrypt.class})
final class CryptoCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: derive, inspect or decrypt");
  }

  /** Prints a refused step as one line and returns exit code 1. */
  static int refuse(CommandSpec spec, CryptoException e) {
    spec.commandLine().getErr().println("syft: " + e.describe());
    return Main.EXIT_REFUSED;
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  @Command(name = "derive", mixinStandardHelpOptions = true,
      description = {
        "Print the DID document (line 1) and the private JWKS (line 2) that a recovery key gives an",
        "identity, exactly as syft-crypto serializes them (compact, members sorted).",
        "The JWKS holds private keys: treat the output as secret."},
      footer = {"", "Example:",
        "  syft crypto derive --recovery-key 0001-0203-...-1e1f --email alice@example.org",
        "  syft crypto derive --recovery-key \"abandon amount liar ...\" --email a@x.org --did-out did.json --jwks-out keys.json"})
  static final class Derive implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--recovery-key", required = true, paramLabel = "HEX|WORDS",
        description = "64 hex digits (dashes and spaces ignored) or 24 BIP-39 words.")
    String recoveryKey;

    @Option(names = "--email", required = true, paramLabel = "E", description = "The identity (taken exactly as typed).")
    String email;

    @Option(names = "--did-out", paramLabel = "FILE", description = "Also write the DID document to FILE.")
    Path didOut;

    @Option(names = "--jwks-out", paramLabel = "FILE", description = "Also write the private JWKS to FILE (mode 0600).")
    Path jwksOut;

    @Override
    public Integer call() throws IOException {
      Identity id;
      try {
        id = Identity.derive(RecoveryKey.parse(recoveryKey), email);
      } catch (CryptoException e) {
        return refuse(spec, e);
      }
      String did = id.bundle().didDocumentJson();
      String jwks = id.privateJwksJson();
      if (didOut != null) {
        Files.writeString(didOut, did, StandardCharsets.UTF_8);
      }
      if (jwksOut != null) {
        KeysCommand.writeOwnerOnly(jwksOut, jwks);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(did);
      out.println(jwks);
      return Main.EXIT_OK;
    }
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = {"Show what an envelope says about itself: framing, sender, recipients, suite.",
        "Needs no keys; nothing shown is authenticated until the envelope is decrypted."},
      footer = {"", "Example:", "  syft crypto inspect msgv2_1700000000_x.tar.gz --json"})
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The envelope.")
    Path file;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
      EnvelopeInfo info;
      long size = Files.size(file);
      try (InputStream in = Files.newInputStream(file)) {
        info = Envelope.inspectHead(in);
      } catch (CryptoException e) {
        return refuse(spec, e);
      }
      long actualCt = size - info.headerLength();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "SYC2");
        m.put("version", info.version());
        m.put("canon", info.canon());
        m.put("created_at", info.createdAt());
        m.put("sender", Map.of("identity", info.senderIdentity(), "ik_fingerprint", info.senderIkFingerprint()));
        m.put("recipients", info.recipients().stream().map(r -> {
          Map<String, Object> rm = new LinkedHashMap<>();
          rm.put("identity", r.identity());
          rm.put("device_label", r.deviceLabel());
          rm.put("spk_fingerprint", r.spkFingerprint());
          rm.put("signed_prekey_id", r.signedPrekeyId());
          return rm;
        }).toList());
        m.put("recipient_set_fpr", info.recipientSetFingerprint());
        m.put("suite", info.suite());
        m.put("segment_count", info.segmentCount());
        m.put("last_segment_bytes", info.lastSegmentBytes());
        m.put("ciphertext_len", info.ciphertextLength());
        m.put("ciphertext_len_actual", actualCt);
        m.put("integrity", info.integrity());
        m.put("filename_hint", info.filenameHint());
        m.put("prelude_len", info.preludeLength());
        m.put("header_len", info.headerLength());
        out.println(Json.write(m));
      } else {
        out.println("format:      SYC2 v" + info.version() + " (" + info.canon() + ")");
        out.println("prelude:     " + info.preludeLength() + " bytes, header " + info.headerLength() + " bytes");
        out.println("created_at:  " + info.createdAt() + " (" + java.time.Instant.ofEpochSecond(info.createdAt()) + ")");
        out.println("sender:      " + info.senderIdentity() + "  ik " + info.senderIkFingerprint());
        out.println("recipients:  " + info.recipients().size());
        for (EnvelopeInfo.Recipient r : info.recipients()) {
          out.println("  " + r.identity() + "  spk " + r.spkFingerprint());
        }
        out.println("suite:       " + info.suite() + ", " + info.segmentCount() + " segment(s)");
        out.println("ciphertext:  " + info.ciphertextLength() + " bytes declared, " + actualCt + " present"
            + (actualCt == info.ciphertextLength() ? "" : "  (MISMATCH)"));
        out.println("integrity:   " + (info.integrity() == null ? "(none)" : info.integrity()));
        out.println("filename:    " + (info.filenameHint() == null ? "(none)" : info.filenameHint()));
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "decrypt", mixinStandardHelpOptions = true,
      description = {"Verify and decrypt an envelope, writing the plaintext to stdout (or --out).",
        "Nothing is written unless every check passes; on failure exit 1 names the failing step:",
        "parse, signature or decrypt."},
      footer = {"", "Example:",
        "  syft crypto decrypt --identity bob@example.org --keys bob.jwks.json --sender alice.did.json msg.syc2 > msg.tar.gz"})
  static final class Decrypt implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--identity", required = true, paramLabel = "E", description = "Your identity, exactly as the envelope names it.")
    String identity;

    @Option(names = "--keys", required = true, paramLabel = "JWKS.json",
        description = "Your private JWKS (as 'crypto derive' prints it), or a crypto_keys.json.")
    Path keys;

    @Option(names = "--sender", required = true, paramLabel = "DID.json",
        description = "The sender's DID document (or bundle file).")
    Path sender;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the plaintext to FILE instead of stdout.")
    Path out;

    @Parameters(index = "0", paramLabel = "FILE", description = "The envelope.")
    Path file;

    @Override
    public Integer call() throws IOException {
      Identity me;
      PeerBundle from;
      try {
        me = Identity.fromPrivateJwks(identity, read(keys));
        from = PeerBundle.parse(read(sender));
      } catch (CryptoException e) {
        return refuse(spec, e);
      }
      Path target = out != null ? out : Files.createTempFile("syft-decrypt-", ".bin");
      try {
        Envelope.openFile(file, target, me, from);
        if (out == null) {
          spec.commandLine().getOut().flush();
          OutputStream stdout = System.out;
          Files.copy(target, stdout);
          stdout.flush();
        }
        return Main.EXIT_OK;
      } catch (CryptoException e) {
        return refuse(spec, e);
      } finally {
        if (out == null) {
          Files.deleteIfExists(target);
        }
      }
    }
  }

}
