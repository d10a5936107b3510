package org.rjepa.learning;

/**
 * The {@code vicreg} guard's term over a batch of predictions at one step (DESIGN.md section
 * 4), in double precision, with its gradient. For the B predictions {@code yhat_b} (n values
 * each), centred on their batch mean,
 *
 * <pre>
 *   C        = 1/(B-1) sum_b (yhat_b - mean)(yhat_b - mean)^T      (n x n covariance)
 *   std_j    = sqrt(C_jj + eps)                                     (eps = {@value #EPS})
 *   V        = lambda_v sum_j max(0, gamma - std_j) + lambda_c sum_{j != k} C_jk^2
 *   dV/dyhat_bj = -lambda_v [std_j < gamma] yc_bj / ((B-1) std_j)
 *               + 4 lambda_c / (B-1) sum_{k != j} C_jk yc_bk
 * </pre>
 *
 * where {@code yc = yhat - mean}; the mean's own dependence on yhat drops out because the
 * centred values sum to zero. The epsilon keeps the gradient of the standard deviation finite
 * when a dimension has collapsed, as VICReg does. Sums, not means, over dimensions, as the
 * design writes them. A batch needs two sequences at least.
 *
 * <p>gamma, the spread the hinge asks of each dimension, is 1 in VICReg and in DESIGN.md;
 * here it is a parameter, because the targets the predictions must match are tanh values
 * whose spread is well below 1 (README, "Collapse guards").
 */
public final class Vicreg {
    /** Added to each variance before its square root. */
    public static final double EPS = 1e-4;

    private Vicreg() {
    }

    /**
     * @param yhat             the batch's predictions, [B][n], read
     * @param varianceWeight   lambda_v
     * @param covarianceWeight lambda_c
     * @param varianceTarget   gamma, the standard deviation below which the hinge acts
     * @param gradient         dV/dyhat, [B][n], overwritten; null for the value alone
     * @return V
     */
    public static double term(double[][] yhat, double varianceWeight, double covarianceWeight,
            double varianceTarget, double[][] gradient) {
        int B = yhat.length;
        if (B < 2) {
            throw new IllegalArgumentException("the vicreg term needs a batch of 2 or more: "
                    + B);
        }
        int n = yhat[0].length;
        double[] mean = new double[n];
        for (double[] y : yhat) {
            for (int j = 0; j < n; j++) {
                mean[j] += y[j] / B;
            }
        }
        double[][] centred = new double[B][n];
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < n; j++) {
                centred[b][j] = yhat[b][j] - mean[j];
            }
        }
        double[][] C = new double[n][n];
        for (int b = 0; b < B; b++) {
            double[] yc = centred[b];
            for (int j = 0; j < n; j++) {
                double v = yc[j] / (B - 1);
                if (v == 0) {
                    continue;
                }
                double[] row = C[j];
                for (int k = 0; k < n; k++) {
                    row[k] += v * yc[k];
                }
            }
        }
        double value = 0;
        double[] hinge = new double[n];
        for (int j = 0; j < n; j++) {
            double std = Math.sqrt(C[j][j] + EPS);
            if (std < varianceTarget) {
                value += varianceWeight * (varianceTarget - std);
                hinge[j] = -varianceWeight / ((B - 1) * std);
            }
            for (int k = 0; k < n; k++) {
                if (k != j) {
                    value += covarianceWeight * C[j][k] * C[j][k];
                }
            }
        }
        if (gradient == null) {
            return value;
        }
        double coupling = 4 * covarianceWeight / (B - 1);
        for (int b = 0; b < B; b++) {
            double[] yc = centred[b];
            double[] g = gradient[b];
            for (int j = 0; j < n; j++) {
                double off = 0;
                double[] row = C[j];
                for (int k = 0; k < n; k++) {
                    off += row[k] * yc[k];
                }
                off -= row[j] * yc[j];
                g[j] = hinge[j] * yc[j] + coupling * off;
            }
        }
        return value;
    }
}
