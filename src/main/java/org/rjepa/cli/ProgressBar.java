package org.rjepa.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place with a carriage return. It draws only where the
 * output is a terminal, so that logs and CI output stay free of redraws.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    ProgressBar(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    static boolean terminalAttached() {
        return System.console() != null;
    }

    void update(long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double fraction = total == 0 ? 1 : (double) done / total;
        int filled = (int) Math.round(fraction * WIDTH);
        double elapsed = (now - started) * 1e-9;
        double eta = done == 0 ? 0 : elapsed * (total - done) / done;
        err.print(String.format(Locale.ROOT, "\r[%s%s] %3.0f%% %d/%d  %s elapsed, %s left ",
                "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * fraction, done, total,
                duration(elapsed), duration(eta)));
        err.flush();
        drawn = true;
    }

    /** Clears the bar so that the next printed line starts on a clean row. */
    void clear() {
        if (enabled && drawn) {
            err.print("\r" + " ".repeat(WIDTH + 60) + "\r");
            err.flush();
            drawn = false;
        }
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s"
                : s + "s";
    }
}
