package dev.syft.permissions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The three principal lists of a rule, exactly as written in the file (order kept, no
 * normalisation). A principal is an e-mail, {@code *} (everyone), a wildcard such as
 * {@code *@example.com}, or {@code USER} (the requester in a {@code {{.UserEmail}}} rule, everyone
 * elsewhere).
 */
public record Access(List<String> admin, List<String> write, List<String> read) {

  private static final Access NONE = new Access(List.of(), List.of(), List.of());

  public Access {
    admin = List.copyOf(admin);
    write = List.copyOf(write);
    read = List.copyOf(read);
  }

  /** No principals at all (a rule with this access denies everyone but the owner). */
  public static Access none() {
    return NONE;
  }

  /** The list for one level. */
  public List<String> list(Level level) {
    return switch (level) {
      case READ -> read;
      case WRITE -> write;
      case ADMIN -> admin;
    };
  }

  /** A copy with one list replaced. */
  public Access with(Level level, List<String> entries) {
    Objects.requireNonNull(entries);
    return switch (level) {
      case READ -> new Access(admin, write, entries);
      case WRITE -> new Access(admin, entries, read);
      case ADMIN -> new Access(entries, write, read);
    };
  }

  /** A copy with {@code principal} appended to the level's list unless it is already there. */
  public Access plus(Level level, String principal) {
    List<String> current = list(level);
    if (current.contains(principal)) {
      return this;
    }
    List<String> copy = new ArrayList<>(current);
    copy.add(principal);
    return with(level, copy);
  }

  public boolean isEmpty() {
    return admin.isEmpty() && write.isEmpty() && read.isEmpty();
  }

  /** True when both name the same principals per level, ignoring order and duplicates. */
  public boolean sameAs(Access other) {
    for (Level l : Level.values()) {
      if (!new java.util.HashSet<>(list(l)).equals(new java.util.HashSet<>(other.list(l)))) {
        return false;
      }
    }
    return true;
  }
}
