package dev.syft.permissions;

import java.util.Locale;

/**
 * An access level. Levels are hierarchical: {@link #ADMIN} implies {@link #WRITE}, which implies
 * {@link #READ}. Any access to a {@code syft.pub.yaml} file itself needs {@link #ADMIN}.
 */
public enum Level {
  READ("read"),
  WRITE("write"),
  ADMIN("admin");

  private final String id;

  Level(String id) {
    this.id = id;
  }

  /** The lower-case name used in permission files, vectors and the CLI: read, write, admin. */
  public String id() {
    return id;
  }

  /** True when holding this level grants {@code other} (ADMIN implies WRITE implies READ). */
  public boolean implies(Level other) {
    return ordinal() >= other.ordinal();
  }

  /**
   * Parses {@code read}, {@code write} or {@code admin} (any case).
   *
   * @throws InvalidPermissionRequestException for anything else
   */
  public static Level parse(String text) {
    if (text != null) {
      switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "read" -> {
          return READ;
        }
        case "write" -> {
          return WRITE;
        }
        case "admin" -> {
          return ADMIN;
        }
        default -> {
          // fall through to the error
        }
      }
    }
    throw new InvalidPermissionRequestException(
        "unknown access level " + (text == null ? "(none)" : "'" + text + "'") + ": use read, write or admin");
  }

  @Override
  public String toString() {
    return id;
  }
}
