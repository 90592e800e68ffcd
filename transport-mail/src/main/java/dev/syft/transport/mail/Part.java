package dev.syft.transport.mail;

import java.time.Instant;

/**
 * What one e-mail in the Syft folder says, from its machine headers: one chunk of one version of a
 * file, a folder marker, or a deletion.
 *
 * @param uid the IMAP UID in the Syft folder
 * @param path the store key
 * @param kind what it is
 * @param version {@link Versions} string; the highest complete version of a key wins
 * @param index chunk number, from 0
 * @param count chunks of this version
 * @param total size of the whole file
 * @param sha256 hex SHA-256 of the whole file (chunks are reassembled by it)
 */
record Part(long uid, String path, Kind kind, String version, int index, int count, long total, String sha256) {

  /** The kinds of Syft mail ({@code X-Syft-Message}). */
  enum Kind {
    FILE("file"), FOLDER("folder"), DELETE("delete"), DELETE_TREE("delete-tree");

    final String header;

    Kind(String header) {
      this.header = header;
    }

    static Kind of(String header) {
      for (Kind k : values()) {
        if (k.header.equals(header)) {
          return k;
        }
      }
      return null;
    }
  }

  Instant time() {
    return Versions.time(version);
  }
}
