package org.rjepa.fixation;

import java.util.SplittableRandom;
import org.rjepa.data.ImageSet;

/**
 * Saliency-driven fixations: the eye goes where the image has local contrast and avoids
 * where it has already been.
 *
 * <p>The saliency of a pixel is the standard deviation of the values in the
 * {@code (2 R + 1)^2} window around it (R = {@value #CONTRAST_RADIUS}, channels pooled,
 * outside pixels left out), plus a floor of {@value #FLOOR} of the image's largest, so that a
 * flat image is looked at uniformly. Each fixation is a pixel drawn with probability
 * proportional to its saliency times the inhibition of return,
 * {@code prod_s (1 - exp(-|p - p_s|^2 / (2 sigma^2)))} over the fixations {@code p_s} made so
 * far (sigma = {@code inhibition} pixels), and then moved by a uniform offset within its
 * pixel, clamped to the image.
 */
public final class SaliencyPolicy implements FixationPolicy {
    /** Half-width of the local-contrast window, pixels. */
    public static final int CONTRAST_RADIUS = 2;
    /** Smallest saliency, as a fraction of the image's largest. */
    public static final double FLOOR = 0.01;

    private final double inhibition;

    /** @param inhibition the width sigma of the inhibition of return, pixels (> 0) */
    public SaliencyPolicy(double inhibition) {
        if (!(inhibition > 0) || Double.isInfinite(inhibition)) {
            throw new IllegalArgumentException("inhibition must be finite and > 0: "
                    + inhibition);
        }
        this.inhibition = inhibition;
    }

    /** The local-contrast map of an image, [height * width] row-major, floor included. */
    public static double[] saliency(ImageSet images, int image) {
        int H = images.height();
        int W = images.width();
        int C = images.channels();
        double[] map = new double[H * W];
        double largest = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double sum = 0;
                double squares = 0;
                int count = 0;
                for (int yy = Math.max(0, y - CONTRAST_RADIUS);
                        yy <= Math.min(H - 1, y + CONTRAST_RADIUS); yy++) {
                    for (int xx = Math.max(0, x - CONTRAST_RADIUS);
                            xx <= Math.min(W - 1, x + CONTRAST_RADIUS); xx++) {
                        for (int c = 0; c < C; c++) {
                            double v = images.pixel(image, yy, xx, c);
                            sum += v;
                            squares += v * v;
                            count++;
                        }
                    }
                }
                double mean = sum / count;
                double contrast = Math.sqrt(Math.max(0, squares / count - mean * mean));
                map[y * W + x] = contrast;
                largest = Math.max(largest, contrast);
            }
        }
        double floor = largest > 0 ? FLOOR * largest : 1;
        for (int i = 0; i < map.length; i++) {
            map[i] += floor;
        }
        return map;
    }

    @Override
    public void centres(ImageSet images, int image, SplittableRandom random, double[] x,
            double[] y) {
        int W = images.width();
        int H = images.height();
        double[] map = saliency(images, image);
        double twoSigma2 = 2 * inhibition * inhibition;
        for (int t = 0; t < x.length; t++) {
            // draw a pixel in proportion to the map
            double total = 0;
            for (double v : map) {
                total += v;
            }
            double pick = random.nextDouble() * total;
            int chosen = map.length - 1;
            for (int i = 0; i < map.length; i++) {
                pick -= map[i];
                if (pick < 0) {
                    chosen = i;
                    break;
                }
            }
            int px = chosen % W;
            int py = chosen / W;
            x[t] = clamp(px + random.nextDouble() - 0.5, W - 1);
            y[t] = clamp(py + random.nextDouble() - 0.5, H - 1);

            // inhibition of return around the new fixation
            for (int yy = 0; yy < H; yy++) {
                for (int xx = 0; xx < W; xx++) {
                    double dx = xx - x[t];
                    double dy = yy - y[t];
                    map[yy * W + xx] *= 1 - Math.exp(-(dx * dx + dy * dy) / twoSigma2);
                }
            }
        }
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }

    public double inhibition() {
        return inhibition;
    }

    @Override
    public String name() {
        return "saliency";
    }
}
