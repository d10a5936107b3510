package org.rjepa.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rjepa.Assertions2.assertBlockClose;
import static org.rjepa.Assertions2.assertEachClose;
import static org.rjepa.TestProblems.toDouble;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rjepa.TestProblems;
import org.rjepa.Tolerances;
import org.rjepa.backend.Backends;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.learning.DoubleParameters;
import org.rjepa.learning.Guard;
import org.rjepa.learning.Reference;
import org.rjepa.learning.ReferenceBatch;
import org.rjepa.learning.UpdateMode;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * The three float32 CPU learners against the double reference, on both circuits: RTRL and
 * BPTT against the exact gradient, RFP against the reference's RFP (exact on the diagonal
 * circuit, the diagonal approximation on the dense one); and their learning-state sizes.
 */
class CpuLearnersTest {
    private static final ImageSet IMAGES = TestProblems.randomImages(4, 12, 13, 1, 3);

    @ParameterizedTest(name = "{0} {1} guard={2} B={3} T={4} n={5}")
    @CsvSource({
        "rfp, dense, ema, 9, 6, 5",
        "rfp, dense, none, 3, 4, 7",
        "rtrl, diagonal, ema, 9, 6, 5",
        "rtrl, dense, none, 10, 5, 6",
        "rtrl, dense, ema, 1, 2, 1",
        "bptt, diagonal, ema, 11, 7, 7",
        "bptt, diagonal, none, 3, 2, 3",
        "bptt, dense, ema, 9, 8, 5",
        "bptt, dense, none, 17, 5, 4",
    })
    void perSequenceGradientMatchesTheReference(String algorithm, String recurrence,
            String guardName, int B, int T, int n) {
        Guard guard = Guard.byName(guardName);
        FixationBatch batch = TestProblems.batch(IMAGES, B, T, 3, 1, n, 31L * B + T);
        Dimensions d = batch.dims.withDense("dense".equals(recurrence));
        Parameters p = TestProblems.randomParameters(d, 1.0, 7);
        Target target = TestProblems.laggingTarget(p, 8);
        ReferenceBatch ref = TestProblems.toReference(batch, target, guard.liveTarget());
        DoubleParameters pd = toDouble(p);
        Reference.Result expected = "rfp".equals(algorithm)
                ? Reference.rfp(pd, ref, Reference.ALL_TERMS)
                : Reference.bptt(pd, ref, Reference.ALL_TERMS);

        List<Parameters> grads = new ArrayList<>();
        double loss;
        try (CpuLearner learner = (CpuLearner) Backends.cpuLearner(algorithm,
                UpdateMode.PER_SEQUENCE, d, 2)) {
            loss = learner.train(batch, p, target, guard, UpdateMode.PER_SEQUENCE,
                    g -> grads.add(g.copy()));
        }
        assertEquals(1, grads.size());
        assertEachClose("loss", new double[] {loss}, new double[] {expected.loss()},
                Tolerances.FLOAT_VALUE);
        for (Block block : Block.values()) {
            assertBlockClose(algorithm + " d" + block, toDouble(grads.get(0).get(block)),
                    expected.gradient().get(block), Tolerances.FLOAT_GRADIENT);
        }
    }

