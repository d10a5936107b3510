package org.rjepa.fixation;

import java.util.SplittableRandom;
import org.rjepa.data.ImageSet;

/**
 * A fixed raster for evaluation: the image cut into a {@code g x g} grid of equal cells,
 * {@code g = ceil(sqrt(T))}, and the cells' centres visited row by row from the top left.
 * With T = 9 on a 28-pixel image the centres are at 4.5, 13.5 and 22.5 on each axis. It uses
 * no randomness, so every image is seen the same way.
 */
public final class RasterPolicy implements FixationPolicy {
    @Override
    public void centres(ImageSet images, int image, SplittableRandom random, double[] x,
            double[] y) {
        int T = x.length;
        int g = (int) Math.ceil(Math.sqrt(T));
        double cellX = (images.width() - 1) / (double) g;
        double cellY = (images.height() - 1) / (double) g;
        for (int t = 0; t < T; t++) {
            x[t] = (t % g + 0.5) * cellX;
            y[t] = (t / g + 0.5) * cellY;
        }
    }

    @Override
    public String name() {
        return "raster";
    }
}
