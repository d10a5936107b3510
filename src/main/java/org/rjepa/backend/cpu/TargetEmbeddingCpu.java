package org.rjepa.backend.cpu;

/**
 * The target embedding of one patch, float32 (DESIGN.md section 4):
 * {@code z = tanh(Wbar_c [x ; 0] + bbar_c)}, reading the first mx columns of the target
 * drive weights (passed as rows of their transpose, see {@link ProjectionCpu}). With the
 * guard {@code none} the live weights are passed instead, and {@link #addGradient} lets the
 * gradient flow through the target.
 */
public final class TargetEmbeddingCpu {
    private TargetEmbeddingCpu() {
    }

    /**
     * @param WcBarT rows of the transpose of the drive weights' first mx columns, read
     * @param x      the patch: the first mx values of u, read
     * @param z      n values, overwritten
     */
    public static void embed(int n, int mx, float[][] WcBarT, float[] bcBar, float[] x,
            float[] z) {
        ProjectionCpu.project(n, mx, WcBarT, bcBar, x, z);
        for (int i = 0; i < n; i++) {
            z[i] = (float) Math.tanh(z[i]);
        }
    }

    /**
     * With live targets dL/dz = -e, so {@code dW_c[i, 0:mx] -= e_i (1 - z_i^2) x} and
     * {@code db_c -= e (1 - z^2)}.
     *
     * @param dWc rows of n x m, accumulated into (the first mx columns)
     * @param dbc n, accumulated into
     */
    public static void addGradient(int n, int mx, float[] e, float[] z, float[] x,
            float[][] dWc, float[] dbc) {
        for (int i = 0; i < n; i++) {
            float dGamma = -e[i] * (1 - z[i] * z[i]);
            float[] row = dWc[i];
            for (int j = 0; j < mx; j++) {
                row[j] += dGamma * x[j];
            }
            dbc[i] += dGamma;
        }
    }
}
