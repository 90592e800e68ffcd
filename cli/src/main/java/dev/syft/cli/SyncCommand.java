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

  @picocli.CommandLine.Mixin ProgressOption progress;

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
      c.onProgress(progress.listener(spec.commandLine().getErr(), json));
      if (!watch) {
        Snapshot before = Snapshot.of(c);
        SyncReport r = c.sync(allowMassDelete);
        Snapshot after = Snapshot.of(c);
        if (json) {
          java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
          m.put("report", Json.report(r));
          m.put("changes", after.changesSince(before));
          out.println(Json.write(m));
        } else {
          print(out, r);
          after.changesSince(before).forEach(line -> out.println("  " + line));
        }
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

  /**
   * What a user sees change across a round besides the protocol counters: peers (incoming requests,
   * approvals), datasets that arrived or changed (with their file counts), job states. Read before and
   * after the round; nothing of it is sync logic.
   */
  record Snapshot(java.util.Map<String, String> peers, java.util.Map<String, Integer> datasets,
      java.util.Map<String, String> jobs) {
    static Snapshot of(SyftClient c) {
      java.util.Map<String, String> peers = new java.util.TreeMap<>();
      c.peers().list().forEach(p -> peers.put(p.email(), p.state().toString()));
      java.util.Map<String, Integer> datasets = new java.util.TreeMap<>();
      java.util.Map<String, String> jobs = new java.util.TreeMap<>();
      try {
        dev.syft.datasets.Datasets.of(c).list()
            .forEach(d -> datasets.put(d.name() + " (from " + d.owner() + ")", d.mockFiles().size()));
      } catch (RuntimeException e) {
        // a report nicety: never fail a sync over it
      }
      try {
        dev.syft.jobs.Jobs.of(c).listWithoutHashes().forEach(j -> jobs.put(j.id(), j.jobStatus().wire()));
      } catch (RuntimeException e) {
        // idem
      }
      return new Snapshot(peers, datasets, jobs);
    }

    java.util.List<String> changesSince(Snapshot before) {
      java.util.List<String> lines = new java.util.ArrayList<>();
      peers.forEach((email, state) -> {
        String was = before.peers.get(email);
        if (state.equals(was)) {
          return;
        }
        lines.add(switch (state) {
          case "requested_by_peer" -> "new contact request from " + email + " ('syft peers approve " + email + "')";
          case "accepted" -> "now connected with " + email;
          default -> "peer " + email + ": " + (was == null ? "" : was + " -> ") + state;
        });
      });
      datasets.forEach((name, files) -> {
        Integer was = before.datasets.get(name);
        if (was == null) {
          lines.add("new dataset " + name + ": " + files + " mock file(s)");
        } else if (!was.equals(files)) {
          lines.add("dataset " + name + ": " + was + " -> " + files + " mock file(s)");
        }
      });
      jobs.forEach((id, state) -> {
        String was = before.jobs.get(id);
        if (!state.equals(was)) {
          lines.add("job " + id + ": " + (was == null ? "new, " : was + " -> ") + state);
        }
      });
      return lines;
    }
  }

  private void print(PrintWriter out, SyncReport r) {
    if (json) {
      out.println(Json.write(Json.report(r)));
    } else {
      out.printf("synced: %d local change(s) sent, %d proposal(s) accepted, %d rejected, %d change(s) proposed,"
          + " %d event(s) received, %d upload(s)%s%n", r.localChanges(), r.accepted(), r.rejected(), r.proposed(),
          r.pulled(), r.uploaded(), r.pendingUploads() > 0 ? ", " + r.pendingUploads() + " waiting for upload" : "");
      r.skippedPeers().forEach((p, why) -> out.println("  skipped " + p + ": " + why));
      r.allErrors().forEach((p, why) -> out.println("  problem with " + p + ": " + why));
    }
    out.flush();
  }
}
