package org.rjepa.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rjepa.Assertions2.assertBlockClose;
import static org.rjepa.Assertions2.assertEachClose;
import static org.rjepa.TestProblems.toDouble;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rjepa.TestProblems;
import org.rjepa.Tolerances;
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

/** The float32 CPU path against the double-precision reference: forward, traces, gradients. */
class CpuRfpLearnerTest {
    private static final ImageSet IMAGES = TestProblems.randomImages(5, 13, 11, 2, 7);

    @ParameterizedTest(name = "B={0} T={1} n={2} k={3} L={4} threads={5} guard={6}")
    @CsvSource({
        "1, 2, 1, 1, 0, 1, ema",
        "11, 6, 7, 3, 1, 3, ema",
        "9, 5, 5, 2, 2, 2, none",
        "17, 12, 31, 3, 1, 2, ema",
        "3, 20, 33, 1, 2, 1, none",
    })
    void perSequenceMatchesTheReference(int B, int T, int n, int k, int L, int threads,
            String guardName) {
        Guard guard = Guard.byName(guardName);
        FixationBatch batch = TestProblems.batch(IMAGES, B, T, k, L, n, 11 * B + T);
        Dimensions d = batch.dims;
        Parameters p = TestProblems.randomParameters(d, 1.0, 3);
        Target target = TestProblems.laggingTarget(p, 5);
        ReferenceBatch ref = TestProblems.toReference(batch, target, guard.liveTarget());
        DoubleParameters pd = toDouble(p);

        List<Parameters> grads = new ArrayList<>();
        double loss;
        try (CpuRfpLearner learner = new CpuRfpLearner(d, threads)) {
            loss = learner.train(batch, p, target, guard, UpdateMode.PER_SEQUENCE,
                    g -> grads.add(g.copy()));
            Reference.Result exact = Reference.bptt(pd, ref, Reference.ALL_TERMS);
            assertEquals(1, grads.size(), "one update per batch");
            assertEachClose("loss", new double[] {loss}, new double[] {exact.loss()},
                    Tolerances.FLOAT_VALUE);
            for (Block block : Block.values()) {
                assertBlockClose("d" + block, toDouble(grads.get(0).get(block)),
                        exact.gradient().get(block), Tolerances.FLOAT_GRADIENT);
            }
            // the traces after the last step that moves them, T-2
            for (int b = 0; b < B; b++) {
                DoubleParameters traces = Reference.traces(pd, ref, b, T - 1);
                for (Block block : Block.values()) {
                    if (block.inCircuit()) {
                        assertBlockClose("trace " + block + " of sequence " + b,
                                toDouble(learner.trace(b, block)), traces.get(block),
                                Tolerances.FLOAT_VALUE);
                    }
                }
                assertBlockClose("h_T of sequence " + b, toDouble(learner.finalState(b)),
                        exact.h()[b][T - 1], Tolerances.FLOAT_VALUE);
            }
        }
    }

    @ParameterizedTest(name = "guard={0}")
    @CsvSource({"ema", "none"})
    void perStepGradientsAreTheOnlineTerms(String guardName) {
        Guard guard = Guard.byName(guardName);
        int T = 7;
        FixationBatch batch = TestProblems.batch(IMAGES, 10, T, 3, 1, 9, 99);
        Dimensions d = batch.dims;
        Parameters p = TestProblems.randomParameters(d, 1.0, 13);
        Target target = TestProblems.laggingTarget(p, 17);
        ReferenceBatch ref = TestProblems.toReference(batch, target, guard.liveTarget());
        List<Parameters> grads = new ArrayList<>();
        try (CpuRfpLearner learner = new CpuRfpLearner(d, 2)) {
            // the weights stay put, so step t's gradient is that of loss term t alone
            learner.train(batch, p, target, guard, UpdateMode.PER_STEP, g -> grads.add(g.copy()));
        }
        assertEquals(T - 1, grads.size(), "one update per fixation with a loss term");
        for (int t = 0; t < T - 1; t++) {
            DoubleParameters exact = Reference.bptt(toDouble(p), ref, t).gradient();
            for (Block block : Block.values()) {
                assertBlockClose("step " + t + " d" + block, toDouble(grads.get(t).get(block)),
                        exact.get(block), Tolerances.FLOAT_GRADIENT);
            }
        }
    }

    @ParameterizedTest(name = "threads={0}")
    @CsvSource({"2", "3", "5"})
    void theGradientDoesNotDependOnTheThreadCount(int threads) {
        FixationBatch batch = TestProblems.batch(IMAGES, 21, 6, 3, 1, 8, 5);
        Parameters p = TestProblems.randomParameters(batch.dims, 1.0, 1);
        Target target = TestProblems.laggingTarget(p, 2);
        Parameters one = gradient(batch, p, target, 1);
        Parameters many = gradient(batch, p, target, threads);
        for (Block block : Block.values()) {
            assertArrayEquals(one.get(block), many.get(block), "d" + block);
        }
    }

    @ParameterizedTest(name = "T={0}")
    @CsvSource({"2", "10", "100"})
    void traceMemoryDoesNotGrowWithT(int T) {
        FixationBatch batch = TestProblems.batch(IMAGES, 4, T, 3, 1, 6, 5);
        Dimensions d = batch.dims;
        Parameters p = TestProblems.randomParameters(d, 1.0, 1);
        try (CpuRfpLearner learner = new CpuRfpLearner(d, 1)) {
            learner.train(batch, p, Target.copyOf(p), Guard.EMA, UpdateMode.PER_SEQUENCE,
                    g -> { });
            long expected = (2L * d.n() * d.m() + 4L * d.n()) * Float.BYTES;
            assertEquals(expected, learner.stateBytesPerSequence());
        }
    }

    private static Parameters gradient(FixationBatch batch, Parameters p, Target target,
            int threads) {
        List<Parameters> grads = new ArrayList<>();
        try (CpuRfpLearner learner = new CpuRfpLearner(batch.dims, threads)) {
            learner.train(batch, p, target, Guard.EMA, UpdateMode.PER_SEQUENCE,
                    g -> grads.add(g.copy()));
        }
        return grads.get(0);
    }
}
