package dev.syft.transport.gdrive;

import dev.syft.transport.Storage;
import dev.syft.transport.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code gdrive:} URIs. Options come from the URI query and from the caller's options (which win),
 * see {@link GDriveConfig#fromOptions}: e.g. {@code gdrive:?token=~/.syft/google-token.json} for a
 * real account, or {@code gdrive:?root_url=http://127.0.0.1:PORT/&access_token=alice@example.com}
 * for the fake Drive. {@code gdrive:default} (or {@code gdrive://}) with options from the config is
 * the same. Registered for {@link java.util.ServiceLoader}.
 */
public final class GDriveStorageProvider implements StorageProvider {
  public static final String SCHEME = "gdrive";

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Storage open(URI uri, String email, Map<String, String> options) throws IOException {
    return GDriveStorage.open(config(uri, email, options));
  }

  /** With the home's cache folder as {@code cache_dir} unless the options name one. */
  @Override
  public Storage open(URI uri, String email, Map<String, String> options, java.nio.file.Path cacheDir)
      throws IOException {
    GDriveConfig c = config(uri, email, options);
    return GDriveStorage.open(c.cacheDir() == null && cacheDir != null ? c.withCacheDir(cacheDir) : c);
  }

  /** The settings a URI and options describe (no network access). */
  public static GDriveConfig config(URI uri, String email, Map<String, String> options) {
    if (uri.getScheme() == null || !SCHEME.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a gdrive: URI: " + uri);
    }
    Map<String, String> all = new LinkedHashMap<>();
    String query = uri.isOpaque() ? afterQuestionMark(uri.getRawSchemeSpecificPart()) : uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
        String v = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "true";
        all.put(k, v);
      }
    }
    if (options != null) {
      all.putAll(options);
    }
    return GDriveConfig.fromOptions(email, all);
  }

  private static String afterQuestionMark(String s) {
    int q = s.indexOf('?');
    return q >= 0 ? s.substring(q + 1) : null;
  }
}
