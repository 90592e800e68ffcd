package dev.syft.crypto;

import dev.syft.crypto.CryptoException.Reason;
import dev.syft.crypto.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The private key file of a client home: {@code <home>/.syft/crypto_keys.json}, owner-only (0600),
 * outside the datasite so it is never synced. Body, close to syft-client's: {@code {"email",
 * "keys_jwk": <private JWKS>, "recovery_key": <dashed hex>}} (the recovery key is kept so
 * {@code syft keys export-recovery} can show it again; it grants no more than the keys themselves).
 */
public final class PrivateKeyFile {
  public static final String FILE_NAME = "crypto_keys.json";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private PrivateKeyFile() {}

  /** Where a home keeps its keys. */
  public static Path in(Path home) {
    return home.resolve(".syft").resolve(FILE_NAME);
  }

  /**
   * Writes the keys atomically with mode 0600. Refuses to replace an existing file unless
   * {@code replace} (a restore over different keys must be deliberate).
   */
  public static void write(Path file, Identity identity, boolean replace) throws IOException {
    if (!replace && Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "a key file already exists");
    }
    Path dir = parentOf(file);
    Files.createDirectories(dir);
    ObjectNode body = Json.object();
    body.put("email", identity.email());
    body.set("keys_jwk", Json.parse(identity.privateJwksJson()));
    identity.recoveryKey().ifPresent(rk -> body.put("recovery_key", rk.toDashedHex()));
    Path tmp = posix(dir)
        ? Files.createTempFile(dir, ".keys-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
        : Files.createTempFile(dir, ".keys-", ".tmp");
    try {
      Files.writeString(tmp, Json.compact(body) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads the keys, if the file exists. Refuses a file readable by others (fix: chmod 600). */
  public static Optional<Identity> read(Path file) throws IOException, CryptoException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    if (posix(parentOf(file))) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        throw new CryptoException(Reason.MALFORMED_KEYS,
            "key file " + file + " is readable by others (" + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + file);
      }
    }
    JsonNode root;
    try {
      root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.MALFORMED_KEYS, "key file " + file + " is not JSON");
    }
    JsonNode email = root.get("email");
    if (email == null || !email.isString()) {
      throw new CryptoException(Reason.MALFORMED_KEYS, "key file " + file + " lacks email");
    }
    Identity id = Identity.fromPrivateJwks(email.stringValue(), Json.compact(root.get("keys_jwk") == null ? root : root.get("keys_jwk")));
    JsonNode rk = root.get("recovery_key");
    if (rk != null && rk.isString()) {
      id = Identity.withRecovery(id, RecoveryKey.fromHex(rk.stringValue()));
    }
    return Optional.of(id);
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The folder holding {@code file} (the file system root has none: refused). */
  private static Path parentOf(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException(file + " is not a file in a folder");
    }
    return dir;
  }
}
