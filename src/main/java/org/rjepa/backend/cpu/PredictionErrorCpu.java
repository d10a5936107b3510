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

    /** yhat = P_h h + P_s s + b_p; n values from yOffset overwritten. */
    public static void predict(int n, int ms, float[] Ph, float[] Ps, float[] bp, float[] h,
            int hOffset, float[] s, int sOffset, float[] yhat, int yOffset) {
        ProjectionCpu.project(n, n, n, Ph, bp, h, hOffset, yhat, yOffset);
        for (int i = 0; i < n; i++) {
            float v = 0;
            for (int k = 0; k < ms; k++) {
                v += Ps[i * ms + k] * s[sOffset + k];
            }
            yhat[yOffset + i] += v;
        }
    }

    /**
     * Turns yhat (overwritten) into the scaled error e and returns the step's loss term
     * {@code 1/2 |yhat - z|^2 / (T-1)}, accumulated in double.
     */
    public static double error(int n, float[] yhat, int yOffset, float[] zNext, int zOffset,
            int T) {
        double loss = 0;
        float scale = 1f / (T - 1);
        for (int i = 0; i < n; i++) {
            float diff = yhat[yOffset + i] - zNext[zOffset + i];
            loss += 0.5 * (double) diff * diff;
            yhat[yOffset + i] = diff * scale;
        }
        return loss / (T - 1);
    }

    /**
     * delta = P_h^T e (overwritten) and the predictor's gradients (accumulated into).
     */
    public static void backProject(int n, int ms, float[] Ph, float[] e, int eOffset, float[] h,
            int hOffset, float[] s, int sOffset, float[] delta, int deltaOffset, float[] dPh,
            float[] dPs, float[] dbp) {
        for (int k = 0; k < n; k++) {
            delta[deltaOffset + k] = 0;
        }
        for (int i = 0; i < n; i++) {
            float ei = e[eOffset + i];
            int row = i * n;
            for (int k = 0; k < n; k++) {
                delta[deltaOffset + k] += Ph[row + k] * ei;
                dPh[row + k] += ei * h[hOffset + k];
            }
            for (int k = 0; k < ms; k++) {
                dPs[i * ms + k] += ei * s[sOffset + k];
            }
            dbp[i] += ei;
        }
    }
}
