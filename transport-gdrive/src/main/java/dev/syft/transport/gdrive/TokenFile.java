package dev.syft.transport.gdrive;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A saved Google sign-in, in the "authorized user" JSON that Python's google-auth writes ({@code
 * token}, {@code refresh_token}, {@code token_uri}, {@code client_id}, {@code client_secret}, {@code
 * scopes}, {@code expiry}) plus {@code type} and {@code account}, so a token file made by the
 * reference client works here and the other way round. Written owner-only (0600).
 *
 * @param accessToken the current access token, or null
 * @param expiry when it expires, or null (then it is used until refused)
 * @param refreshToken the refresh token, or null for an access-token-only file
 * @param account the e-mail the token was issued for, when known
 */
public record TokenFile(String accessToken, Instant expiry, String refreshToken, String tokenUri, String clientId,
    String clientSecret, List<String> scopes, String account) {
  private static final Logger log = LoggerFactory.getLogger(TokenFile.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  public static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  public TokenFile {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  public boolean refreshable() {
    return refreshToken != null && clientId != null && clientSecret != null;
  }

  public TokenFile withAccessToken(String token, Instant newExpiry) {
    return new TokenFile(token, newExpiry, refreshToken, tokenUri, clientId, clientSecret, scopes, account);
  }

  public TokenFile withAccount(String email) {
    return new TokenFile(accessToken, expiry, refreshToken, tokenUri, clientId, clientSecret, scopes, email);
  }

  /** Reads a token file, tightening its permissions to owner-only when they are wider. */
  public static TokenFile read(Path path) throws GDriveAuthException {
    if (!Files.isRegularFile(path)) {
      throw new GDriveAuthException("gdrive-no-token", "no Google token at " + path
          + ": sign in first (the CLI's Google Drive login writes it), or set the transport option token=/path/token.json");
    }
    JsonNode o;
    try {
      o = JSON.readTree(Files.readAllBytes(path));
    } catch (IOException | RuntimeException e) {
      throw new GDriveAuthException("gdrive-bad-token-file", "the Google token file " + path + " is not readable JSON: "
          + e.getMessage(), e);
    }
    restrict(path);
    String access = text(o, "token", "access_token");
    String refresh = text(o, "refresh_token");
    if (access == null && refresh == null) {
      throw new GDriveAuthException("gdrive-bad-token-file", "the Google token file " + path
          + " holds neither an access token nor a refresh token");
    }
    Instant expiry = null;
    String exp = text(o, "expiry");
    if (exp != null) {
      try {
        expiry = Instant.parse(exp.endsWith("Z") || exp.contains("+") ? exp : exp + "Z");
      } catch (RuntimeException e) {
        log.debug("ignoring unparseable expiry '{}' in {}", exp, path);
      }
    }
    List<String> scopes = new ArrayList<>();
    JsonNode s = o.get("scopes");
    if (s != null && s.isArray()) {
      s.forEach(x -> scopes.add(x.asString()));
    } else if (s != null && s.isString()) {
      scopes.addAll(List.of(s.asString().split(" ")));
    }
    String uri = text(o, "token_uri");
    return new TokenFile(access, expiry, refresh, uri == null ? GOOGLE_TOKEN_URI : uri, text(o, "client_id"),
        text(o, "client_secret"), scopes, text(o, "account"));
  }

  private static String text(JsonNode o, String... names) {
    for (String n : names) {
      JsonNode v = o.get(n);
      if (v != null && !v.isNull() && !v.asString().isEmpty()) {
        return v.asString();
      }
    }
    return null;
  }

  /** Writes the file atomically with owner-only permissions (created 0600, never wider even briefly). */
  public void write(Path path) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", "authorized_user");
    if (accessToken != null) {
      o.put("token", accessToken);
    }
    if (refreshToken != null) {
      o.put("refresh_token", refreshToken);
    }
    o.put("token_uri", tokenUri == null ? GOOGLE_TOKEN_URI : tokenUri);
    if (clientId != null) {
      o.put("client_id", clientId);
    }
    if (clientSecret != null) {
      o.put("client_secret", clientSecret);
    }
    var arr = o.putArray("scopes");
    scopes.forEach(arr::add);
    if (expiry != null) {
      o.put("expiry", expiry.toString());
    }
    if (account != null) {
      o.put("account", account);
      o.put("universe_domain", "googleapis.com");
    }
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + path.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    if (posix(dir)) {
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } catch (FileAlreadyExistsException e) {
        Files.setPosixFilePermissions(tmp, OWNER_ONLY);
      }
    }
    Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
    try {
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
    }
    restrict(path);
  }

  private static boolean posix(Path dir) {
    return Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
  }

  /** Makes an existing token file owner-only (warns once if it was readable by others). */
  static void restrict(Path path) {
    try {
      if (!posix(path.toAbsolutePath().getParent())) {
        return;
      }
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
      if (!OWNER_ONLY.containsAll(p)) {
        log.warn("the Google token file {} was readable by others ({}); restricting it to its owner", path,
            PosixFilePermissions.toString(p));
        Files.setPosixFilePermissions(path, OWNER_ONLY);
      }
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("could not check permissions of {}: {}", path, e.toString());
    }
  }
}
