package org.rjepa.backend.cpu;

/**
 * The input projection of one fixation, float32: {@code out = W[:, 0:cols] v + bias}, with W
 * an {@code n x stride} row-major matrix of which the first {@code cols} columns are read.
 * The drive and gate read all m columns of u; the target embedding reads only the mx pixel
 * columns.
 */
public final class ProjectionCpu {
    private ProjectionCpu() {
    }

    /**
     * @param W    n x stride, read
     * @param v    cols values from vOffset, read
     * @param bias n values, read
     * @param out  n values from outOffset, overwritten
     */
    public static void project(int n, int cols, int stride, float[] W, float[] bias, float[] v,
            int vOffset, float[] out, int outOffset) {
        for (int i = 0; i < n; i++) {
            int row = i * stride;
            // four partial sums let the JIT keep several multiply-adds in flight
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int j = 0;
            for (; j + 3 < cols; j += 4) {
                s0 += W[row + j] * v[vOffset + j];
                s1 += W[row + j + 1] * v[vOffset + j + 1];
                s2 += W[row + j + 2] * v[vOffset + j + 2];
                s3 += W[row + j + 3] * v[vOffset + j + 3];
            }
            for (; j < cols; j++) {
                s0 += W[row + j] * v[vOffset + j];
            }
            out[outOffset + i] = bias[i] + ((s0 + s1) + (s2 + s3));
        }
    }
}
