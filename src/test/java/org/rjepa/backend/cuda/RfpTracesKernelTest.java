package org.rjepa.backend.cuda;

import static org.rjepa.Assertions2.assertBlockClose;
import static org.rjepa.backend.cuda.GpuTesting.d;
import static org.rjepa.backend.cuda.GpuTesting.download;
import static org.rjepa.backend.cuda.GpuTesting.random;
import static org.rjepa.backend.cuda.GpuTesting.row;
import static org.rjepa.backend.cuda.GpuTesting.uniform;
import static org.rjepa.backend.cuda.GpuTesting.upload;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rjepa.Tolerances;
import org.rjepa.backend.cpu.RfpTracesCpu;

/**
 * rfp_traces.cu against RfpTracesCpu: non-zero traces moved three fixations forward (so that
 * the decay by d is exercised, not only the drive), for the gate and the drive, each step's
 * contribution summed per chunk of 8 sequences into per-chunk gradients that already hold
 * values, with strided inputs, over odd shapes and size 0. The gradient entries past the two
 * blocks must stay untouched.
 */
@Tag("gpu")
class RfpTracesKernelTest {
    @ParameterizedTest(name = "B={0} n={1} m={2}")
    @CsvSource({"1, 1, 1", "1, 31, 33", "3, 33, 31", "9, 129, 33", "17, 31, 129",
        "33, 5, 7", "0, 31, 33", "8, 1, 129"})
    void matchesTheTwin(int B, int n, int m) {
        CudaDevice gpu = GpuTesting.device();
        int ldu = m + 4;
        int chunk = CudaRfpLearner.CHUNK;
        int C = (B + chunk - 1) / chunk;
        int Q = n * m + 2 * n;
        int P = 2 * Q + 5;
        float[] traces = random(B * 2 * Q, 0.5, 41);
        float[] partial = random(C * P, 1, 42);

        // the twin: row-form traces and gradients per sequence and chunk
        float[][][][] EW = new float[B][2][n][m];
        float[][][] eb = new float[B][2][n];
        float[][][] er = new float[B][2][n];
        for (int b = 0; b < B; b++) {
            for (int w = 0; w < 2; w++) {
                int base = (b * 2 + w) * Q;
                for (int i = 0; i < n; i++) {
                    System.arraycopy(traces, base + i * m, EW[b][w][i], 0, m);
                    eb[b][w][i] = traces[base + n * m + i];
                    er[b][w][i] = traces[base + n * m + n + i];
                }
            }
        }
        float[] expectedPartial = partial.clone();

        try (DeviceBuffer dTraces = upload(traces); DeviceBuffer dPartial = upload(partial)) {
            RfpTracesKernel kernel = new RfpTracesKernel(gpu);
            for (int step = 0; step < 3; step++) {
                float[] dd = uniform(B * n, 0.2, 1.1, 50 + step);
                float[] gA = random(B * n, 0.3, 60 + step);
                float[] gC = random(B * n, 0.3, 70 + step);
                float[] hPrev = random(B * n, 0.6, 80 + step);
                float[] u = random(B * ldu, 1, 90 + step);
                float[] delta = random(B * n, 0.5, 100 + step);
                for (int c = 0; c < C; c++) {
                    float[][][] dW = new float[2][n][m];
                    float[][] db = new float[2][n];
                    float[][] dr = new float[2][n];
                    for (int b = c * chunk; b < Math.min(B, (c + 1) * chunk); b++) {
                        float[][] g = {row(gA, b * n, n), row(gC, b * n, n)};
                        for (int w = 0; w < 2; w++) {
                            RfpTracesCpu.update(n, m, row(dd, b * n, n), g[w],
                                    row(hPrev, b * n, n), row(u, b * ldu, m),
                                    row(delta, b * n, n), EW[b][w], eb[b][w], er[b][w], dW[w],
                                    db[w], dr[w]);
                        }
                    }
                    for (int w = 0; w < 2; w++) {
                        int base = c * P + w * Q;
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < m; j++) {
                                expectedPartial[base + i * m + j] += dW[w][i][j];
                            }
                            expectedPartial[base + n * m + i] += db[w][i];
                            expectedPartial[base + n * m + n + i] += dr[w][i];
                        }
                    }
                }
                try (DeviceBuffer pd = upload(dd); DeviceBuffer pa = upload(gA);
                        DeviceBuffer pc = upload(gC); DeviceBuffer ph = upload(hPrev);
                        DeviceBuffer pu = upload(u); DeviceBuffer pl = upload(delta)) {
                    kernel.update(GpuTesting.STREAM, B, chunk, n, m, pd.pointer, pa.pointer,
                            pc.pointer, ph.pointer, pu.pointer, ldu, pl.pointer,
                            dTraces.pointer, dPartial.pointer, P);
                    GpuTesting.download(dTraces, 0);
                }
            }

            float[] expectedTraces = new float[B * 2 * Q];
            for (int b = 0; b < B; b++) {
                for (int w = 0; w < 2; w++) {
                    int base = (b * 2 + w) * Q;
                    for (int i = 0; i < n; i++) {
                        System.arraycopy(EW[b][w][i], 0, expectedTraces, base + i * m, m);
                        expectedTraces[base + n * m + i] = eb[b][w][i];
                        expectedTraces[base + n * m + n + i] = er[b][w][i];
                    }
                }
            }
            assertBlockClose("traces", d(download(dTraces, B * 2 * Q)), d(expectedTraces),
                    Tolerances.GPU_KERNEL);
            assertBlockClose("per-chunk gradient", d(download(dPartial, C * P)),
                    d(expectedPartial), Tolerances.GPU_KERNEL);
        }
    }
}
