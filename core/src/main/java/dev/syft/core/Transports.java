package dev.syft.core;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The transports of a home ({@code syft transports add|list|remove}), preferred first. With several,
 * the client writes each message to the first that works and reads from all of them (see {@code
 * RoutingStorage}). Changes are saved in {@code config.yaml} and take effect when a client (or daemon)
 * next opens the home.
 */
public final class Transports {
  private Transports() {}

  /** The home's transports, preferred first. */
  public static List<String> list(Path homeDir) {
    return Home.open(homeDir).config().transports();
  }

  /**
   * Adds a transport, last unless {@code preferred}. Like {@code init}, this may create what the
   * transport needs (the {@code local:} shared folder); returns a sentence about it, if anything.
   */
  public static Optional<String> add(Path homeDir, String transport, boolean preferred) {
    Config.validateTransport(transport);
    Home home = Home.open(homeDir);
    Config c = home.config();
    if (c.transports().contains(transport)) {
      throw new SyftException(ErrorCode.INVALID_TRANSPORT, "the home already has the transport " + transport);
    }
    List<String> all = new ArrayList<>(c.transports());
    if (preferred) {
      all.add(0, transport);
    } else {
      all.add(transport);
    }
    Optional<String> note;
    try {
      note = SyftClient.prepareStorage(c, transport);
    } catch (IOException e) {
      throw new SyftException(ErrorCode.TRANSPORT_UNREACHABLE, "cannot prepare the transport " + transport + ": "
          + e.getMessage(), e);
    }
    c.withTransports(all).save(home.dir());
    return note;
  }

  /**
   * Removes a transport; the last one cannot be removed, nor the only one chosen for a peer (choose
   * another for them first). It is dropped from the choices of peers that have others.
   */
  public static void remove(Path homeDir, String transport) {
    Home home = Home.open(homeDir);
    List<String> all = new ArrayList<>(home.config().transports());
    if (!all.remove(transport)) {
      throw new SyftException(ErrorCode.INVALID_TRANSPORT, "the home has no transport " + transport + " (it has: "
          + String.join(", ", home.config().transports()) + ")");
    }
    if (all.isEmpty()) {
      throw new SyftException(ErrorCode.INVALID_TRANSPORT, "cannot remove the only transport of the home");
    }
    Config c = home.config().withTransports(all);
    for (Map.Entry<String, List<String>> r : home.config().peerTransports().entrySet()) {
      List<String> via = new ArrayList<>(r.getValue());
      if (via.remove(transport)) {
        if (via.isEmpty()) {
          throw new SyftException(ErrorCode.INVALID_TRANSPORT, "traffic with " + r.getKey() + " goes only via " + transport
              + "; choose another first ('syft peers add " + r.getKey() + " --via T')");
        }
        c = c.withPeerTransports(r.getKey(), via);
      }
    }
    c.save(home.dir());
  }

  /** Per peer with chosen transports, those transports, preferred first. */
  public static Map<String, List<String>> peerRoutes(Path homeDir) {
    return Home.open(homeDir).config().peerTransports();
  }

  /**
   * Sends and reads traffic with {@code peer} only over {@code via} (preferred first), each one of the
   * home's transports: its URI, or a scheme ({@code s3}, {@code s3:}) when exactly one transport has it.
   * An empty list lets the peer use every transport again. Takes effect when a client next opens the
   * home. Returns the transports chosen.
   */
  public static List<String> routePeer(Path homeDir, String peer, List<String> via) {
    Home home = Home.open(homeDir);
    String p = Home.normalizeEmail(peer);
    if (p.equals(home.email())) {
      throw new SyftException(ErrorCode.INVALID_TRANSPORT, "traffic with yourself is not routed");
    }
    List<String> chosen = new ArrayList<>();
    for (String v : via) {
      String t = resolve(home.config(), v);
      if (!chosen.contains(t)) {
        chosen.add(t);
      }
    }
    home.config().withPeerTransports(p, chosen).save(home.dir());
    return chosen;
  }

  private static String resolve(Config c, String name) {
    if (c.transports().contains(name)) {
      return name;
    }
    String scheme = name.endsWith(":") ? name.substring(0, name.length() - 1) : name;
    List<String> matching = c.transports().stream()
        .filter(t -> t.regionMatches(true, 0, scheme + ":", 0, scheme.length() + 1)).toList();
    if (matching.size() == 1) {
      return matching.get(0);
    }
    throw new SyftException(ErrorCode.INVALID_TRANSPORT, (matching.isEmpty() ? "the home has no transport " + name
        : name + " names several transports, give the URI") + " (it has: " + String.join(", ", c.transports()) + ")");
  }
}
