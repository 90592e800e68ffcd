package dev.syft.core;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** Removes a transport; the last one cannot be removed. */
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
    home.config().withTransports(all).save(home.dir());
  }
}
