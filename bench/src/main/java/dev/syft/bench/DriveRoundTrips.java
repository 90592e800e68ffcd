package dev.syft.bench;

import dev.syft.Syft;
import dev.syft.drivefake.FakeDriveServer;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.Release;
import dev.syft.jobs.SubmitRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Requests per operation on Google Drive: the real client ({@code gdrive:} transport) against the Drive
 * fake over loopback, counting every HTTP request the fake serves per user (a batch counts once).
 * Warm = one long-lived client per user; cold = a fresh client per command (open, act, close), as one
 * CLI process per command costs. Not a test: prints a table (issue 17). Run:
 * {@code java -cp bench/target/benchmarks.jar dev.syft.bench.DriveRoundTrips [detail]}.
 */
public final class DriveRoundTrips implements AutoCloseable {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

  private final boolean cold;
  private final boolean detail;
  private final Path tmp;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeDriveServer drive;
  private final Map<String, Syft> open = new HashMap<>();

  private DriveRoundTrips(boolean cold, boolean detail) throws IOException {
    this.cold = cold;
    this.detail = detail;
    this.tmp = Files.createTempDirectory("drive-round-trips");
    this.drive = FakeDriveServer.builder().clock(clock).start();
  }

  public static void main(String[] args) throws Exception {
    boolean detail = List.of(args).contains("detail");
    List<String[]> rows = new ArrayList<>();
    String[] names = {"idle DO sync, P = 1 / 3 / 10 peers", "idle DS sync",
        "one proposal round trip (DS push, DO sync, DS sync), first / second",
        "one job round trip (submit ... DS sees output; deposit, no run)",
        "DO sync after one local change, readable / private"};
    String[][] cells = new String[names.length][2];
    for (int m = 0; m < 2; m++) {
      boolean cold = m == 1;
      List<String> idle = new ArrayList<>();
      for (int p : new int[] {1, 3, 10}) {
        try (DriveRoundTrips b = new DriveRoundTrips(cold, detail)) {
          idle.add(Long.toString(b.idleOwner(p)));
        }
      }
      cells[0][m] = String.join(" / ", idle);
      try (DriveRoundTrips b = new DriveRoundTrips(cold, detail)) {
        cells[1][m] = Long.toString(b.idleScientist());
      }
      try (DriveRoundTrips b = new DriveRoundTrips(cold, detail)) {
        cells[2][m] = b.proposalRoundTrip() + " / " + b.proposalRoundTrip();
      }
      try (DriveRoundTrips b = new DriveRoundTrips(cold, detail)) {
        cells[3][m] = Long.toString(b.jobRoundTrip());
      }
      try (DriveRoundTrips b = new DriveRoundTrips(cold, detail)) {
        cells[4][m] = b.localChange("public/readable.txt") + " / " + b.localChange("private/secret.txt");
      }
    }
    System.out.println("| operation | syft-java warm | syft-java cold |");
    System.out.println("|---|---:|---:|");
    for (int i = 0; i < names.length; i++) {
      System.out.println("| " + names[i] + " | " + cells[i][0] + " | " + cells[i][1] + " |");
    }
  }

  // ------------------------------------------------------------------ scenarios

