package dev.syft.drivefake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One file or folder of the fake. Guarded by the store's lock. */
final class Item {
  static final String FOLDER_MIME = "application/vnd.google-apps.folder";

  final String id;
  final long seq;
  final String owner;
  final Instant created;
  final boolean myDriveRoot;
  String name;
  String mimeType;
  List<String> parents = new ArrayList<>();
  Instant modified;
  byte[] content = new byte[0];
  String md5;
  long version = 1;
  boolean trashed;
  String description;
  final Map<String, String> appProperties = new LinkedHashMap<>();
  final Map<String, String> properties = new LinkedHashMap<>();
  final List<Perm> perms = new ArrayList<>();
  /** Search results leave the item out before this time (index lag). */
  Instant indexedAt;
  /** While {@code now < staleUntil}, searches still see the parents before the last move. */
  List<String> staleParents;
  Instant staleUntil;

  Item(String id, long seq, String owner, Instant created, boolean myDriveRoot) {
    this.id = id;
    this.seq = seq;
    this.owner = owner;
    this.created = created;
    this.modified = created;
    this.myDriveRoot = myDriveRoot;
    this.indexedAt = created;
  }

  boolean folder() {
    return FOLDER_MIME.equals(mimeType);
  }

  Perm permOf(String email) {
    for (Perm p : perms) {
      if ("user".equals(p.type) && p.email != null && p.email.equals(email)) {
        return p;
      }
    }
    return null;
  }

  /** Parents as a search sees them at {@code now} (index lag after a move). */
  List<String> searchParents(Instant now) {
    return staleParents != null && staleUntil != null && now.isBefore(staleUntil) ? staleParents : parents;
  }

  /** A permission of an item. */
  static final class Perm {
    final String id;
    final String type;
    final String email;
    String role;

    Perm(String id, String type, String email, String role) {
      this.id = id;
      this.type = type;
      this.email = email;
      this.role = role;
    }

    boolean writes() {
      return switch (role) {
        case "owner", "organizer", "fileOrganizer", "writer" -> true;
        default -> false;
      };
    }
  }
}
