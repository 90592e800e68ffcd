package dev.syft.drivefake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syft.drivefake.Faults.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The fake's REST surface over real HTTP, request by request, as the Drive client sends it. */
class FakeDriveServerTest {
  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";
  static final String CAROL = "carol@example.com";
  static final String FOLDER = "application/vnd.google-apps.folder";

  FakeDriveServer fake;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    fake = FakeDriveServer.start();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  // ------------------------------------------------------------------ tiny client

  record Res(int status, JsonNode json, byte[] body, HttpResponse<byte[]> raw) {}

  Res call(String user, String method, String pathAndQuery, String contentType, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.rootUrl() + pathAndQuery.substring(1)))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (user != null) {
      b.header("Authorization", "Bearer " + user);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int k = 0; k < headers.length; k += 2) {
      b.header(headers[k], headers[k + 1]);
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode j = null;
    String ct = r.headers().firstValue("Content-Type").orElse("");
    if (ct.startsWith("application/json") && r.body().length > 0) {
      j = DriveStore.JSON.readTree(r.body());
    }
    return new Res(r.statusCode(), j, r.body(), r);
  }

  Res json(String user, String method, String path, String body) throws IOException, InterruptedException {
    return call(user, method, path, "application/json; charset=UTF-8",
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  String folder(String user, String name, String parent) throws Exception {
    Res r = json(user, "POST", "/drive/v3/files?fields=id", "{\"name\":\"" + name + "\",\"mimeType\":\"" + FOLDER + "\""
        + (parent == null ? "" : ",\"parents\":[\"" + parent + "\"]") + "}");
    assertThat(r.status).as(r.toString()).isEqualTo(200);
    return r.json.get("id").asString();
  }

  String upload(String user, String name, String parent, byte[] content) throws Exception {
    String boundary = "xyzzy";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("--" + boundary + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{\"name\":\"" + name
        + "\",\"parents\":[\"" + parent + "\"]}\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    b.writeBytes(content);
    b.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    Res r = call(user, "POST", "/upload/drive/v3/files?uploadType=multipart&fields=id,size,mimeType",
        "multipart/related; boundary=" + boundary, b.toByteArray());
    assertThat(r.status).as(new String(r.body)).isEqualTo(200);
    assertThat(r.json.get("size").asString()).isEqualTo(Long.toString(content.length));
    return r.json.get("id").asString();
  }

  List<String> names(String user, String query) throws Exception {
    Res r = call(user, "GET", "/drive/v3/files?q=" + q(query) + "&fields=" + q("files(name)") + "&pageSize=1000",
        null, null);
    assertThat(r.status).as(new String(r.body)).isEqualTo(200);
    List<String> out = new ArrayList<>();
    r.json.get("files").forEach(f -> out.add(f.get("name").asString()));
    return out;
  }

  // ------------------------------------------------------------------ tests

  @Test
  void everyRequestNeedsABearerEmailAndAboutNeedsFields() throws Exception {
    Res anon = call(null, "GET", "/drive/v3/about?fields=user", null, null);
    assertThat(anon.status).isEqualTo(401);
    assertThat(anon.json.at("/error/errors/0/reason").asString()).isEqualTo("authError");
    assertThat(call(ALICE, "GET", "/drive/v3/about", null, null).status).isEqualTo(400);
    Res about = call(ALICE, "GET", "/drive/v3/about?fields=" + q("user(emailAddress)"), null, null);
    assertThat(about.json.toString()).isEqualTo("{\"user\":{\"emailAddress\":\"alice@example.com\"}}");
  }

  @Test
  void listingsFilterByParentAndProjectFields() throws Exception {
    String box = folder(ALICE, "SyftBox", null);
    folder(ALICE, "inbox", box);
    upload(ALICE, "b.bin", box, new byte[] {1, 2, 3});
    Res r = call(ALICE, "GET", "/drive/v3/files?q=" + q("'" + box + "' in parents and trashed = false")
        + "&fields=" + q("nextPageToken,files(id,name,mimeType,size,owners(emailAddress))") + "&orderBy=name", null, null);
    assertThat(r.json.get("files")).hasSize(2);
    JsonNode first = r.json.get("files").get(0);
    assertThat(first.get("name").asString()).isEqualTo("b.bin");
    assertThat(first.get("size").asString()).isEqualTo("3");
    assertThat(first.at("/owners/0/emailAddress").asString()).isEqualTo(ALICE);
    assertThat(first.has("parents")).isFalse();
    assertThat(r.json.has("nextPageToken")).isFalse();
    assertThat(names(ALICE, "'root' in parents and mimeType = '" + FOLDER + "'")).containsExactly("SyftBox");
  }

  @Test
  void pagingAndOrderByNameDescLikeTheReference() throws Exception {
    String box = folder(ALICE, "box", null);
    for (String n : List.of("msgv2_1.0_a", "msgv2_3.0_c", "msgv2_2.0_b", "Zed", "alpha")) {
      upload(ALICE, n, box, new byte[0]);
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Res r = call(ALICE, "GET", "/drive/v3/files?q=" + q("'" + box + "' in parents") + "&orderBy=" + q("name desc")
          + "&pageSize=2&fields=" + q("nextPageToken,files(name)") + (token == null ? "" : "&pageToken=" + token), null,
          null);
      r.json.get("files").forEach(f -> seen.add(f.get("name").asString()));
      token = r.json.has("nextPageToken") ? r.json.get("nextPageToken").asString() : null;
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("Zed", "msgv2_3.0_c", "msgv2_2.0_b", "msgv2_1.0_a", "alpha");
    assertThat(call(ALICE, "GET", "/drive/v3/files?pageSize=1001", null, null).status).isEqualTo(400);
    assertThat(call(ALICE, "GET", "/drive/v3/files?orderBy=size", null, null).status).isEqualTo(400);
  }

  @Test
  void visibilityFollowsOwnershipGrantsAndParentsButNotLinks() throws Exception {
    String box = folder(ALICE, "SyftBox", null);
    String shared = folder(ALICE, "syft_datasite#0.1.117#bob@example.com#inbox#alice@example.com", box);
    String deep = upload(ALICE, "deep.txt", shared, "d".getBytes(StandardCharsets.UTF_8));
    String linked = folder(ALICE, "by-link", box);
    String privateFile = upload(ALICE, "secret", box, new byte[] {9});
    assertThat(json(ALICE, "POST", "/drive/v3/files/" + shared + "/permissions?sendNotificationEmail=false",
        "{\"type\":\"user\",\"role\":\"writer\",\"emailAddress\":\"Bob@Example.com\"}").status).isEqualTo(200);
    assertThat(json(ALICE, "POST", "/drive/v3/files/" + linked + "/permissions",
        "{\"type\":\"anyone\",\"role\":\"reader\"}").status).isEqualTo(200);
    assertThat(fake.notificationEmails()).isZero();

    assertThat(names(BOB, "not 'me' in owners and mimeType = '" + FOLDER + "'")).containsExactly(shared.isEmpty()
        ? "" : "syft_datasite#0.1.117#bob@example.com#inbox#alice@example.com");
    assertThat(names(BOB, "name contains '#bob@example.com#inbox#'")).hasSize(1);
    assertThat(names(BOB, "'" + shared + "' in parents")).containsExactly("deep.txt");
    assertThat(call(BOB, "GET", "/download/drive/v3/files/" + deep + "?alt=media", null, null).body)
        .isEqualTo("d".getBytes(StandardCharsets.UTF_8));
    assertThat(call(BOB, "GET", "/drive/v3/files/" + linked, null, null).status).as("a link opens by id").isEqualTo(200);
    assertThat(names(BOB, "name = 'by-link'")).as("links are not searchable").isEmpty();
    assertThat(call(BOB, "GET", "/drive/v3/files/" + privateFile, null, null).status).isEqualTo(404);
    assertThat(names(CAROL, "'" + shared + "' in parents")).as("an invisible parent lists nothing").isEmpty();
    // a writer adds files it owns; it may not delete the owner's
    String bobs = upload(BOB, "msgv2_1.0_x.tar.gz", shared, new byte[] {1});
    assertThat(call(BOB, "DELETE", "/drive/v3/files/" + deep, null, null).status).isEqualTo(403);
    assertThat(call(ALICE, "GET", "/drive/v3/files/" + bobs + "?fields=" + q("owners(emailAddress)"), null, null)
        .json.at("/owners/0/emailAddress").asString()).isEqualTo(BOB);
  }

  @Test
  void permissionsAreListedUpdatedAndRemoved() throws Exception {
    String f = folder(ALICE, "grants", null);
    json(ALICE, "POST", "/drive/v3/files/" + f + "/permissions?sendNotificationEmail=false",
        "{\"type\":\"user\",\"role\":\"reader\",\"emailAddress\":\"bob@example.com\"}");
    Res again = json(ALICE, "POST", "/drive/v3/files/" + f + "/permissions?sendNotificationEmail=false&fields=id,role",
        "{\"type\":\"user\",\"role\":\"writer\",\"emailAddress\":\"bob@example.com\"}");
    assertThat(again.json.get("role").asString()).as("one permission per user: a second create changes it")
        .isEqualTo("writer");
    Res list = call(ALICE, "GET", "/drive/v3/files/" + f + "/permissions?fields=" + q("permissions(id,emailAddress,role)"),
        null, null);
    assertThat(list.json.get("permissions")).hasSize(2);
    String pid = again.json.get("id").asString();
    assertThat(call(ALICE, "DELETE", "/drive/v3/files/" + f + "/permissions/" + pid, null, null).status).isEqualTo(204);
    assertThat(call(BOB, "GET", "/drive/v3/files/" + f, null, null).status).isEqualTo(404);
    fake.addNonGoogleAccount("nogoogle@example.org");
    Res refused = json(ALICE, "POST", "/drive/v3/files/" + f + "/permissions?sendNotificationEmail=false",
        "{\"type\":\"user\",\"role\":\"reader\",\"emailAddress\":\"nogoogle@example.org\"}");
    assertThat(refused.json.at("/error/errors/0/reason").asString()).isEqualTo("invalidSharingRequest");
    assertThat(json(ALICE, "POST", "/drive/v3/files/" + f + "/permissions",
        "{\"type\":\"user\",\"role\":\"reader\",\"emailAddress\":\"nogoogle@example.org\"}").status).isEqualTo(200);
    assertThat(fake.notificationEmails()).isEqualTo(1);
  }

  @Test
  void mediaDownloadsHonourRanges() throws Exception {
    String box = folder(ALICE, "box", null);
    String id = upload(ALICE, "abc", box, "0123456789".getBytes(StandardCharsets.UTF_8));
    Res part = call(ALICE, "GET", "/download/drive/v3/files/" + id + "?alt=media", null, null, "Range", "bytes=4-");
    assertThat(part.status).isEqualTo(206);
    assertThat(new String(part.body, StandardCharsets.UTF_8)).isEqualTo("456789");
    assertThat(part.raw.headers().firstValue("Content-Range")).contains("bytes 4-9/10");
    assertThat(call(ALICE, "GET", "/drive/v3/files/" + id + "?alt=media", null, null).body).hasSize(10);
    assertThat(call(ALICE, "GET", "/drive/v3/files/" + box + "?alt=media", null, null).json
        .at("/error/errors/0/reason").asString()).isEqualTo("fileNotDownloadable");
  }

  @Test
  void resumableUploadsTakeChunksAnswering308UntilComplete() throws Exception {
    String box = folder(ALICE, "box", null);
    Res init = call(ALICE, "POST", "/upload/drive/v3/files?uploadType=resumable&fields=id,name,size",
        "application/json; charset=UTF-8", ("{\"name\":\"big\",\"parents\":[\"" + box + "\"]}").getBytes(StandardCharsets.UTF_8),
        "X-Upload-Content-Type", "application/octet-stream", "X-Upload-Content-Length", "6");
    assertThat(init.status).isEqualTo(200);
    String location = init.raw.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(fake.rootUrl() + "upload/drive/v3/files?uploadType=resumable&upload_id=");
    HttpResponse<byte[]> c1 = http.send(HttpRequest.newBuilder(URI.create(location)).header("Content-Range", "bytes 0-3/6")
        .PUT(HttpRequest.BodyPublishers.ofByteArray("abcd".getBytes(StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(c1.statusCode()).isEqualTo(308);
    assertThat(c1.headers().firstValue("Range")).contains("bytes=0-3");
    assertThat(fake.files()).extracting(FakeDriveServer.FileView::name).doesNotContain("big");
    HttpResponse<byte[]> status = http.send(HttpRequest.newBuilder(URI.create(location)).header("Content-Range", "bytes */6")
        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(status.statusCode()).isEqualTo(308);
    HttpResponse<byte[]> c2 = http.send(HttpRequest.newBuilder(URI.create(location)).header("Content-Range", "bytes 4-5/6")
        .PUT(HttpRequest.BodyPublishers.ofByteArray("ef".getBytes(StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(c2.statusCode()).isEqualTo(200);
    JsonNode done = DriveStore.JSON.readTree(c2.body());
    assertThat(done.get("size").asString()).isEqualTo("6");
    assertThat(call(ALICE, "GET", "/drive/v3/files/" + done.get("id").asString() + "?alt=media", null, null).body)
        .isEqualTo("abcdef".getBytes(StandardCharsets.UTF_8));
    assertThat(fake.counts()).containsEntry("upload.chunk", 3L);
  }

  @Test
  void updatesMoveByParentsOverrideMethodsAndAcceptGzip() throws Exception {
    String a = folder(ALICE, "a", null);
    String b = folder(ALICE, "b", null);
    String f = upload(ALICE, "m", a, new byte[] {1});
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("{\"appProperties\":{\"k\":\"v\"}}".getBytes(StandardCharsets.UTF_8));
    }
    Res moved = call(ALICE, "POST", "/drive/v3/files/" + f + "?addParents=" + b + "&removeParents=" + a
        + "&fields=" + q("parents,appProperties"), "application/json", gz.toByteArray(),
        "X-HTTP-Method-Override", "PATCH", "Content-Encoding", "gzip");
    assertThat(moved.status).as(new String(moved.body)).isEqualTo(200);
    assertThat(moved.json.toString()).isEqualTo("{\"parents\":[\"" + b + "\"],\"appProperties\":{\"k\":\"v\"}}");
    Res two = json(ALICE, "PATCH", "/drive/v3/files/" + f + "?addParents=" + a, "{}");
    assertThat(two.json.at("/error/errors/0/reason").asString()).isEqualTo("cannotAddParent");
    Res cleared = json(ALICE, "PATCH", "/drive/v3/files/" + f + "?fields=appProperties", "{\"appProperties\":{\"k\":null}}");
    assertThat(cleared.json.toString()).isEqualTo("{}");
  }

  @Test
  void deleteIsForOwnersAndCascadesToTheirOwnItemsOnly() throws Exception {
    String top = folder(ALICE, "top", null);
    String sub = folder(ALICE, "sub", top);
    String mine = upload(ALICE, "mine", sub, new byte[0]);
    json(ALICE, "POST", "/drive/v3/files/" + top + "/permissions",
        "{\"type\":\"user\",\"role\":\"writer\",\"emailAddress\":\"bob@example.com\"}");
    String bobs = upload(BOB, "bobs", sub, new byte[0]);
    assertThat(call(BOB, "DELETE", "/drive/v3/files/" + top, null, null).status).isEqualTo(403);
    assertThat(call(ALICE, "DELETE", "/drive/v3/files/" + top, null, null).status).isEqualTo(204);
    assertThat(fake.file(sub)).isEmpty();
    assertThat(fake.file(mine)).isEmpty();
    assertThat(fake.file(bobs)).as("someone else's file is orphaned, not deleted").get()
        .satisfies(v -> assertThat(v.parents()).isEmpty());
    assertThat(call(ALICE, "DELETE", "/drive/v3/files/" + top, null, null).status).isEqualTo(404);
  }

  @Test
  void generatedIdsAreUsableOnceAndDuplicatesConflict() throws Exception {
    Res ids = call(ALICE, "GET", "/drive/v3/files/generateIds?count=2&space=drive&type=files", null, null);
    String id = ids.json.get("ids").get(0).asString();
    assertThat(json(ALICE, "POST", "/drive/v3/files?fields=id", "{\"id\":\"" + id + "\",\"name\":\"x\"}").json
        .get("id").asString()).isEqualTo(id);
    assertThat(json(ALICE, "POST", "/drive/v3/files", "{\"id\":\"" + id + "\",\"name\":\"x\"}").status).isEqualTo(409);
    assertThat(json(ALICE, "POST", "/drive/v3/files", "{\"id\":\"made-up\",\"name\":\"x\"}").status).isEqualTo(400);
  }

  @Test
  void theChangeFeedReportsVisibleChangesAndRemovals() throws Exception {
    String box = folder(ALICE, "box", null);
    String start = call(BOB, "GET", "/drive/v3/changes/startPageToken", null, null).json.get("startPageToken").asString();
    String idle = call(BOB, "GET", "/drive/v3/changes?pageToken=" + start, null, null).json.toString();
    assertThat(idle).contains("\"changes\":[]").contains("newStartPageToken");
    String f = upload(ALICE, "f", box, new byte[0]);
    assertThat(call(BOB, "GET", "/drive/v3/changes?pageToken=" + start, null, null).json.get("changes")).isEmpty();
    json(ALICE, "POST", "/drive/v3/files/" + box + "/permissions",
        "{\"type\":\"user\",\"role\":\"reader\",\"emailAddress\":\"bob@example.com\"}");
    Res seen = call(BOB, "GET", "/drive/v3/changes?pageToken=" + start + "&fields="
        + q("newStartPageToken,changes(fileId,removed,file(parents))"), null, null);
    // the newly shared folder, and (conservatively) what became visible with it
    assertThat(seen.json.get("changes")).extracting(c -> c.get("fileId").asString()).containsExactlyInAnyOrder(box, f);
    String next = seen.json.get("newStartPageToken").asString();
    call(ALICE, "DELETE", "/drive/v3/files/" + f, null, null);
    Res removed = call(BOB, "GET", "/drive/v3/changes?pageToken=" + next, null, null);
    assertThat(removed.json.get("changes")).singleElement().satisfies(c -> {
      assertThat(c.get("fileId").asString()).isEqualTo(f);
      assertThat(c.get("removed").asBoolean()).isTrue();
    });
  }

  @Test
  void batchesRunEachPartAndAnswerInMultipartMixed() throws Exception {
    String f = folder(ALICE, "col", null);
    String boundary = "batch_b0";
    StringBuilder body = new StringBuilder();
    for (String who : List.of("bob@example.com", "carol@example.com")) {
      String part = "{\"type\":\"user\",\"role\":\"reader\",\"emailAddress\":\"" + who + "\"}";
      body.append("--").append(boundary).append("\r\nContent-Type: application/http\r\nContent-ID: <").append(who)
          .append(">\r\n\r\nPOST /drive/v3/files/").append(f).append("/permissions?sendNotificationEmail=false HTTP/1.1\r\n")
          .append("Authorization: Bearer alice@example.com\r\nContent-Type: application/json; charset=UTF-8\r\n")
          .append("Content-Length: ").append(part.length()).append("\r\n\r\n").append(part).append("\r\n");
    }
    body.append("--").append(boundary).append("--\r\n");
    Res r = call(null, "POST", "/batch/drive/v3", "multipart/mixed; boundary=" + boundary,
        body.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(r.status).isEqualTo(200);
    String text = new String(r.body, StandardCharsets.UTF_8);
    assertThat(text).contains("Content-ID: <response-bob@example.com>").contains("HTTP/1.1 200 OK");
    assertThat(fake.file(f).orElseThrow().permissions()).hasSize(3);
    assertThat(fake.counts()).containsEntry("batch", 1L).containsEntry("batch:permissions.create", 2L);
  }

  /** Python's Google client sends batch bodies with bare LF line breaks; real Drive accepts them. */
  @Test
  void batchesAndMultipartUploadsAcceptBareLineFeeds() throws Exception {
    String f = folder(ALICE, "lf", null);
    String boundary = "===============7330845974216740156==";
    StringBuilder body = new StringBuilder();
    for (String who : List.of("bob@example.com", "carol@example.com")) {
      String part = "{\"type\":\"user\",\"role\":\"reader\",\"emailAddress\":\"" + who + "\"}";
      body.append("--").append(boundary).append("\nContent-Type: application/http\nContent-Transfer-Encoding: binary\n")
          .append("Content-ID: <").append(who).append(">\n\nPOST /drive/v3/files/").append(f)
          .append("/permissions?alt=json HTTP/1.1\nContent-Type: application/json\nMIME-Version: 1.0\n")
          .append("Content-Length: ").append(part.length()).append("\n\n").append(part).append("\n");
    }
    body.append("--").append(boundary).append("--");
    String raw = body.toString();
    assertThat(raw).doesNotContain("\r");
    Res r = call(ALICE, "POST", "/batch/drive/v3", "multipart/mixed; boundary=\"" + boundary + "\"",
        raw.getBytes(StandardCharsets.UTF_8));
    assertThat(r.status).as(new String(r.body, StandardCharsets.UTF_8)).isEqualTo(200);
    String text = new String(r.body, StandardCharsets.UTF_8);
    assertThat(text).contains("Content-ID: <response-carol@example.com>").doesNotContain("HTTP/1.1 400");
    assertThat(fake.file(f).orElseThrow().permissions()).hasSize(3);

    // a multipart upload with LF only; the media keeps its own CRLF and LF bytes untouched
    byte[] media = "line one\r\nline two\nmid-line --xyzzy is no delimiter\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream up = new ByteArrayOutputStream();
    up.writeBytes(("--xyzzy\nContent-Type: application/json; charset=UTF-8\n\n{\"name\":\"lf.txt\",\"parents\":[\"" + f
        + "\"]}\n--xyzzy\nContent-Type: text/plain\n\n").getBytes(StandardCharsets.UTF_8));
    up.writeBytes(media);
    up.writeBytes("\n--xyzzy--\n".getBytes(StandardCharsets.UTF_8));
    Res created = call(ALICE, "POST", "/upload/drive/v3/files?uploadType=multipart&fields=id,name,size",
        "multipart/related; boundary=xyzzy", up.toByteArray());
    assertThat(created.status).as(new String(created.body, StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(created.json.get("name").asString()).isEqualTo("lf.txt");
    assertThat(call(ALICE, "GET", "/drive/v3/files/" + created.json.get("id").asString() + "?alt=media", null, null).body)
        .isEqualTo(media);
    // and CRLF keeps working byte for byte
    byte[] crlf = "a\r\nb\r\n".getBytes(StandardCharsets.UTF_8);
    String id = upload(ALICE, "crlf.txt", f, crlf);
    assertThat(call(ALICE, "GET", "/drive/v3/files/" + id + "?alt=media", null, null).body).isEqualTo(crlf);
  }

  @Test
  void faultTogglesAnswerLikeDriveAndLostAnswersStillHappen() throws Exception {
    fake.faults().next("files.list", Fault.RATE_LIMIT_403, 1).next("files.list", Fault.RATE_LIMIT_429, 1);
    Res r403 = call(ALICE, "GET", "/drive/v3/files", null, null);
    assertThat(r403.status).isEqualTo(403);
    assertThat(r403.json.at("/error/errors/0/reason").asString()).isEqualTo("userRateLimitExceeded");
    assertThat(call(ALICE, "GET", "/drive/v3/files", null, null).status).isEqualTo(429);
    assertThat(call(ALICE, "GET", "/drive/v3/files", null, null).status).isEqualTo(200);
    fake.faults().next("files.create", Fault.LOSE_RESPONSE, 1);
    int before = fake.itemCount();
    try {
      json(ALICE, "POST", "/drive/v3/files", "{\"name\":\"lost\"}");
      org.junit.jupiter.api.Assertions.fail("the connection should have been dropped");
    } catch (IOException expected) {
      // no answer
    }
    assertThat(fake.itemCount()).isEqualTo(before + 1);
    assertThat(fake.faults().injected()).containsExactly("RATE_LIMIT_403 files.list", "RATE_LIMIT_429 files.list",
        "LOSE_RESPONSE files.create");
  }

  @Test
  void theTokenEndpointTradesEmailsAndRefusesRevokedTokens() throws Exception {
    Res ok = call(null, "POST", "/token", "application/x-www-form-urlencoded",
        "grant_type=refresh_token&refresh_token=alice%40example.com&client_id=c".getBytes(StandardCharsets.UTF_8));
    assertThat(ok.json.get("access_token").asString()).isEqualTo(ALICE);
    Res bad = call(null, "POST", "/token", "application/x-www-form-urlencoded",
        "grant_type=refresh_token&refresh_token=revoked-1".getBytes(StandardCharsets.UTF_8));
    assertThat(bad.status).isEqualTo(400);
    assertThat(bad.json.get("error").asString()).isEqualTo("invalid_grant");
  }

  @Test
  void theDiscoveryDocumentDescribesTheServedMethodsAtThisServer() throws Exception {
    Res r = call(null, "GET", "/discovery/v1/apis/drive/v3/rest", null, null);
    assertThat(r.status).isEqualTo(200);
    // the Python client joins rootUrl + servicePath for calls, rootUrl + "upload/" + servicePath for media
    assertThat(r.json.get("rootUrl").asString()).isEqualTo(fake.rootUrl());
    assertThat(r.json.get("servicePath").asString()).isEqualTo("drive/v3/");
    assertThat(r.json.get("batchPath").asString()).isEqualTo("batch/drive/v3");
    JsonNode res = r.json.get("resources");
    JsonNode files = res.get("files").get("methods");
    assertThat(files.propertyNames()).contains("list", "get", "create", "update", "delete", "generateIds");
    assertThat(files.get("get").get("supportsMediaDownload").asBoolean()).isTrue();
    assertThat(files.get("update").get("parameters").propertyNames()).contains("fileId", "addParents", "removeParents");
    assertThat(files.get("list").get("parameters").propertyNames()).contains("q", "pageSize", "pageToken", "orderBy");
    assertThat(res.get("permissions").get("methods").get("create").get("parameters").propertyNames())
        .contains("sendNotificationEmail");
    assertThat(r.json.get("parameters").propertyNames()).contains("fields", "alt");
    // every method's path is one this fake routes: call files.list through it
    String listPath = files.get("list").get("path").asString();
    String folder = folder(ALICE, "SyftBox", null);
    Res listed = json(ALICE, "GET", "/" + r.json.get("servicePath").asString() + listPath + "?fields=files(id)", null);
    assertThat(listed.json.get("files").get(0).get("id").asString()).isEqualTo(folder);
  }

  @Test
  void stateSurvivesARestartWithADataFolder(@TempDir Path data) throws Exception {
    String id;
    try (FakeDriveServer first = FakeDriveServer.builder().dataDir(data).start()) {
      fake.close();
      fake = first;
      String box = folder(ALICE, "SyftBox", null);
      id = upload(ALICE, "kept.bin", box, "kept".getBytes(StandardCharsets.UTF_8));
      json(ALICE, "POST", "/drive/v3/files/" + box + "/permissions",
          "{\"type\":\"user\",\"role\":\"reader\",\"emailAddress\":\"bob@example.com\"}");
    }
    fake = FakeDriveServer.builder().dataDir(data).start();
    assertThat(call(BOB, "GET", "/drive/v3/files/" + id + "?alt=media", null, null).body)
        .isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
    assertThat(names(ALICE, "name = 'SyftBox'")).containsExactly("SyftBox");
  }
}
