package dev.syft.transport.local;

import dev.syft.transport.Storage;
import dev.syft.transport.StorageProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code local:} URIs: {@code local:/path/to/shared/root} or {@code local:relative/path} (resolved
 * against the working directory), optionally with options in the query ({@code ?watch=poll&poll=5s},
 * see {@link LocalOptions}); options passed by the caller win over the query. Registered for {@link
 * java.util.ServiceLoader}.
 */
public final class LocalStorageProvider implements StorageProvider {
  public static final String SCHEME = "local";

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public Storage open(URI uri, String email, Map<String, String> options) throws IOException {
    return LocalStorage.open(rootOf(uri), email, LocalOptions.fromMap(merged(uri, options)));
  }

  /** Creates the shared folder when it does not exist yet ({@code syft init}); {@link #open} never does. */
  @Override
  public java.util.Optional<String> prepare(URI uri, String email, Map<String, String> options) throws IOException {
    Path root = rootOf(uri);
    if (java.nio.file.Files.isDirectory(root)) {
      return java.util.Optional.empty();
    }
    LocalStorage.create(root, email, LocalOptions.fromMap(merged(uri, options))).close();
    return java.util.Optional.of("created the shared folder " + root
        + " (every peer's transport must name this same folder)");
  }

  /** The root folder a {@code local:} URI names. */
  public static Path rootOf(URI uri) {
    if (uri.getScheme() == null || !SCHEME.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a local: URI: " + uri);
    }
    String path;
    if (uri.isOpaque()) {
      String ssp = uri.getSchemeSpecificPart();
      int q = ssp.indexOf('?');
      path = q >= 0 ? ssp.substring(0, q) : ssp;
    } else {
      if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
        throw new IllegalArgumentException("a local: URI names a folder, not a host: " + uri
            + " (write local:/absolute/path or local:relative/path)");
      }
      path = uri.getPath();
    }
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("a local: URI needs a folder, e.g. local:/srv/syft-shared");
    }
    Path p = Path.of(path);
    return p.isAbsolute() ? p.normalize() : Path.of("").toAbsolutePath().resolve(p).normalize();
  }

  private static Map<String, String> merged(URI uri, Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>();
    String query = uri.isOpaque() ? afterQuestionMark(uri.getSchemeSpecificPart()) : uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
        String v = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "true";
        out.put(k, v);
      }
    }
    if (options != null) {
      out.putAll(options);
    }
    return out;
  }

  private static String afterQuestionMark(String s) {
    int q = s.indexOf('?');
    return q >= 0 ? s.substring(q + 1) : null;
  }
}
