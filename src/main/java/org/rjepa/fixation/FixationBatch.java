package org.rjepa.fixation;

import java.util.SplittableRandom;
import org.rjepa.data.ImageSet;
import org.rjepa.model.Dimensions;

/**
 * A batch of B fixation sequences of T steps, ready for the circuit, made on the host.
 * Sequence {@code b} is drawn from its own random stream seeded with {@code seeds[b]}, so the
 * batch is the same whatever the order or the thread that makes it.
 */
public final class FixationBatch {
    /** Sequences B. */
    public final int B;
    /** Fixations per sequence T. */
    public final int T;
    /** Sizes: {@code u} has m values per fixation, of which the first mx are pixels. */
    public final Dimensions dims;
    /** Image index of each sequence, [B]. */
    public final int[] images;
    /**
     * Circuit inputs {@code u_t = [x_t ; psi(p_t)]}, one array of m values per fixation, at
     * row {@code b*T + t}: separate arrays so that the CPU kernels read each from index 0.
     */
    public final float[][] u;
    /** Saccade codes {@code psi_s(p_{t+1} - p_t)}, [B*T][ms]; the last step's is psi_s(0). */
    public final float[][] s;
    /** Fixation centres, [B][T], column and row in pixels. */
    public final double[] x;
    public final double[] y;

    private FixationBatch(int B, int T, Dimensions dims, int[] images) {
        this.B = B;
        this.T = T;
        this.dims = dims;
        this.images = images;
        this.u = new float[B * T][dims.m()];
        this.s = new float[B * T][dims.ms()];
        this.x = new double[B * T];
        this.y = new double[B * T];
    }

    /**
     * @param n      hidden units (only carried in {@link #dims})
     * @param images the image of each sequence
     * @param seeds  the random seed of each sequence's fixations
     */
    public static FixationBatch sample(ImageSet set, int[] images, long[] seeds,
            Fixations fixations, int n) {
        int B = images.length;
        int T = fixations.T();
        int H = set.height();
        int W = set.width();
        int L = fixations.L();
        Dimensions d = fixations.dimensions(n, set.channels());
        FixationBatch batch = new FixationBatch(B, T, d, images.clone());
        double[] cx = new double[T];
        double[] cy = new double[T];
        for (int b = 0; b < B; b++) {
            fixations.policy().centres(set, images[b], new SplittableRandom(seeds[b]), cx, cy);
            for (int t = 0; t < T; t++) {
                int row = b * T + t;
                batch.x[row] = cx[t];
                batch.y[row] = cy[t];
                float[] ut = batch.u[row];
                PatchSampler.sample(set, images[b], cx[t], cy[t], fixations.k(), ut, 0);
                PositionCode.position(cx[t], cy[t], H, W, L, ut, d.mx());
                double dx = t + 1 < T ? cx[t + 1] - cx[t] : 0;
                double dy = t + 1 < T ? cy[t + 1] - cy[t] : 0;
                PositionCode.saccade(dx, dy, H, W, L, batch.s[row], 0);
            }
        }
        return batch;
    }

    /** {@code u_t} of sequence b (kept, not copied). */
    public float[] u(int b, int t) {
        return u[b * T + t];
    }

    /** {@code psi_s(s_t)} of sequence b (kept, not copied). */
    public float[] s(int b, int t) {
        return s[b * T + t];
    }
}
