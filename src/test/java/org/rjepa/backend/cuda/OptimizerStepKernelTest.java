package org.rjepa.backend.cuda;

import static org.rjepa.Assertions2.assertBlockClose;
import static org.rjepa.backend.cuda.GpuTesting.d;
import static org.rjepa.backend.cuda.GpuTesting.download;
import static org.rjepa.backend.cuda.GpuTesting.random;
import static org.rjepa.backend.cuda.GpuTesting.upload;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rjepa.Tolerances;
import org.rjepa.backend.cpu.OptimizerStepCpu;

/**
 * optimizer_step.cu against OptimizerStepCpu: the chunked batch mean, then three Adam or SGD
 * steps fused with the EMA over a window of the vector, or without it.
 */
@Tag("gpu")
class OptimizerStepKernelTest {
    @ParameterizedTest(name = "P={0} C={1} adam={2} follows={3}")
    @CsvSource({"1, 1, true, true", "31, 3, true, false", "129, 5, false, true",
        "4099, 17, true, true", "33, 2, false, false", "0, 1, true, true"})
    void matchesTheTwin(int P, int C, boolean adam, boolean follows) {
        CudaDevice gpu = GpuTesting.device();
        int B = 8 * C - 1;
        int barStart = P / 3;
        int barCount = P - barStart - P / 5;
        float[] x = random(P, 1, 1);
        float[] m1 = new float[P];
        float[] m2 = new float[P];
        float[] bar = random(barCount, 1, 2);
        float[] xDev = x.clone();
        float tau = 0.98f;

        try (DeviceBuffer dx = upload(x); DeviceBuffer dm1 = upload(m1);
                DeviceBuffer dm2 = upload(m2); DeviceBuffer dbar = upload(bar);
                DeviceBuffer dg = upload(new float[P])) {
            OptimizerStepKernel kernel = new OptimizerStepKernel(gpu);
            for (int step = 1; step <= 3; step++) {
                float[] flatPartial = random(C * P, 0.5, 10 + step);
                float[][] partial = new float[C][P];
                for (int c = 0; c < C; c++) {
                    System.arraycopy(flatPartial, c * P, partial[c], 0, P);
                }
                float[] g = new float[P];
                OptimizerStepCpu.mean(C, P, B, partial, g);
                float[] scale = OptimizerStepCpu.adamScale(1e-2f, 0.9f, 0.999f, 1e-8f, step);
                if (adam) {
                    OptimizerStepCpu.adam(x, g, m1, m2, 0.9f, 0.999f, scale[0], scale[1], bar,
                            barStart, tau, follows);
                } else {
                    OptimizerStepCpu.sgd(x, g, m1, 0.05f, 0.9f, bar, barStart, tau, follows);
                }
                try (DeviceBuffer dp = upload(flatPartial)) {
                    kernel.mean(GpuTesting.STREAM, C, P, B, dp.pointer, dg.pointer);
                    if (adam) {
                        kernel.adam(GpuTesting.STREAM, P, dx.pointer, dg.pointer, dm1.pointer,
                                dm2.pointer, 0.9f, 0.999f, scale[0], scale[1], dbar.pointer,
                                barStart, barCount, tau, follows);
                    } else {
                        kernel.sgd(GpuTesting.STREAM, P, dx.pointer, dg.pointer, dm1.pointer,
                                0.05f, 0.9f, dbar.pointer, barStart, barCount, tau, follows);
                    }
                    assertBlockClose("grad, step " + step, d(download(dg, P)), d(g),
                            Tolerances.GPU_KERNEL);
                    assertBlockClose("partial cleared", d(download(dp, C * P)),
                            new double[C * P], 0);
                }
            }
            assertBlockClose("parameters", d(download(dx, P)), d(x), Tolerances.GPU_KERNEL);
            assertBlockClose("first moment", d(download(dm1, P)), d(m1), Tolerances.GPU_KERNEL);
            if (adam) {
                assertBlockClose("second moment", d(download(dm2, P)), d(m2),
                        Tolerances.GPU_KERNEL);
            }
            assertBlockClose("target", d(download(dbar, barCount)), d(bar),
                    Tolerances.GPU_KERNEL);
        }
    }
}
