package org.rjepa.backend.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;

/**
 * Launcher of {@code target_embedding.cu}: {@code z = tanh(Wbar_c [x ; 0] + bbar_c)} for B
 * patches (the product by a {@link Projection}, then {@code target_activate}), and the
 * gradient through a live target (guard none) into the per-chunk gradients.
 * CPU twin: {@link org.rjepa.backend.cpu.TargetEmbeddingCpu}.
 */
final class TargetEmbeddingKernel {
    private final Projection projection;
    private final CUfunction activate;
    private final CUfunction gradient;

    TargetEmbeddingKernel(CudaDevice gpu, Projection projection) {
        this.projection = projection;
        this.activate = gpu.function("target_embedding", "target_activate");
        this.gradient = gpu.function("target_embedding", "target_gradient");
    }

    /**
     * @param x    B patches, row stride ldx, the first mx values read
     * @param Wbar the target drive weights, n rows of stride m, the first mx columns read
     * @param bbar n, read
     * @param z    [B][n], overwritten
     */
    void embed(CUstream stream, int B, int n, int m, int mx, CUdeviceptr x, int ldx,
            CUdeviceptr Wbar, CUdeviceptr bbar, CUdeviceptr z) {
        projection.project(stream, B, n, mx, x, ldx, Wbar, m, bbar, false, z, n);
        new Launch(activate, "target_activate B=" + B + " n=" + n)
                .i(B * n).p(z).run1d((long) B * n, 1, stream);
    }

    /**
     * The live target's gradient of chunks of {@code chunk} sequences.
     *
     * @param e, z    [B][n], read
     * @param partial [C][P], accumulated into at offWc (n rows of m) and offbc
     */
    void addGradient(CUstream stream, int B, int chunk, int n, int m, int mx, CUdeviceptr e,
            CUdeviceptr z, CUdeviceptr x, int ldx, CUdeviceptr partial, long P, long offWc,
            long offbc) {
        int C = (B + chunk - 1) / chunk;
        new Launch(gradient, "target_gradient B=" + B + " n=" + n + " mx=" + mx)
                .i(B).i(chunk).i(n).i(m).i(mx).p(e).p(z).p(x).i(ldx).p(partial).l(P)
                .l(offWc).l(offbc).run1d((long) C * n * (mx + 1), 1, stream);
    }
}
