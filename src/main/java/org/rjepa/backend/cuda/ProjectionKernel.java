package org.rjepa.backend.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;

/**
 * Launcher of {@code projection.cu}: the tiled GEMM {@code projection_gemm} (16 x 16 tiles of
 * out, one thread per output) and {@code fill_rows}, which writes the bias into every row
 * for the cuBLAS path. CPU twin: {@link org.rjepa.backend.cpu.ProjectionCpu}.
 */
final class ProjectionKernel implements Projection {
    /** NOTE: the tile side TILE of projection.cu. */
    static final int TILE = 16;

    private final CUfunction gemm;
    private final CUfunction fillRows;

    ProjectionKernel(CudaDevice gpu) {
        this.gemm = gpu.function("projection", "projection_gemm");
        this.fillRows = gpu.function("projection", "fill_rows");
    }

    @Override
    public void project(CUstream stream, int rows, int n, int K, CUdeviceptr V, int ldv,
            CUdeviceptr W, int ldw, CUdeviceptr bias, boolean accumulate, CUdeviceptr out,
            int ldo) {
        if (rows == 0 || n == 0 || (accumulate && K == 0)) {
            return;
        }
        new Launch(gemm, "projection_gemm rows=" + rows + " n=" + n + " K=" + K)
                .i(rows).i(n).i(K).p(V).i(ldv).p(W).i(ldw).p(bias).i(accumulate ? 1 : 0)
                .p(out).i(ldo)
                .run((n + TILE - 1) / TILE, (rows + TILE - 1) / TILE, TILE, TILE, stream);
    }

    /** out[r][i] = bias[i] over rows x n (row stride ldo). */
    void fillRows(CUstream stream, int rows, int n, CUdeviceptr bias, CUdeviceptr out, int ldo) {
        new Launch(fillRows, "fill_rows rows=" + rows + " n=" + n)
                .i(rows).i(n).p(bias).p(out).i(ldo).run1d((long) rows * n, 1, stream);
    }

    @Override
    public String describe() {
        return "the projection_gemm kernel";
    }
}
