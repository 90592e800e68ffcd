package dev.syft.console.internal;

import dev.syft.core.Daemon;
import dev.syft.core.Peer;
import dev.syft.core.Status;
import dev.syft.datasets.Dataset;
import dev.syft.datasets.Datasets;
import dev.syft.jobs.JobDetails;
import dev.syft.jobs.JobFile;
import dev.syft.jobs.JobInfo;
import dev.syft.jobs.JobLogs;
import dev.syft.jobs.JobStatus;
import dev.syft.jobs.Jobs;
import dev.syft.jobs.Release;
import dev.syft.jobs.ReleaseFile;
import dev.syft.protocol.SyftException;
import dev.syft.protocol.model.PeerState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders the pages. Every value shown comes from the library; every value is escaped. */
final class Pages {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);
  private static final int PREVIEW_BYTES = 64 * 1024;
  private static final int PREVIEW_ROWS = 10;

  private final App app;

  Pages(App app) {
    this.app = app;
  }

  // ------------------------------------------------------------------ layout

  private Html page(Security.Session s, String title, String active, String email, boolean refresh) {
    Html h = new Html().raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    if (refresh) {
      h.raw("<meta http-equiv=\"refresh\" content=\"2\">");
    }
    h.raw("<title>").text(title + " · syft console").raw("</title>")
        .raw("<link rel=\"stylesheet\" href=\"/static/console.css\"><script src=\"/static/console.js\" defer></script>")
        .raw("</head><body><header><span class=\"brand\">syft console</span><span class=\"who\">").text(email)
        .raw("</span><nav>");
    String[][] items = {{"/", "Overview"}, {"/peers", "Peers"}, {"/jobs", "Review jobs"}, {"/datasets", "Datasets"},
        {"/science", "Data scientist"}};
    for (String[] it : items) {
      h.raw("<a href=\"").raw(it[0]).raw("\"").raw(it[1].equals(active) ? " class=\"active\"" : "").raw(">")
          .text(it[1]).raw("</a>");
    }
    h.raw("</nav>");
    String here = app.current.get();
    form(h, s, "/sync", "sync").hidden("back", here == null || here.startsWith("/live/") ? "/" : here).raw("<button type=\"submit\" id=\"sync-now\">Sync now</button></form>");
    h.raw("</header><main><h1>").text(title).raw("</h1>");
    if (s.flash != null) {
      h.raw("<p id=\"flash\" class=\"").raw(s.flashError ? "flash error" : "flash").raw("\">").text(s.flash).raw("</p>");
      s.flash = null;
    }
    return h;
  }

  private static String end(Html h) {
    return h.raw("</main></body></html>").toString();
  }

  /** Opens a POST form with the CSRF token. */
  private static Html form(Html h, Security.Session s, String action, String cls) {
    h.raw("<form method=\"post\" action=\"").raw(action).raw("\" class=\"").raw(cls).raw("\">");
    return h.hidden("_csrf", Security.csrf(s));
  }

  private static Html multipartForm(Html h, Security.Session s, String action, String cls) {
    h.raw("<form method=\"post\" enctype=\"multipart/form-data\" action=\"").raw(action).raw("\" class=\"").raw(cls)
        .raw("\">");
    return h.hidden("_csrf", Security.csrf(s));
  }

  static String time(Instant t) {
    return t == null ? "never" : TIME.format(t);
  }

  private static String or(Instant t, String d) {
    return t == null ? d : t.toString();
  }

  private static String or(String s, String d) {
    return s == null || s.isBlank() ? d : s;
  }

  // ------------------------------------------------------------------ overview

  String overview(Security.Session s) {
    record View(String email, String live) {}
    View v = app.call(c -> new View(c.email(), live(c)));
    Html h = page(s, "Overview", "Overview", v.email(), false);
    h.raw("<div id=\"live\" data-live=\"/live/overview\">").raw(v.live()).raw("</div>");
    return end(h);
  }

  String overviewLive() {
    try {
      return app.call(this::live);
    } catch (SyftException e) {
      return new Html().el("p", "error", "cannot read the state now: " + App.oneLine(e)).toString();
    }
  }

  private String live(dev.syft.core.SyftClient c) {
    Status st = c.status();
    List<JobInfo> jobs;
    String jobsError = null;
    try {
      jobs = Jobs.of(c).list();
    } catch (RuntimeException e) {
      jobs = List.of();
      jobsError = App.oneLine(e);
    }
    Html h = new Html();
    h.raw("<section><dl class=\"facts\">");
    fact(h, "identity", st.email());
    fact(h, "transport", st.transport());
    fact(h, "home", st.home());
    fact(h, "last sync", time(st.lastSync()));
    fact(h, "daemon", daemon(c));
    fact(h, "uploads waiting", String.valueOf(st.pendingUploads()));
    h.raw("</dl></section>");

    h.raw("<section><h2>Peers</h2>");
    peersTable(h, st.peers(), null);
    h.raw("</section>");

    List<JobInfo> review = jobs.stream().filter(j -> j.owner().equals(st.email())
        && (j.jobStatus() == JobStatus.PENDING || j.jobStatus() == JobStatus.RECEIVED)).toList();
    h.raw("<section><h2>Jobs waiting for your review (").text(review.size()).raw(")</h2>");
    if (jobsError != null) {
      h.el("p", "error", "jobs: " + jobsError);
    }
    if (review.isEmpty()) {
      h.el("p", "muted", "none");
    } else {
      h.raw("<ul>");
      review.forEach(j -> h.raw("<li><a href=\"").text(App.jobPage(j.id())).raw("\">").text(j.id()).raw("</a> from ")
          .text(j.submitter()).raw("</li>"));
      h.raw("</ul>");
    }
    h.raw("</section>");

    List<String> problems = new ArrayList<>();
    st.warnings().forEach(w -> problems.add("warning: " + w));
    st.heldDeletions().forEach(d -> problems.add("held back: " + d.message()));
    st.failingUploads().forEach(f -> problems.add("failing upload: " + f.destination() + (f.peer() == null ? ""
        : " of " + f.peer()) + ", " + f.attempts() + " attempt(s), last error: " + f.lastError()));
    st.peers().stream().filter(p -> p.skipReason() != null)
        .forEach(p -> problems.add("peer " + p.email() + " skipped: " + p.skipReason()));
    st.quarantined().forEach(p -> problems.add("quarantined message from " + p.peer() + " (" + time(p.at()) + "): "
        + p.message() + ": " + p.reason()));
    st.rejectedProposals().forEach(p -> problems.add("your proposal refused by " + p.peer() + " (" + time(p.at())
        + "): " + p.message() + ": " + p.reason()));
    st.rolledBack().forEach(r -> problems.add("rolled back (" + time(r.at()) + "): " + r.summary()));
    st.revoked().forEach(r -> problems.add("access revoked by " + r.owner() + ": " + r.path() + " moved to "
        + r.movedTo()));
    h.raw("<section><h2>Problems (").text(problems.size()).raw(")</h2>");
    if (problems.isEmpty()) {
      h.el("p", "muted", "none");
    } else {
      h.raw("<ul class=\"problems\">");
      problems.forEach(p -> h.el("li", null, p));
      h.raw("</ul>");
    }
    h.raw("</section><p class=\"muted\">updated ").text(TIME.format(Instant.now())).raw("</p>");
    return h.toString();
  }

  private static String daemon(dev.syft.core.SyftClient c) {
    var st = Daemon.status(c.home().dir());
    if (st.isEmpty()) {
      return "not running (sync with the button above, or run 'syft daemon')";
    }
    var n = st.get();
    return n.path("alive").asBoolean() ? "running (pid " + n.path("pid").asLong() + "), " + n.path("rounds").asInt()
        + " round(s), last at " + n.path("updated_at").asString() : "not running";
  }

  private static void fact(Html h, String k, String v) {
    h.el("dt", null, k).el("dd", null, v);
  }

  private static void peersTable(Html h, List<Peer> peers, Security.Session s) {
    if (peers.isEmpty()) {
      h.el("p", "muted", "no peers yet");
      return;
    }
    h.raw("<table class=\"peers\"><thead><tr><th>peer</th><th>state</th><th>last sync</th><th>notes</th>")
        .raw(s == null ? "" : "<th></th>").raw("</tr></thead><tbody>");
    for (Peer p : peers) {
      h.raw("<tr data-peer=\"").text(p.email()).raw("\">").el("td", null, p.email())
          .el("td", "state " + stateClass(p.state()), p.state().toString()).el("td", null, time(p.lastSync()))
          .el("td", null, p.skipReason() != null ? "skipped: " + p.skipReason() : or(p.warning(), ""));
      if (s != null) {
        h.raw("<td>");
        if (p.state() == PeerState.REQUESTED_BY_PEER) {
          form(h, s, "/peers/approve", "inline").hidden("email", p.email())
              .raw("<button type=\"submit\" class=\"approve\">Approve</button></form>");
          form(h, s, "/peers/reject", "inline").hidden("email", p.email())
              .raw("<button type=\"submit\" class=\"reject\">Reject</button></form>");
        }
        h.raw("</td>");
      }
      h.raw("</tr>");
    }
    h.raw("</tbody></table>");
  }

  private static String stateClass(PeerState state) {
    return switch (state) {
      case ACCEPTED -> "ok";
      case REQUESTED_BY_PEER -> "attention";
      default -> "muted";
    };
  }

  // ------------------------------------------------------------------ peers

  String peers(Security.Session s) {
    record View(String email, List<Peer> peers) {}
    View v = app.call(c -> new View(c.email(), c.peers().list()));
    Html h = page(s, "Peers", "Peers", v.email(), false);
    h.el("p", "muted", "Approve a request to exchange jobs, datasets and files with that peer. Approving lets "
        + "them send you jobs; nothing of yours leaves without your permission.");
    peersTable(h, v.peers(), s);
    h.raw("<h2>Ask someone to connect</h2>");
    form(h, s, "/peers/add", "row").raw("<input type=\"email\" name=\"email\" required placeholder=\"e-mail\">")
        .raw("<button type=\"submit\">Send request</button></form>");
    return end(h);
  }

  // ------------------------------------------------------------------ jobs (data owner)

  String jobs(Security.Session s) {
    record View(String email, List<JobInfo> jobs) {}
    View v = app.call(c -> new View(c.email(), Jobs.of(c).list()));
    Html h = page(s, "Jobs sent to you", "Review jobs", v.email(), false);
    List<JobInfo> mine = v.jobs().stream().filter(j -> j.owner().equals(v.email())).toList();
    if (mine.isEmpty()) {
      h.el("p", "muted", "No jobs yet. Data scientists' submissions arrive with a sync.");
      return end(h);
    }
    h.raw("<table class=\"jobs\"><thead><tr><th>job</th><th>from</th><th>status</th><th>kind</th><th>datasets</th>")
        .raw("<th>submitted</th></tr></thead><tbody>");
    for (JobInfo j : mine) {
      h.raw("<tr><td><a href=\"").text(App.jobPage(j.id())).raw("\">").text(j.name()).raw("</a></td>")
          .el("td", null, j.submitter()).el("td", "status " + j.status(), j.status()).el("td", null, j.kind())
          .el("td", null, j.datasets().isEmpty() ? "none" : String.join(", ", j.datasets()))
          .el("td", null, or(j.submittedAt(), "?")).raw("</tr>");
    }
    h.raw("</tbody></table>");
    return end(h);
  }

  String job(Security.Session s, String id) {
    record View(String email, JobDetails d, List<Path> outputs) {}
    View v = app.call(c -> {
      Jobs jobs = Jobs.of(c);
      JobDetails d = jobs.show(id);
      return new View(c.email(), d, jobs.outputs(d.info().id()));
    });
    JobInfo j = v.d().info();
    boolean owner = j.owner().equals(v.email());
    boolean runningHere = app.running.contains(j.id());
    Html h = page(s, "Job " + j.name(), owner ? "Review jobs" : "Data scientist", v.email(),
        runningHere || j.jobStatus() == JobStatus.RUNNING);
    h.raw("<section><dl class=\"facts\">");
    fact(h, "id", j.id());
    fact(h, "from", j.submitter());
    fact(h, "to", j.owner());
    h.raw("<dt>status</dt><dd><span id=\"job-status\" class=\"status ").text(j.status()).raw("\">")
        .text(runningHere ? "running" : j.status()).raw("</span>").text(j.reviewReason() == null ? ""
            : "  (" + j.reviewReason() + ")").raw("</dd>");
    fact(h, "kind", j.kind() + (j.entrypoint() == null ? "" : ", entrypoint " + j.entrypoint()));
    fact(h, "runs", v.d().executes());
    h.raw("<dt>datasets it reads</dt><dd id=\"job-datasets\">").text(j.datasets().isEmpty() ? "none"
        : String.join(", ", j.datasets())).text(" (" + j.datasetsSource() + ")").raw("</dd>");
    if (!j.dependencies().isEmpty()) {
      fact(h, "depends on", String.join(" ", j.dependencies()));
    }
    fact(h, "submitted", or(j.submittedAt(), "?"));
    if (j.approvedAt() != null) {
      fact(h, "approved", j.approvedAt() + " by " + j.approvedBy() + " (" + j.approvalMethod() + ")");
    }
    if (j.rejectedAt() != null) {
      fact(h, "rejected", j.rejectedAt() + " by " + j.rejectedBy());
    }
    if (j.completedAt() != null) {
      fact(h, "completed", j.completedAt() + ", exit code " + j.returnCode());
    }
    if (j.isolation() != null) {
      fact(h, "last run", ("none".equals(j.isolation()) ? "NOT ISOLATED" : "sandboxed (" + j.isolation() + ")")
          + ": " + or(j.isolationNote(), ""));
    }
    if (j.contentHash() != null) {
      String note = j.approvedHash() == null ? "an approval binds to it; runs refuse any other content"
          : j.approvedHash().equals(j.contentHash()) ? "the approval is bound to it"
          : "DIFFERS from the approved " + j.approvedHash() + ": runs are refused";
      h.raw("<dt>content hash</dt><dd><code id=\"content-hash\">").text(j.contentHash()).raw("</code> ")
          .el("span", j.contentChanged() ? "error" : "muted", note).raw("</dd>");
    }
    h.raw("</dl></section>");
    String err = app.runErrors.get(j.id());
    if (err != null) {
      h.el("p", "flash error", "the last run from this console failed: " + err);
    }

    if (owner) {
      actions(h, s, j, runningHere);
    }

    // files: exactly what the content hash covers and a run copies
    h.raw("<section><h2>Files (").text(v.d().files().size()).raw(")</h2>")
        .raw("<table class=\"files\"><thead><tr><th>path</th><th>bytes</th><th>sha256</th><th></th></tr></thead><tbody>");
    for (JobFile f : v.d().files()) {
      h.raw("<tr>").el("td", null, f.path()).el("td", "num", f.size()).raw("<td><code>").text(f.sha256())
          .raw("</code></td>").el("td", f.binary() ? "error" : "muted", f.binary() ? "BINARY"
              : f.entrypoint() ? "entrypoint" : "").raw("</tr>");
    }
    h.raw("</tbody></table>");
    List<JobFile> ordered = new ArrayList<>();
    v.d().file("config.yaml").ifPresent(ordered::add);
    v.d().file("run.sh").ifPresent(ordered::add);
    v.d().files().stream().filter(JobFile::entrypoint).filter(f -> !ordered.contains(f)).forEach(ordered::add);
    v.d().files().stream().filter(f -> !ordered.contains(f)).forEach(ordered::add);
    for (JobFile f : ordered) {
      h.raw("<div class=\"file\" data-path=\"").text(f.path()).raw("\"><h3>").text(f.path()).raw(" <span class=\"muted\">")
          .text(f.size() + " bytes" + (f.entrypoint() ? ", entrypoint" : "")).raw("</span></h3>");
      if (f.binary()) {
        h.el("p", "binary error", "BINARY file: not shown (sha256 " + f.sha256() + ")");
      } else {
        String text = f.text() == null ? "" : f.text();
        if (f.invalidBytes() > 0) {
          h.el("p", "error", "NOT VALID UTF-8: " + f.invalidBytes() + " invalid byte sequence(s) shown as U+FFFD");
        }
        int hidden = Html.hiddenCount(text);
        if (hidden > 0) {
          h.el("p", "error", hidden + " control or direction character(s) shown as \\u{..}");
        }
        h.raw("<pre class=\"code\"><code>").raw(Highlighter.html(f.path(), text)).raw("</code></pre>");
      }
      h.raw("</div>");
    }
    h.raw("</section>");

    JobLogs l = v.d().logs();
    h.raw("<section><h2>Logs</h2>");
    if (!l.available()) {
      h.el("p", "muted", or(l.hint(), "no logs here"));
    } else {
      logBlock(h, "stdout", l.stdout(), l.stdoutInvalidBytes());
      logBlock(h, "stderr", l.stderr(), l.stderrInvalidBytes());
      h.el("p", null, "exit code " + (l.returnCode() == null ? "?" : l.returnCode()));
    }
    h.raw("</section>");

    h.raw("<section><h2>Outputs</h2>");
    outputs(h, v.outputs(), owner ? "hidden from the submitter until you release them" : "not released or not synced yet");
    h.raw("</section>");

    if (owner && j.contentHash() != null) {
      release(h, s, j, v.d().release());
    }
    return end(h);
  }

  private static void actions(Html h, Security.Session s, JobInfo j, boolean runningHere) {
    JobStatus st = j.jobStatus();
    boolean running = runningHere || st == JobStatus.RUNNING;
    if (!running && st != JobStatus.PENDING && st != JobStatus.RECEIVED && st != JobStatus.APPROVED) {
      return; // decided and run: what is left is the release below
    }
    h.raw("<section class=\"actions\"><h2>Decide</h2>");
    if (running) {
      h.el("p", "attention", "running… this page refreshes until the run ends");
    }
    if (st == JobStatus.PENDING || st == JobStatus.RECEIVED) {
      form(h, s, "/jobs/approve", "row").hidden("id", j.id())
          .raw("<input type=\"text\" name=\"reason\" placeholder=\"note for the submitter (optional)\">")
          .raw("<button type=\"submit\" id=\"approve\" class=\"approve\">Approve this content</button></form>");
    }
    if (st == JobStatus.PENDING || st == JobStatus.RECEIVED || st == JobStatus.APPROVED) {
      form(h, s, "/jobs/reject", "row").hidden("id", j.id())
          .raw("<input type=\"text\" name=\"reason\" id=\"reject-reason\" required placeholder=\"why (the submitter sees it)\">")
          .raw("<button type=\"submit\" id=\"reject\" class=\"reject\">Reject</button></form>");
    }
    if (st == JobStatus.APPROVED && !runningHere) {
      form(h, s, "/jobs/run", "row").hidden("id", j.id())
          .raw("<button type=\"submit\" id=\"run\">Run on the private data</button></form>");
    }
    h.raw("</section>");
  }

  private static void release(Html h, Security.Session s, JobInfo j, List<ReleaseFile> files) {
    h.raw("<section class=\"release\"><h2>Release to ").text(j.submitter()).raw("</h2>");
    if (files.isEmpty()) {
      h.el("p", "muted", "nothing to release (status " + j.status() + "): results appear after a run and stay hidden"
          + " until you release them");
      h.raw("</section>");
      return;
    }
    for (Release part : List.of(Release.OUTPUTS, Release.LOGS)) {
      List<ReleaseFile> mine = files.stream().filter(f -> f.part() == part).toList();
      boolean released = !mine.isEmpty() && mine.stream().allMatch(ReleaseFile::released);
      long total = mine.stream().mapToLong(ReleaseFile::size).sum();
      String what = part == Release.OUTPUTS ? "outputs" : "logs";
      h.raw("<h3>").text(what + (released ? " — ALREADY RELEASED" : "") + " (" + mine.size() + " file(s), " + total
          + " bytes)").raw("</h3><ul>");
      mine.forEach(f -> h.el("li", null, f.path() + "  " + f.size() + " bytes"));
      h.raw("</ul>");
    }
    form(h, s, "/jobs/release", "row").hidden("id", j.id())
        .raw("<label><input type=\"checkbox\" name=\"outputs\" id=\"release-outputs\" checked> outputs</label>")
        .raw("<label><input type=\"checkbox\" name=\"logs\" id=\"release-logs\"> logs (stdout often holds raw rows)</label>")
        .raw("<button type=\"submit\" id=\"release\">Release</button></form>");
    h.raw("</section>");
  }

  private static void logBlock(Html h, String name, String text, int invalid) {
    String t = text == null ? "" : text;
    h.raw("<h3>").text(name).raw("</h3>");
    if (invalid > 0) {
      h.el("p", "error", "NOT VALID UTF-8: " + invalid + " invalid byte sequence(s) shown as U+FFFD");
    }
    h.raw("<pre class=\"log\" id=\"log-").raw(name).raw("\">").text(t).raw("</pre>");
  }

  /** Output files with sizes and a preview (CSV as a table, text as text, binary flagged). */
  private static void outputs(Html h, List<Path> files, String emptyNote) {
    if (files.isEmpty()) {
      h.el("p", "muted", "no outputs here (" + emptyNote + ")");
      return;
    }
    h.raw("<div class=\"outputs\">");
    for (Path p : files) {
      h.raw("<div class=\"output\" data-name=\"").text(p.getFileName()).raw("\"><h3>").text(p.getFileName())
          .raw(" <span class=\"muted\">");
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        h.text("not a regular file: not shown").raw("</span></h3></div>");
        continue;
      }
      long size;
      try {
        size = Files.size(p);
      } catch (IOException e) {
        size = -1;
      }
      h.text(size + " bytes").raw("</span></h3>");
      preview(h, p);
      h.raw("</div>");
    }
    h.raw("</div>");
  }

  private static void preview(Html h, Path p) {
    byte[] head;
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      head = in.readNBytes(PREVIEW_BYTES);
    } catch (IOException e) {
      h.el("p", "error", "cannot read: " + e.getMessage());
      return;
    }
    for (byte b : head) {
      if (b == 0) {
        h.el("p", "binary error", "BINARY: no preview");
        return;
      }
    }
    String text = new String(head, StandardCharsets.UTF_8);
    if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
      csvTable(h, text);
    } else {
      h.raw("<pre class=\"preview\">").text(text).raw("</pre>");
    }
    if (head.length == PREVIEW_BYTES) {
      h.el("p", "muted", "(first " + PREVIEW_BYTES / 1024 + " KiB)");
    }
  }

  /** The first rows of a CSV as a table. */
  static void csvTable(Html h, String text) {
    List<List<String>> rows = Csv.parse(text, PREVIEW_ROWS + 1);
    if (rows.isEmpty()) {
      h.el("p", "muted", "(empty)");
      return;
    }
    h.raw("<table class=\"csv\"><thead><tr>");
    rows.get(0).forEach(c -> h.el("th", null, c));
    h.raw("</tr></thead><tbody>");
    rows.subList(1, rows.size()).forEach(r -> {
      h.raw("<tr>");
      r.forEach(c -> h.el("td", null, c));
      h.raw("</tr>");
    });
    h.raw("</tbody></table>");
  }

  // ------------------------------------------------------------------ datasets (data owner)

  String datasets(Security.Session s) {
    record View(String email, List<Dataset> own) {}
    View v = app.call(c -> new View(c.email(), Datasets.of(c).list().stream().filter(Dataset::own).toList()));
    Html h = page(s, "Your datasets", "Datasets", v.email(), false);
    if (v.own().isEmpty()) {
      h.el("p", "muted", "No datasets yet: 'syft datasets create NAME --mock P --private P'.");
      return end(h);
    }
    for (Dataset d : v.own()) {
      h.raw("<section class=\"dataset\" data-dataset=\"").text(d.name()).raw("\"><h2>").text(d.name()).raw("</h2>");
      if (d.summary() != null) {
        h.el("p", null, d.summary());
      }
      h.raw("<dl class=\"facts\">");
      fact(h, "private files", d.privateFiles().size() + " (never leave this machine)");
      fact(h, "shared with", d.sharedWith().isEmpty() ? "nobody"
          : d.sharedWithAnyPeer() ? "every approved peer" : String.join(", ", d.sharedWith()));
      h.raw("</dl>");
      for (String u : d.sharedWith()) {
        form(h, s, "/datasets/unshare", "inline").hidden("name", d.name()).hidden("user", u)
            .raw("<button type=\"submit\" class=\"reject\">Stop sharing with ").text("*".equals(u) ? "every peer" : u)
            .raw("</button></form>");
      }
      form(h, s, "/datasets/share", "row").hidden("name", d.name())
          .raw("<input type=\"text\" name=\"users\" placeholder=\"peer e-mails, comma-separated\">")
          .raw("<label><input type=\"checkbox\" name=\"any\"> every approved peer</label>")
          .raw("<button type=\"submit\">Share the mock</button></form>");
      mockPreview(h, d);
      h.raw("</section>");
    }
    return end(h);
  }

  private static void mockPreview(Html h, Dataset d) {
    h.raw("<h3>Mock (what peers see)</h3>");
    if (d.mockFiles().isEmpty()) {
      h.el("p", "muted", "no mock files here");
    }
    for (Path f : d.mockFiles()) {
      h.raw("<div class=\"mock\"><h4>").text(d.mockDir().relativize(f)).raw("</h4>");
      if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        preview(h, f);
      } else {
        h.el("p", "error", "not a regular file: not shown");
      }
      h.raw("</div>");
    }
  }

  // ------------------------------------------------------------------ data scientist

  String science(Security.Session s) {
    record View(String email, List<Peer> peers, List<Dataset> theirs, List<JobInfo> mine, List<List<Path>> outputs,
        List<JobLogs> logs) {}
    View v = app.call(c -> {
      Jobs jobs = Jobs.of(c);
      List<JobInfo> mine = jobs.list().stream().filter(j -> j.submitter().equals(c.email())
          && !j.owner().equals(c.email())).toList();
      List<List<Path>> outs = new ArrayList<>();
      List<JobLogs> logs = new ArrayList<>();
      for (JobInfo j : mine) {
        outs.add(jobs.outputs(j.id()));
        logs.add(jobs.logs(j.id()));
      }
      return new View(c.email(), c.peers().list(), Datasets.of(c).list().stream().filter(d -> !d.own()).toList(),
          mine, outs, logs);
    });
    Html h = page(s, "Data scientist", "Data scientist", v.email(), false);

    h.raw("<section><h2>Peers' datasets</h2>");
    if (v.theirs().isEmpty()) {
      h.el("p", "muted", "none shared with you yet (they arrive with a sync once an owner shares one)");
    }
    for (Dataset d : v.theirs()) {
      h.raw("<div class=\"dataset\" data-dataset=\"").text(d.owner() + "/" + d.name()).raw("\"><h3>").text(d.name())
          .raw(" <span class=\"muted\">by ").text(d.owner()).raw("</span></h3>");
      if (d.summary() != null) {
        h.el("p", null, d.summary());
      }
      mockPreview(h, d);
      h.raw("</div>");
    }
    h.raw("</section>");

    List<String> approved = v.peers().stream().filter(p -> p.state() == PeerState.ACCEPTED).map(Peer::email).toList();
    h.raw("<section><h2>Submit a job</h2>");
    if (approved.isEmpty()) {
      h.el("p", "muted", "no approved peers yet: a data owner must approve you first (Peers)");
    } else {
      multipartForm(h, s, "/science/submit", "stack");
      h.raw("<label>to <select name=\"to\" id=\"submit-to\" multiple required>");
      approved.forEach(e -> h.raw("<option value=\"").text(e).raw("\">").text(e).raw("</option>"));
      h.raw("</select></label>")
          .raw("<label>name <input type=\"text\" name=\"name\" id=\"submit-name\" placeholder=\"optional\"></label>")
          .raw("<label>dataset it reads <input type=\"text\" name=\"dataset\" id=\"submit-dataset\" placeholder=\"optional\"></label>")
          .raw("<label>a file (.py, .sh, .java) <input type=\"file\" name=\"code\" id=\"submit-file\"></label>")
          .raw("<label>or a folder <input type=\"file\" name=\"folder\" id=\"submit-folder\" webkitdirectory multiple></label>")
          .raw("<button type=\"submit\" id=\"submit\">Submit</button></form>");
    }
    h.raw("</section>");

    h.raw("<section><h2>Your jobs</h2>");
    if (v.mine().isEmpty()) {
      h.el("p", "muted", "none yet");
    }
    for (int i = 0; i < v.mine().size(); i++) {
      JobInfo j = v.mine().get(i);
      h.raw("<div class=\"myjob\" data-job=\"").text(j.id()).raw("\"><h3><a href=\"").text(App.jobPage(j.id()))
          .raw("\">").text(j.name()).raw("</a> <span class=\"muted\">at ").text(j.owner()).raw("</span> ")
          .el("span", "status " + j.status(), j.status()).raw("</h3>");
      if (j.reviewReason() != null) {
        h.el("p", null, "owner's note: " + j.reviewReason());
      }
      outputs(h, v.outputs().get(i), "not released or not synced yet");
      JobLogs l = v.logs().get(i);
      if (l.available()) {
        logBlock(h, "stdout", l.stdout(), l.stdoutInvalidBytes());
        logBlock(h, "stderr", l.stderr(), l.stderrInvalidBytes());
      }
      h.raw("</div>");
    }
    h.raw("</section>");
    return end(h);
  }
}
