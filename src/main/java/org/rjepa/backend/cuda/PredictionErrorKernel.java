package org.rjepa.backend.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;

/**
 * Launcher of {@code prediction_error.cu} for B sequences: the prediction
 * {@code yhat = P_h h + P_s psi_s + b_p} (by a {@link Projection}), the error
 * {@code e = (yhat - z_next)/(T-1)} and its loss, {@code delta = P_h^T e}, and the
 * predictor's gradient into the per-chunk gradients.
 * CPU twin: {@link org.rjepa.backend.cpu.PredictionErrorCpu}.
 */
final class PredictionErrorKernel {
    private final Projection projection;
    private final CUfunction error;
    private final CUfunction lossSum;
    private final CUfunction backProject;
    private final CUfunction gradient;

    PredictionErrorKernel(CudaDevice gpu, Projection projection) {
        this.projection = projection;
        this.error = gpu.function("prediction_error", "prediction_error");
        this.lossSum = gpu.function("prediction_error", "loss_sum");
        this.backProject = gpu.function("prediction_error", "back_project");
        this.gradient = gpu.function("prediction_error", "predictor_gradient");
    }

    /**
     * yhat = P_h h + b_p, then + P_s s.
     *
     * @param h    [B][n], read
     * @param s    B saccade codes, row stride lds, read
     * @param yhat [B][n], overwritten
     */
    void predict(CUstream stream, int B, int n, int ms, CUdeviceptr Ph, CUdeviceptr Ps,
            CUdeviceptr bp, CUdeviceptr h, CUdeviceptr s, int lds, CUdeviceptr yhat) {
        projection.project(stream, B, n, n, h, n, Ph, n, bp, false, yhat, n);
        projection.project(stream, B, n, ms, s, lds, Ps, ms, bp, true, yhat, n);
    }

    /**
     * Turns yhat into e in place and adds each sequence's loss term into {@code loss}.
     *
     * @param zNext [B][n], read
     * @param diffs [B][n], overwritten (scratch: yhat - z_next)
     * @param loss  B doubles, accumulated into
     */
    void error(CUstream stream, int B, int n, int T, CUdeviceptr e, CUdeviceptr zNext,
            CUdeviceptr diffs, CUdeviceptr loss) {
        new Launch(error, "prediction_error B=" + B + " n=" + n)
                .i(B).i(n).p(e).p(zNext).f(1f / (T - 1)).p(diffs)
                .run1d((long) B * n, 1, stream);
        new Launch(lossSum, "loss_sum B=" + B + " n=" + n)
                .i(B).i(n).p(diffs).i(T).p(loss).run1d(B, 1, stream);
    }

    /** delta = P_h^T e: e [B][n] read, delta [B][n] overwritten. */
    void backProject(CUstream stream, int B, int n, CUdeviceptr Ph, CUdeviceptr e,
            CUdeviceptr delta) {
        new Launch(backProject, "back_project B=" + B + " n=" + n)
                .i(B).i(n).p(Ph).p(e).p(delta).run1d((long) B * n, 1, stream);
    }

    /** dP_h, dP_s, db_p of chunks of {@code chunk} sequences, added into partial [C][P]. */
    void addGradient(CUstream stream, int B, int chunk, int n, int ms, CUdeviceptr e,
            CUdeviceptr h, CUdeviceptr s, int lds, CUdeviceptr partial, long P, long offPh,
            long offPs, long offbp) {
        int C = (B + chunk - 1) / chunk;
        new Launch(gradient, "predictor_gradient B=" + B + " n=" + n + " ms=" + ms)
                .i(B).i(chunk).i(n).i(ms).p(e).p(h).p(s).i(lds).p(partial).l(P).l(offPh)
                .l(offPs).l(offbp).run1d((long) C * n * (n + ms + 1), 1, stream);
    }
}
