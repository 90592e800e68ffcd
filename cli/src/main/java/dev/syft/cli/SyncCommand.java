package dev.syft.cli;

import dev.syft.core.SyftClient;
import dev.syft.core.SyncLoop;
import dev.syft.core.SyncReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Exchange proposals and events with every approved peer (one round, or --watch to keep going).",
    footer = {"", "A round that would delete more than half of a tree's files (and more than 10; config.yaml"
        + " sync.mass_delete_fraction / mass_delete_min_files) holds those deletions back until you confirm them.",
        "", "Examples:", "  syft sync --home ~/alice", "  syft sync --watch --interval 5 --home ~/alice   (Ctrl-C stops)",
        "  syft sync --allow-mass-delete --home ~/alice   (after checking that the deletions are intended)"})
final class SyncCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOption home;

  @Option(names = "--watch", description = "Keep syncing: react to transport notifications, poll as a fallback.")
  boolean watch;

  @Option(names = "--interval", paramLabel = "SECONDS", description = "Polling interval for --watch (default: config, 10).")
  Integer interval;

  @Option(names = "--json", description = "Print the round's report as JSON.")
  boolean json;

  @Option(names = "--allow-mass-delete",
      description = "Confirm deletions held back as a mass deletion (one round; not with --watch).")
  boolean allowMassDelete;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (watch && allowMassDelete) {
      // a standing confirmation would let the next accident through unasked
      throw new UsageException("--allow-mass-delete confirms one round; run it without --watch");
    }
    try (SyftClient c = SyftClient.open(home.resolve())) {
      c.onProgress(new TerminalProgress(spec.commandLine().getErr()));
      if (!watch) {
        SyncReport r = c.sync(allowMassDelete);
        print(out, r);
        return r.clean() ? Main.EXIT_OK : Main.EXIT_REFUSED;
      }
      int seconds = interval != null ? interval : c.home().config().pollSeconds();
      SyncLoop loop = new SyncLoop(c, Duration.ofSeconds(Math.max(1, seconds)), r -> {
        if (json || r.accepted() + r.rejected() + r.localChanges() + r.proposed() + r.pulled() > 0 || !r.clean()) {
          print(out, r);
        }
      }, e -> spec.commandLine().getErr().println("syft: sync failed, retrying with backoff: " + e.getMessage()));
      Thread hook = new Thread(loop::stop, "syft-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("syncing every " + seconds + " s (and on change notifications); Ctrl-C stops");
      out.flush();
      loop.run();
      return Main.EXIT_OK;
    }
  }

  private void print(PrintWriter out, SyncReport r) {
    if (json) {
      out.println(Json.write(r));
    } else {
      out.printf("synced: %d local change(s) sent, %d proposal(s) accepted, %d rejected, %d change(s) proposed,"
          + " %d event(s) received, %d upload(s)%s%n", r.localChanges(), r.accepted(), r.rejected(), r.proposed(),
          r.pulled(), r.uploaded(), r.pendingUploads() > 0 ? ", " + r.pendingUploads() + " waiting for upload" : "");
      r.skippedPeers().forEach((p, why) -> out.println("  skipped " + p + ": " + why));
      r.peerErrors().forEach((p, why) -> out.println("  problem with " + p + ": " + why));
    }
    out.flush();
  }
}
