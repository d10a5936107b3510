package org.rjepa;

import static org.junit.jupiter.api.Assertions.fail;

import org.rjepa.learning.DoubleParameters;
import org.rjepa.model.Block;

/**
 * Numeric comparisons whose failure names the tensor, the first bad index, both values and
 * the largest absolute and relative error.
 */
public final class Assertions2 {
    private Assertions2() {
    }

    /** Largest |actual - expected| over max |expected| (or the absolute error if that is 0). */
    public static double blockRelativeError(double[] actual, double[] expected) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        return scale == 0 ? worst : worst / scale;
    }

    /** Fails unless every entry is within {@code tol} times the block's largest entry. */
    public static void assertBlockClose(String what, double[] actual, double[] expected,
            double tol) {
        if (actual.length != expected.length) {
            fail(what + ": length " + actual.length + " != " + expected.length);
        }
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double limit = tol * (scale == 0 ? 1 : scale);
        int first = -1;
        double worstAbs = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= limit) && first < 0) {
                first = i;
            }
            if (!(err <= worstAbs)) {
                worstAbs = err;
            }
        }
        if (first >= 0) {
            fail(String.format("%s: first mismatch at [%d]: %.17g vs expected %.17g; "
                    + "largest abs error %.3g, relative to block max %.3g (tolerance %.1g)",
                    what, first, actual[first], expected[first], worstAbs,
                    worstAbs / (scale == 0 ? 1 : scale), tol));
        }
    }

    /** Each entry within {@code tol} relative to its own magnitude (or absolute below 1). */
    public static void assertEachClose(String what, double[] actual, double[] expected,
            double tol) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= tol * Math.max(1, Math.abs(expected[i])))) {
                fail(String.format("%s: first mismatch at [%d]: %.17g vs expected %.17g "
                        + "(abs error %.3g, tolerance %.1g)", what, i, actual[i], expected[i],
                        err, tol));
            }
        }
    }

    public static void assertGradientsClose(String what, DoubleParameters actual,
            DoubleParameters expected, double tol) {
        for (Block b : Block.values()) {
            assertBlockClose(what + " d" + b, actual.get(b), expected.get(b), tol);
        }
    }
}
