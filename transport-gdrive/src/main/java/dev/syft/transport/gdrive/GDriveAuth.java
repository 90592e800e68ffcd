package dev.syft.transport.gdrive;

import com.google.api.client.auth.oauth2.TokenResponseException;
import com.google.api.client.extensions.jetty.auth.oauth2.LocalServerReceiver;
import com.google.api.client.googleapis.auth.oauth2.GoogleAuthorizationCodeRequestUrl;
import com.google.api.client.googleapis.auth.oauth2.GoogleAuthorizationCodeTokenRequest;
import com.google.api.client.googleapis.auth.oauth2.GoogleTokenResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Google sign-in for the Drive transport (installed-app OAuth with PKCE, scope {@link #DRIVE_SCOPE},
 * offline access so a refresh token is issued), writing a token file {@link GDriveStorage} reads.
 *
 * <ul>
 *   <li>{@link #loginWithBrowser}: a loopback redirect to {@code http://127.0.0.1:<free port>/Callback}
 *       received by google-oauth-client's {@link LocalServerReceiver};
 *   <li>{@link #loginHeadless}: for a machine without a browser: print the URL, the user signs in
 *       anywhere and pastes back the code or the whole address the browser ended on (which fails to
 *       load, since nothing listens on the loopback address there);
 *   <li>an existing token file (e.g. the reference client's {@code token.json}) needs no login.
 * </ul>
 *
 * <p>Token files are written owner-only (0600). Which account signed in is checked when the storage
 * opens ({@code about.user.emailAddress} must equal the configured e-mail). Tokens of an OAuth app
 * left in "Testing" publishing status expire after 7 days; Google then answers {@code invalid_grant}
 * and {@link GDriveAuthException} (code {@code gdrive-token-expired}) says to sign in again.
 */
public final class GDriveAuth {
  public static final String DRIVE_SCOPE = "https://www.googleapis.com/auth/drive";
  /** Redirect for the headless flow: a loopback address where nothing listens. */
  public static final String HEADLESS_REDIRECT = "http://127.0.0.1:1/";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final NetHttpTransport HTTP = new NetHttpTransport();
  private static final SecureRandom RANDOM = new SecureRandom();

  private GDriveAuth() {}

  /**
   * An OAuth client of type "Desktop app" ({@code client_secret_*.json} from the Google Cloud console,
   * section {@code installed}, or {@code web}).
   */
  public record ClientSecrets(String clientId, String clientSecret, String authUri, String tokenUri) {
    public static ClientSecrets read(Path file) throws GDriveAuthException {
      JsonNode root;
      try {
        root = JSON.readTree(Files.readAllBytes(file));
      } catch (IOException | RuntimeException e) {
        throw new GDriveAuthException("gdrive-bad-client-secrets", "cannot read the OAuth client file " + file + ": "
            + e.getMessage(), e);
      }
      JsonNode c = root.has("installed") ? root.get("installed") : root.has("web") ? root.get("web") : root;
      String id = text(c, "client_id");
      String secret = text(c, "client_secret");
      if (id == null || secret == null) {
        throw new GDriveAuthException("gdrive-bad-client-secrets", "the OAuth client file " + file
            + " has no client_id/client_secret (download it from Google Cloud console > APIs & Services > Credentials,"
            + " an OAuth client of type Desktop app)");
      }
      String auth = text(c, "auth_uri");
      String token = text(c, "token_uri");
      return new ClientSecrets(id, secret, auth == null ? "https://accounts.google.com/o/oauth2/auth" : auth,
          token == null ? TokenFile.GOOGLE_TOKEN_URI : token);
    }
  }

  /** A sign-in in progress: the URL to open, and what finishing it needs. */
  public record Pending(String url, String redirectUri, String state, String codeVerifier) {}

  /** Builds the consent URL (state and a PKCE S256 challenge included; {@code loginHint} preselects the account). */
  public static Pending begin(ClientSecrets client, String redirectUri, String loginHint) {
    String state = random(16);
    String verifier = random(48);
    GoogleAuthorizationCodeRequestUrl url = new GoogleAuthorizationCodeRequestUrl(client.authUri(), client.clientId(),
        redirectUri, List.of(DRIVE_SCOPE))
        .setAccessType("offline")
        .setState(state)
        .set("prompt", "consent")
        .set("code_challenge", challenge(verifier))
        .set("code_challenge_method", "S256");
    if (loginHint != null && !loginHint.isBlank()) {
      url.set("login_hint", loginHint);
    }
    return new Pending(url.build(), redirectUri, state, verifier);
  }

  /**
   * The authorization code in what a user pasted: the code itself, or the address the browser was
   * sent to ({@code http://127.0.0.1:1/?state=..&code=..&scope=..}), whose state must match.
   */
  public static String codeFrom(String pasted, String expectedState) throws GDriveAuthException {
    String s = pasted == null ? "" : pasted.trim();
    if (s.isEmpty()) {
      throw new GDriveAuthException("gdrive-login-failed", "nothing was pasted: paste the code, or the whole address"
          + " your browser shows after signing in");
    }
    if (!s.contains("code=") && !s.contains("error=")) {
      if (s.chars().anyMatch(Character::isWhitespace)) {
        throw new GDriveAuthException("gdrive-login-failed", "that does not look like an authorization code");
      }
      return s;
    }
    int q = s.indexOf('?');
    String query = q >= 0 ? s.substring(q + 1) : s;
    int hash = query.indexOf('#');
    if (hash >= 0) {
      query = query.substring(0, hash);
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (params.containsKey("error")) {
      throw new GDriveAuthException("gdrive-login-failed", "Google did not grant access: " + params.get("error")
          + (params.get("error").equals("access_denied") ? " (consent was refused, or the account is not a test user"
              + " of the OAuth app)" : ""));
    }
    if (expectedState != null && params.containsKey("state") && !expectedState.equals(params.get("state"))) {
      throw new GDriveAuthException("gdrive-login-failed", "the pasted address belongs to another sign-in attempt"
          + " (state mismatch); start the login again and paste the newest address");
    }
    String code = params.get("code");
    if (code == null || code.isBlank()) {
      throw new GDriveAuthException("gdrive-login-failed", "the pasted address holds no code=...");
    }
    return code;
  }

  /** Exchanges an authorization code for tokens (the PKCE verifier of {@code pending} included). */
  public static TokenFile exchange(ClientSecrets client, Pending pending, String code, String email) throws IOException {
    GoogleTokenResponse r;
    try {
      r = new GoogleAuthorizationCodeTokenRequest(HTTP, GsonFactory.getDefaultInstance(), client.tokenUri(),
          client.clientId(), client.clientSecret(), code, pending.redirectUri())
          .set("code_verifier", pending.codeVerifier())
          .execute();
    } catch (TokenResponseException e) {
      String err = e.getDetails() == null ? e.getStatusMessage() : e.getDetails().getError();
      throw new GDriveAuthException("gdrive-login-failed", "Google refused the authorization code (" + err + "): it"
          + " may have been used already or be too old; start the login again", e);
    }
    if (r.getRefreshToken() == null) {
      throw new GDriveAuthException("gdrive-login-failed", "Google issued no refresh token; remove this app's access"
          + " at https://myaccount.google.com/permissions and sign in again");
    }
    Instant expiry = r.getExpiresInSeconds() == null ? null : Instant.now().plusSeconds(r.getExpiresInSeconds());
    List<String> scopes = r.getScope() == null ? List.of(DRIVE_SCOPE) : List.of(r.getScope().split(" "));
    return new TokenFile(r.getAccessToken(), expiry, r.getRefreshToken(), client.tokenUri(), client.clientId(),
        client.clientSecret(), scopes, email == null ? null : email.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * Signs in with a browser on this machine: starts a loopback receiver, shows (and tries to open)
   * the consent URL, waits for Google's redirect, writes {@code tokenFile} (0600).
   *
   * @param say where to print instructions (the URL is always printed: opening a browser may fail)
   * @param openBrowser try {@link java.awt.Desktop#browse}
   */
  public static TokenFile loginWithBrowser(ClientSecrets client, String email, Path tokenFile, Consumer<String> say,
      boolean openBrowser) throws IOException {
    LocalServerReceiver receiver = new LocalServerReceiver.Builder().setHost("127.0.0.1").build();
    try {
      Pending p = begin(client, receiver.getRedirectUri(), email);
      say.accept("Sign in to Google as " + email + " in your browser:\n  " + p.url());
      if (openBrowser) {
        tryBrowse(p.url());
      }
      String code = receiver.waitForCode();
      if (code == null) {
        throw new GDriveAuthException("gdrive-login-failed", "the browser sign-in returned no code");
      }
      TokenFile t = exchange(client, p, code, email);
      t.write(tokenFile);
      say.accept("Saved the Google sign-in to " + tokenFile);
      return t;
    } catch (IOException e) {
      if (e instanceof GDriveAuthException) {
        throw e;
      }
      throw new GDriveAuthException("gdrive-login-failed", "the browser sign-in failed: " + e.getMessage()
          + " (on a machine without a browser use the headless login)", e);
    } finally {
      receiver.stop();
    }
  }

  /**
   * Signs in without a browser here: shows the URL, asks for the code or the final address, writes
   * {@code tokenFile} (0600).
   *
   * @param ask reads one line from the user
   */
  public static TokenFile loginHeadless(ClientSecrets client, String email, Path tokenFile, Consumer<String> say,
      Supplier<String> ask) throws IOException {
    Pending p = begin(client, HEADLESS_REDIRECT, email);
    say.accept("1. Open this URL in a browser on any machine and sign in as " + email + ":\n  " + p.url() + "\n"
        + "2. The browser then fails to load a page at 127.0.0.1 - that is expected. Copy the whole address from its"
        + " address bar (or just the code=... value) and paste it here.");
    String code = codeFrom(ask.get(), p.state());
    TokenFile t = exchange(client, p, code, email);
    t.write(tokenFile);
    say.accept("Saved the Google sign-in to " + tokenFile);
    return t;
  }

  private static void tryBrowse(String url) {
    try {
      if (java.awt.Desktop.isDesktopSupported() && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
        java.awt.Desktop.getDesktop().browse(URI.create(url));
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      // the printed URL is the fallback
    }
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** PKCE S256: base64url(sha256(verifier)). */
  static String challenge(String verifier) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(JsonNode o, String name) {
    JsonNode v = o == null ? null : o.get(name);
    return v == null || v.isNull() ? null : v.asString();
  }
}
