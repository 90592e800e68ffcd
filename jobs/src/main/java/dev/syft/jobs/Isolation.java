package dev.syft.jobs;

import java.util.Locale;

/**
 * How a job run is isolated from the data owner's machine, strongest first. {@link #BUBBLEWRAP} and
 * {@link #NAMESPACES} give the same guarantees (no network, a read-only file system made of system
 * folders and the datasets the job may read, a private writable job folder, every process killed at
 * the end); {@link #NONE} only scrubs the environment, applies the limits and kills the job's
 * processes.
 */
public enum Isolation {
  /** bubblewrap ({@code bwrap}). */
  BUBBLEWRAP("bubblewrap"),
  /** Linux namespaces set up with util-linux {@code unshare}: user (unless root), network, mount, PID, IPC, UTS. */
  NAMESPACES("namespaces"),
  /** No sandbox: only with an explicit opt-out ({@code --no-sandbox}, {@code jobs.require_sandbox: false}). */
  NONE("none");

  private final String id;

  Isolation(String id) {
    this.id = id;
  }

  /** The name recorded in the job's private record and shown by {@code jobs show}. */
  public String id() {
    return id;
  }

  /** Parses {@link #id()} (or the enum name; {@code bwrap} as older records wrote it). */
  public static Isolation parse(String s) {
    String x = s.trim().toLowerCase(Locale.ROOT);
    if (x.equals("bwrap")) {
      return BUBBLEWRAP;
    }
    for (Isolation i : values()) {
      if (i.id.equals(x) || i.name().toLowerCase(Locale.ROOT).equals(x)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown isolation '" + s + "' (bubblewrap, namespaces or none)");
  }
}
