package org.rjepa.fixation;

import org.rjepa.data.ImageSet;

/**
 * Cuts the {@code k x k x C} patch around a continuous centre by bilinear interpolation, with
 * zero outside the image. Patch pixel {@code (r, q)} samples the image at row
 * {@code cy + r - (k-1)/2} and column {@code cx + q - (k-1)/2}; the patch is flattened
 * row-major with channels last, {@code k*k*C} values. Images are standardised before they
 * are sampled, so zero padding is padding with the data set's mean.
 */
public final class PatchSampler {
    private PatchSampler() {
    }

    /** Overwrites {@code out[offset .. offset + k*k*C)} with the patch of image {@code i}. */
    public static void sample(ImageSet images, int i, double cx, double cy, int k, float[] out,
            int offset) {
        int H = images.height();
        int W = images.width();
        int C = images.channels();
        float[] pixels = images.pixels();
        int base = images.offset(i);
        double half = (k - 1) / 2.0;
        int o = offset;
        for (int r = 0; r < k; r++) {
            double y = cy + r - half;
            int y0 = (int) Math.floor(y);
            double fy = y - y0;
            for (int q = 0; q < k; q++) {
                double x = cx + q - half;
                int x0 = (int) Math.floor(x);
                double fx = x - x0;
                for (int c = 0; c < C; c++) {
                    double v = (1 - fy) * ((1 - fx) * at(pixels, base, H, W, C, y0, x0, c)
                            + fx * at(pixels, base, H, W, C, y0, x0 + 1, c))
                            + fy * ((1 - fx) * at(pixels, base, H, W, C, y0 + 1, x0, c)
                            + fx * at(pixels, base, H, W, C, y0 + 1, x0 + 1, c));
                    out[o++] = (float) v;
                }
            }
        }
    }

    private static double at(float[] pixels, int base, int H, int W, int C, int y, int x, int c) {
        if (y < 0 || y >= H || x < 0 || x >= W) {
            return 0;
        }
        return pixels[base + (y * W + x) * C + c];
    }
}
