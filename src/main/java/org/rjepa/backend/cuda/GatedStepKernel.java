package org.rjepa.backend.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;

/**
 * Launcher of {@code gated_step.cu}: h_t, d_t, g^a_t and g^c_t of B sequences from the input
 * projections, one thread per (b, i). Every buffer is [B][n]; ra, rc are n.
 * CPU twin: {@link org.rjepa.backend.cpu.GatedStepCpu}.
 */
final class GatedStepKernel {
    private final CUfunction step;

    GatedStepKernel(CudaDevice gpu) {
        this.step = gpu.function("gated_step", "gated_step");
    }

    /** projA, projC, ra, rc, hPrev read; h, d, gA, gC overwritten. */
    void step(CUstream stream, int B, int n, CUdeviceptr projA, CUdeviceptr projC,
            CUdeviceptr ra, CUdeviceptr rc, CUdeviceptr hPrev, CUdeviceptr h, CUdeviceptr d,
            CUdeviceptr gA, CUdeviceptr gC) {
        new Launch(step, "gated_step B=" + B + " n=" + n)
                .i(B).i(n).p(projA).p(projC).p(ra).p(rc).p(hPrev).p(h).p(d).p(gA).p(gC)
                .run1d((long) B * n, 1, stream);
    }
}
