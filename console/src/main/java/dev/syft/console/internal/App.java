package dev.syft.console.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.syft.core.SyftClient;
import dev.syft.datasets.Audience;
import dev.syft.datasets.Datasets;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.Jobs;
import dev.syft.jobs.Release;
import dev.syft.jobs.SubmitRequest;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP handler: security checks, then routing to a page or an action. Actions call
 * the library exactly as the CLI commands do and redirect to a page (post/redirect/get) with a
 * one-line message.
 */
public final class App implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);
  private static final int MAX_FORM = 1 << 20;
  private static final int MAX_UPLOAD = 64 << 20;
  private static final Duration BUSY_WAIT = Duration.ofSeconds(20);

  private final Path home;
  private final Security security;
  private final Pages pages;
  /** Job runs happen off the request thread: a run takes minutes, the page shows it running. */
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "syft-console-run");
    t.setDaemon(true);
    return t;
  });
  final Set<String> running = ConcurrentHashMap.newKeySet();
  /** The page being rendered (path and query), so its forms can come back to it. */
  final ThreadLocal<String> current = new ThreadLocal<>();
  final Map<String, String> runErrors = new ConcurrentHashMap<>();

  public App(Path home, Security security) {
    this.home = home;
    this.security = security;
    this.pages = new Pages(this);
  }

  /**
   * Opens the home's client, applies {@code work} and closes it. When another process (the daemon)
   * or the background run holds the home lock, waits for it a little instead of failing at once.
   */
  <T> T call(Function<SyftClient, T> work) {
    long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
    while (true) {
      try (SyftClient c = SyftClient.open(home)) {
        return work.apply(c);
      } catch (SyftException e) {
        if (!"home-busy".equals(e.code()) || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(100); // back-off while another holder finishes its step (not test synchronisation)
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new SyftException("interrupted", "interrupted while waiting for the home lock");
      }
    }
  }

  public void close() {
    runner.shutdownNow();
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      var h = ex.getResponseHeaders();
      h.set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self';"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
      h.set("X-Content-Type-Options", "nosniff");
      h.set("X-Frame-Options", "DENY");
      // not no-referrer: with it Chrome sends "Origin: null" on our own form posts
      h.set("Referrer-Policy", "same-origin");
      h.set("Cache-Control", "no-store");
      try {
        serve(ex);
      } catch (Form.BadRequest e) {
        send(ex, 400, errorPage("Bad request", e.getMessage()));
      } catch (RuntimeException e) {
        LOG.warn("console request {} failed", ex.getRequestURI().getPath(), e);
        send(ex, 500, errorPage("Error", oneLine(e)));
      }
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    if (!security.hostAllowed(ex.getRequestHeaders().getFirst("Host"))) {
      send(ex, 403, errorPage("Forbidden", "unexpected Host header: open the console through the URL it printed"));
      return;
    }
    if (!security.originAllowed(ex.getRequestHeaders().getFirst("Origin"))) {
      send(ex, 403, errorPage("Forbidden", "request from another origin refused"));
      return;
    }
    boolean get = "GET".equals(method);
    boolean post = "POST".equals(method);
    if (!get && !post) {
      send(ex, 405, errorPage("Method not allowed", method));
      return;
    }
    if (get && path.startsWith("/static/")) {
      staticFile(ex, path.substring("/static/".length()));
      return;
    }
    Form query = Form.urlencoded(ex.getRequestURI().getRawQuery());
    if (get && query.get("token") != null) {
      String sid = security.redeem(query.get("token"));
      if (sid == null) {
        send(ex, 401, errorPage("Not signed in", "this link was already used or is wrong: restart 'syft console'"
            + " for a new one"));
        return;
      }
      ex.getResponseHeaders().add("Set-Cookie", security.setCookie(sid));
      redirect(ex, path);
      return;
    }
    Security.Session session = security.session(ex.getRequestHeaders().getFirst("Cookie"));
    if (session == null) {
      send(ex, 401, errorPage("Not signed in", "open the console with the URL 'syft console' printed"));
      return;
    }
    if (get) {
      String raw = ex.getRequestURI().getRawQuery();
      current.set(raw == null ? path : path + "?" + raw);
      String html = switch (path) {
        case "/" -> pages.overview(session);
        case "/live/overview" -> pages.overviewLive();
        case "/peers" -> pages.peers(session);
        case "/jobs" -> pages.jobs(session);
        case "/job" -> pages.job(session, required(query, "id"));
        case "/datasets" -> pages.datasets(session);
        case "/science" -> pages.science(session);
        default -> null;
      };
      if (html == null) {
        send(ex, 404, errorPage("Not found", path));
      } else {
        send(ex, 200, html);
      }
      return;
    }
    Form form = readForm(ex);
    if (!Security.csrfValid(session, form.get("_csrf"))) {
      send(ex, 403, errorPage("Forbidden", "missing or wrong CSRF token: reload the page and try again"));
      return;
    }
    String target;
    try {
      target = act(path, form, session);
    } catch (SyftException | IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
      session.flash = oneLine(e);
      session.flashError = true;
      target = path.startsWith("/jobs/") && form.get("id") != null ? jobPage(form.get("id").trim())
          : path.startsWith("/peers/") ? "/peers" : path.startsWith("/datasets/") ? "/datasets"
          : path.startsWith("/science/") ? "/science" : back(form, "/");
    }
    if (target == null) {
      send(ex, 404, errorPage("Not found", path));
    } else {
      redirect(ex, target);
    }
  }

  /** Runs a POST action; returns where to go next. */
  private String act(String path, Form f, Security.Session s) {
    switch (path) {
      case "/sync" -> {
        var r = call(SyftClient::sync);
        StringBuilder m = new StringBuilder(String.format("synced: %d local change(s) sent, %d proposal(s) accepted,"
            + " %d rejected, %d change(s) proposed, %d event(s) received, %d upload(s)", r.localChanges(), r.accepted(),
            r.rejected(), r.proposed(), r.pulled(), r.uploaded()));
        r.allErrors().forEach((p, why) -> m.append("; problem with ").append(p).append(": ").append(why));
        r.skippedPeers().forEach((p, why) -> m.append("; skipped ").append(p).append(": ").append(why));
        s.flash = m.toString();
        s.flashError = !r.clean();
        return back(f, "/");
      }
      case "/peers/add" -> {
        String email = required(f, "email");
        String r = call(c -> c.peers().add(email));
        flash(s, switch (r) {
          case "approved" -> "approved " + email + " (they had asked to connect)";
          case "already" -> "already connected or requested: " + email;
          default -> "requested " + email + "; they see it after their next sync";
        });
        return "/peers";
      }
      case "/peers/approve" -> {
        String email = required(f, "email");
        call(c -> {
          c.peers().approve(email);
          return null;
        });
        flash(s, "approved " + email + "; sync to tell them");
        return "/peers";
      }
      case "/peers/reject" -> {
        String email = required(f, "email");
        call(c -> {
          c.peers().reject(email);
          return null;
        });
        flash(s, "rejected " + email);
        return "/peers";
      }
      case "/jobs/approve" -> {
        String id = required(f, "id");
        String reason = blankToNull(f.get("reason"));
        JobInfo j = call(c -> Jobs.of(c).approve(id, reason));
        flash(s, "approved " + j.id() + " (bound to content " + j.approvedHash().substring(0, 12) + "); run it next");
        return jobPage(j.id());
      }
      case "/jobs/reject" -> {
        String id = required(f, "id");
        String reason = blankToNull(f.get("reason"));
        if (reason == null) {
          throw new IllegalArgumentException("a rejection needs a reason: the submitter sees it");
        }
        JobInfo j = call(c -> Jobs.of(c).reject(id, reason));
        flash(s, "rejected " + j.id() + "; the submitter sees it after your next sync");
        return jobPage(j.id());
      }
      case "/jobs/run" -> {
        String id = required(f, "id");
        JobInfo j = call(c -> Jobs.of(c).get(id));
        startRun(j.id());
        flash(s, "running " + j.id() + "; results stay hidden from the submitter until you release them");
        return jobPage(j.id());
      }
      case "/jobs/release" -> {
        String id = required(f, "id");
        Set<Release> parts = EnumSet.noneOf(Release.class);
        if (f.get("outputs") != null) {
          parts.add(Release.OUTPUTS);
        }
        if (f.get("logs") != null) {
          parts.add(Release.LOGS);
        }
        if (parts.isEmpty()) {
          throw new IllegalArgumentException("nothing to release: choose outputs, logs or both");
        }
        JobInfo j = call(c -> Jobs.of(c).share(id, parts));
        flash(s, "released " + (parts.contains(Release.OUTPUTS) ? "outputs" : "")
            + (parts.size() == 2 ? " and " : "") + (parts.contains(Release.LOGS) ? "logs" : "") + " of " + j.id()
            + " to " + j.submitter() + "; they leave with your next sync");
        return jobPage(j.id());
      }
      case "/datasets/share" -> {
        String name = required(f, "name");
        String users = f.get("users") == null ? "" : f.get("users").trim();
        if (f.get("any") != null) {
          call(c -> Datasets.of(c).share(name, Audience.anyPeer()));
        } else {
          List<String> list = Arrays.stream(users.split("[,\\s]+")).filter(u -> !u.isBlank()).toList();
          if (list.isEmpty()) {
            throw new IllegalArgumentException("name at least one peer to share with, or choose every approved peer");
          }
          call(c -> Datasets.of(c).share(name, list));
        }
        flash(s, "shared " + name + "; peers get the mock after your next sync");
        return "/datasets";
      }
      case "/datasets/unshare" -> {
        String name = required(f, "name");
        String user = required(f, "user");
        call(c -> Datasets.of(c).unshare(name, "*".equals(user) ? Audience.anyPeer() : Audience.users(user)));
        flash(s, "stopped sharing " + name + " with " + ("*".equals(user) ? "every peer" : user));
        return "/datasets";
      }
      case "/science/submit" -> {
        submit(f, s);
        return "/science";
      }
      default -> {
        return null;
      }
    }
  }

  private void startRun(String id) {
    if (!running.add(id)) {
      throw new IllegalStateException(id + " is already running here");
    }
    runErrors.remove(id);
    runner.execute(() -> {
      try {
        call(c -> Jobs.of(c).run(id));
      } catch (RuntimeException e) {
        LOG.warn("console run of {} failed", id, e);
        runErrors.put(id, oneLine(e));
      } finally {
        running.remove(id);
      }
    });
  }

  /** Writes the uploaded file or folder to a temporary folder and submits it like 'syft jobs submit'. */
  private void submit(Form f, Security.Session s) {
    List<String> to = f.all("to").stream().filter(t -> !t.isBlank()).toList();
    if (to.isEmpty()) {
      throw new IllegalArgumentException("choose the data owner(s) to send the job to");
    }
    List<Form.Upload> files = f.uploads();
    if (files.isEmpty()) {
      throw new IllegalArgumentException("choose a file or a folder to submit");
    }
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("syft-console-upload");
      Path root;
      List<String> rels = new ArrayList<>();
      for (Form.Upload u : files) {
        rels.add(safeRelative(u.filename()));
      }
      if (files.size() == 1 && !rels.get(0).contains("/")) {
        root = tmp.resolve(rels.get(0));
        Files.write(root, files.get(0).bytes());
      } else {
        // a folder upload names files "<folder>/<path>"; the job is the folder
        String top = rels.get(0).contains("/") ? rels.get(0).substring(0, rels.get(0).indexOf('/')) : null;
        boolean common = top != null && rels.stream().allMatch(r -> r.startsWith(top + "/"));
        root = common ? tmp.resolve(top) : tmp.resolve("job");
        for (int i = 0; i < files.size(); i++) {
          Path p = tmp.resolve(common ? rels.get(i) : "job/" + rels.get(i)).normalize();
          if (!p.startsWith(tmp)) {
            throw new IllegalArgumentException("refused upload path " + rels.get(i));
          }
          Files.createDirectories(p.getParent());
          Files.write(p, files.get(i).bytes());
        }
      }
      String name = blankToNull(f.get("name"));
      List<String> datasets = f.get("dataset") == null || f.get("dataset").isBlank() ? List.of()
          : List.of(f.get("dataset").trim());
      Path job = root;
      var g = call(c -> Jobs.of(c).submit(new SubmitRequest(to, job, null, name, null, null, List.of(), datasets), true));
      flash(s, "submitted '" + g.name() + "' to " + String.join(", ", to)
          + "; the data owner sees it after their next sync");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot store the upload: " + e.getMessage(), e);
    } finally {
      deleteTree(tmp);
    }
  }

  /** An uploaded name as a relative path: no absolute path, no '..', no backslash or NUL. */
  static String safeRelative(String name) {
    String n = name.replace('\\', '/');
    if (n.isEmpty() || n.startsWith("/") || n.indexOf('\0') >= 0 || n.length() > 1024) {
      throw new IllegalArgumentException("refused upload name '" + name + "'");
    }
    for (String part : n.split("/")) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("refused upload name '" + name + "'");
      }
    }
    return n;
  }

  private static void deleteTree(Path p) {
    if (p == null) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    } catch (IOException e) {
      LOG.debug("cannot delete {}", p, e);
    }
  }

  // ------------------------------------------------------------------ helpers

  static String jobPage(String id) {
    return "/job?id=" + Html.url(id);
  }

  private static void flash(Security.Session s, String msg) {
    s.flash = msg;
    s.flashError = false;
  }

  /** Where to go after an action: the form's own page when it is a local path. */
  private static String back(Form f, String dflt) {
    String b = f.get("back");
    return b != null && b.matches("/[A-Za-z0-9/?=&%._~+-]{0,2000}") && !b.startsWith("//") ? b : dflt;
  }

  private static String required(Form f, String name) {
    String v = f.get(name);
    if (v == null || v.isBlank()) {
      throw new Form.BadRequest("missing '" + name + "'");
    }
    return v.trim();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private Form readForm(HttpExchange ex) throws IOException {
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    boolean multipart = ct != null && ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
    int limit = multipart ? MAX_UPLOAD : MAX_FORM;
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(limit + 1);
      if (body.length > limit) {
        throw new Form.BadRequest("request body over " + limit + " bytes");
      }
      return Form.parse(ct, body);
    }
  }

  private void staticFile(HttpExchange ex, String name) throws IOException {
    String type = name.endsWith(".css") ? "text/css; charset=utf-8"
        : name.endsWith(".js") ? "text/javascript; charset=utf-8" : null;
    InputStream in = name.matches("[a-z]+\\.(css|js)") && type != null
        ? App.class.getResourceAsStream("/dev/syft/console/static/" + name) : null;
    if (in == null) {
      send(ex, 404, errorPage("Not found", name));
      return;
    }
    byte[] b;
    try (in) {
      b = in.readAllBytes();
    }
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(303, -1);
  }

  static void send(HttpExchange ex, int status, String html) throws IOException {
    byte[] b = html.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  static String errorPage(String title, String message) {
    return new Html().raw("<!doctype html><html><head><meta charset=\"utf-8\"><title>").text(title)
        .raw("</title><link rel=\"stylesheet\" href=\"/static/console.css\"></head><body><main><h1>").text(title)
        .raw("</h1><p class=\"error\">").text(message).raw("</p></main></body></html>").toString();
  }

  static String now() {
    return Instant.now().toString();
  }
}
