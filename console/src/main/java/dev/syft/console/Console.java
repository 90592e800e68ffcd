package dev.syft.console;

import com.sun.net.httpserver.HttpServer;
import dev.syft.console.internal.App;
import dev.syft.console.internal.Security;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local web console of one client home: overview, peers, job review (code, approve, reject,
 * run, release), datasets and the data scientist's view. Every page is built from the same library
 * calls the CLI makes ({@code SyftClient}, {@code Jobs}, {@code Datasets}), one client per request.
 *
 * <p>Bound to loopback unless a non-loopback address is asked for explicitly; opened with a one-time
 * token ({@link #url()}) that becomes an HttpOnly, SameSite=Strict session cookie; every POST needs
 * the session's CSRF token; Host and Origin are checked against the bound address.
 */
public final class Console implements AutoCloseable {
  /**
   * How to serve.
   *
   * @param home the client home
   * @param bind the address to bind
   * @param port the port (0: any free port)
   * @param explicitListen true only when the user named the address ({@code --listen}); a
   *     non-loopback address is refused otherwise
   */
  public record Options(Path home, InetAddress bind, int port, boolean explicitListen) {
    /** Loopback (127.0.0.1) on {@code port}. */
    public static Options loopback(Path home, int port) {
      return new Options(home, InetAddress.getLoopbackAddress(), port, false);
    }
  }

  private final HttpServer server;
  private final App app;
  private final ExecutorService executor;
  private final Security security;
  private final String hostForUrl;

  private Console(HttpServer server, App app, ExecutorService executor, Security security, String hostForUrl) {
    this.server = server;
    this.app = app;
    this.executor = executor;
    this.security = security;
    this.hostForUrl = hostForUrl;
  }

  /** Starts serving; fails with a one-line {@link SyftException} (e.g. a non-loopback address without --listen). */
  public static Console start(Options o) {
    if (!o.bind().isLoopbackAddress() && !o.explicitListen()) {
      throw new SyftException("console-refused", "the console serves only 127.0.0.1 unless --listen names another"
          + " address (" + o.bind().getHostAddress() + " refused)");
    }
    if (o.port() < 0 || o.port() > 65535) {
      throw new SyftException("console-refused", "port " + o.port() + " is not between 0 and 65535");
    }
    // fail early and clearly when the home is not a client home
    dev.syft.core.Home.open(o.home());
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(o.bind(), o.port()), 50);
    } catch (IOException e) {
      throw new SyftException("console-bind", "cannot listen on " + o.bind().getHostAddress() + ":" + o.port() + ": "
          + e.getMessage(), e);
    }
    int port = server.getAddress().getPort();
    List<String> names = new ArrayList<>();
    String hostForUrl;
    if (o.bind().isLoopbackAddress()) {
      names.addAll(List.of("127.0.0.1", "localhost", "[::1]"));
      hostForUrl = "127.0.0.1";
    } else {
      String a = o.bind().getHostAddress();
      hostForUrl = a.contains(":") ? "[" + a + "]" : a;
      names.add(hostForUrl);
      names.addAll(List.of("127.0.0.1", "localhost"));
    }
    Security security = new Security(names, port);
    // one request at a time: a client home is used by one thread at a time, as the CLI does
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "syft-console-http");
      t.setDaemon(true);
      return t;
    });
    App app = new App(o.home(), security);
    server.createContext("/", app);
    server.setExecutor(executor);
    server.start();
    return new Console(server, app, executor, security, hostForUrl);
  }

  /** The address served. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The base URL, without the token. */
  public URI base() {
    return URI.create("http://" + hostForUrl + ":" + address().getPort() + "/");
  }

  /** The URL to open once: it carries the one-time token (null after it was used). */
  public URI url() {
    String t = security.token();
    return t == null ? null : URI.create(base() + "?token=" + t);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    app.close();
  }
}
