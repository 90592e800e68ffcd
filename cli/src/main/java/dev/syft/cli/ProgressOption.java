package dev.syft.cli;

import dev.syft.core.ProgressListener;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The {@code --progress} option of commands that move data (sync, dataset create/share, jobs collect).
 * Progress goes to stderr only: a bar when stderr is a terminal (not with {@code --json}, so scripts stay
 * quiet), plain lines at each quarter when {@code --progress} asks for it elsewhere; stdout, and so
 * {@code --json} output, never carries it.
 */
final class ProgressOption {
  @Option(names = "--progress",
      description = "Report transfer progress on stderr even when it is not a terminal (a line at each quarter).")
  boolean progress;

  /** The listener for this command: {@link ProgressListener#NONE} unless a terminal or {@code --progress} wants it. */
  ProgressListener listener(PrintWriter err, boolean json) {
    boolean terminal = TerminalProgress.isTerminal();
    if (progress || (terminal && !json)) {
      return new TerminalProgress(err, terminal);
    }
    return ProgressListener.NONE;
  }
}
