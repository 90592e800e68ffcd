package dev.syft.transport.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises changes to one folder (publishing a name, updating its sidecar) across threads (striped
 * JVM locks) and across processes on the machine ({@link FileLock} on the folder's {@code
 * .syft-lock}). Several folders are locked in a fixed order, so two movers cannot deadlock.
 */
final class FolderLocks {
  private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = new ReentrantLock();
    }
  }

  @FunctionalInterface
  interface IoCall<T> {
    T run() throws IOException;
  }

  private FolderLocks() {}

  static <T> T with(Path dir, IoCall<T> call) throws IOException {
    return with(List.of(dir), call);
  }

  static <T> T with(List<Path> dirs, IoCall<T> call) throws IOException {
    TreeSet<Integer> stripes = new TreeSet<>();
    for (Path d : dirs) {
      stripes.add(Math.floorMod(d.toString().hashCode(), STRIPES.length));
    }
    List<ReentrantLock> held = new ArrayList<>();
    List<FileChannel> channels = new ArrayList<>();
    try {
      for (int s : stripes) {
        STRIPES[s].lock();
        held.add(STRIPES[s]);
      }
      List<Path> ordered = dirs.stream().distinct().sorted(Comparator.comparing(Path::toString)).toList();
      for (Path d : ordered) {
        FileChannel ch = FileChannel.open(d.resolve(LocalNames.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channels.add(ch);
        ch.lock();
      }
      return call.run();
    } finally {
      for (int i = channels.size() - 1; i >= 0; i--) {
        try {
          channels.get(i).close(); // releases the lock
        } catch (IOException ignored) {
          // nothing to do: the lock goes with the channel
        }
      }
      for (int i = held.size() - 1; i >= 0; i--) {
        held.get(i).unlock();
      }
    }
  }
}
