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
import org.rjepa.backend.cpu.ProjectionCpu;

/**
 * projection.cu's GEMM (and the path the device chose, cuBLAS where it loads) against
 * ProjectionCpu row by row: strided V and W (a leading block of columns, as the target and
 * the per-fixation inputs read them), a bias base, and a second product accumulated.
 */
@Tag("gpu")
class ProjectionKernelTest {
    @ParameterizedTest(name = "rows={0} n={1} K={2} chosen path={3}")
    @CsvSource({
        "1, 1, 1, false", "3, 31, 33, false", "33, 33, 31, false", "129, 129, 17, false",
        "17, 129, 129, false", "0, 31, 33, false", "5, 31, 0, false",
        "1, 1, 1, true", "33, 33, 31, true", "129, 129, 17, true", "5, 31, 0, true",
    })
    void matchesTheTwin(int rows, int n, int K, boolean chosen) {
        CudaDevice gpu = GpuTesting.device();
        Projection path = chosen ? gpu.projection() : new ProjectionKernel(gpu);
        int ldv = K + 5;
        int ldw = K + 3;
        float[] V = random(rows * ldv, 1, 11);
        float[] W = random(n * ldw, 1, 12);
        float[] bias = random(n, 1, 13);
        float[] W2 = random(n * 4, 1, 14);
        float[] V2 = random(rows * 4, 1, 15);
        float[] expected = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            float[][] Wt = new float[K][n];
            ProjectionCpu.transpose(n, K, ldw, W, Wt);
            float[] v = java.util.Arrays.copyOfRange(V, r * ldv, r * ldv + K);
            float[] out = new float[n];
            ProjectionCpu.project(n, K, Wt, bias, v, out);
            // a second product of 4 columns added on top
            float[][] W2t = new float[4][n];
            ProjectionCpu.transpose(n, 4, 4, W2, W2t);
            float[] v2 = java.util.Arrays.copyOfRange(V2, r * 4, r * 4 + 4);
            ProjectionCpu.project(n, 4, W2t, out, v2, out);
            System.arraycopy(out, 0, expected, r * n, n);
        }

        try (DeviceBuffer dV = upload(V); DeviceBuffer dW = upload(W);
                DeviceBuffer db = upload(bias); DeviceBuffer dW2 = upload(W2);
                DeviceBuffer dV2 = upload(V2); DeviceBuffer out = upload(new float[rows * n])) {
            path.project(GpuTesting.STREAM, rows, n, K, dV.pointer, ldv, dW.pointer, ldw,
                    db.pointer, false, out.pointer, n);
            path.project(GpuTesting.STREAM, rows, n, 4, dV2.pointer, 4, dW2.pointer, 4,
                    db.pointer, true, out.pointer, n);
            assertBlockClose("out (" + path.describe() + ")", d(download(out, rows * n)),
                    d(expected), chosen ? Tolerances.GPU_STEP : Tolerances.GPU_KERNEL);
        }
    }
}
