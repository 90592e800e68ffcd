package dev.syft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'syft console' and 'syft daemon --console' as a user starts them: a printed one-time URL that signs in. */
class ConsoleIT {
  private static final Pattern URL = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]+)");

  @TempDir Path tmp;

  @Test
  void theConsoleAndTheDaemonsConsolePrintAUrlThatSignsIn() throws Exception {
    Path home = tmp.resolve("do");
    assertThat(CliEndToEndIT.syft(tmp, "init", "--email", "do@x.example", "--transport", "local:" + tmp.resolve("shared"),
        "--home", home.toString()).exit()).isZero();
    signIn(List.of("console", "--home", home.toString()), "console-out.txt");
    signIn(List.of("daemon", "--console", "--interval", "1", "--home", home.toString()), "daemon-out.txt");

    CliEndToEndIT.Run refused = CliEndToEndIT.syft(tmp, "console", "--home", home.toString(), "--port", "70000");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err().strip().lines()).hasSize(1);
    assertThat(refused.err()).contains("port 70000");
  }

  private void signIn(List<String> args, String outName) throws Exception {
    Path out = tmp.resolve(outName);
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-jar", CliEndToEndIT.jar.toAbsolutePath().toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> URL.matcher(Files.readString(out)).find());
      Matcher m = URL.matcher(Files.readString(out));
      assertThat(m.find()).isTrue();
      HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(303);
      String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
      URI base = URI.create(m.group(1)).resolve("/");
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(base)
          .header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("do@x.example").contains("Overview");
      HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(again.statusCode()).as("the token works once").isEqualTo(401);
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
