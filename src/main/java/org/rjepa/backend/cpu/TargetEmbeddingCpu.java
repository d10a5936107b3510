package org.rjepa.backend.cpu;

/**
 * The target embedding of one patch, float32 (DESIGN.md section 4):
 * {@code z = tanh(Wbar_c [x ; 0] + bbar_c)}, reading the first mx columns of the n x m
 * target drive weights. With the guard {@code none} the live weights are passed instead,
 * and {@link #addGradient} lets the gradient flow through the target.
 */
public final class TargetEmbeddingCpu {
    private TargetEmbeddingCpu() {
    }

    /**
     * @param x  the patch, mx values from xOffset (the head of u), read
     * @param z  n values from zOffset, overwritten
     */
    public static void embed(int n, int mx, int m, float[] WcBar, float[] bcBar, float[] x,
            int xOffset, float[] z, int zOffset) {
        ProjectionCpu.project(n, mx, m, WcBar, bcBar, x, xOffset, z, zOffset);
        for (int i = 0; i < n; i++) {
            z[zOffset + i] = (float) Math.tanh(z[zOffset + i]);
        }
    }

    /**
     * With live targets, dL/dz = -e, so {@code dW_c[i, 0:mx] -= e_i (1 - z_i^2) x} and
     * {@code db_c -= e (1 - z^2)}.
     *
     * @param dWc n x m, accumulated into
     * @param dbc n, accumulated into
     */
    public static void addGradient(int n, int mx, int m, float[] e, int eOffset, float[] z,
            int zOffset, float[] x, int xOffset, float[] dWc, float[] dbc) {
        for (int i = 0; i < n; i++) {
            float zi = z[zOffset + i];
            float dGamma = -e[eOffset + i] * (1 - zi * zi);
            int row = i * m;
            for (int j = 0; j < mx; j++) {
                dWc[row + j] += dGamma * x[xOffset + j];
            }
            dbc[i] += dGamma;
        }
    }
}
