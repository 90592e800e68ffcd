package dev.syft.transport.gdrive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.syft.drivefake.FakeDriveServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in: URL building and paste parsing (unit), then the code exchange, refresh, {@code
 * invalid_grant} and account check against the fake's OAuth token endpoint, and both login flows
 * end to end with a simulated browser. Google's consent page itself cannot be exercised here.
 */
class GDriveAuthTest {
  static final String ALICE = "alice@example.com";

  @TempDir Path dir;
  FakeDriveServer fake;
  GDriveAuth.ClientSecrets client;

  @BeforeEach
  void start() throws IOException {
    fake = FakeDriveServer.start();
    client = new GDriveAuth.ClientSecrets("client-1.apps.googleusercontent.com", "secret-1",
        "https://accounts.google.com/o/oauth2/auth", fake.rootUrl() + "token");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  static Map<String, String> query(String url) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  // ------------------------------------------------------------------ unit

  @Test
  void theConsentUrlAsksForOfflineDriveAccessWithStateAndPkce() {
    GDriveAuth.Pending p = GDriveAuth.begin(client, "http://127.0.0.1:4567/Callback", ALICE);
    Map<String, String> q = query(p.url());
    assertThat(p.url()).startsWith("https://accounts.google.com/o/oauth2/auth?");
    assertThat(q).containsEntry("client_id", client.clientId())
        .containsEntry("redirect_uri", "http://127.0.0.1:4567/Callback")
        .containsEntry("response_type", "code")
        .containsEntry("scope", "https://www.googleapis.com/auth/drive")
        .containsEntry("access_type", "offline")
        .containsEntry("prompt", "consent")
        .containsEntry("state", p.state())
        .containsEntry("code_challenge_method", "S256")
        .containsEntry("code_challenge", GDriveAuth.challenge(p.codeVerifier()))
        .containsEntry("login_hint", ALICE);
    assertThat(GDriveAuth.begin(client, "http://127.0.0.1:1/", ALICE).state()).isNotEqualTo(p.state());
  }

  @Test
  void pkceChallengeFollowsRfc7636() {
    // RFC 7636 appendix B
    assertThat(GDriveAuth.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }

  @Test
  void aPastedCodeOrRedirectAddressYieldsTheCode() throws GDriveAuthException {
    assertThat(GDriveAuth.codeFrom("  4/0AbCdEf-123_x  ", "s1")).isEqualTo("4/0AbCdEf-123_x");
    assertThat(GDriveAuth.codeFrom("http://127.0.0.1:1/?state=s1&code=4%2F0AbC&scope=https%3A%2F%2Fwww.googleapis.com"
        + "%2Fauth%2Fdrive", "s1")).isEqualTo("4/0AbC");
    assertThat(GDriveAuth.codeFrom("127.0.0.1:1/?code=4/0Xy&state=s1#", "s1")).isEqualTo("4/0Xy");
  }

  @Test
  void aPastedAddressOfAnotherAttemptOrARefusalIsExplained() {
    GDriveAuthException other = catchThrowableOfType(GDriveAuthException.class,
        () -> GDriveAuth.codeFrom("http://127.0.0.1:1/?state=old&code=c", "new"));
    assertThat(other.getMessage()).contains("state mismatch");
    GDriveAuthException denied = catchThrowableOfType(GDriveAuthException.class,
        () -> GDriveAuth.codeFrom("http://127.0.0.1:1/?error=access_denied&state=s", "s"));
    assertThat(denied.getMessage()).contains("access_denied").contains("test user");
    assertThat(catchThrowableOfType(GDriveAuthException.class, () -> GDriveAuth.codeFrom("", "s")).code())
        .isEqualTo("gdrive-login-failed");
    assertThat(catchThrowableOfType(GDriveAuthException.class,
        () -> GDriveAuth.codeFrom("two words", "s")).code()).isEqualTo("gdrive-login-failed");
  }

  @Test
  void clientSecretsAreReadFromTheConsoleDownload() throws IOException {
    Path f = dir.resolve("client_secret.json");
    Files.writeString(f, "{\"installed\":{\"client_id\":\"id-9\",\"client_secret\":\"s-9\",\"auth_uri\":"
        + "\"https://accounts.google.com/o/oauth2/auth\",\"token_uri\":\"https://oauth2.googleapis.com/token\","
        + "\"redirect_uris\":[\"http://localhost\"]}}");
    assertThat(GDriveAuth.ClientSecrets.read(f)).isEqualTo(new GDriveAuth.ClientSecrets("id-9", "s-9",
        "https://accounts.google.com/o/oauth2/auth", "https://oauth2.googleapis.com/token"));
    Files.writeString(f, "{\"installed\":{}}");
    assertThat(catchThrowableOfType(GDriveAuthException.class, () -> GDriveAuth.ClientSecrets.read(f)).getMessage())
        .contains("Desktop app");
  }

  @Test
  void tokenFilesAreOwnerOnlyAndReadInThePythonFormat() throws IOException {
    Path py = dir.resolve("token.json");
    // as google-auth's Credentials.to_json() writes it (syft-client's token file)
    Files.writeString(py, "{\"token\": \"ya29.a0\", \"refresh_token\": \"1//0g\", \"token_uri\": "
        + "\"https://oauth2.googleapis.com/token\", \"client_id\": \"c.apps.googleusercontent.com\", \"client_secret\": "
        + "\"GOCSPX-x\", \"scopes\": [\"https://www.googleapis.com/auth/drive\"], \"universe_domain\": \"googleapis.com\","
        + " \"account\": \"\", \"expiry\": \"2026-05-01T12:34:56.789012Z\"}");
    Files.setPosixFilePermissions(py, PosixFilePermissions.fromString("rw-r--r--"));
    TokenFile t = TokenFile.read(py);
    assertThat(t.accessToken()).isEqualTo("ya29.a0");
    assertThat(t.refreshToken()).isEqualTo("1//0g");
    assertThat(t.expiry()).isEqualTo(Instant.parse("2026-05-01T12:34:56.789012Z"));
    assertThat(t.refreshable()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(py))).isEqualTo("rw-------");
    Path out = dir.resolve("sub/written.json");
    t.withAccount(ALICE).write(out);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    assertThat(TokenFile.read(out)).isEqualTo(t.withAccount(ALICE));
    assertThat(catchThrowableOfType(GDriveAuthException.class, () -> TokenFile.read(dir.resolve("none.json"))).code())
        .isEqualTo("gdrive-no-token");
  }

  // ------------------------------------------------------------------ against the fake token endpoint

  @Test
  void theHeadlessFlowExchangesThePastedAddressAndTheTokenOpensTheDrive() throws IOException {
    Path token = dir.resolve("google-token.json");
    AtomicReference<String> shown = new AtomicReference<>();
    TokenFile t = GDriveAuth.loginHeadless(client, ALICE, token, msg -> shown.compareAndSet(null, msg), () -> {
      String url = shown.get().lines().filter(l -> l.trim().startsWith("https://")).findFirst().orElseThrow().trim();
      Map<String, String> q = query(url);
      assertThat(q.get("redirect_uri")).isEqualTo(GDriveAuth.HEADLESS_REDIRECT);
      // what the browser's address bar shows after consent (Google returns the e-mail as code in the fake)
      return "http://127.0.0.1:1/?state=" + q.get("state") + "&code=" + ALICE + "&scope=x";
    });
    assertThat(t.refreshToken()).isEqualTo(ALICE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
    GDriveStorage s = GDriveStorage.open(GDriveConfig.defaults(ALICE).withRootUrl(fake.rootUrl()).withTokenFile(token));
    assertThat(s.tokenAccount()).isEqualTo(ALICE);
  }

  @Test
  void theBrowserFlowReceivesTheCodeOnALoopbackRedirect() throws Exception {
    Path token = dir.resolve("google-token.json");
    HttpClient browser = HttpClient.newHttpClient();
    TokenFile t = GDriveAuth.loginWithBrowser(client, ALICE, token, msg -> {
      if (!msg.contains("https://")) {
        return;
      }
      String url = msg.substring(msg.indexOf("https://")).trim();
      Map<String, String> q = query(url);
      assertThat(q.get("redirect_uri")).startsWith("http://127.0.0.1:").endsWith("/Callback");
      // the user's browser follows Google's redirect to the loopback receiver
      Thread.ofVirtual().start(() -> {
        try {
          browser.send(HttpRequest.newBuilder(URI.create(q.get("redirect_uri") + "?code=" + ALICE + "&state="
              + q.get("state"))).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
    }, false);
    assertThat(t.accessToken()).isEqualTo(ALICE);
    assertThat(TokenFile.read(token).refreshToken()).isEqualTo(ALICE);
  }

  @Test
  void anExpiredAccessTokenIsRefreshedAndSavedBack() throws IOException {
    Path token = dir.resolve("token.json");
    new TokenFile("stale-token", Instant.now().minusSeconds(60), ALICE, fake.rootUrl() + "token", "c", "s",
        List.of(GDriveAuth.DRIVE_SCOPE), ALICE).write(token);
    GDriveStorage s = GDriveStorage.open(GDriveConfig.defaults(ALICE).withRootUrl(fake.rootUrl()).withTokenFile(token));
    assertThat(s.root().name()).isEqualTo("SyftBox");
    TokenFile saved = TokenFile.read(token);
    assertThat(saved.accessToken()).isEqualTo(ALICE);
    assertThat(saved.expiry()).isAfter(Instant.now());
    assertThat(fake.counts()).containsEntry("oauth.token", 1L);
  }

  @Test
  void aRevokedRefreshTokenIsExplainedWithTheFix() throws IOException {
    Path token = dir.resolve("token.json");
    new TokenFile(null, null, "revoked-after-7-days", fake.rootUrl() + "token", "c", "s", List.of(), ALICE).write(token);
    GDriveAuthException e = catchThrowableOfType(GDriveAuthException.class, () -> GDriveStorage.open(
        GDriveConfig.defaults(ALICE).withRootUrl(fake.rootUrl()).withTokenFile(token)));
    assertThat(e.code()).isEqualTo("gdrive-token-expired");
    assertThat(e.getMessage()).contains("invalid_grant").contains("Testing").contains("7 days")
        .contains("Sign in again").contains(token.toString()).contains("Publish app");
  }

  @Test
  void aTokenOfAnotherAccountIsRefusedNamingBoth() {
    GDriveAuthException e = catchThrowableOfType(GDriveAuthException.class, () -> GDriveStorage.open(
        GDriveConfig.forFake(fake.rootUrl(), ALICE).withAccessToken("mallory@example.com")));
    assertThat(e.code()).isEqualTo("gdrive-account-mismatch");
    assertThat(e.getMessage()).contains("mallory@example.com").contains(ALICE);
  }

  @Test
  void noTokenAtAllSaysHowToSignIn() {
    GDriveAuthException e = catchThrowableOfType(GDriveAuthException.class,
        () -> GDriveStorage.open(GDriveConfig.defaults(ALICE).withRootUrl(fake.rootUrl())));
    assertThat(e.code()).isEqualTo("gdrive-no-token");
    assertThat(e.getMessage()).contains("token=");
  }
}
