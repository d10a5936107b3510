package org.rjepa.backend.cuda;

import static jcuda.jcublas.JCublas2.cublasCreate;
import static jcuda.jcublas.JCublas2.cublasGetVersion;
import static jcuda.jcublas.JCublas2.cublasSetStream;
import static jcuda.jcublas.JCublas2.cublasSgemm;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.cudaStream_t;

/**
 * Projections by cuBLAS ({@code libcublas.so.12} through JCublas2; a CUDA-13-only machine has
 * none, since the symbols are versioned). cuBLAS is column-major: the row-major
 * {@code out (rows x n) = V W^T} is the column-major {@code out^T = W V^T}, so
 * {@code sgemm(T, N, n, rows, K, W, ldw, V, ldv, out, ldo)} with beta 1 after the bias has
 * been written into out by {@code fill_rows}. One handle for the process.
 */
final class CublasProjection implements Projection {
    private static final Pointer ONE = Pointer.to(new float[] {1f});

    private final cublasHandle handle = new cublasHandle();
    private final ProjectionKernel kernel;
    private final int version;

    CublasProjection(CudaDevice gpu, ProjectionKernel kernel) {
        this.kernel = kernel;
        NativeFolder.during(() -> JCublas2.setExceptionsEnabled(true));
        gpu.makeCurrent();
        cublasCreate(handle);
        int[] v = new int[1];
        cublasGetVersion(handle, v);
        this.version = v[0];
    }

    @Override
    public void project(CUstream stream, int rows, int n, int K, CUdeviceptr V, int ldv,
            CUdeviceptr W, int ldw, CUdeviceptr bias, boolean accumulate, CUdeviceptr out,
            int ldo) {
        if (rows == 0 || n == 0 || (accumulate && K == 0)) {
            return;
        }
        if (!accumulate) {
            kernel.fillRows(stream, rows, n, bias, out, ldo);
        }
        if (K == 0) {
            return;
        }
        cublasSetStream(handle, new cudaStream_t(stream));
        cublasSgemm(handle, CUBLAS_OP_T, CUBLAS_OP_N, n, rows, K, ONE, W, ldw, V, ldv, ONE, out,
                ldo);
    }

    @Override
    public String describe() {
        return "cuBLAS " + version + " (libcublas.so.12)";
    }
}
