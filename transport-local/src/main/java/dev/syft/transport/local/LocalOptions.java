package dev.syft.transport.local;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Options of the local transport, from the client's config ({@code transport_options}) or the URI
 * query ({@code local:/srv/syft?watch=poll&poll=5s}).
 *
 * @param fsync force file content and folder entries to disk before a write returns (default on;
 *     {@code fsync=false} trades crash safety for speed, e.g. in tests)
 * @param watch {@code NATIVE} file-system notifications with polling as fallback, {@code POLL} only,
 *     or {@code NONE} (no watcher capability)
 * @param pollInterval how often the polling watcher rescans (default 2 s)
 */
public record LocalOptions(boolean fsync, WatchMode watch, Duration pollInterval) {
  /** How change notifications are produced. */
  public enum WatchMode { NATIVE, POLL, NONE }

  public LocalOptions {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive");
    }
  }

  public static LocalOptions defaults() {
    return new LocalOptions(true, WatchMode.NATIVE, Duration.ofSeconds(2));
  }

  /** Reads {@code fsync}, {@code watch} and {@code poll} (e.g. {@code 500ms}, {@code 2s}); unknown keys are ignored. */
  public static LocalOptions fromMap(Map<String, String> options) {
    LocalOptions d = defaults();
    boolean fsync = d.fsync;
    WatchMode watch = d.watch;
    Duration poll = d.pollInterval;
    if (options.containsKey("fsync")) {
      fsync = Boolean.parseBoolean(options.get("fsync").trim());
    }
    if (options.containsKey("watch")) {
      try {
        watch = WatchMode.valueOf(options.get("watch").trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("watch must be native, poll or none, not '" + options.get("watch") + "'");
      }
    }
    if (options.containsKey("poll")) {
      poll = parseDuration(options.get("poll").trim());
    }
    return new LocalOptions(fsync, watch, poll);
  }

  public LocalOptions withFsync(boolean on) {
    return new LocalOptions(on, watch, pollInterval);
  }

  public LocalOptions withWatch(WatchMode mode) {
    return new LocalOptions(fsync, mode, pollInterval);
  }

  public LocalOptions withPollInterval(Duration d) {
    return new LocalOptions(fsync, watch, d);
  }

  static Duration parseDuration(String s) {
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration (try 500ms or 2s): '" + s + "'");
    }
  }
}
