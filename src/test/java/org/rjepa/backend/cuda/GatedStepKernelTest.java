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
import org.rjepa.backend.cpu.GatedStepCpu;

/** gated_step.cu against GatedStepCpu, sequence by sequence, over odd shapes and size 0. */
@Tag("gpu")
class GatedStepKernelTest {
    @ParameterizedTest(name = "B={0} n={1}")
    @CsvSource({"1, 1", "1, 31", "3, 33", "9, 129", "33, 31", "129, 33", "0, 31", "5, 257"})
    void matchesTheTwin(int B, int n) {
        CudaDevice gpu = GpuTesting.device();
        float[] projA = random(B * n, 1.5, 1);
        float[] projC = random(B * n, 1.5, 2);
        float[] ra = random(n, 0.5, 3);
        float[] rc = random(n, 0.5, 4);
        float[] hPrev = random(B * n, 0.7, 5);
        float[][] expected = new float[4][B * n];
        for (int b = 0; b < B; b++) {
            float[] h = new float[n];
            float[] dd = new float[n];
            float[] ga = new float[n];
            float[] gc = new float[n];
            GatedStepCpu.step(n, row(projA, b * n, n), row(projC, b * n, n), ra, rc,
                    row(hPrev, b * n, n), h, dd, ga, gc);
            float[][] rows = {h, dd, ga, gc};
            for (int k = 0; k < 4; k++) {
                System.arraycopy(rows[k], 0, expected[k], b * n, n);
            }
        }

        try (DeviceBuffer pa = upload(projA); DeviceBuffer pc = upload(projC);
                DeviceBuffer dra = upload(ra); DeviceBuffer drc = upload(rc);
                DeviceBuffer hp = upload(hPrev); DeviceBuffer h = upload(new float[B * n]);
                DeviceBuffer dd = upload(new float[B * n]);
                DeviceBuffer ga = upload(new float[B * n]);
                DeviceBuffer gc = upload(new float[B * n])) {
            new GatedStepKernel(gpu).step(GpuTesting.STREAM, B, n, pa.pointer, pc.pointer,
                    dra.pointer, drc.pointer, hp.pointer, h.pointer, dd.pointer, ga.pointer,
                    gc.pointer);
            String[] names = {"h", "d", "g^a", "g^c"};
            DeviceBuffer[] got = {h, dd, ga, gc};
            for (int k = 0; k < 4; k++) {
                assertBlockClose(names[k], d(download(got[k], B * n)), d(expected[k]),
                        Tolerances.GPU_KERNEL);
            }
        }
    }
}
