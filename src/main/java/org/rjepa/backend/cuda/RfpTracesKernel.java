package org.rjepa.backend.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;

/**
 * Launcher of {@code rfp_traces.cu}, the hot loop: every trace of the gate and the drive
 * moved one fixation forward and its contribution summed over each chunk of sequences into
 * that chunk's gradient, in one pass over the traces. One thread per (chunk, parameter),
 * gridDim.y = 2 (gate, drive).
 * CPU twin: {@link org.rjepa.backend.cpu.RfpTracesCpu}.
 */
final class RfpTracesKernel {
    private final CUfunction traces;

    RfpTracesKernel(CudaDevice gpu) {
        this.traces = gpu.function("rfp_traces", "rfp_traces");
    }

    /** Floats of one block's traces per sequence, {@code Q = n m + 2n} (W, b, r). */
    static long blockFloats(int n, int m) {
        return (long) n * m + 2L * n;
    }

    /**
     * @param d, gA, gC, hPrev, delta [B][n], read
     * @param u       B inputs u_t, row stride ldu (m values), read
     * @param traces  [B][2][Q], updated in place
     * @param partial [C][P], accumulated into at [0, 2Q) of each chunk's vector
     */
    void update(CUstream stream, int B, int chunk, int n, int m, CUdeviceptr d, CUdeviceptr gA,
            CUdeviceptr gC, CUdeviceptr hPrev, CUdeviceptr u, int ldu, CUdeviceptr delta,
            CUdeviceptr traces, CUdeviceptr partial, long P) {
        int C = (B + chunk - 1) / chunk;
        new Launch(this.traces, "rfp_traces B=" + B + " n=" + n + " m=" + m)
                .i(B).i(chunk).i(n).i(m).p(d).p(gA).p(gC).p(hPrev).p(u).i(ldu).p(delta)
                .p(traces).p(partial).l(P).run1d(C * blockFloats(n, m), 2, stream);
    }
}
