package org.rjepa.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rjepa.TestProblems;
import org.rjepa.learning.Adam;
import org.rjepa.learning.SgdMomentum;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * The fused optimizer-and-EMA twin (the oracle of optimizer_step.cu) computes to the bit what
 * the engine's optimizers and the target's {@code follow} compute one after the other, over
 * the flat vector in {@link Block} order, for several steps (Adam's bias correction moves).
 */
class OptimizerStepCpuTest {
    @ParameterizedTest(name = "n={0} m={1} ms={2} follows={3}")
    @CsvSource({"1, 1, 0, true", "31, 33, 4, true", "33, 7, 8, false", "5, 129, 12, true"})
    void adamAndTheTargetAsTheEngineDoes(int n, int m, int ms, boolean follows) {
        Dimensions d = new Dimensions(n, m, ms, Math.max(1, m - 4));
        Parameters engine = TestProblems.randomParameters(d, 1.0, 3);
        Target engineTarget = TestProblems.laggingTarget(engine, 5);
        Adam adam = new Adam(d, 1e-2f, 0.9f, 0.999f, 1e-8f);
        float[] x = flat(engine);
        float[] bar = concat(engineTarget.WcBar, engineTarget.bcBar);
        float[] first = new float[x.length];
        float[] second = new float[x.length];
        float tau = 0.97f;
        for (int step = 1; step <= 4; step++) {
            Parameters grad = TestProblems.randomParameters(d, 0.5, 100 + step);
            adam.step(engine, grad);
            if (follows) {
                engineTarget.follow(engine, tau);
            }
            float[] scale = OptimizerStepCpu.adamScale(adam.lr(), adam.beta1(), adam.beta2(),
                    adam.eps(), step);
            OptimizerStepCpu.adam(x, flat(grad), first, second, adam.beta1(), adam.beta2(),
                    scale[0], scale[1], bar, wcOffset(d), tau, follows);
        }
        assertArrayEquals(flat(engine), x, "parameters");
        assertArrayEquals(flat(adam.state().get("adam.m")), first, "first moments");
        assertArrayEquals(flat(adam.state().get("adam.v")), second, "second moments");
        assertArrayEquals(concat(engineTarget.WcBar, engineTarget.bcBar), bar, "target");
    }

    @ParameterizedTest(name = "n={0} m={1}")
    @CsvSource({"1, 1", "31, 33", "33, 129"})
    void sgdAndTheTargetAsTheEngineDoes(int n, int m) {
        Dimensions d = new Dimensions(n, m, 4, m);
        Parameters engine = TestProblems.randomParameters(d, 1.0, 7);
        Target engineTarget = TestProblems.laggingTarget(engine, 9);
        SgdMomentum sgd = new SgdMomentum(d, 0.05f, 0.9f);
        float[] x = flat(engine);
        float[] bar = concat(engineTarget.WcBar, engineTarget.bcBar);
        float[] velocity = new float[x.length];
        for (int step = 1; step <= 3; step++) {
            Parameters grad = TestProblems.randomParameters(d, 0.5, 200 + step);
            sgd.step(engine, grad);
            engineTarget.follow(engine, 0.9f);
            OptimizerStepCpu.sgd(x, flat(grad), velocity, sgd.lr(), sgd.momentum(), bar,
                    wcOffset(d), 0.9f, true);
        }
        assertArrayEquals(flat(engine), x, "parameters");
        assertArrayEquals(flat(sgd.state().get("sgd.velocity")), velocity, "velocity");
        assertArrayEquals(concat(engineTarget.WcBar, engineTarget.bcBar), bar, "target");
    }

    /** The chunked batch mean adds the chunks in order, as CpuLearner's reduction does. */
    @ParameterizedTest(name = "C={0} P={1}")
    @CsvSource({"1, 1", "3, 31", "5, 129", "2, 0"})
    void meanAddsTheChunksInOrder(int C, int P) {
        SplittableRandom random = new SplittableRandom(C * 31L + P);
        float[][] partial = new float[C][P];
        float[] expected = new float[P];
        int B = C * 8 - 3;
        for (int c = 0; c < C; c++) {
            for (int p = 0; p < P; p++) {
                partial[c][p] = (float) random.nextGaussian();
                expected[p] += (1f / B) * partial[c][p];
            }
        }
        float[] grad = new float[P];
        OptimizerStepCpu.mean(C, P, B, partial, grad);
        assertArrayEquals(expected, grad);
        for (float[] chunk : partial) {
            assertArrayEquals(new float[P], chunk, "partial sums cleared");
        }
    }

    static int wcOffset(Dimensions d) {
        int offset = 0;
        for (Block b : Block.values()) {
            if (b == Block.Wc) {
                return offset;
            }
            offset += b.size(d);
        }
        throw new AssertionError();
    }

    static float[] flat(Parameters p) {
        int total = 0;
        for (Block b : Block.values()) {
            total += p.get(b).length;
        }
        float[] out = new float[total];
        int at = 0;
        for (Block b : Block.values()) {
            System.arraycopy(p.get(b), 0, out, at, p.get(b).length);
            at += p.get(b).length;
        }
        return out;
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
