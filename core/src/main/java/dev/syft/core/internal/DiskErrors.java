package dev.syft.core.internal;

import dev.syft.protocol.ErrorCode;
import dev.syft.protocol.SyftException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Recognises a full disk (or an exhausted quota) behind an I/O or SQLite error, so the user reads
 * "no space left on ..." instead of whatever the failing call happened to say next (SQLite, for one,
 * reports a rolled-back transaction as {@code cannot commit - no transaction is active}).
 */
final class DiskErrors {
  /** The {@link SyftException#code()} of a full disk. */
  static final String CODE = "disk-full";

  private DiskErrors() {}

  /** True when {@code t} or one of its causes says the device or the quota is full. */
  static boolean isDiskFull(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SyftException s && s.errorCode() == ErrorCode.DISK_FULL) {
        return true;
      }
      String text = c instanceof FileSystemException f ? f.getReason() : c.getMessage();
      if (text == null) {
        continue;
      }
      String m = text.toLowerCase(Locale.ROOT);
      if (m.contains("no space left") || m.contains("disk quota exceeded") || m.contains("sqlite_full")
          || m.contains("database or disk is full") || m.contains("not enough space")) {
        return true;
      }
    }
    return false;
  }

  /** The one-line error for a full disk while writing {@code where}. */
  static SyftException diskFull(Path where, Throwable cause) {
    return new SyftException(ErrorCode.DISK_FULL, "no space left on the device of " + where + " (free some space; nothing was lost,"
        + " the work is retried next round)", cause);
  }

  /**
   * A one-line description of an I/O error: Java's file-system exceptions carry only the path as
   * their message ({@code DirectoryNotEmptyException: /x}), which says nothing on its own.
   */
  static String describe(IOException e) {
    if (e instanceof FileSystemException f) {
      String what = switch (f) {
        case java.nio.file.DirectoryNotEmptyException x -> "folder not empty";
        case java.nio.file.FileAlreadyExistsException x -> "already exists";
        case java.nio.file.NoSuchFileException x -> "no such file";
        case java.nio.file.NotDirectoryException x -> "not a folder";
        case java.nio.file.AccessDeniedException x -> "permission denied";
        default -> f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
      };
      return what + ": " + f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "");
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** {@code e} as a full-disk error when it is one, else as {@code otherwise}. */
  static RuntimeException classify(IOException e, Path where, java.util.function.Function<IOException, RuntimeException> otherwise) {
    return isDiskFull(e) ? diskFull(where, e) : otherwise.apply(e);
  }
}
