package org.rjepa.backend.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch of projections, {@code out = base + V W^T} with base the bias row or, to add a
 * second product, what {@code out} holds: by cuBLAS where its library loads, by the
 * engine's {@code projection_gemm} kernel otherwise. Shapes, all row-major: V rows x K (row
 * stride ldv), W n x K (row stride ldw, the first K columns read), bias n, out rows x n (row
 * stride ldo).
 */
interface Projection {
    void project(CUstream stream, int rows, int n, int K, CUdeviceptr V, int ldv, CUdeviceptr W,
            int ldw, CUdeviceptr bias, boolean accumulate, CUdeviceptr out, int ldo);

    /** The path in words, for logs and {@code rjepa devices}. */
    String describe();

    /**
     * cuBLAS when {@code libcublas.so.12} loads and {@code RJEPA_GEMM} is not {@code kernel},
     * the GEMM kernel otherwise; the choice is logged once.
     */
    static Projection choose(CudaDevice gpu) {
        Logger log = LoggerFactory.getLogger(Projection.class);
        ProjectionKernel kernel = new ProjectionKernel(gpu);
        if ("kernel".equals(System.getenv("RJEPA_GEMM"))) {
            log.info("projections by the projection_gemm kernel (RJEPA_GEMM=kernel)");
            return kernel;
        }
        try {
            CublasProjection cublas = new CublasProjection(gpu, kernel);
            log.info("projections by {}", cublas.describe());
            return cublas;
        } catch (Throwable t) {
            log.info("projections by the projection_gemm kernel: cuBLAS did not load ({})",
                    t.toString().lines().findFirst().orElse(""));
            return kernel;
        }
    }
}