  long idleOwner(int p) {
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < p; i++) {
      String ds = "ds" + i + "@lab" + i + ".example";
      peers.add(ds);
      with(ds, s -> s.peers().add(DO));
    }
    with(DO, Syft::sync);
    for (String ds : peers) {
      with(DO, s -> s.peers().approve(ds));
    }
    for (String ds : peers) {
      with(ds, Syft::sync);
    }
    settle(DO);
    return count(DO, "idle DO P=" + p, () -> with(DO, Syft::sync));
  }

  long idleScientist() {
    connect();
    settle(DS);
    return count(DS, "idle DS", () -> with(DS, Syft::sync));
  }

  private boolean connected;
  private int proposals;

  long proposalRoundTrip() {
    if (!connected) {
      connect();
      settle(DO);
      settle(DS);
    }
    int n = ++proposals;
    String rel = "app_data/job/inbox/" + DS + "/p-" + n + "/run.sh";
    long total = 0;
    total += count(DS, "proposal: DS push", () -> with(DS, s -> {
      write(s.client().home().replica(DO), rel, "echo " + n + "\n");
      s.sync();
    }));
    clock.advance(Duration.ofSeconds(5));
    total += count(DO, "proposal: DO sync", () -> with(DO, s -> check(s.sync().accepted() == 1, "accepted")));
    clock.advance(Duration.ofSeconds(5));
    total += count(DS, "proposal: DS sync", () -> with(DS, Syft::sync));
    clock.advance(Duration.ofSeconds(5));
    return total;
  }

  long jobRoundTrip() {
    connect();
    settle(DO);
    settle(DS);
    long total = 0;
    total += count(DS, "job: submit", () -> with(DS,
        s -> s.jobs().submit(SubmitRequest.bash("echo 42 > outputs/answer.txt\n", DO).withName("answer"))));
    clock.advance(Duration.ofSeconds(5));
    total += count(DO, "job: DO sync", () -> with(DO, Syft::sync));
    String[] id = new String[1];
    total += count(DO, "job: DO approve", () -> with(DO, s -> {
      List<JobInfo> jobs = s.jobs().list();
      check(jobs.size() == 1, "one job received");
      id[0] = jobs.get(0).id();
      s.jobs().approve(id[0], "bench");
    }));
    total += count(DO, "job: DO deposit", () -> with(DO, s -> {
      Path result = tmp.resolve("result");
      write(result, "answer.txt", "42\n");
      s.jobs().deposit(id[0], result);
    }));
    total += count(DO, "job: DO share", () -> with(DO, s -> s.jobs().share(id[0], EnumSet.of(Release.OUTPUTS))));
    total += count(DO, "job: DO sync", () -> with(DO, Syft::sync));
    clock.advance(Duration.ofSeconds(5));
    total += count(DS, "job: DS sync", () -> with(DS, s -> {
      s.sync();
      String mine = s.jobs().groups().get(0).members().get(0).id();
      check(!s.jobs().outputs(mine).isEmpty(), "outputs arrived");
    }));
    return total;
  }

  long localChange(String rel) {
    if (!connected) {
      connect();
      with(DO, s -> write(s.client().home().datasite(), "public/syft.pub.yaml",
          "rules:\n- pattern: '**'\n  access:\n    read:\n    - '*'\n"));
      with(DO, Syft::sync);
      settle(DO);
    }
    clock.advance(Duration.ofSeconds(5));
    return count(DO, "local change " + rel, () -> with(DO, s -> {
      write(s.client().home().datasite(), rel, "content of " + rel + " at " + clock.instant() + "\n");
      s.sync();
    }));
  }

  // ------------------------------------------------------------------ plumbing

  private void connect() {
    with(DS, s -> s.peers().add(DO));
    with(DO, Syft::sync);
    with(DO, s -> s.peers().approve(DS));
    with(DS, Syft::sync);
    with(DO, Syft::sync);
    connected = true;
  }

  /** Past every settle window, so the measured round is a steady one. */
  private void settle(String who) {
    for (int i = 0; i < 3; i++) {
      with(who, Syft::sync);
      clock.advance(Duration.ofSeconds(61));
    }
    with(who, Syft::sync);
    clock.advance(Duration.ofSeconds(10));
  }

  private long count(String who, String what, Runnable step) {
    Map<String, Long> before = drive.counts(who);
    step.run();
    Map<String, Long> after = drive.counts(who);
    Map<String, Long> delta = new java.util.TreeMap<>();
    long total = 0;
    for (var e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (d != 0) {
        delta.put(e.getKey(), d);
        if (!e.getKey().startsWith("batch:")) {
          total += d; // a batch is one request ("batch"); its parts are shown, not counted
        }
      }
    }
    if (detail) {
      System.out.printf("  %s %-28s %3d %s%n", cold ? "cold" : "warm", what, total, delta);
    }
    return total;
  }

  private void with(String who, Consumer<Syft> action) {
    Path home = tmp.resolve("home-" + who);
    if (!Files.exists(home)) {
      Syft.init(who, "gdrive:?root_url=" + drive.rootUrl() + "&access_token=" + who, home).close();
    }
    if (cold) {
      try (Syft s = Syft.builder(home).clock(clock).build()) {
        action.accept(s);
      }
    } else {
      action.accept(open.computeIfAbsent(who, w -> Syft.builder(home).clock(clock).build()));
    }
  }

  private static void write(Path root, String rel, String text) {
    try {
      Path p = root.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("bench scenario broke: expected " + what);
    }
  }

  @Override
  public void close() {
    open.values().forEach(Syft::close);
    drive.close();
  }

  /** A clock the bench moves (shared by the clients and the fake). */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
