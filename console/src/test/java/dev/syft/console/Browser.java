package dev.syft.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through its chromedriver (packages {@code chromium} and
 * {@code chromium-driver}; .ci/run installs them). {@code $SYFT_CHROMIUM} and
 * {@code $SYFT_CHROMEDRIVER} point elsewhere.
 */
final class Browser {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private Browser() {}

  static Path chromium() {
    return find("SYFT_CHROMIUM", List.of("/usr/bin/chromium", "/usr/bin/chromium-browser"));
  }

  static Path chromedriver() {
    return find("SYFT_CHROMEDRIVER", List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"));
  }

  /** Why the browser tests cannot run here, or null when they can. */
  static String missing() {
    if (chromium() == null || chromedriver() == null) {
      return "headless Chromium not available (install the Debian packages chromium and chromium-driver;"
          + " .ci/run does as root): browser tests skipped";
    }
    return null;
  }

  private static Path find(String env, List<String> candidates) {
    String e = System.getenv(env);
    if (e != null && !e.isBlank()) {
      return Files.isExecutable(Path.of(e)) ? Path.of(e) : null;
    }
    return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
  }

  static WebDriver start(Path profile) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(chromium().toFile());
    // as root Chromium needs --no-sandbox; the rest keeps it from calling out to the network
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1800", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService svc = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver().toFile()).usingAnyFreePort().build();
    return new ChromeDriver(svc, o);
  }

  static void scrollTo(WebDriver d, org.openqa.selenium.WebElement e) {
    ((org.openqa.selenium.JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView(true)", e);
  }

  static void screenshot(WebDriver d, String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      File f = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
      Files.copy(f.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
