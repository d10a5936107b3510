package org.rjepa.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rjepa.Tolerances;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Gaussian;

/**
 * The vicreg guard's term: its value on a hand case, its gradient against central differences,
 * the same term of the live targets added to the loss, and the gradient identities
 * (RFP = RTRL = BPTT, BPTT = finite differences) with the terms on, each with a hinge target
 * gamma of 1 (VICReg's) and below.
 */
class VicregTest {
    @Test
    void handCaseOfTwoPredictions() {
        // one dimension, two sequences: mean 0.25, unbiased variance 0.125
        double[][] yhat = {{0.0}, {0.5}};
        double[][] g = new double[2][1];
        double std = Math.sqrt(0.125 + Vicreg.EPS);
        double value = Vicreg.term(yhat, 2.0, 5.0, 1.0, g);
        assertEquals(2.0 * (1 - std), value, 1e-15, "variance hinge, no off-diagonal");
        // dV/dy_b = -lambda_v yc_b / ((B-1) std)
        assertEquals(2.0 * 0.25 / std, g[0][0], 1e-15);
        assertEquals(-2.0 * 0.25 / std, g[1][0], 1e-15);

        // gamma 0.5, above the spread 0.354: the hinge acts, its gradient does not depend on
        // gamma
        value = Vicreg.term(yhat, 2.0, 5.0, 0.5, g);
        assertEquals(2.0 * (0.5 - std), value, 1e-15, "hinge at gamma 0.5");
        assertEquals(2.0 * 0.25 / std, g[0][0], 1e-15);

        // gamma 0.3, below the spread: the hinge is off, value and gradient vanish
        value = Vicreg.term(yhat, 2.0, 5.0, 0.3, g);
        assertEquals(0.0, value, 0.0, "hinge off at gamma 0.3");
        assertEquals(0.0, g[0][0], 0.0);
        assertEquals(0.0, g[1][0], 0.0);
    }

    @ParameterizedTest(name = "gamma {0}")
    @ValueSource(doubles = {1.0, 0.5, 0.3})
    void gradientMatchesCentralDifferences(double gamma) {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 5; trial++) {
            int B = 2 + random.nextInt(5);
            int n = 1 + random.nextInt(6);
            double[][] yhat = new double[B][n];
            for (double[] row : yhat) {
                for (int j = 0; j < n; j++) {
                    // spreads from 0.3 to 2.3, so the hinge is on for some dimensions
                    row[j] = (0.3 + j * 0.4) * Gaussian.next(random);
                }
            }
            double[][] g = new double[B][n];
            Vicreg.term(yhat, 1.3, 0.7, gamma, g);
            double worst = 0;
            double scale = 0;
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < n; j++) {
                    double saved = yhat[b][j];
                    yhat[b][j] = saved + 1e-6;
                    double up = Vicreg.term(yhat, 1.3, 0.7, gamma, null);
                    yhat[b][j] = saved - 1e-6;
                    double down = Vicreg.term(yhat, 1.3, 0.7, gamma, null);
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
                () -> Vicreg.term(new double[1][3], 1, 1, 1, null));
    }

    @Test
    void liveTargetsAddTheirOwnTerm() {
        SplittableRandom random = new SplittableRandom(5);
        Dimensions d = new Dimensions(4, 5, 2, 3, false);
        DoubleParameters p = GradientCheck.randomParameters(d, random);
        int B = 4;
        int T = 6;
        ReferenceBatch plain = GradientCheck.randomBatch(d, B, T, true, random);
        ReferenceBatch on = new ReferenceBatch(plain.u(), plain.s(), null, true, 1.5, 0.3,
                0.8);
        double expected = Reference.forward(p, plain, Reference.ALL_TERMS).loss();
        double targetsTerm = 0;
        for (int t = 0; t < T - 1; t++) {
            double[][] yhat = new double[B][];
            double[][] z = new double[B][];
            for (int b = 0; b < B; b++) {
                yhat[b] = Reference.predict(p, Reference.forward(p, plain, t).h()[b][t],
                        plain.s()[b][t]);
                z[b] = Reference.targets(p, plain, b)[t + 1];
            }
            expected += Vicreg.term(yhat, 1.5, 0.3, 0.8, null) / (T - 1);
            targetsTerm += Vicreg.term(z, 1.5, 0.3, 0.8, null) / (T - 1);
        }
        assertTrue(targetsTerm > 0.1, "the targets' term is on: " + targetsTerm);
        assertEquals(expected + targetsTerm, Reference.forward(p, on, Reference.ALL_TERMS)
                .loss(), 1e-12);
    }

    @Test
    void identitiesHoldWithTheTermOn() {
        int checked = 0;
        int belowOne = 0;
        int live = 0;
        for (long seed = 1; seed <= 4; seed++) {
            List<GradientCheck.Outcome> outcomes = GradientCheck.run(6, seed);
            for (GradientCheck.Outcome o : outcomes) {
                if (!o.problem().vicreg()) {
                    continue;
                }
                checked++;
                if (o.problem().gamma() < 0.9) {
                    belowOne++;
                }
                if (o.problem().liveTarget()) {
                    live++;
                }
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
        assertTrue(belowOne >= 2, "only " + belowOne + " vicreg checks had gamma under 0.9");
        assertTrue(live >= 2, "only " + live + " vicreg checks had live targets");
    }
}
