package dev.syft.transport.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The "shared with me" index: {@code <root>/.syft-shares/<grantee>/<sha256(id)>.json}, one small
 * marker per grant, written and removed by the sharer. It makes {@code findSharedWithMe} cost one
 * directory listing instead of a scan of every user's drive. Markers are only hints: every hit is
 * checked against the folder's sidecar, which is the source of truth. One file per grant (instead of
 * one index file per user) means two sharers never write the same file, which matters when the root
 * is synchronised by Dropbox or Syncthing.
 */
final class ShareIndex {
  private static final Logger log = LoggerFactory.getLogger(ShareIndex.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path dir;

  ShareIndex(Path root) {
    this.dir = root.resolve(LocalNames.SHARES_DIR);
  }

  Path dirOf(String grantee) {
    return dir.resolve(grantee);
  }

  void add(String grantee, String id, String owner) throws IOException {
    Path d = dirOf(grantee);
    Files.createDirectories(d);
    Path tmp = d.resolve(LocalNames.TMP_PREFIX + UUID.randomUUID());
    try {
      Files.write(tmp, JSON.writeValueAsBytes(Map.of("id", id, "owner", owner)));
      Files.move(tmp, d.resolve(markerName(id)), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  void remove(String grantee, String id) throws IOException {
    Files.deleteIfExists(dirOf(grantee).resolve(markerName(id)));
  }

  /** Ids of the items shared with {@code grantee} (possibly stale; callers verify). */
  List<String> idsFor(String grantee) throws IOException {
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dirOf(grantee), "*.json")) {
      for (Path marker : s) {
        if (marker.getFileName().toString().startsWith(LocalNames.RESERVED_PREFIX)) {
          continue;
        }
        try (InputStream in = Files.newInputStream(marker)) {
          Object id = JSON.readValue(in.readNBytes(64 * 1024), Map.class).get("id");
          if (id instanceof String s2) {
            ids.add(s2);
          }
        } catch (NoSuchFileException gone) {
          // unshared meanwhile
        } catch (RuntimeException bad) {
          log.warn("ignoring unreadable share marker {}: {}", marker, bad.toString());
        }
      }
    } catch (NoSuchFileException none) {
      return List.of();
    }
    return ids;
  }

  static String markerName(String id) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h) + ".json";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
