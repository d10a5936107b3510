package org.rjepa.backend.cpu;

/**
 * The projection of one fixation's input, float32: {@code out = W[:, 0:cols] v + bias} for an
 * n-row weight matrix W, taken from the rows of its transpose as a sum of scaled rows,
 * {@code out += v_j Wt[j]}, because a loop of that form vectorises where a dot product (a
 * floating-point reduction) does not.
 */
public final class ProjectionCpu {
    private ProjectionCpu() {
    }

    /**
     * @param Wt   rows of W's transpose, at least cols of them, each n long, read
     * @param bias n values, read
     * @param v    cols values, read
     * @param out  n values, overwritten
     */
    public static void project(int n, int cols, float[][] Wt, float[] bias, float[] v,
            float[] out) {
        System.arraycopy(bias, 0, out, 0, n);
        for (int j = 0; j < cols; j++) {
            axpy(n, v[j], Wt[j], out);
        }
    }

    /** {@code y += a x} over n values. */
    static void axpy(int n, float a, float[] x, float[] y) {
        for (int i = 0; i < n; i++) {
            y[i] += a * x[i];
        }
    }

    /**
     * Rows of the transpose of the first {@code cols} columns of the row-major n x stride W.
     *
     * @param Wt cols rows of n values, overwritten
     */
    public static void transpose(int n, int cols, int stride, float[] W, float[][] Wt) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < cols; j++) {
                Wt[j][i] = W[i * stride + j];
            }
        }
    }

    /** The rows of the row-major n x cols W, copied into {@code rows}. */
    public static void rows(int n, int cols, float[] W, float[][] rows) {
        for (int i = 0; i < n; i++) {
            System.arraycopy(W, i * cols, rows[i], 0, cols);
        }
    }
}
