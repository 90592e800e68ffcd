package dev.syft.cli;

import dev.syft.core.Home;
import dev.syft.crypto.CryptoException;
import dev.syft.crypto.Fingerprint;
import dev.syft.crypto.Identity;
import dev.syft.crypto.PeerBundle;
import dev.syft.crypto.PrivateKeyFile;
import dev.syft.crypto.RandomSource;
import dev.syft.crypto.RecoveryKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code syft keys}: this home's end-to-end encryption keys, kept in {@code <home>/.syft/crypto_keys.json}
 * (mode 0600, never synced).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "This client's end-to-end encryption keys: create, show, back up and restore.",
    subcommands = {KeysCommand.Generate.class, KeysCommand.Show.class, KeysCommand.ExportRecovery.class,
        KeysCommand.Restore.class, KeysCommand.FingerprintCmd.class})
final class KeysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand: generate, show, export-recovery, restore or fingerprint");
  }

  static void writeOwnerOnly(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".syft-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The home's keys, or a refusal naming how to create them. */
  static Identity load(Home h) throws IOException, CryptoException {
    Path file = PrivateKeyFile.in(h.dir());
    Optional<Identity> id = PrivateKeyFile.read(file);
    if (id.isEmpty()) {
      throw new IllegalStateException("no encryption keys in " + h.dir() + " yet: run 'syft keys generate' or 'syft keys restore'");
    }
    if (!id.get().email().equals(h.email())) {
      throw new IllegalStateException("key file " + file + " belongs to " + id.get().email() + ", not " + h.email());
    }
    return id.get();
  }

  static void printRecovery(PrintWriter out, RecoveryKey rk) {
    out.println("recovery key (words): " + rk.toWords());
    out.println("recovery key (hex):   " + rk.toDashedHex());
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = {"Create this home's keys from a new recovery key and show that key once.",
        "Write the 24 words down: they are the only way to restore these keys."},
      footer = {"", "Example:", "  syft keys generate --home ~/alice"})
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Override
    public Integer call() throws IOException {
      Home h = home.open();
      Path file = PrivateKeyFile.in(h.dir());
      if (Files.exists(file)) {
        throw new UsageException("this home already has keys (" + file + "); 'syft keys show' prints them");
      }
      Identity id = Identity.generate(h.email(), RandomSource.secure());
      PrivateKeyFile.write(file, id, false);
      PrintWriter out = spec.commandLine().getOut();
      out.println("keys created for " + h.email() + " in " + file);
      out.println("fingerprint: " + id.fingerprint().shortForm());
      printRecovery(out, id.recoveryKey().orElseThrow());
      return Main.EXIT_OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show this home's identity, key fingerprints and (with --did) the published DID document.",
      footer = {"", "Example:", "  syft keys show --home ~/alice --json"})
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--did", description = "Print the DID document (what peers receive), compact.")
    boolean did;

    @Override
    public Integer call() throws IOException {
      Home h = home.open();
      Identity id;
      try {
        id = load(h);
      } catch (CryptoException e) {
        return CryptoCommand.refuse(spec, e);
      }
      PrintWriter out = spec.commandLine().getOut();
      PeerBundle b = id.bundle();
      if (did) {
        out.println(b.didDocumentJson());
        return Main.EXIT_OK;
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("identity", id.email());
        m.put("did", b.did());
        m.put("fingerprint", b.fingerprint().hex());
        m.put("fingerprint_short", b.fingerprint().shortForm());
        m.put("identity_dh_fingerprint", b.identityDhFingerprint().hex());
        m.put("signed_prekey_fingerprint", b.signedPrekeyFingerprint().hex());
        m.put("key_file", PrivateKeyFile.in(h.dir()).toString());
        m.put("recovery_key_stored", id.recoveryKey().isPresent());
        out.println(Json.write(m));
      } else {
        out.println("identity:     " + id.email() + " (" + b.did() + ")");
        out.println("fingerprint:  " + b.fingerprint().shortForm());
        out.println("              " + b.fingerprint().hex());
        out.println("signed prekey " + b.signedPrekeyFingerprint().hex());
        out.println("key file:     " + PrivateKeyFile.in(h.dir()));
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "export-recovery", mixinStandardHelpOptions = true,
      description = {"Print the recovery key (24 words and dashed hex). Anyone who has it can read",
        "your messages and sign as you: keep it offline."},
      footer = {"", "Example:", "  syft keys export-recovery --home ~/alice"})
  static final class ExportRecovery implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Override
    public Integer call() throws IOException {
      Home h = home.open();
      Identity id;
      try {
        id = load(h);
      } catch (CryptoException e) {
        return CryptoCommand.refuse(spec, e);
      }
      if (id.recoveryKey().isEmpty()) {
        spec.commandLine().getErr().println("syft: the key file holds no recovery key (keys were imported without one)");
        return Main.EXIT_REFUSED;
      }
      printRecovery(spec.commandLine().getOut(), id.recoveryKey().get());
      return Main.EXIT_OK;
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = {"Recreate this home's keys from a recovery key (24 words or hex).",
        "Replacing different existing keys needs --force (peers will see a changed fingerprint)."},
      footer = {"", "Example:", "  syft keys restore --home ~/alice --recovery-key \"abandon amount liar ...\""})
  static final class Restore implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--recovery-key", required = true, paramLabel = "HEX|WORDS",
        description = "64 hex digits (dashes and spaces ignored) or 24 BIP-39 words.")
    String recoveryKey;

    @Option(names = "--force", description = "Replace existing keys that differ.")
    boolean force;

    @Override
    public Integer call() throws IOException {
      Home h = home.open();
      Identity id;
      Optional<Identity> existing;
      Path file = PrivateKeyFile.in(h.dir());
      try {
        id = Identity.derive(RecoveryKey.parse(recoveryKey), h.email());
        existing = Files.exists(file) ? PrivateKeyFile.read(file) : Optional.empty();
      } catch (CryptoException e) {
        return CryptoCommand.refuse(spec, e);
      }
      if (existing.isPresent() && !existing.get().bundle().equals(id.bundle()) && !force) {
        spec.commandLine().getErr().println("syft: this home has different keys (fingerprint "
            + existing.get().fingerprint().shortForm() + "); add --force to replace them");
        return Main.EXIT_REFUSED;
      }
      PrivateKeyFile.write(file, id, true);
      spec.commandLine().getOut().println("keys restored for " + h.email() + ", fingerprint " + id.fingerprint().shortForm());
      return Main.EXIT_OK;
    }
  }

  @Command(name = "fingerprint", mixinStandardHelpOptions = true,
      description = {"Print a fingerprint to compare out of band (short form, then hex): your own,",
        "a peer's pinned one, or the one of a DID document file."},
      footer = {"", "Examples:", "  syft keys fingerprint", "  syft keys fingerprint bob@example.org",
        "  syft keys fingerprint --bundle bob.did.json"})
  static final class FingerprintCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PEER", description = "A peer's e-mail.")
    String peer;

    @Option(names = "--bundle", paramLabel = "FILE", description = "A DID document or bundle file instead of a peer.")
    Path bundle;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      Fingerprint f;
      try {
        if (bundle != null) {
          f = PeerBundle.parse(CryptoCommand.read(bundle)).fingerprint();
        } else if (peer != null) {
          java.util.Optional<String> pinned;
          try (dev.syft.core.SyftClient c = dev.syft.core.SyftClient.open(home.resolve())) {
            pinned = c.peers().pinnedFingerprint(peer);
          }
          if (pinned.isEmpty()) {
            spec.commandLine().getErr().println("syft: no key pinned yet for " + peer
                + " (it is pinned when they publish one, at the first sync after pairing)");
            return Main.EXIT_REFUSED;
          }
          f = new Fingerprint(pinned.get());
        } else {
          f = load(home.open()).fingerprint();
        }
      } catch (CryptoException e) {
        return CryptoCommand.refuse(spec, e);
      }
      out.println(f.shortForm());
      out.println(f.hex());
      return Main.EXIT_OK;
    }
  }
}
