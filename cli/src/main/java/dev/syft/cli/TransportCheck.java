package dev.syft.cli;

import dev.syft.core.Config;
import dev.syft.transport.Storage;
import dev.syft.transport.StorageProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Can this client reach its transport? The scheme must be served by a provider, the store must open
 * and list its root within a time limit, and the store must know us by the home's e-mail. Used by
 * {@code init} (unless {@code --offline}) and {@code status}.
 */
final class TransportCheck {
  private TransportCheck() {}

  /** The known schemes, e.g. {@code [local, gdrive]}. */
  static List<String> schemes() {
    return ServiceLoader.load(StorageProvider.class).stream().map(p -> p.get().scheme()).toList();
  }

  /** A one-line problem with the transport URI's scheme, if it has one. */
  static Optional<String> schemeProblem(String transport) {
    String scheme;
    try {
      scheme = new URI(transport).getScheme();
    } catch (java.net.URISyntaxException e) {
      return Optional.empty(); // core names the syntax error
    }
    if (scheme == null) {
      return Optional.empty();
    }
    List<String> known = schemes();
    if (known.stream().anyMatch(s -> s.equalsIgnoreCase(scheme))) {
      return Optional.empty();
    }
    List<String> close = Main.closest(scheme, known);
    return Optional.of("unknown transport '" + scheme + ":'" + (close.isEmpty() ? "" : " (did you mean '"
        + close.get(0) + ":'?)") + "; known: " + String.join(", ", known.stream().map(s -> s + ":").toList()));
  }

  /**
   * Per transport of the home (preferred first), a one-line reason why it cannot be used now, or
   * empty when it can. The transports are checked at once, each within {@code timeout}.
   */
  static java.util.LinkedHashMap<String, Optional<String>> each(Config config, Duration timeout) {
    java.util.LinkedHashMap<String, CompletableFuture<Optional<String>>> running = new java.util.LinkedHashMap<>();
    for (String t : config.transports()) {
      running.put(t, CompletableFuture.supplyAsync(() -> problem(config, t, timeout)));
    }
    java.util.LinkedHashMap<String, Optional<String>> out = new java.util.LinkedHashMap<>();
    running.forEach((t, f) -> out.put(t, f.join()));
    return out;
  }

  /**
   * A one-line reason why {@code config}'s transports cannot be used now, or empty when one can (the
   * only one, or any of several).
   */
  static Optional<String> problem(Config config, Duration timeout) {
    if (config.transports().size() == 1) {
      return problem(config, config.transport(), timeout);
    }
    var each = each(config, timeout);
    if (each.values().stream().anyMatch(Optional::isEmpty)) {
      return Optional.empty();
    }
    return Optional.of("none of the " + each.size() + " transports works: "
        + String.join("; ", each.values().stream().map(Optional::get).toList()));
  }

  /** A one-line reason why {@code transport} of {@code config} cannot be used now, or empty when it can. */
  static Optional<String> problem(Config config, String transport, Duration timeout) {
    URI uri = URI.create(transport);
    Optional<String> scheme = schemeProblem(uri.toString());
    if (scheme.isPresent()) {
      return scheme;
    }
    CompletableFuture<Optional<String>> f = CompletableFuture.supplyAsync(() -> probe(config, uri));
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return Optional.of("the transport " + uri + " did not answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      return Optional.of("the transport " + uri + " cannot be reached: " + Main.describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking the transport");
    }
  }

  private static Optional<String> probe(Config config, URI uri) {
    for (StorageProvider p : ServiceLoader.load(StorageProvider.class)) {
      if (!p.scheme().equalsIgnoreCase(uri.getScheme())) {
        continue;
      }
      try (Storage s = p.open(uri, config.email(), config.transportOptions())) {
        s.root();
        String id = s.identity();
        if (id != null && !id.isBlank() && !id.equalsIgnoreCase(config.email())) {
          return Optional.of("the transport " + uri + " knows you as " + id + ", not " + config.email());
        }
        return Optional.empty();
      } catch (Exception e) {
        return Optional.of("the transport " + uri + " cannot be reached: " + Main.describe(e));
      }
    }
    return Optional.of("no transport for '" + uri.getScheme() + ":'");
  }
}
