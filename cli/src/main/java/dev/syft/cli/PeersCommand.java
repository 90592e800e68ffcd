package dev.syft.cli;

import dev.syft.core.Peer;
import dev.syft.core.SyftClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "peers", mixinStandardHelpOptions = true,
    description = "Manage contacts: request, approve, reject, remove, list.",
    subcommands = {PeersCommand.ListCmd.class, PeersCommand.Add.class, PeersCommand.Approve.class, PeersCommand.Reject.class,
        PeersCommand.Remove.class, PeersCommand.Trust.class},
    footer = {"", "Examples:",
        "  syft peers add do@hospital.example --home ~/ds      ask a data owner to connect",
        "  syft peers add do@hospital.example --via s3 --home ~/ds   their traffic only over the home's s3: transport",
        "  syft peers list --home ~/do                          see pending requests",
        "  syft peers approve ds@university.example --home ~/do",
        "  syft peers remove do@hosptial.example --home ~/ds    withdraw a mistyped request",
        "  syft peers trust ds@university.example --fingerprint 'EC31 EFA2 ...' --home ~/do   accept a changed key"})
final class PeersCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List peers: state, whether traffic with them is end-to-end encrypted, and the short form of"
          + " their pinned key's fingerprint (compare it with them out of band; 'syft keys fingerprint' on their side)."})
  static final class ListCmd implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
      java.nio.file.Path dir = home.resolve();
      try (SyftClient c = SyftClient.open(dir)) {
        List<Peer> peers = c.peers().list();
        java.util.Map<String, List<String>> routes = dev.syft.core.Transports.peerRoutes(dir);
        var out = spec.commandLine().getOut();
        if (json) {
          tools.jackson.databind.node.ArrayNode list = Json.MAPPER.valueToTree(peers);
          for (tools.jackson.databind.JsonNode p : list) {
            var via = ((tools.jackson.databind.node.ObjectNode) p).putArray("via"); // empty: every transport
            routes.getOrDefault(p.get("email").asString(), List.of()).forEach(via::add);
          }
          out.println(Json.write(list));
          return Main.EXIT_OK;
        }
        if (peers.isEmpty()) {
          out.println("no peers yet: 'syft peers add <email>' asks someone to connect");
        }
        for (Peer p : peers) {
          StringBuilder line = new StringBuilder(String.format("%-40s %-17s %-9s %s", p.email(), p.state(),
              p.encrypted() ? "encrypted" : "clear", p.fingerprint() == null ? "(no key)" : p.fingerprint()));
          if (p.keyProblem() != null) {
            line.append("  (").append(p.keyProblem()).append(')');
          } else if (p.skipReason() != null) {
            line.append("  (skipped: ").append(p.skipReason()).append(')');
          } else if (p.warning() != null) {
            line.append("  (").append(p.warning()).append(')');
          }
          if (routes.containsKey(p.email())) {
            line.append("  via ").append(String.join(", ", routes.get(p.email())));
          }
          out.println(line);
        }
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Ask EMAIL to connect (approves them instead if they asked first).",
          "With --via, messages to and from EMAIL travel only over the named transports of this home (see 'syft"
              + " transports list'); they must use the same ones. Run again with other --via to change it."})
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "EMAIL") String email;

    @Option(names = "--via", paramLabel = "TRANSPORT",
        description = "A transport of this home for this peer's traffic: its URI, or its scheme when only one has it"
            + " (repeat for several, preferred first).")
    List<String> via = List.of();

    @Override
    public Integer call() {
      java.nio.file.Path dir = home.resolve();
      var out = spec.commandLine().getOut();
      List<String> chosen = via.isEmpty() ? List.of() : dev.syft.core.Transports.routePeer(dir, email, via);
      try (SyftClient c = SyftClient.open(dir)) {
        String r = c.peers().add(email);
        switch (r) {
          case "approved" -> out.println("approved " + email + " (they had asked to connect)");
          case "already" -> out.println("already connected or requested: " + email);
          default -> out.println("requested " + email + "; they see it after their next sync and can approve it");
        }
      }
      if (!chosen.isEmpty()) {
        out.println("traffic with " + email + " goes via " + String.join(", ", chosen));
      }
      return Main.EXIT_OK;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve EMAIL's request to connect.")
  static final class Approve implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "EMAIL") String email;

    @Override
    public Integer call() {
      try (SyftClient c = SyftClient.open(home.resolve())) {
        c.peers().approve(email);
        spec.commandLine().getOut().println("approved " + email);
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject EMAIL's request to connect.")
  static final class Reject implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "EMAIL") String email;

    @Override
    public Integer call() {
      try (SyftClient c = SyftClient.open(home.resolve())) {
        c.peers().reject(email);
        spec.commandLine().getOut().println("rejected " + email);
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "trust", mixinStandardHelpOptions = true,
      description = {"Trust the encryption key EMAIL publishes now, after comparing its fingerprint with them out of"
          + " band. A changed key is refused (their messages quarantined, ours held) until trusted."},
      footer = {"", "Example:", "  syft peers trust ds@university.example --fingerprint 'EC31 EFA2 0B8C 9D1E ...' --home ~/do"})
  static final class Trust implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "EMAIL") String email;

    @Option(names = "--fingerprint", required = true, paramLabel = "F",
        description = "Their key's fingerprint: the short form (groups of 4 hex digits) or the full hex.")
    String fingerprint;

    @Override
    public Integer call() {
      try (SyftClient c = SyftClient.open(home.resolve())) {
        String trusted = c.peers().trust(email, fingerprint);
        spec.commandLine().getOut().println("trusted the key of " + email + ": " + trusted);
        return Main.EXIT_OK;
      }
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Withdraw your request to EMAIL, or drop EMAIL as a contact.",
          "Your folders for them are deleted (with anything still queued for them), the access an approval"
              + " gave them is revoked, and they are forgotten here. A request of theirs shows up again at the"
              + " next sync, to approve or reject."})
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin HomeOption home;

    @Parameters(paramLabel = "EMAIL") String email;

    @Override
    public Integer call() {
      java.nio.file.Path dir = home.resolve();
      try (SyftClient c = SyftClient.open(dir)) {
        String was = c.peers().remove(email);
        if (dev.syft.core.Transports.peerRoutes(dir).containsKey(dev.syft.core.Home.normalizeEmail(email))) {
          dev.syft.core.Transports.routePeer(dir, email, List.of()); // a new contact starts on every transport
        }
        var out = spec.commandLine().getOut();
        out.println(switch (was) {
          case "requested_by_me" -> "withdrew your request to " + email;
          case "accepted" -> "removed the contact " + email + " (their access is revoked)";
          default -> "removed " + email + " (" + was + ")";
        });
        return Main.EXIT_OK;
      }
    }
  }
}
