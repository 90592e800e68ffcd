package dev.syft.cli;

import dev.syft.core.Peer;
import dev.syft.core.Status;
import dev.syft.core.SyftClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "One screen: peers and their states, last sync, queued uploads, jobs waiting for review,"
        + " quarantined and rejected messages, skipped peers and why.",
    footer = {"", "Example:", "  syft status --home ~/alice --json"})
final class StatusCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  @Spec CommandSpec spec;
  @Mixin HomeOption home;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  static String time(Instant t) {
    return t == null ? "never" : TIME.format(t);
  }

  /** Wire timestamps (epoch seconds), e.g. a checkpoint's. */
  static String time(Double epochSeconds) {
    return epochSeconds == null ? "never" : time(Instant.ofEpochMilli(Math.round(epochSeconds * 1000)));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (SyftClient c = SyftClient.open(home.resolveReadOnly())) {
      // checked alongside the rest; a transport that does not answer in time is reported as such
      var transportCheck = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> TransportCheck.each(c.home().config(), java.time.Duration.ofSeconds(10)));
      Status s = c.status();
      java.util.List<dev.syft.jobs.JobInfo> review = java.util.List.of();
      java.util.List<dev.syft.jobs.JobInfo> mine = java.util.List.of();
      try {
        var jobs = dev.syft.jobs.Jobs.of(c).listWithoutHashes(); // a read path: no hashing
        review = jobs.stream().filter(j -> j.owner().equals(c.email())
            && (j.jobStatus() == dev.syft.jobs.JobStatus.PENDING || j.jobStatus() == dev.syft.jobs.JobStatus.RECEIVED)).toList();
        mine = jobs.stream().filter(j -> j.submitter().equals(c.email()) && !j.owner().equals(c.email())).toList();
      } catch (RuntimeException e) {
        // job listing is a convenience here; status must work even with a damaged job folder
      }
      var eachTransport = transportCheck.join();
      java.util.List<dev.syft.core.PeerTransport> peerTransports = c.peerTransports();
      String transportProblem = eachTransport.values().stream().anyMatch(java.util.Optional::isEmpty) ? null
          : String.join("; ", eachTransport.values().stream().map(java.util.Optional::get).toList());
      if (json) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("status", s);
        m.put("transport_reachable", transportProblem == null);
        m.put("transport_problem", transportProblem);
        java.util.List<java.util.Map<String, Object>> ts = new java.util.ArrayList<>();
        int rank = 0;
        for (var t : eachTransport.entrySet()) {
          java.util.Map<String, Object> tm = new java.util.LinkedHashMap<>();
          tm.put("uri", t.getKey());
          tm.put("preferred", rank++ == 0);
          tm.put("works", t.getValue().isEmpty());
          tm.put("problem", t.getValue().orElse(null));
          ts.add(tm);
        }
        m.put("transports", ts);
        m.put("peer_transports", peerTransports);
        m.put("jobs_waiting_for_review", review.stream().map(dev.syft.jobs.JobInfo::id).toList());
        m.put("my_jobs", mine.stream().map(j -> java.util.Map.of("id", j.id(), "status", j.jobStatus().wire())).toList());
        out.println(Json.write(m));
        return Main.EXIT_OK;
      }
      out.println(s.email() + " on " + s.transport());
      out.println("home: " + s.home() + "   last sync: " + time(s.lastSync()));
      if (transportProblem != null) {
        out.println("TRANSPORT UNREACHABLE: " + transportProblem);
      }
      if (eachTransport.size() > 1) {
        out.println("transports (preferred first):");
        eachTransport.forEach((t, p) -> out.println("  " + t + "  " + p.map(x -> "FAILS: " + x).orElse("works")));
      }
      out.println();
      out.println("peers (" + s.peers().size() + "):");
      if (s.peers().isEmpty()) {
        out.println("  none yet ('syft peers add <email>')");
      }
      for (Peer p : s.peers()) {
        String extra = p.skipReason() != null ? "  SKIPPED: " + p.skipReason()
            : p.warning() != null ? "  warning: " + p.warning() : "";
        out.printf("  %-38s %-18s last sync %s%s%n", p.email(), p.state(), time(p.lastSync()), extra);
      }
      boolean routed = peerTransports.stream().anyMatch(pt -> !pt.via().isEmpty());
      if (eachTransport.size() > 1 || routed) {
        out.println();
        out.println("peer traffic per transport (last exchange that worked; last error):");
        for (dev.syft.core.PeerTransport pt : peerTransports) {
          out.println("  " + pt.peer() + (pt.via().isEmpty() ? "  (every transport)" : "  (via " + String.join(", ", pt.via()) + ")"));
          for (dev.syft.core.PeerTransport.Health h : pt.transports()) {
            String state = h.failing() ? "FAILING" : h.lastOkAt() != null ? "works" : "no exchange yet";
            out.println("    " + h.transport() + "  " + state + "  last ok " + time(h.lastOkAt())
                + (h.lastError() == null ? "" : "; last error " + time(h.lastErrorAt()) + ": " + h.lastError()));
          }
        }
      }
      out.println();
      out.println("uploads waiting: " + s.pendingUploads());
      for (Status.FailingUpload f : s.failingUploads()) {
        out.println("  failing: " + f.destination() + (f.peer() == null ? "" : " of " + f.peer()) + ", " + f.attempts()
            + " attempt(s), last error: " + f.lastError());
      }
      out.println("jobs waiting for your review: " + review.size()
          + (review.isEmpty() ? "" : " (" + String.join(", ", review.stream().map(dev.syft.jobs.JobInfo::id).toList())
          + "; 'syft jobs show ID')"));
      if (!mine.isEmpty()) {
        out.println("your jobs at peers:");
        mine.forEach(j -> out.println("  " + j.id() + "  " + j.jobStatus().wire()));
      }
      s.warnings().forEach(w -> out.println("WARNING: " + w));
      for (Status.HeldDeletions h : s.heldDeletions()) {
        out.println("HELD BACK: " + h.message());
      }
      section(out, "quarantined messages (refused from peers)", s.quarantined());
      section(out, "your proposals refused by data owners", s.rejectedProposals());
      if (!s.rolledBack().isEmpty()) {
        out.println("your changes rolled back to the owner's version after a refusal (" + s.rolledBack().size() + "):");
        int from = Math.max(0, s.rolledBack().size() - 10);
        for (Status.RolledBack r : s.rolledBack().subList(from, s.rolledBack().size())) {
          out.println("  " + time(r.at()) + "  " + r.summary());
        }
      }
      if (!s.revoked().isEmpty()) {
        out.println("files whose owners revoked your access (moved aside):");
        s.revoked().forEach(r -> out.println("  " + r.owner() + "/" + r.path() + " -> " + r.movedTo()));
      }
      return Main.EXIT_OK;
    }
  }

  private static void section(PrintWriter out, String title, java.util.List<Status.Problem> items) {
    if (items.isEmpty()) {
      return;
    }
    out.println(title + " (" + items.size() + "):");
    int from = Math.max(0, items.size() - 10);
    if (from > 0) {
      out.println("  ... " + from + " older");
    }
    for (Status.Problem p : items.subList(from, items.size())) {
      out.println("  " + time(p.at()) + "  " + p.peer() + "  " + p.message() + ": " + p.reason());
    }
  }
}
