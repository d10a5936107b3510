package org.rjepa.backend.cuda;

import static org.rjepa.Assertions2.assertBlockClose;
import static org.rjepa.Assertions2.assertEachClose;
import static org.rjepa.backend.cuda.GpuTesting.d;
import static org.rjepa.backend.cuda.GpuTesting.download;
import static org.rjepa.backend.cuda.GpuTesting.random;
import static org.rjepa.backend.cuda.GpuTesting.row;
import static org.rjepa.backend.cuda.GpuTesting.upload;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rjepa.Tolerances;
import org.rjepa.backend.cpu.PredictionErrorCpu;
import org.rjepa.backend.cpu.ProjectionCpu;

/**
 * prediction_error.cu (with the projection kernel for yhat) against PredictionErrorCpu: the
 * prediction, the error and each sequence's loss term, delta, and the predictor's gradient
 * per chunk of 8 sequences.
 */
@Tag("gpu")
class PredictionErrorKernelTest {
    @ParameterizedTest(name = "B={0} n={1} ms={2} T={3}")
    @CsvSource({"1, 1, 0, 2", "3, 31, 4, 3", "9, 33, 8, 8", "33, 129, 12, 5",
        "17, 31, 1, 20", "0, 33, 4, 3"})
    void matchesTheTwin(int B, int n, int ms, int T) {
        CudaDevice gpu = GpuTesting.device();
        int lds = ms + 3;
        int chunk = CudaRfpLearner.CHUNK;
        int C = (B + chunk - 1) / chunk;
        int offPh = 2;
        int offPs = offPh + n * n;
        int offbp = offPs + n * ms;
        int P = offbp + n + 1;
        float[] Ph = random(n * n, 0.3, 31);
        float[] Ps = random(n * ms, 0.3, 32);
        float[] bp = random(n, 0.3, 33);
        float[] h = random(B * n, 0.6, 34);
        float[] s = random(B * lds, 1, 35);
        float[] zNext = random(B * n, 0.6, 36);
        float[] partial = random(C * P, 1, 37);
        float[] lossStart = {0.25f};

        float[][] PhT = new float[n][n];
        float[][] PsT = new float[ms][n];
        float[][] PhRows = new float[n][n];
        ProjectionCpu.transpose(n, n, n, Ph, PhT);
        ProjectionCpu.transpose(n, ms, ms, Ps, PsT);
        ProjectionCpu.rows(n, n, Ph, PhRows);
        float[] e = new float[B * n];
        float[] delta = new float[B * n];
        double[] loss = new double[B];
        float[] expectedPartial = partial.clone();
        for (int c = 0; c < C; c++) {
            float[][] dPh = new float[n][n];
            float[][] dPs = new float[n][ms];
            float[] dbp = new float[n];
            for (int b = c * chunk; b < Math.min(B, (c + 1) * chunk); b++) {
                float[] eb = new float[n];
                float[] hb = row(h, b * n, n);
                float[] sb = row(s, b * lds, ms);
                PredictionErrorCpu.predict(n, ms, PhT, PsT, bp, hb, sb, eb);
                loss[b] = lossStart[0] + PredictionErrorCpu.error(n, eb, row(zNext, b * n, n), T);
                float[] db = new float[n];
                PredictionErrorCpu.backProject(n, ms, PhRows, eb, hb, sb, db, dPh, dPs, dbp);
                System.arraycopy(eb, 0, e, b * n, n);
                System.arraycopy(db, 0, delta, b * n, n);
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    expectedPartial[c * P + offPh + i * n + k] += dPh[i][k];
                }
                for (int k = 0; k < ms; k++) {
                    expectedPartial[c * P + offPs + i * ms + k] += dPs[i][k];
                }
                expectedPartial[c * P + offbp + i] += dbp[i];
            }
        }

        double[] start = new double[B];
        java.util.Arrays.fill(start, lossStart[0]);
        try (DeviceBuffer dPh = upload(Ph); DeviceBuffer dPs = upload(Ps);
                DeviceBuffer dbp = upload(bp); DeviceBuffer dh = upload(h);
                DeviceBuffer ds = upload(s); DeviceBuffer dz = upload(zNext);
                DeviceBuffer de = upload(new float[B * n]);
                DeviceBuffer halves = upload(new float[B * n]);
                DeviceBuffer dDelta = upload(new float[B * n]);
                DeviceBuffer dp = upload(partial);
                DeviceBuffer dLoss = DeviceBuffer.doubles(B)) {
            if (B > 0) {
                jcuda.driver.JCudaDriver.cuMemcpyHtoD(dLoss.pointer, jcuda.Pointer.to(start),
                        (long) B * Double.BYTES);
            }
            PredictionErrorKernel kernel = new PredictionErrorKernel(gpu,
                    new ProjectionKernel(gpu));
            kernel.predict(GpuTesting.STREAM, B, n, ms, dPh.pointer, dPs.pointer, dbp.pointer,
                    dh.pointer, ds.pointer, lds, de.pointer);
            kernel.error(GpuTesting.STREAM, B, n, T, de.pointer, dz.pointer, halves.pointer,
                    dLoss.pointer);
            assertBlockClose("e", d(download(de, B * n)), d(e), Tolerances.GPU_KERNEL);
            assertEachClose("loss", GpuTesting.download(dLoss, B, true), loss,
                    Tolerances.GPU_KERNEL);

            // delta and the gradient from the twin's e, so that each is judged alone
            try (DeviceBuffer eTwin = upload(e)) {
                kernel.backProject(GpuTesting.STREAM, B, n, dPh.pointer, eTwin.pointer,
                        dDelta.pointer);
                kernel.addGradient(GpuTesting.STREAM, B, chunk, n, ms, eTwin.pointer,
                        dh.pointer, ds.pointer, lds, dp.pointer, P, offPh, offPs, offbp);
                assertBlockClose("delta", d(download(dDelta, B * n)), d(delta),
                        Tolerances.GPU_KERNEL);
                assertBlockClose("per-chunk gradient", d(download(dp, C * P)),
                        d(expectedPartial), Tolerances.GPU_KERNEL);
            }
        }
    }
}
