package dev.syft.cli;

import dev.syft.core.ProgressListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work (sync, transfers): a progress bar on a terminal, plain lines at each quarter
 * otherwise (logs and CI stay readable). {@link ProgressOption} decides whether it is shown at all.
 */
final class TerminalProgress implements ProgressListener {
  private final PrintWriter err;
  private final boolean terminal;
  private ProgressBar bar;
  private String task;
  private long total;
  private long done;
  private int lastQuarter;

  TerminalProgress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** True when a person watches (a console, outside CI): a bar then, else plain lines. */
  static boolean isTerminal() {
    java.io.Console c = System.console();
    if (c == null || System.getenv("CI") != null) {
      return false;
    }
    try {
      // since JDK 22 a console exists even when redirected; isTerminal() (22+) tells them apart
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (NoSuchMethodException e) {
      return true; // JDK 21: a console means a terminal
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public synchronized void begin(String task, long total) {
    this.task = task;
    this.total = total;
    this.done = 0;
    this.lastQuarter = 0;
    if (terminal) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(200).build();
    } else {
      err.println("syft: " + task + " ...");
      err.flush();
    }
  }

  @Override
  public synchronized void advance(long steps) {
    done += steps;
    if (bar != null) {
      bar.stepBy(steps);
      return;
    }
    int quarter = total > 0 ? (int) (done * 4 / total) : 0;
    if (quarter > lastQuarter && quarter < 4) {
      lastQuarter = quarter;
      err.println("syft: " + task + ": " + (quarter * 25) + "%");
      err.flush();
    }
  }

  @Override
  public synchronized void end() {
    if (bar != null) {
      bar.close();
      bar = null;
    } else if (task != null) {
      err.println("syft: " + task + ": done");
      err.flush();
    }
    task = null;
  }
}
