package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutProgressListener;
import io.github.clientsessions.core.Target;
import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, redrawn in place with a carriage return, for people
 * watching a terminal. {@link #forTerminal} gives a silent one when stderr is not a terminal, so
 * that logs and pipes stay clean, whatever stdin and stdout are ({@code --format csv > out.csv}
 * keeps the bar; {@code 2> log} drops it).
 *
 * <p>Thread-safety: the fan-out serializes progress calls; {@link #finish()} is called after the
 * run, from the thread that ran it.
 */
final class ProgressBar implements FanOutProgressListener<Target> {

  private static final int WIDTH = 30;

  private final PrintStream err;
  private final boolean enabled;
  private int failed; // only touched by the serialized progress calls
  private boolean drawn;

  ProgressBar(PrintStream err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** A bar that draws only if stderr, where it draws, is a terminal ({@link StderrTerminal}). */
  static ProgressBar forTerminal(PrintStream err) {
    return new ProgressBar(err, StderrTerminal.isTerminal());
  }

  @Override
  public synchronized void onProgress(int completed, int total,
      FanOutOutcome<? extends Target, ?> outcome) {
    if (outcome.status() != FanOutOutcome.Status.SUCCEEDED) {
      failed++;
    }
    if (!enabled) {
      return;
    }
    int filled = total == 0 ? WIDTH : completed * WIDTH / total;
    err.print("\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + completed + "/"
        + total + " targets" + (failed > 0 ? ", " + failed + " failed" : "") + "  ");
    err.flush();
    drawn = true;
  }

  /** Clears the bar so that what follows starts on a clean line. */
  synchronized void finish() {
    if (drawn) {
      err.print("\r" + " ".repeat(WIDTH + 40) + "\r");
      err.flush();
    }
  }
}
