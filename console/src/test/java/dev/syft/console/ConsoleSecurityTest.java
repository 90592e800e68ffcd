package dev.syft.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syft.core.SyftClient;
import dev.syft.protocol.SyftException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's gate, over plain HTTP: token, session cookie, CSRF, Host and Origin, the bind address. */
class ConsoleSecurityTest {
  @TempDir static Path tmp;
  static Homes homes;
  static Console console;
  static InetSocketAddress at;
  static String cookie;
  static String csrf;

  @BeforeAll
  static void start() throws Exception {
    homes = new Homes(tmp);
    console = Console.start(Console.Options.loopback(homes.doHome, 0));
    at = new InetSocketAddress("127.0.0.1", console.address().getPort());
    Raw.Response r = Raw.send(at, "GET", "/?" + console.url().getRawQuery(), Map.of(), null);
    assertThat(r.status()).isEqualTo(303);
    String setCookie = r.header("Set-Cookie");
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
    cookie = setCookie.substring(0, setCookie.indexOf(';'));
    Raw.Response page = Raw.send(at, "GET", "/peers", Map.of("Cookie", cookie), null);
    assertThat(page.status()).isEqualTo(200);
    Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).isTrue();
    csrf = m.group(1);
  }

  @AfterAll
  static void stop() {
    console.close();
  }

  @Test
  void bindsLoopbackByDefault() {
    assertThat(console.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(console.url()).as("the token is one-time").isNull();
  }

  @Test
  void withoutTokenOrSessionIs401() throws Exception {
    assertThat(Raw.send(at, "GET", "/", Map.of(), null).status()).isEqualTo(401);
    assertThat(Raw.send(at, "GET", "/jobs", Map.of("Cookie", "syft_console_" + at.getPort() + "=forged"), null)
        .status()).isEqualTo(401);
    assertThat(Raw.send(at, "POST", "/peers/add", Map.of(), "email=x%40y.example").status()).isEqualTo(401);
  }

  @Test
  void aUsedOrWrongTokenIs401() throws Exception {
    Raw.Response r = Raw.send(at, "GET", "/?token=guess", Map.of(), null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("Set-Cookie")).isNull();
  }

  @Test
  void anotherOriginIs403() throws Exception {
    assertThat(Raw.send(at, "POST", "/peers/add", Map.of("Cookie", cookie, "Origin", "http://evil.example"),
        "_csrf=" + csrf + "&email=x%40y.example").status()).isEqualTo(403);
    assertThat(Raw.send(at, "GET", "/", Map.of("Cookie", cookie, "Origin", "null"), null).status()).isEqualTo(403);
    try (SyftClient c = SyftClient.open(homes.doHome)) {
      assertThat(c.peers().list()).as("nothing was done").isEmpty();
    }
  }

  @Test
  void aRebindingHostIs403() throws Exception {
    // a page on attacker.example whose name now resolves to 127.0.0.1 sends its own Host
    assertThat(Raw.send(at, "GET", "/", Map.of("Cookie", cookie, "Host", "attacker.example:" + at.getPort()), null)
        .status()).isEqualTo(403);
    assertThat(Raw.send(at, "GET", "/?token=x", Map.of("Host", "attacker.example"), null).status()).isEqualTo(403);
  }

  @Test
  void aPostWithoutTheCsrfTokenIs403() throws Exception {
    String origin = "http://127.0.0.1:" + at.getPort();
    assertThat(Raw.send(at, "POST", "/peers/add", Map.of("Cookie", cookie, "Origin", origin), "email=x%40y.example")
        .status()).isEqualTo(403);
    assertThat(Raw.send(at, "POST", "/peers/add", Map.of("Cookie", cookie, "Origin", origin),
        "_csrf=wrong&email=x%40y.example").status()).isEqualTo(403);
    try (SyftClient c = SyftClient.open(homes.doHome)) {
      assertThat(c.peers().list()).isEmpty();
    }
    Raw.Response ok = Raw.send(at, "POST", "/peers/add", Map.of("Cookie", cookie, "Origin", origin),
        "_csrf=" + csrf + "&email=friend%40lab.example");
    assertThat(ok.status()).isEqualTo(303);
    try (SyftClient c = SyftClient.open(homes.doHome)) {
      assertThat(c.peers().list()).extracting(p -> p.email()).containsExactly("friend@lab.example");
    }
  }

  @Test
  void pagesCarryAStrictContentSecurityPolicy() throws Exception {
    Raw.Response r = Raw.send(at, "GET", "/", Map.of("Cookie", cookie), null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Security-Policy")).contains("default-src 'none'").contains("frame-ancestors 'none'");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void aNonLoopbackAddressIsRefusedUnlessNamedExplicitly() throws Exception {
    InetAddress any = InetAddress.getByName("0.0.0.0");
    assertThatThrownBy(() -> Console.start(new Console.Options(homes.doHome, any, 0, false)))
        .isInstanceOf(SyftException.class).hasMessageContaining("only 127.0.0.1 unless --listen");
  }

  @Test
  void anUploadPathOutsideTheJobIsRefused() throws Exception {
    String origin = "http://127.0.0.1:" + at.getPort();
    String b = "XyZb0undary";
    String body = "--" + b + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n"
        + "--" + b + "\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\nfriend@lab.example\r\n"
        + "--" + b + "\r\nContent-Disposition: form-data; name=\"folder\"; filename=\"../../escape.py\"\r\n"
        + "Content-Type: text/x-python\r\n\r\nprint(1)\r\n--" + b + "--\r\n";
    Raw.Response r = Raw.send(at, "POST", "/science/submit", Map.of("Cookie", cookie, "Origin", origin,
        "Content-Type", "multipart/form-data; boundary=" + b), body);
    assertThat(r.status()).isEqualTo(303);
    Raw.Response page = Raw.send(at, "GET", "/science", Map.of("Cookie", cookie), null);
    assertThat(page.body()).contains("refused upload name &#39;../../escape.py&#39;");
    assertThat(tmp.resolve("escape.py")).doesNotExist();
  }
}
