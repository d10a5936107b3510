package org.rjepa.fixation;

/**
 * Fourier features of a position or a displacement (DESIGN.md section 2): for each axis and
 * each {@code l = 0..L-1}, {@code sin(pi 2^l v)} and {@code cos(pi 2^l v)}, so {@code 4L}
 * values, written as x's 2L values then y's. A position is first normalised to [-1, 1] per
 * axis ({@code 2 p / (size - 1) - 1}, 0 on an axis of one pixel); a saccade
 * {@code s = p_{t+1} - p_t} is normalised by the same scale ({@code 2 s / (size - 1)}), so
 * that it is the difference of the two normalised positions.
 */
public final class PositionCode {
    private PositionCode() {
    }

    /** Writes psi(p) for the centre (x, y) of an image of the given size. */
    public static void position(double x, double y, int height, int width, int L, float[] out,
            int offset) {
        encode(normalised(x, width), normalised(y, height), L, out, offset);
    }

    /** Writes psi_s(s) for the displacement (dx, dy) on an image of the given size. */
    public static void saccade(double dx, double dy, int height, int width, int L, float[] out,
            int offset) {
        encode(2 * dx / scale(width), 2 * dy / scale(height), L, out, offset);
    }

    /** 2 p / (size - 1) - 1; the middle, 0, on an axis one pixel long. */
    private static double normalised(double p, int size) {
        return size > 1 ? 2 * p / (size - 1) - 1 : 0;
    }

    private static double scale(int size) {
        return Math.max(1, size - 1);
    }

    private static void encode(double vx, double vy, int L, float[] out, int offset) {
        int o = offset;
        for (double v : new double[] {vx, vy}) {
            double frequency = Math.PI;
            for (int l = 0; l < L; l++) {
                out[o++] = (float) Math.sin(frequency * v);
                out[o++] = (float) Math.cos(frequency * v);
                frequency *= 2;
            }
        }
    }
}
