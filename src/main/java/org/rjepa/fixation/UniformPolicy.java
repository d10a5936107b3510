package org.rjepa.fixation;

import java.util.SplittableRandom;

/** Each fixation drawn uniformly over the image, independently of the others. */
public final class UniformPolicy implements FixationPolicy {
    @Override
    public void centres(int height, int width, SplittableRandom random, double[] x, double[] y) {
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
