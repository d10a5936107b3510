package org.rjepa.backend.cuda;

import static org.rjepa.Assertions2.assertBlockClose;
import static org.rjepa.backend.cuda.GpuTesting.d;
import static org.rjepa.backend.cuda.GpuTesting.download;
import static org.rjepa.backend.cuda.GpuTesting.random;
import static org.rjepa.backend.cuda.GpuTesting.row;
import static org.rjepa.backend.cuda.GpuTesting.upload;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rjepa.Tolerances;
import org.rjepa.backend.cpu.ProjectionCpu;
import org.rjepa.backend.cpu.TargetEmbeddingCpu;

/**
 * target_embedding.cu against TargetEmbeddingCpu: the embedding of B patches read from strided
 * inputs through the first mx columns of the n x m target weights, and the live target's
 * gradient summed per chunk of 8 sequences into a per-chunk gradient that already holds values.
 */
@Tag("gpu")
class TargetEmbeddingKernelTest {
    @ParameterizedTest(name = "B={0} n={1} m={2} mx={3}")
    @CsvSource({"1, 1, 1, 1", "3, 31, 33, 31", "9, 33, 37, 33", "33, 129, 20, 16",
        "17, 5, 129, 121", "0, 31, 33, 31"})
    void matchesTheTwin(int B, int n, int m, int mx) {
        CudaDevice gpu = GpuTesting.device();
        int ldx = 2 * m;
        int chunk = CudaRfpLearner.CHUNK;
        int C = (B + chunk - 1) / chunk;
        int offWc = 3;
        int offbc = offWc + n * m;
        int P = offbc + n + 2;
        float[] x = random(B * ldx, 1, 21);
        float[] W = random(n * m, 0.3, 22);
        float[] bias = random(n, 0.3, 23);
        float[] e = random(B * n, 0.2, 24);
        float[] partial = random(C * P, 1, 25);

        float[] z = new float[B * n];
        float[] expectedPartial = partial.clone();
        float[][] Wt = new float[mx][n];
        ProjectionCpu.transpose(n, mx, m, W, Wt);
        for (int c = 0; c < C; c++) {
            float[][] dWc = new float[n][m];
            float[] dbc = new float[n];
            for (int b = c * chunk; b < Math.min(B, (c + 1) * chunk); b++) {
                float[] zb = new float[n];
                TargetEmbeddingCpu.embed(n, mx, Wt, bias, row(x, b * ldx, mx), zb);
                System.arraycopy(zb, 0, z, b * n, n);
                TargetEmbeddingCpu.addGradient(n, mx, row(e, b * n, n), zb,
                        row(x, b * ldx, mx), dWc, dbc);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < mx; j++) {
                    expectedPartial[c * P + offWc + i * m + j] += dWc[i][j];
                }
                expectedPartial[c * P + offbc + i] += dbc[i];
            }
        }

        try (DeviceBuffer dx = upload(x); DeviceBuffer dW = upload(W);
                DeviceBuffer db = upload(bias); DeviceBuffer de = upload(e);
                DeviceBuffer dz = upload(new float[B * n]); DeviceBuffer dp = upload(partial)) {
            TargetEmbeddingKernel kernel = new TargetEmbeddingKernel(gpu,
                    new ProjectionKernel(gpu));
            kernel.embed(GpuTesting.STREAM, B, n, m, mx, dx.pointer, ldx, dW.pointer, db.pointer,
                    dz.pointer);
            assertBlockClose("z", d(download(dz, B * n)), d(z), Tolerances.GPU_KERNEL);

            // the gradient from the twin's z, so that only the gradient is judged here
            try (DeviceBuffer zTwin = upload(z)) {
                kernel.addGradient(GpuTesting.STREAM, B, chunk, n, m, mx, de.pointer,
                        zTwin.pointer, dx.pointer, ldx, dp.pointer, P, offWc, offbc);
                assertBlockClose("per-chunk gradient", d(download(dp, C * P)),
                        d(expectedPartial), Tolerances.GPU_KERNEL);
            }
        }
    }
}
