package dev.syft.transport.local;

import dev.syft.transport.Watcher;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change hints for a {@link LocalStorage}: recursive file-system notifications over the shared root
 * (io.methvin directory-watcher: inotify with re-registration on Linux, FSEvents on macOS), falling
 * back to periodic rescans when native watching cannot start. Only changes the user could see are
 * reported (their drive, folders shared with them, new grants to them); sidecars, temporary files and
 * sync-client artefacts are ignored. Hints only: the engine still lists to learn what changed.
 */
final class LocalWatcher implements Watcher {
  private static final Logger log = LoggerFactory.getLogger(LocalWatcher.class);

  private final LocalStorage storage;
  private final LocalOptions options;

  LocalWatcher(LocalStorage storage, LocalOptions options) {
    this.storage = storage;
    this.options = options;
  }

  @Override
  public AutoCloseable watch(Runnable onChange) throws IOException {
    if (options.watch() == LocalOptions.WatchMode.NATIVE) {
      try {
        return startNative(onChange);
      } catch (IOException | RuntimeException | LinkageError e) {
        log.warn("native file watching unavailable ({}); polling every {} ms instead", e.toString(),
            options.pollInterval().toMillis());
      }
    }
    return startPolling(onChange);
  }

  private AutoCloseable startNative(Runnable onChange) throws IOException {
    Path root = storage.rootDir();
    Files.createDirectories(root.resolve(LocalNames.SHARES_DIR).resolve(storage.me()));
    DirectoryWatcher w = DirectoryWatcher.builder()
        .path(root)
        .fileHashing(false) // never hash every file of the root at start-up
        .listener(event -> {
          if (relevant(event)) {
            run(onChange);
          }
        })
        .build();
    w.watchAsync(r -> Thread.ofPlatform().daemon().name("syft-local-watch-" + storage.me()).start(r));
    return w::close;
  }

  boolean relevant(DirectoryChangeEvent event) {
    if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
      return true;
    }
    Path p = event.path();
    Path root = storage.rootDir();
    if (p == null || !p.startsWith(root) || p.equals(root)) {
      return false;
    }
    Path rel = root.relativize(p);
    if (rel.getName(0).toString().equals(LocalNames.SHARES_DIR)) {
      // a marker in my index: somebody shared (or unshared) something with me
      return rel.getNameCount() >= 2 && rel.getName(1).toString().equals(storage.me());
    }
    for (Path seg : rel) {
      String s = seg.toString();
      if (LocalNames.ignored(s) && !s.equals(LocalNames.META)) {
        return false;
      }
    }
    try {
      Path dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? p : p.getParent();
      // a folder that vanished may have been visible: report it
      return !Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || storage.canSee(dir);
    } catch (IOException e) {
      return true;
    }
  }

  private AutoCloseable startPolling(Runnable onChange) {
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().daemon().name("syft-local-poll-" + storage.me()).unstarted(r));
    AtomicLong last = new AtomicLong(fingerprintQuietly());
    long ms = options.pollInterval().toMillis();
    ex.scheduleWithFixedDelay(() -> {
      long now = fingerprintQuietly();
      if (now != last.getAndSet(now)) {
        run(onChange);
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
    return ex::shutdownNow;
  }

  private long fingerprintQuietly() {
    try {
      return fingerprint();
    } catch (IOException | RuntimeException e) {
      log.debug("rescan failed: {}", e.toString());
      return 0;
    }
  }

  /** A hash over names, sizes and times of everything the user can see, plus their share index. */
  long fingerprint() throws IOException {
    Path root = storage.rootDir();
    List<Path> tops = new ArrayList<>();
    tops.add(root.resolve(storage.me()));
    tops.add(root.resolve(LocalNames.SHARES_DIR).resolve(storage.me()));
    for (Path marker : list(root.resolve(LocalNames.SHARES_DIR).resolve(storage.me()))) {
      tops.add(marker);
    }
    long h = 1125899906842597L;
    for (String id : shareIds()) {
      Path p = storage.pathOfId(id);
      if (p != null) {
        tops.add(p);
      }
    }
    for (Path top : tops) {
      List<Path> stack = new ArrayList<>(List.of(top));
      while (!stack.isEmpty()) {
        Path p = stack.remove(stack.size() - 1);
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue;
        }
        h = 31 * h + p.toString().hashCode();
        h = 31 * h + a.size();
        h = 31 * h + a.lastModifiedTime().toMillis();
        if (a.isDirectory()) {
          for (Path c : list(p)) {
            String n = c.getFileName().toString();
            if (!LocalNames.ignored(n) || n.equals(LocalNames.META)) {
              stack.add(c);
            }
          }
        }
      }
    }
    return h;
  }

  private List<String> shareIds() throws IOException {
    return new ShareIndex(storage.rootDir()).idsFor(storage.me());
  }

  private static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(out::add);
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return List.of();
    }
    out.sort(null);
    return out;
  }

  private static void run(Runnable onChange) {
    try {
      onChange.run();
    } catch (RuntimeException e) {
      log.warn("watch callback failed: {}", e.toString());
    }
  }
}
