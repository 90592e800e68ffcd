package dev.syft.cli;

import dev.syft.core.ProgressListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long sync work: a progress bar on a terminal, plain lines at each quarter otherwise
 * (logs and CI stay readable).
 */
final class TerminalProgress implements ProgressListener {
  private final PrintWriter err;
  private final boolean terminal;
  private ProgressBar bar;
  private String task;
  private long total;
  private long done;
  private int lastQuarter;

  TerminalProgress(PrintWriter err) {
    this.err = err;
    this.terminal = System.console() != null && System.getenv("CI") == null;
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
