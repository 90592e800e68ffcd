package dev.syft.core;

import dev.syft.transport.Storage;
import dev.syft.transport.decorator.ForwardingStorage;
import dev.syft.transport.decorator.Operation;
import dev.syft.transport.local.LocalStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deterministic DO + DS workload of {@link CrashSafetyTest}, over the local transport in
 * {@code <base>/shared-root} with homes in {@code <base>/homes}. It is a list of actions (setup,
 * then per step: the edits of both sides, a DS sync, a DO sync, a DS sync, then a final settle);
 * the index of the next action is kept in {@code <base>/progress}, written after an action
 * completed, so a killed run resumes with the interrupted action (every action is idempotent: edits
 * write fixed content, syncs converge).
 *
 * <p>A progress line is printed before every action and before and after every storage call, so a
 * parent that kills after the k-th line stops the run inside syncs: during an upload, right after
 * one (before the journal records it), between a download and its application, in database
 * transactions.
 */
public final class CrashWorkload {
  static final String DO = "do@hospital.example";
  static final String DS = "ds@university.example";

  private final Path base;
  private final int steps;
  private final PrintStream out;
  private final Map<String, SyftClient> clients = new TreeMap<>();

  CrashWorkload(Path base, int steps, PrintStream out) {
    this.base = base;
    this.steps = steps;
    this.out = out;
  }

  static String job(int k) {
    return "app_data/job/inbox/" + DS + "/job-" + k + "/run.sh";
  }

  // ------------------------------------------------------------------ the model

  /** What the DO's public folder and the DS's job files must hold after {@code steps} steps. */
  static Map<String, String> expectedData(int steps) {
    Map<String, String> m = new TreeMap<>();
    for (int k = 1; k <= steps; k++) {
      for (Edit e : edits(k)) {
        if (e.content() == null) {
          m.remove(e.path());
        } else {
          m.put(e.path(), e.content());
        }
      }
    }
    return m;
  }

  /** One edit: {@code owner} true for the DO's datasite, false for the DS's replica; null content deletes. */
  record Edit(boolean owner, String path, String content) {}

  static List<Edit> edits(int k) {
    List<Edit> l = new ArrayList<>();
    // DO: create, edit, and later delete files the DS may read
    if (k % 3 == 1) {
      l.add(new Edit(true, "public/f" + k + ".txt", "f" + k + " v1"));
    } else if (k % 3 == 2) {
      l.add(new Edit(true, "public/f" + (k - 1) + ".txt", "f" + (k - 1) + " v2"));
    } else if (k >= 6) {
      l.add(new Edit(true, "public/f" + (k - 5) + ".txt", null));
    }
    // DS: a new job file every step, edits and deletions of earlier ones
    l.add(new Edit(false, job(k), "echo " + k + "\n"));
    if (k % 4 == 0) {
      l.add(new Edit(false, job(k - 2), "echo " + (k - 2) + " edited\n"));
    }
    if (k % 5 == 0) {
      l.add(new Edit(false, job(k - 1), null));
    }
    return l;
  }

  // ------------------------------------------------------------------ actions

  private List<Runnable> actions() {
    List<Runnable> a = new ArrayList<>();
    a.add(() -> client(DS).peers().add(DO));
    a.add(() -> untilState(DO, DS, "requested_by_peer", "accepted"));
    a.add(() -> {
      if (!state(DO, DS).equals("accepted")) {
        client(DO).peers().approve(DS);
      }
    });
    a.add(() -> untilState(DS, DO, "accepted"));
    a.add(() -> {
      Cluster.grantRead(datasite(DO), "public", "**", DS);
      client(DO).sync();
    });
    for (int k = 1; k <= steps; k++) {
      int step = k;
      a.add(() -> applyEdits(step));
      a.add(() -> client(DS).sync());
      a.add(() -> client(DO).sync());
      a.add(() -> client(DS).sync());
    }
    a.add(this::settle);
    return a;
  }

  private void applyEdits(int k) {
    for (Edit e : edits(k)) {
      Path root = e.owner() ? datasite(DO) : base.resolve("homes").resolve("home-" + DS).resolve(DO);
      Path p = root.resolve(e.path());
      try {
        if (e.content() == null) {
          Files.deleteIfExists(p);
        } else if (!Files.exists(p) || !Files.readString(p).equals(e.content())) {
          Files.createDirectories(p.getParent());
          Files.writeString(p, e.content(), StandardCharsets.UTF_8);
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
  }

  /** Syncs both sides until two rounds in a row do nothing. */
  private void settle() {
    int quiet = 0;
    for (int round = 0; quiet < 2; round++) {
      if (round > 60) {
        throw new IllegalStateException("the workload does not settle");
      }
      boolean active = false;
      for (String e : List.of(DS, DO)) {
        SyncReport r = client(e).sync();
        active |= r.localChanges() + r.accepted() + r.rejected() + r.proposed() + r.pulled() + r.uploaded()
            + r.pendingUploads() > 0 || !r.clean();
      }
      quiet = active ? 0 : quiet + 1;
    }
  }

  private void untilState(String who, String peer, String... states) {
    for (int i = 0; i < 20; i++) {
      String s = state(who, peer);
      for (String want : states) {
        if (want.equals(s)) {
          return;
        }
      }
      client(who).sync();
    }
    throw new IllegalStateException(who + " never saw " + peer + " as " + String.join("/", states));
  }

  private String state(String who, String peer) {
    return client(who).peers().list().stream().filter(p -> p.email().equals(peer)).map(p -> p.state().wireName()).findFirst()
        .orElse("none");
  }

  // ------------------------------------------------------------------ running

  /** Runs from the saved progress to the end (or until the process is killed). */
  void run() throws IOException {
    List<Runnable> actions = actions();
    Path progress = base.resolve("progress");
    int next = Files.exists(progress) ? Integer.parseInt(Files.readString(progress).trim()) : 0;
    try {
      for (int i = next; i < actions.size(); i++) {
        line("A " + i);
        actions.get(i).run();
        Path tmp = base.resolve("progress.tmp");
        Files.writeString(tmp, Integer.toString(i + 1));
        Files.move(tmp, progress, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      clients.values().forEach(SyftClient::close);
      clients.clear();
    }
    line("DONE");
  }

  private void line(String s) {
    out.println(s);
    out.flush();
  }

  Path home(String email) {
    return base.resolve("homes").resolve("home-" + email);
  }

  private Path datasite(String email) {
    return home(email).resolve(email);
  }

  private SyftClient client(String email) {
    return clients.computeIfAbsent(email, e -> {
      Path dir = home(e);
      Home h = Files.exists(dir.resolve(Config.FILE_NAME)) ? Home.open(dir) : Home.init(dir, e, "local:" + base.resolve("shared-root"));
      try {
        Storage s = new Announcing(LocalStorage.create(base.resolve("shared-root"), e), e.substring(0, 2));
        return SyftClient.open(h, s, Clock.systemUTC());
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    });
  }

  /** Prints a progress line before every storage call. */
  private final class Announcing extends ForwardingStorage {
    private final String who;

    Announcing(Storage delegate, String who) {
      super(delegate);
      this.who = who;
    }

    @Override
    protected <T> T invoke(Operation op, String subject, Call<T> call) throws IOException {
      line("S " + who + " " + op);
      T result = call.run();
      line("s " + who + " " + op + " done"); // a kill here lands right after the call took effect
      return result;
    }
  }

  /** Child-process entry: {@code <base> <steps>}. */
  public static void main(String[] args) throws Exception {
    new CrashWorkload(Path.of(args[0]), Integer.parseInt(args[1]), System.out).run();
    System.exit(0);
  }
}
