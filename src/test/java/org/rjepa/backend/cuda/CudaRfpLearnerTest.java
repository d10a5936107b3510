package org.rjepa.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rjepa.Assertions2.assertBlockClose;
import static org.rjepa.Assertions2.assertEachClose;
import static org.rjepa.backend.cuda.GpuTesting.d;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rjepa.TestProblems;
import org.rjepa.Tolerances;
import org.rjepa.backend.cpu.CpuRfpLearner;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.learning.Guard;
import org.rjepa.learning.Optimizer;
import org.rjepa.learning.UpdateMode;
import org.rjepa.learning.UpdateRule;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * The GPU RFP learner against the CPU one: one training step (every update mode, guard and
 * optimizer) leaves the same weights, target, optimizer state and loss; a short training
 * follows the CPU's loss curve; and every device and pinned buffer it allocates is freed.
 */
@Tag("gpu")
class CudaRfpLearnerTest {
    private static final ImageSet IMAGES = TestProblems.randomImages(7, 17, 15, 1, 3);

    @ParameterizedTest(name = "B={0} T={1} n={2} k={3} L={4} {5} {6} {7}")
    @CsvSource({
        "1, 2, 1, 1, 0, per-sequence, ema, adam",
        "9, 5, 31, 3, 1, per-sequence, ema, adam",
        "17, 6, 33, 3, 2, per-step, ema, adam",
        "33, 4, 129, 5, 2, per-sequence, none, sgd",
        "8, 8, 31, 4, 1, per-step, none, adam",
        "3, 3, 33, 2, 1, per-step, ema, sgd",
    })
    void oneStepMatchesTheCpu(int B, int T, int n, int k, int L, String mode, String guard,
            String optimizerName) {
        GpuTesting.device();
        FixationBatch batch = TestProblems.batch(IMAGES, B, T, k, L, n, 7 * B + T);
        Dimensions d = batch.dims;
        Parameters cpuParams = TestProblems.randomParameters(d, 1.0, 3);
        Target cpuTarget = TestProblems.laggingTarget(cpuParams, 5);
        Parameters gpuParams = cpuParams.copy();
        Target gpuTarget = Target.of(cpuTarget.WcBar.clone(), cpuTarget.bcBar.clone());
        Optimizer cpuOptimizer = Optimizer.byName(optimizerName, 1e-2, 0.9, d);
        Optimizer gpuOptimizer = Optimizer.byName(optimizerName, 1e-2, 0.9, d);
        UpdateMode updateMode = UpdateMode.byName(mode);
        Guard g = Guard.byName(guard);

        double cpuLoss;
        double gpuLoss;
        try (CpuRfpLearner cpu = new CpuRfpLearner(d, 2);
                CudaRfpLearner gpu = new CudaRfpLearner(d)) {
            cpuLoss = cpu.train(batch, cpuParams, cpuTarget,
                    new UpdateRule(updateMode, g, cpuOptimizer, 0.9f));
            gpuLoss = gpu.train(batch, gpuParams, gpuTarget,
                    new UpdateRule(updateMode, g, gpuOptimizer, 0.9f));
            assertEquals(cpu.stateBytesPerSequence(), gpu.stateBytesPerSequence(),
                    "trace bytes per sequence");
        }

        assertEachClose("loss", new double[] {gpuLoss}, new double[] {cpuLoss},
                Tolerances.GPU_STEP);
        assertEquals(cpuOptimizer.steps(), gpuOptimizer.steps(), "optimizer steps");
        for (Block block : Block.values()) {
            assertBlockClose(block.name(), d(gpuParams.get(block)), d(cpuParams.get(block)),
                    Tolerances.GPU_STEP);
            for (String name : cpuOptimizer.state().keySet()) {
                assertBlockClose(name + " " + block,
                        d(gpuOptimizer.state().get(name).get(block)),
                        d(cpuOptimizer.state().get(name).get(block)), Tolerances.GPU_STEP);
            }
        }
        assertBlockClose("Wbar_c", d(gpuTarget.WcBar), d(cpuTarget.WcBar), Tolerances.GPU_STEP);
        assertBlockClose("bbar_c", d(gpuTarget.bcBar), d(cpuTarget.bcBar), Tolerances.GPU_STEP);
    }

    @Test
    void aShortTrainingFollowsTheCpuLossCurve() {
        GpuTesting.device();
        int n = 64;
        int batches = 40;
        FixationBatch first = TestProblems.batch(IMAGES, 32, 8, 6, 2, n, 1);
        Dimensions d = first.dims;
        Parameters cpuParams = Parameters.initial(d, -1f, 0.5f, new java.util.SplittableRandom(1));
        Target cpuTarget = Target.copyOf(cpuParams);
        Parameters gpuParams = cpuParams.copy();
        Target gpuTarget = Target.copyOf(gpuParams);
        UpdateRule cpuRule = new UpdateRule(UpdateMode.PER_SEQUENCE, Guard.EMA,
                Optimizer.byName("adam", 3e-3, 0.9, d), 0.99f);
        UpdateRule gpuRule = new UpdateRule(UpdateMode.PER_SEQUENCE, Guard.EMA,
                Optimizer.byName("adam", 3e-3, 0.9, d), 0.99f);
        double[] cpuCurve = new double[batches];
        double[] gpuCurve = new double[batches];
        try (CpuRfpLearner cpu = new CpuRfpLearner(d, 2);
                CudaRfpLearner gpu = new CudaRfpLearner(d)) {
            for (int s = 0; s < batches; s++) {
                FixationBatch batch = TestProblems.batch(IMAGES, 32, 8, 6, 2, n, 1 + s);
                cpuCurve[s] = cpu.train(batch, cpuParams, cpuTarget, cpuRule);
                gpuCurve[s] = gpu.train(batch, gpuParams, gpuTarget, gpuRule);
            }
        }
        assertTrue(cpuCurve[batches - 1] < cpuCurve[0], "the CPU run learns at all");
        assertEachClose("GPU loss curve", gpuCurve, cpuCurve, Tolerances.GPU_LOSS_CURVE);
    }

    @Test
    void everyBufferIsFreed() {
        GpuTesting.device();
        long allocated = DeviceBuffer.allocated();
        long freed = DeviceBuffer.freed();
        long pinnedAllocated = PinnedBuffer.allocated();
        long pinnedFreed = PinnedBuffer.freed();
        Dimensions d;
        try (CudaRfpLearner gpu = new CudaRfpLearner(
                (d = TestProblems.batch(IMAGES, 5, 4, 3, 1, 9, 1).dims))) {
            Parameters p = TestProblems.randomParameters(d, 1, 1);
            Target target = Target.copyOf(p);
            UpdateRule rule = new UpdateRule(UpdateMode.PER_SEQUENCE, Guard.EMA,
                    Optimizer.byName("adam", 1e-3, 0.9, d), 0.99f);
            // batches of two shapes: the workspace is reallocated, the old one freed
            gpu.train(TestProblems.batch(IMAGES, 5, 4, 3, 1, 9, 1), p, target, rule);
            gpu.train(TestProblems.batch(IMAGES, 11, 3, 3, 1, 9, 2), p, target, rule);
            assertTrue(DeviceBuffer.allocated() > allocated, "the learner allocated");
        }
        assertEquals(DeviceBuffer.allocated() - allocated, DeviceBuffer.freed() - freed,
                "device buffers allocated and freed");
        assertEquals(PinnedBuffer.allocated() - pinnedAllocated,
                PinnedBuffer.freed() - pinnedFreed, "pinned buffers allocated and freed");
    }
}
