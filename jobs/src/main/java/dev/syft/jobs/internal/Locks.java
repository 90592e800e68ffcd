package dev.syft.jobs.internal;

import dev.syft.jobs.JobsException;
import dev.syft.protocol.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks that work across threads and processes: an in-process lock per file (file locks belong to a
 * process, not a thread) plus an OS file lock.
 */
public final class Locks {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
  /** Run locks held by this process (a run lock must never be probed by its own holder). */
  private static final Set<Path> RUNNING_HERE = ConcurrentHashMap.newKeySet();

  private Locks() {}

  /** A held lock; close to release. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** Blocks until this thread holds {@code file}'s lock (re-entrant within a thread). */
  public static Held exclusive(Path file) {
    Path key = file.toAbsolutePath().normalize();
    ReentrantLock l = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
    l.lock();
    if (l.getHoldCount() > 1) {
      return l::unlock;
    }
    try {
      Files.createDirectories(key.getParent());
      FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fl = ch.lock();
      return () -> {
        try {
          fl.release();
          ch.close();
        } catch (IOException e) {
          // the OS drops the lock with the channel anyway
        } finally {
          l.unlock();
        }
      };
    } catch (IOException | RuntimeException e) {
      l.unlock();
      throw new JobsException(ErrorCode.JOBS_IO, "cannot lock " + key + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes the run lock of a job for the duration of its run, so another process can tell a live run
   * from one a crash left behind. Returns null when someone already holds it.
   */
  public static Held run(Path file) {
    Path key = file.toAbsolutePath().normalize();
    if (!RUNNING_HERE.add(key)) {
      return null;
    }
    try {
      Files.createDirectories(key.getParent());
      FileChannel ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fl;
      try {
        fl = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        fl = null;
      }
      if (fl == null) {
        ch.close();
        RUNNING_HERE.remove(key);
        return null;
      }
      FileLock held = fl;
      return () -> {
        try {
          held.release();
          ch.close();
        } catch (IOException e) {
          // released with the channel
        } finally {
          RUNNING_HERE.remove(key);
        }
      };
    } catch (IOException e) {
      RUNNING_HERE.remove(key);
      throw new JobsException(ErrorCode.JOBS_IO, "cannot create the run lock " + key + ": " + e.getMessage(), e);
    }
  }

  /** True when a live runner (this process or another) holds the job's run lock. */
  public static boolean runHeld(Path file) {
    Held h = run(file);
    if (h == null) {
      return true;
    }
    h.close();
    return false;
  }
}
