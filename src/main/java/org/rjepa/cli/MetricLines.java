package org.rjepa.cli;

import java.util.Locale;
import org.rjepa.evaluation.Metrics;
import org.rjepa.learning.Report;

/** The fixed-width line printed for each report, and its header. */
final class MetricLines {
    static final String HEADER = String.format(Locale.ROOT,
            "%7s %9s %8s %8s %8s %8s %10s %10s %11s",
            "step", "loss", "R^2", "R^2 pers", "erank z", "erank h", "std z", "std z min",
            "fix/s");

    private MetricLines() {
    }

    static String line(Report r) {
        Metrics m = r.metrics();
        return String.format(Locale.ROOT, "%7d %s %s %s %s %s %s %s %11.0f", r.step(),
                Terminal.figure(r.loss(), 9, 5), Terminal.figure(m.r2(), 8, 4),
                Terminal.figure(m.r2Persistence(), 8, 4),
                Terminal.figure(m.z().effectiveRank(), 8, 2),
                Terminal.figure(m.h().effectiveRank(), 8, 2),
                Terminal.spread(m.z().stdMean(), 10), Terminal.spread(m.z().stdMin(), 10),
                r.fixationsPerS());
    }

    /** The held-out figures as aligned "key value" lines. */
    static String summary(Report r) {
        Metrics m = r.metrics();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "held-out after %d batches (%.1f s):%n", r.step(),
                r.wallS()));
        row(out, "R^2 (prediction)", m.r2());
        row(out, "R^2 (persistence)", m.r2Persistence());
        row(out, "loss", m.heldOutLoss());
        row(out, "erank z / h", m.z().effectiveRank(), m.h().effectiveRank());
        row(out, "std z mean / min", m.z().stdMean(), m.z().stdMin());
        row(out, "std h mean / min", m.h().stdMean(), m.h().stdMin());
        row(out, "cosine z / h", m.z().meanCosine(), m.h().meanCosine());
        return out.toString().stripTrailing();
    }

    private static void row(StringBuilder out, String key, double... values) {
        out.append(String.format(Locale.ROOT, "  %-20s", key));
        for (double v : values) {
            out.append(Terminal.spread(v, 11));
        }
        out.append('\n');
    }
}
