package org.rjepa.fixation;

import java.util.SplittableRandom;
import org.rjepa.data.ImageSet;
import org.rjepa.model.Gaussian;

/**
 * Random-walk saccades: the first fixation uniform over the image, then Gaussian steps of
 * standard deviation {@code step} pixels per axis, reflected at the border, so that
 * successive patches overlap and the next one is partly predictable from the last.
 */
public final class RandomWalkPolicy implements FixationPolicy {
    private final double step;

    public RandomWalkPolicy(double step) {
        if (!(step >= 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("saccade step must be finite and >= 0: " + step);
        }
        this.step = step;
    }

    public double step() {
        return step;
    }

    @Override
    public void centres(ImageSet images, int image, SplittableRandom random, double[] x,
            double[] y) {
        int height = images.height();
        int width = images.width();
        if (x.length == 0) {
            return;
        }
        x[0] = random.nextDouble() * (width - 1);
        y[0] = random.nextDouble() * (height - 1);
        for (int t = 1; t < x.length; t++) {
            x[t] = reflect(x[t - 1] + step * Gaussian.next(random), width - 1);
            y[t] = reflect(y[t - 1] + step * Gaussian.next(random), height - 1);
        }
    }

    /** Folds v back into [0, max] as a mirror would, however far outside it lies. */
    static double reflect(double v, double max) {
        if (max <= 0) {
            return 0;
        }
        double period = 2 * max;
        double r = v % period;
        if (r < 0) {
            r += period;
        }
        return r <= max ? r : period - r;
    }

    @Override
    public String name() {
        return "random-walk";
    }
}
