package org.rjepa.fixation;

import java.util.SplittableRandom;
import org.rjepa.data.ImageSet;

/** Each fixation drawn uniformly over the image, independently of the others. */
public final class UniformPolicy implements FixationPolicy {
    @Override
    public void centres(ImageSet images, int image, SplittableRandom random, double[] x,
            double[] y) {
        int height = images.height();
        int width = images.width();
        for (int t = 0; t < x.length; t++) {
            x[t] = random.nextDouble() * (width - 1);
            y[t] = random.nextDouble() * (height - 1);
        }
    }

    @Override
    public String name() {
        return "uniform";
    }
}
