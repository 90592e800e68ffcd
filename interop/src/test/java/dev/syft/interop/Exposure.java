package dev.syft.interop;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import tools.jackson.databind.JsonNode;

/**
 * Where a secret shows up: every file under a folder, and every Drive item a user can read, archives
 * (gzip, tar, zip) unpacked recursively. Answers the places it was found, so an assertion names them.
 */
final class Exposure {
  private static final int MAX_DEPTH = 4;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Exposure() {}

  static List<String> inTree(Path root, byte[] secret) throws IOException {
    List<String> found = new ArrayList<>();
    if (!Files.exists(root)) {
      return found;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        scan(root.relativize(p).toString(), Files.readAllBytes(p), secret, 0, found);
      }
    }
    return found;
  }

  /** Every Drive item {@code user} can list on the fake, downloaded and scanned. Also returns how many were read. */
  static DriveScan inDrive(String rootUrl, String user, byte[] secret) throws IOException, InterruptedException {
    List<String> found = new ArrayList<>();
    int files = 0;
    String pageToken = null;
    do {
      String url = rootUrl + "drive/v3/files?pageSize=1000&q=" + enc("trashed = false")
          + "&fields=" + enc("nextPageToken,files(id,name,mimeType,owners(emailAddress))")
          + (pageToken == null ? "" : "&pageToken=" + enc(pageToken));
      JsonNode page = PyActor.JSON.readTree(get(url, user));
      for (JsonNode f : page.path("files")) {
        if (f.path("mimeType").asString().startsWith("application/vnd.google-apps.")) {
          continue;
        }
        files++;
        byte[] body = get(rootUrl + "drive/v3/files/" + f.path("id").asString() + "?alt=media", user);
        scan("drive:" + f.path("name").asString() + " (owner " + f.path("owners").path(0).path("emailAddress").asString()
            + ")", body, secret, 0, found);
      }
      pageToken = page.path("nextPageToken").isString() ? page.path("nextPageToken").asString() : null;
    } while (pageToken != null);
    return new DriveScan(files, found);
  }

  record DriveScan(int filesRead, List<String> found) {}

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static byte[] get(String url, String user) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + user)
        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + url + " as " + user + " answered " + r.statusCode() + ": "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
    return r.body();
  }

  private static void scan(String where, byte[] data, byte[] secret, int depth, List<String> found) throws IOException {
    if (indexOf(data, secret) >= 0) {
      found.add(where);
      return;
    }
    if (depth >= MAX_DEPTH || data.length < 4) {
      return;
    }
    if ((data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
      byte[] plain;
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
        plain = in.readAllBytes();
      } catch (IOException e) {
        return; // not a gzip stream after all
      }
      scan(where + "!gunzip", plain, secret, depth + 1, found);
    } else if (data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4) {
      try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(data))) {
        for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
          scan(where + "!" + e.getName(), zin.readAllBytes(), secret, depth + 1, found);
        }
      } catch (IOException e) {
        return;
      }
    } else if (data.length > 262 && new String(data, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar")) {
      try (TarArchiveInputStream tin = new TarArchiveInputStream(new ByteArrayInputStream(data))) {
        for (TarArchiveEntry e; (e = tin.getNextEntry()) != null; ) {
          if (e.isFile()) {
            scan(where + "!" + e.getName(), tin.readAllBytes(), secret, depth + 1, found);
          }
        }
      }
    }
  }

  static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
