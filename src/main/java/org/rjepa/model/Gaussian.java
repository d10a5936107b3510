package org.rjepa.model;

import java.util.SplittableRandom;

/** Standard normal draws from a {@link SplittableRandom}, so that every stream is seeded. */
public final class Gaussian {
    private Gaussian() {
    }

    /** One N(0, 1) value by the Box-Muller transform (two uniforms per draw, no cached pair). */
    public static double next(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
