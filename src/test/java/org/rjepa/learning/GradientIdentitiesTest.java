package org.rjepa.learning;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rjepa.Assertions2.assertGradientsClose;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rjepa.Tolerances;
import org.rjepa.model.Block;

/**
 * The gradient identities of DESIGN.md section 5 in double precision: RFP = RTRL = BPTT on
 * the diagonal circuit, for the per-sequence gradient and for each step's online term, and
 * BPTT = central finite differences; and the check that says so fails on a wrong rule.
 */
class GradientIdentitiesTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyRandomCasePasses(long seed) {
        List<GradientCheck.Outcome> outcomes = GradientCheck.run(6, seed);
        for (GradientCheck.Outcome o : outcomes) {
            for (GradientCheck.BlockErrors e : o.blocks()) {
                assertTrue(e.rfpVsBptt() <= Tolerances.EXACT_RULES,
                        o.problem() + " " + e);
                assertTrue(e.rtrlVsBptt() <= Tolerances.EXACT_RULES,
                        o.problem() + " " + e);
                assertTrue(e.bpttVsFiniteDifferences() <= Tolerances.FINITE_DIFFERENCES,
                        o.problem() + " " + e);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void onTheDenseCircuitRtrlStaysExactAndRfpDeviates(long seed) {
        List<GradientCheck.Outcome> outcomes = GradientCheck.run(6, seed, true);
        for (GradientCheck.Outcome o : outcomes) {
            double worstCircuit = 0;
            for (GradientCheck.BlockErrors e : o.blocks()) {
                assertTrue(e.rtrlVsBptt() <= Tolerances.EXACT_RULES, o.problem() + " " + e);
                assertTrue(e.bpttVsFiniteDifferences() <= Tolerances.FINITE_DIFFERENCES,
                        o.problem() + " " + e);
                if (e.block().inCircuit()) {
                    worstCircuit = Math.max(worstCircuit, e.rfpVsBptt());
                } else {
                    // the predictor's gradient needs no trace: exact for every rule
                    assertTrue(e.rfpVsBptt() <= Tolerances.EXACT_RULES, o.problem() + " " + e);
                }
            }
            // with more than one unit and a term after the first fixation, J's off-diagonal
            // part matters: an RFP that silently became full RTRL would show no deviation
            boolean recurrenceMatters = o.problem().dims().n() > 1 && o.problem().term() != 0
                    && (o.problem().term() != Reference.ALL_TERMS || o.problem().T() > 2);
            if (recurrenceMatters) {
                assertTrue(worstCircuit > 1e-3, o.problem() + ": RFP deviates only by "
                        + worstCircuit + " on a dense circuit");
            }
        }
    }

    @Test
    void theOnlineTermsSumToTheSequenceGradient() {
        SplittableRandom random = new SplittableRandom(4);
        org.rjepa.model.Dimensions d = new org.rjepa.model.Dimensions(5, 7, 3, 4);
        DoubleParameters p = new DoubleParameters(d);
        for (Block b : Block.values()) {
            for (int i = 0; i < p.get(b).length; i++) {
                p.get(b)[i] = org.rjepa.model.Gaussian.next(random) / 2;
            }
        }
        int T = 9;
        double[][][] u = new double[2][T][7];
        double[][][] s = new double[2][T][3];
        for (double[][][] cube : new double[][][][] {u, s}) {
            for (double[][] seq : cube) {
                for (double[] row : seq) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = org.rjepa.model.Gaussian.next(random);
                    }
                }
            }
        }
        ReferenceBatch batch = new ReferenceBatch(u, s, null, true);
        DoubleParameters sum = new DoubleParameters(d);
        for (int t = 0; t < T - 1; t++) {
            sum.addScaled(Reference.rfp(p, batch, t).gradient(), 1);
        }
        assertGradientsClose("sum of per-step RFP terms",
                sum, Reference.bptt(p, batch, Reference.ALL_TERMS).gradient(),
                Tolerances.EXACT_RULES);
    }

    @Test
    void theCheckFailsOnARuleThatForgetsTheRecurrence() {
        // RFP without the decay d_t of its traces: the gradient of each step's own input only
        GradientCheck.Rule truncated = (p, batch, term) -> {
            DoubleParameters sum = new DoubleParameters(p.dims());
            int T = batch.steps();
            for (int t = 0; t < T - 1; t++) {
                if (term != Reference.ALL_TERMS && term != t) {
                    continue;
                }
                sum.addScaled(oneStepGradient(p, batch, t), 1);
            }
            return sum;
        };
        List<GradientCheck.Outcome> outcomes = GradientCheck.run(4, 9, truncated,
                (q, b, t) -> Reference.rtrl(q, b, t).gradient());
        assertFalse(outcomes.stream().allMatch(GradientCheck.Outcome::passes),
                "a rule without the trace recurrence must fail the check");
    }

    @Test
    void theCheckFailsOnAWrongRtrl() {
        GradientCheck.Rule scaled = (p, batch, term) -> {
            DoubleParameters g = Reference.rtrl(p, batch, term).gradient();
            g.get(Block.ra)[0] *= 1 + 1e-6;
            return g;
        };
        List<GradientCheck.Outcome> outcomes = GradientCheck.run(2, 5,
                (q, b, t) -> Reference.rfp(q, b, t).gradient(), scaled);
        assertFalse(outcomes.stream().allMatch(GradientCheck.Outcome::passes),
                "a relative error of 1e-6 in one entry must fail the 1e-9 limit");
    }

    /**
     * The gradient of term t through the last step alone: BPTT of a batch whose sequences
     * start at fixation t with the state they had there frozen away (their first t steps
     * contribute nothing). Built from BPTT on the truncated sequence, which starts from h = 0.
     */
    private static DoubleParameters oneStepGradient(DoubleParameters p, ReferenceBatch batch,
            int t) {
        int B = batch.batch();
        double[][][] u = new double[B][][];
        double[][][] s = new double[B][][];
        double[][][] z = batch.z() == null ? null : new double[B][][];
        for (int b = 0; b < B; b++) {
            u[b] = new double[][] {batch.u()[b][t], batch.u()[b][t + 1]};
            s[b] = new double[][] {batch.s()[b][t], batch.s()[b][t + 1]};
            if (z != null) {
                z[b] = new double[][] {batch.z()[b][t], batch.z()[b][t + 1]};
            }
        }
        // a two-step sequence has one loss term, scaled by 1/(2-1) instead of 1/(T-1)
        DoubleParameters g = Reference.bptt(p, new ReferenceBatch(u, s, z,
                batch.liveTarget()), Reference.ALL_TERMS).gradient();
        DoubleParameters scaled = new DoubleParameters(p.dims());
        scaled.addScaled(g, 1.0 / (batch.steps() - 1));
        return scaled;
    }
}