    @ParameterizedTest(name = "{0} {1} B={2} T={3} n={4} gamma={5}")
    @CsvSource({
        "rfp, diagonal, 9, 6, 5, 1.0",
        "rfp, diagonal, 2, 3, 1, 0.4",
        "rtrl, diagonal, 10, 5, 6, 0.5",
        "bptt, diagonal, 3, 7, 4, 1.0",
        "bptt, dense, 17, 4, 5, 0.3",
    })
    void vicregGradientMatchesTheReference(String algorithm, String recurrence, int B, int T,
            int n, double gamma) {
        FixationBatch batch = TestProblems.batch(IMAGES, B, T, 3, 1, n, 17L * B + T);
        Dimensions d = batch.dims.withDense("dense".equals(recurrence));
        // small predictor weights, so that the predictions' spread is small and the hinge on
        Parameters p = TestProblems.randomParameters(d, 0.5, 9);
        Target target = Target.copyOf(p);
        ReferenceBatch live = TestProblems.toReference(batch, target, true);
        ReferenceBatch ref = new ReferenceBatch(live.u(), live.s(), null, true, 1.5, 0.3,
                gamma);
        Reference.Result expected = Reference.bptt(toDouble(p), ref, Reference.ALL_TERMS);
        Reference.Result without = Reference.bptt(toDouble(p), live, Reference.ALL_TERMS);

        List<Parameters> grads = new ArrayList<>();
        double loss;
        try (CpuLearner learner = (CpuLearner) Backends.cpuLearner(algorithm,
                UpdateMode.PER_SEQUENCE, d, 2)) {
            loss = learner.train(batch, p, target, Guard.VICREG, UpdateMode.PER_SEQUENCE, 1.5,
                    0.3, gamma, g -> grads.add(g.copy()));
        }
        assertTrue(expected.loss() > without.loss() + 1e-3, "the term adds to the loss");
        assertEachClose("loss", new double[] {loss}, new double[] {expected.loss()},
                Tolerances.FLOAT_VALUE);
        for (Block block : Block.values()) {
            assertBlockClose(algorithm + " vicreg d" + block,
                    toDouble(grads.get(0).get(block)), expected.gradient().get(block),
                    Tolerances.FLOAT_GRADIENT);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rfp, dense", "rtrl, diagonal", "rtrl, dense"})
    void perStepGradientsAreTheOnlineTerms(String algorithm, String recurrence) {
        int T = 6;
        FixationBatch batch = TestProblems.batch(IMAGES, 5, T, 3, 1, 6, 77);
        Dimensions d = batch.dims.withDense("dense".equals(recurrence));
        Parameters p = TestProblems.randomParameters(d, 1.0, 9);
        Target target = TestProblems.laggingTarget(p, 10);
        ReferenceBatch ref = TestProblems.toReference(batch, target, false);
        List<Parameters> grads = new ArrayList<>();
        try (CpuLearner learner = (CpuLearner) Backends.cpuLearner(algorithm,
                UpdateMode.PER_STEP, d, 1)) {
            learner.train(batch, p, target, Guard.EMA, UpdateMode.PER_STEP,
                    g -> grads.add(g.copy()));
        }
        assertEquals(T - 1, grads.size());
        for (int t = 0; t < T - 1; t++) {
            DoubleParameters expected = "rfp".equals(algorithm)
                    ? Reference.rfp(toDouble(p), ref, t).gradient()
                    : Reference.rtrl(toDouble(p), ref, t).gradient();
            for (Block block : Block.values()) {
                assertBlockClose(algorithm + " step " + t + " d" + block,
                        toDouble(grads.get(t).get(block)), expected.get(block),
                        Tolerances.FLOAT_GRADIENT);
            }
        }
    }

    @ParameterizedTest(name = "T={0}")
    @CsvSource({"2", "8", "64"})
    void learningStateGrowsAsEachRuleSays(int T) {
        int n = 6;
        FixationBatch batch = TestProblems.batch(IMAGES, 3, T, 3, 1, n, 5);
        Dimensions d = batch.dims;
        Parameters p = TestProblems.randomParameters(d, 1.0, 1);
        long P = d.circuitParameters();
        assertEquals((2L * n * d.m() + 4L * n) * Float.BYTES, stateBytes("rfp", batch, p),
                "RFP: one trace per circuit parameter, whatever T is");
        assertEquals((2L * n * P + (long) n * n) * Float.BYTES, stateBytes("rtrl", batch, p),
                "RTRL: S and its next value (n x P each) and J (n x n)");
        assertEquals((5L * T * n + 2L * n) * Float.BYTES, stateBytes("bptt", batch, p),
                "BPTT: five n-vectors per fixation and two carries");
        assertTrue(stateBytes("rtrl", batch, p) > n * stateBytes("rfp", batch, p));
    }

    private static long stateBytes(String algorithm, FixationBatch batch, Parameters p) {
        try (CpuLearner learner = (CpuLearner) Backends.cpuLearner(algorithm,
                UpdateMode.PER_SEQUENCE, batch.dims, 1)) {
            learner.train(batch, p, Target.copyOf(p), Guard.EMA, UpdateMode.PER_SEQUENCE,
                    g -> { });
            return learner.stateBytesPerSequence();
        }
    }
}
