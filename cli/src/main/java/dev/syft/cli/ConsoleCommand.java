package dev.syft.cli;

import dev.syft.console.Console;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "console", mixinStandardHelpOptions = true,
    description = {"Serve the web console of a home on 127.0.0.1: overview, peers, review (code, approve, reject,"
        + " run, release), datasets and the data scientist's view. Prints a URL with a one-time token; runs until"
        + " Ctrl-C.", "Use 'syft daemon' (or the console's Sync now button) to keep the home in sync."},
    footer = {"", "Examples:", "  syft console --home ~/do", "  syft console --home ~/ds --port 8766",
        "  syft console --home ~/do --listen 192.0.2.10   serve another address (anyone who can reach it and has"
            + " the URL gets in)"})
final class ConsoleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOption home;

  @Option(names = "--port", paramLabel = "P", description = "Port (default: any free port).")
  int port;

  @Option(names = "--listen", paramLabel = "ADDR",
      description = "Address to serve instead of 127.0.0.1; a non-loopback address is served only when named here.")
  String listen;

  @Override
  public Integer call() throws InterruptedException {
    InetAddress bind;
    try {
      bind = listen == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(listen);
    } catch (UnknownHostException e) {
      throw new UsageException("--listen " + listen + ": unknown address");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Console console = start(new Console.Options(home.resolve(), bind, port, listen != null), out)) {
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "syft-console-shutdown"));
      stop.await();
    }
    return Main.EXIT_OK;
  }

  /** Starts a console and prints how to open it (also used by 'syft daemon --console'). */
  static Console start(Console.Options o, PrintWriter out) {
    Console console = Console.start(o);
    if (!o.bind().isLoopbackAddress()) {
      out.println("WARNING: serving " + o.bind().getHostAddress() + ", not only this machine");
    }
    out.println("syft console for " + o.home() + " (Ctrl-C stops it); open this once, it signs you in:");
    out.println("  " + console.url());
    out.flush();
    return console;
  }
}
