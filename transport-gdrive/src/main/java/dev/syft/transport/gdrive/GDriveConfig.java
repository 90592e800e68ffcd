package dev.syft.transport.gdrive;

import dev.syft.transport.decorator.RetryPolicy;
import dev.syft.transport.decorator.Sleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of one {@link GDriveStorage}.
 *
 * <p>Credentials: {@code accessToken} (a fixed bearer token; against the fake it is the user's
 * e-mail) or {@code tokenFile} (a saved sign-in, see {@link GDriveAuth}); one of them is needed.
 *
 * @param email the configured account (lower-cased); the token's account must be the same
 * @param rootUrl API root with a trailing slash; {@link #GOOGLE_ROOT_URL} for Google, the fake's URL
 *     in tests
 * @param tokenFile saved sign-in (authorized-user JSON), or null
 * @param accessToken fixed access token, or null
 * @param cacheDir folder for the persistent folder-id cache, or null for memory only
 * @param retryPolicy back-off for every call (default: 6 attempts, 1 s doubling to 16 s, +-20 %)
 * @param connectTimeout per-request connect timeout
 * @param readTimeout per-request read timeout (no read may stall longer)
 * @param parallelDownloads downloads open at once per storage
 * @param directUploadLimit content up to this size goes in one multipart request; larger content
 *     uses a resumable upload
 * @param chunkSize resumable upload chunk (a multiple of 256 KiB)
 * @param verifyAccount check at open that the token's account is {@code email} (one call)
 */
public record GDriveConfig(String email, String rootUrl, Path tokenFile, String accessToken, Path cacheDir,
    RetryPolicy retryPolicy, Duration connectTimeout, Duration readTimeout, int parallelDownloads,
    int directUploadLimit, int chunkSize, boolean verifyAccount) {

  public static final String GOOGLE_ROOT_URL = "https://www.googleapis.com/";
  private static final int KIB256 = 256 * 1024;

  public GDriveConfig {
    if (email == null || !email.contains("@")) {
      throw new IllegalArgumentException("the Google Drive transport needs the account's e-mail, not '" + email + "'");
    }
    email = email.trim().toLowerCase(Locale.ROOT);
    rootUrl = rootUrl == null || rootUrl.isBlank() ? GOOGLE_ROOT_URL : rootUrl.endsWith("/") ? rootUrl : rootUrl + "/";
    if (parallelDownloads < 1) {
      throw new IllegalArgumentException("parallel downloads must be at least 1");
    }
    if (chunkSize < KIB256 || chunkSize % KIB256 != 0) {
      throw new IllegalArgumentException("the upload chunk size must be a positive multiple of 256 KiB");
    }
    if (directUploadLimit < 0) {
      throw new IllegalArgumentException("the direct upload limit must not be negative");
    }
  }

  /** The default retry policy of Drive calls. */
  public static RetryPolicy defaultRetryPolicy() {
    return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(16), 2.0, 0.2, Sleeper.system());
  }

  /** Defaults for {@code email}; set a token file or an access token before opening. */
  public static GDriveConfig defaults(String email) {
    return new GDriveConfig(email, GOOGLE_ROOT_URL, null, null, null, defaultRetryPolicy(), Duration.ofSeconds(20),
        Duration.ofSeconds(120), 8, 5 << 20, 8 << 20, true);
  }

  /**
   * For tests and the fake Drive: root URL {@code rootUrl}, the e-mail as access token, retries that
   * wait 1 ms doubling to 20 ms (so fault-injection tests stay fast), no persistent cache.
   */
  public static GDriveConfig forFake(String rootUrl, String email) {
    return defaults(email).withRootUrl(rootUrl).withAccessToken(email.trim().toLowerCase(Locale.ROOT))
        .withRetryPolicy(new RetryPolicy(8, Duration.ofMillis(1), Duration.ofMillis(20), 2.0, 0.2, Sleeper.system()));
  }

  /**
   * Reads transport options ({@code gdrive:} URI query or the client's {@code transport_options}):
   * {@code token}, {@code access_token}, {@code root_url}, {@code cache_dir}, {@code timeout} (read
   * timeout, e.g. {@code 120s}), {@code connect_timeout}, {@code retries} (attempts in total), {@code
   * retry_initial} / {@code retry_max} (back-off, e.g. {@code 10ms}, {@code 16s}), {@code parallel},
   * {@code direct_upload_limit} / {@code chunk_size} (bytes), {@code verify_account}. Unknown keys are
   * refused so a typo is not silently ignored. Paths starting with {@code ~/} are under the home folder.
   */
  public static GDriveConfig fromOptions(String email, Map<String, String> options) {
    GDriveConfig c = defaults(email);
    RetryPolicy rp = c.retryPolicy;
    for (Map.Entry<String, String> e : options.entrySet()) {
      String v = e.getValue() == null ? "" : e.getValue().trim();
      switch (e.getKey()) {
        case "token" -> c = c.withTokenFile(path(v));
        case "access_token" -> c = c.withAccessToken(v);
        case "root_url" -> c = c.withRootUrl(v);
        case "cache_dir" -> c = c.withCacheDir(path(v));
        case "timeout" -> c = c.withTimeouts(c.connectTimeout, duration(e.getKey(), v));
        case "connect_timeout" -> c = c.withTimeouts(duration(e.getKey(), v), c.readTimeout);
        case "retries" -> rp = rp.withMaxAttempts(integer(e.getKey(), v));
        case "retry_initial" -> rp = new RetryPolicy(rp.maxAttempts(), duration(e.getKey(), v), rp.maxDelay(),
            rp.multiplier(), rp.jitter(), rp.sleeper());
        case "retry_max" -> rp = new RetryPolicy(rp.maxAttempts(), rp.initialDelay(), duration(e.getKey(), v),
            rp.multiplier(), rp.jitter(), rp.sleeper());
        case "parallel" -> c = c.withParallelDownloads(integer(e.getKey(), v));
        case "direct_upload_limit" -> c = c.withUploads(integer(e.getKey(), v), c.chunkSize);
        case "chunk_size" -> c = c.withUploads(c.directUploadLimit, integer(e.getKey(), v));
        case "verify_account" -> c = c.withVerifyAccount(Boolean.parseBoolean(v));
        default -> throw new IllegalArgumentException("unknown gdrive option '" + e.getKey() + "' (known: token, "
            + "access_token, root_url, cache_dir, timeout, connect_timeout, retries, retry_initial, retry_max, "
            + "parallel, direct_upload_limit, chunk_size, verify_account)");
      }
    }
    return c.withRetryPolicy(rp);
  }

  public GDriveConfig withRootUrl(String url) {
    return new GDriveConfig(email, url, tokenFile, accessToken, cacheDir, retryPolicy, connectTimeout, readTimeout,
        parallelDownloads, directUploadLimit, chunkSize, verifyAccount);
  }

  public GDriveConfig withTokenFile(Path file) {
    return new GDriveConfig(email, rootUrl, file, accessToken, cacheDir, retryPolicy, connectTimeout, readTimeout,
        parallelDownloads, directUploadLimit, chunkSize, verifyAccount);
  }

  public GDriveConfig withAccessToken(String token) {
    return new GDriveConfig(email, rootUrl, tokenFile, token, cacheDir, retryPolicy, connectTimeout, readTimeout,
        parallelDownloads, directUploadLimit, chunkSize, verifyAccount);
  }

  public GDriveConfig withCacheDir(Path dir) {
    return new GDriveConfig(email, rootUrl, tokenFile, accessToken, dir, retryPolicy, connectTimeout, readTimeout,
        parallelDownloads, directUploadLimit, chunkSize, verifyAccount);
  }

  public GDriveConfig withRetryPolicy(RetryPolicy p) {
    return new GDriveConfig(email, rootUrl, tokenFile, accessToken, cacheDir, p, connectTimeout, readTimeout,
        parallelDownloads, directUploadLimit, chunkSize, verifyAccount);
  }

  public GDriveConfig withTimeouts(Duration connect, Duration read) {
    return new GDriveConfig(email, rootUrl, tokenFile, accessToken, cacheDir, retryPolicy, connect, read,
        parallelDownloads, directUploadLimit, chunkSize, verifyAccount);
  }

  public GDriveConfig withParallelDownloads(int n) {
    return new GDriveConfig(email, rootUrl, tokenFile, accessToken, cacheDir, retryPolicy, connectTimeout, readTimeout,
        n, directUploadLimit, chunkSize, verifyAccount);
  }

  public GDriveConfig withUploads(int directLimit, int chunk) {
    return new GDriveConfig(email, rootUrl, tokenFile, accessToken, cacheDir, retryPolicy, connectTimeout, readTimeout,
        parallelDownloads, directLimit, chunk, verifyAccount);
  }

  public GDriveConfig withVerifyAccount(boolean on) {
    return new GDriveConfig(email, rootUrl, tokenFile, accessToken, cacheDir, retryPolicy, connectTimeout, readTimeout,
        parallelDownloads, directUploadLimit, chunkSize, on);
  }

  static Path path(String s) {
    if (s.equals("~") || s.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + s.substring(1));
    }
    return Path.of(s);
  }

  static Duration duration(String key, String s) {
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      }
      String n = s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
      return Duration.ofMillis(Math.round(Double.parseDouble(n.trim()) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("gdrive option " + key + " must be a duration like 500ms or 20s, not '" + s + "'");
    }
  }

  private static int integer(String key, String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("gdrive option " + key + " must be a whole number, not '" + s + "'");
    }
  }
}
