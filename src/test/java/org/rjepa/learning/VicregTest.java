package org.rjepa.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rjepa.Tolerances;
import org.rjepa.model.Gaussian;

/**
 * The vicreg guard's term: its value on a hand case, its gradient against central differences,
 * and the gradient identities (RFP = RTRL = BPTT, BPTT = finite differences) with the term on.
 */
class VicregTest {
    @Test
    void handCaseOfTwoPredictions() {
        // one dimension, two sequences: mean 0.25, unbiased variance 0.125
        double[][] yhat = {{0.0}, {0.5}};
        double[][] g = new double[2][1];
        double std = Math.sqrt(0.125 + Vicreg.EPS);
        double value = Vicreg.term(yhat, 2.0, 5.0, g);
        assertEquals(2.0 * (1 - std), value, 1e-15, "variance hinge, no off-diagonal");
        // dV/dy_b = -lambda_v yc_b / ((B-1) std)
        assertEquals(2.0 * 0.25 / std, g[0][0], 1e-15);
        assertEquals(-2.0 * 0.25 / std, g[1][0], 1e-15);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 5; trial++) {
            int B = 2 + random.nextInt(5);
            int n = 1 + random.nextInt(6);
            double[][] yhat = new double[B][n];
            for (double[] row : yhat) {
                for (int j = 0; j < n; j++) {
                    // spreads on both sides of 1, so the hinge is on for some dimensions
                    row[j] = (0.3 + j * 0.4) * Gaussian.next(random);
                }
            }
            double[][] g = new double[B][n];
            Vicreg.term(yhat, 1.3, 0.7, g);
            double worst = 0;
            double scale = 0;
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < n; j++) {
                    double saved = yhat[b][j];
                    yhat[b][j] = saved + 1e-6;
                    double up = Vicreg.term(yhat, 1.3, 0.7, null);
                    yhat[b][j] = saved - 1e-6;
                    double down = Vicreg.term(yhat, 1.3, 0.7, null);
                    yhat[b][j] = saved;
                    double fd = (up - down) / 2e-6;
                    worst = Math.max(worst, Math.abs(fd - g[b][j]));
                    scale = Math.max(scale, Math.abs(g[b][j]));
                }
            }
            assertTrue(worst <= Tolerances.FINITE_DIFFERENCES * Math.max(1, scale),
                    "B=" + B + " n=" + n + ": largest difference " + worst);
        }
    }

    @Test
    void aBatchOfOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Vicreg.term(new double[1][3], 1, 1, null));
    }

    @Test
    void identitiesHoldWithTheTermOn() {
        int checked = 0;
        for (long seed = 1; seed <= 4; seed++) {
            List<GradientCheck.Outcome> outcomes = GradientCheck.run(6, seed);
            for (GradientCheck.Outcome o : outcomes) {
                if (!o.problem().vicreg()) {
                    continue;
                }
                checked++;
                assertTrue(o.problem().B() >= 2, o.problem().toString());
                for (GradientCheck.BlockErrors e : o.blocks()) {
                    assertTrue(e.rfpVsBptt() <= Tolerances.EXACT_RULES, o.problem() + " " + e);
                    assertTrue(e.rtrlVsBptt() <= Tolerances.EXACT_RULES,
                            o.problem() + " " + e);
                    assertTrue(e.bpttVsFiniteDifferences() <= Tolerances.FINITE_DIFFERENCES,
                            o.problem() + " " + e);
                }
            }
        }
        assertTrue(checked >= 6, "only " + checked + " checks had the vicreg term");
    }
}
