package dev.syft.datasets.internal;

import java.util.Optional;

/**
 * {@code syft://<owner>/<path>} URLs of {@code dataset.yaml} (JOBS-DATASETS.md 3.3). The path is
 * datasite-relative; a query part is ignored.
 *
 * @param host the owner's e-mail (or a simple token)
 * @param path the datasite-relative path, without a leading slash
 */
public record SyftUrl(String host, String path) {
  static final String SCHEME = "syft://";

  /** Renders {@code syft://<owner>/<path>}. */
  public static String of(String owner, String path) {
    return SCHEME + owner + "/" + path;
  }

  /** Parses a URL; also repairs {@code syft:/x} produced by path normalisation. */
  public static Optional<SyftUrl> parse(String url) {
    if (url == null) {
      return Optional.empty();
    }
    String rest;
    if (url.startsWith(SCHEME)) {
      rest = url.substring(SCHEME.length());
    } else if (url.startsWith("syft:/")) {
      rest = url.substring("syft:/".length());
    } else {
      return Optional.empty();
    }
    int q = rest.indexOf('?');
    if (q >= 0) {
      rest = rest.substring(0, q);
    }
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    return Optional.of(new SyftUrl(rest.substring(0, slash), rest.substring(slash + 1)));
  }
}
