package org.rjepa.backend.cpu;

/**
 * The predictor, the error and its back-projection for one sequence at one step, float32
 * (DESIGN.md sections 4 and 5):
 *
 * <pre>
 *   yhat = P_h h + P_s psi_s + b_p        e = (yhat - z_next) / (T - 1)
 *   delta = P_h^T e                       dP_h += e h^T, dP_s += e psi_s^T, db_p += e
 * </pre>
 */
public final class PredictionErrorCpu {
    private PredictionErrorCpu() {
    }

    /**
     * yhat = P_h h + P_s s + b_p.
     *
     * @param PhT  rows of P_h's transpose (n of n), read
     * @param PsT  rows of P_s's transpose (ms of n), read
     * @param yhat n values, overwritten
     */
    public static void predict(int n, int ms, float[][] PhT, float[][] PsT, float[] bp,
            float[] h, float[] s, float[] yhat) {
        ProjectionCpu.project(n, n, PhT, bp, h, yhat);
        for (int k = 0; k < ms; k++) {
            ProjectionCpu.axpy(n, s[k], PsT[k], yhat);
        }
    }

    /**
     * Turns yhat into the scaled error e (in place) and returns the step's loss term
     * {@code 1/2 |yhat - z|^2 / (T-1)}, accumulated in double.
     */
    public static double error(int n, float[] yhat, float[] zNext, int T) {
        double loss = 0;
        float scale = 1f / (T - 1);
        for (int i = 0; i < n; i++) {
            float diff = yhat[i] - zNext[i];
            loss += 0.5 * (double) diff * diff;
            yhat[i] = diff * scale;
        }
        return loss / (T - 1);
    }

    /**
     * delta = P_h^T e (overwritten) and the predictor's gradients (accumulated into).
     *
     * @param Ph  rows of P_h (n of n), read
     * @param dPh rows of n x n, accumulated into
     * @param dPs rows of n x ms, accumulated into
     */
    public static void backProject(int n, int ms, float[][] Ph, float[] e, float[] h,
            float[] s, float[] delta, float[][] dPh, float[][] dPs, float[] dbp) {
        java.util.Arrays.fill(delta, 0, n, 0f);
        for (int i = 0; i < n; i++) {
            float ei = e[i];
            ProjectionCpu.axpy(n, ei, Ph[i], delta);
            ProjectionCpu.axpy(n, ei, h, dPh[i]);
            ProjectionCpu.axpy(ms, ei, s, dPs[i]);
            dbp[i] += ei;
        }
    }
}
